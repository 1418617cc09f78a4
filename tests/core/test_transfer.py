"""Saving a quick-check result as JSON and loading it back; every bad file gets a named refusal."""

import json
from datetime import date

import pytest

from alignment.core.questionnaire import Profile
from alignment.core.transfer import MAX_BYTES, ImportRefused, from_json, to_json


def test_round_trip(make_submission, questionnaire):
    sub = make_submission("marketing", default=2, profile=Profile("retail", "", "FR", "", "1b_10b"))
    sub = type(sub)(sub.side, sub.answers, sub.profile, {"ctx_lead_time": 4})
    imported = from_json(to_json(sub, date(2026, 1, 2)).encode(), questionnaire)
    assert imported.submission == sub
    assert imported.saved_on == date(2026, 1, 2)
    assert imported.problems == []


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"not json at all {", "not_json"),
        (b"\xff\xfe\x00garbage", "not_json"),
        (b"[1, 2, 3]", "wrong_shape"),
        (json.dumps({"format": "cio-cmo-alignment/organisation-export", "version": 1}).encode(), "wrong_shape"),
        (
            json.dumps(
                {
                    "format": "cio-cmo-alignment/quick-check",
                    "version": 1,
                    "side": "it",
                    "answers": {},
                    "context": {},
                    "profile": {},
                }
            ).encode(),
            "wrong_shape",
        ),  # nothing answered
        (b"[" * 5000 + b"]" * 5000, "not_json"),  # nested too deep for the parser
        (b" " * (MAX_BYTES + 1), "too_big"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data, code, questionnaire):
    with pytest.raises(ImportRefused) as error:
        from_json(data, questionnaire)
    assert error.value.code == code


def test_hostile_content_is_cleaned_or_dropped(make_submission, questionnaire):
    document = json.loads(to_json(make_submission("it"), date(2026, 1, 2)))
    document["profile"] = {"industry": "other", "industry_other": "<script>alert(1)</script> =SUM(A1)"}
    document["answers"]["alignment_needed"] = 99
    document["answers"]["<img src=x>"] = 1
    document["saved_on"] = "<b>" * 50
    with pytest.raises(ImportRefused):
        from_json(json.dumps(document).encode(), questionnaire)  # an answer out of range leaves it incomplete
    document["answers"]["alignment_needed"] = 5
    imported = from_json(json.dumps(document).encode(), questionnaire)
    assert imported.submission.profile.industry_other == "<script>alert(1)</script> =SUM(A1)"  # kept as text
    assert [p.code for p in imported.problems] == ["unknown_key"]
    assert imported.saved_on is None  # not a date: dropped


def test_organisation_export_comes_back_as_counts(questionnaire):
    from alignment.core.transfer import read_organisation_export
    from alignment.org.export import responses_json
    from alignment.org.rounds import Assessment, Round, RoundCounts, round_results

    counts = RoundCounts({"it": 2}, {})
    assessment = Assessment("a", "Acme", "en", 1, Profile(), None)
    rnd = Round(1, "a", 1, "2026 Q3", "closed", None)
    rows = [
        {"response": 1, "side": "it", "submitted_on": "2026-09-01", "answers": {"alignment_needed": 5}},
        {"response": 2, "side": "it", "submitted_on": "2026-09-01", "answers": {"alignment_needed": 2, "x": 9}},
        {"response": 3, "side": "ceo", "submitted_on": "2026-09-01", "answers": {"alignment_needed": 5}},
    ]
    text = responses_json(assessment, rnd, round_results(counts, 1, questionnaire), rows, questionnaire.item_ids)
    back = read_organisation_export(text.encode(), questionnaire)
    assert back.label == "2026 Q3"
    assert back.counts.sides == {"it": 2}
    assert back.counts.values == {("it", "alignment_needed", 5): 1, ("it", "alignment_needed", 2): 1}


def test_a_quick_check_file_is_not_an_organisation_export(make_submission, questionnaire):
    from alignment.core.transfer import read_organisation_export

    with pytest.raises(ImportRefused) as error:
        read_organisation_export(to_json(make_submission(), date(2026, 1, 1)).encode(), questionnaire)
    assert error.value.code == "wrong_shape"


def test_numbers_past_pythons_digit_limit_are_refused_not_raised(questionnaire):
    from alignment.core.transfer import read_organisation_export

    huge = b'{"format": ' + b"9" * 5000 + b"}"
    with pytest.raises(ImportRefused) as refused:
        from_json(huge, questionnaire)
    assert refused.value.code == "not_json"
    with pytest.raises(ImportRefused) as refused:
        read_organisation_export(b'{"responses": [' + b"1" * 4400 + b"]}", questionnaire)
    assert refused.value.code == "not_json"


def test_what_an_import_left_out_is_counted(questionnaire):
    from alignment.core.transfer import read_organisation_export
    from alignment.org.export import EXPORT_FORMAT

    rows = [
        {"side": "it", "answers": {**dict.fromkeys(questionnaire.item_ids, 4), "alignment_needed": 9}},
        {"side": "ceo", "answers": {}},
        {"side": "marketing", "answers": {"alignment_needed": True}},
        "row",
    ]
    document = {"format": EXPORT_FORMAT, "round": {"label": "x" * 5000}, "responses": rows}
    imported = read_organisation_export(json.dumps(document).encode(), questionnaire)
    assert imported.dropped_rows == 2
    assert imported.dropped_values == 2  # 9 is off the scale, and true is not an answer
    assert imported.counts.sides == {"it": 1, "marketing": 1}
    assert imported.label == "x" * 80


def test_unknown_keys_and_bad_dates_are_reported(make_submission, questionnaire):
    document = json.loads(to_json(make_submission(), date(2026, 1, 2)))
    document |= {"saved_on": "yesterday", "extra": 1}
    document["answers"]["zzz"] = 1
    imported = from_json(json.dumps(document).encode(), questionnaire)
    assert imported.saved_on is None
    assert {(p.code, p.key) for p in imported.problems} == {("unknown_key", "zzz"), ("unknown_key", "extra")}


def test_organisation_export_carries_the_follow_up_actions(questionnaire):
    import json as json_module

    from alignment.core.transfer import read_organisation_export
    from alignment.org.export import responses_json
    from alignment.org.followup import ActionDraft, AgreedAction
    from alignment.org.rounds import Assessment, Round, RoundCounts, round_results
    from tests.hostile import HOSTILE

    assessment = Assessment("a", "Acme", "en", 1, Profile(), None)
    rnd = Round(1, "a", 2, "R2", "open", None)
    actions = tuple(
        AgreedAction(n, "alignment_needed", text, text[:80], date(2027, 1, n + 1), "done", text, 1)
        for n, text in enumerate([*HOSTILE, "Équipe « données »"])
    )
    rows = [{"side": "it", "answers": {"alignment_needed": 5}}]
    results = round_results(RoundCounts({"it": 1}, {}), 1, questionnaire)
    text = responses_json(assessment, rnd, results, rows, questionnaire.item_ids, actions)
    back = read_organisation_export(text.encode(), questionnaire)
    assert back.dropped_actions == 0
    assert back.actions == tuple((1, a.draft()) for a in actions)
    # Malformed actions are dropped and counted; the rest come back.
    document = json_module.loads(text)
    document["actions"] = [
        {"item": "alignment_needed", "text": "ok", "status": "planned"},
        {"item": "nope", "text": "x", "status": "planned"},
        {"item": "alignment_needed", "text": "x" * 301, "status": "planned"},
        {"item": "alignment_needed", "text": "  ", "status": "planned"},
        {"item": "alignment_needed", "text": "x", "status": "finished"},
        {"item": "alignment_needed", "text": "x", "status": "done", "due": "tomorrow"},
        {"item": ["alignment_needed"], "text": "x", "status": "done"},
        {"item": "alignment_needed", "text": {"a": 1}, "status": "done"},
        "not an action",
    ]
    back = read_organisation_export(json_module.dumps(document).encode(), questionnaire)
    assert back.actions == ((1, ActionDraft("alignment_needed", "ok")),)
    assert back.dropped_actions == 8
    # An export without actions (before they existed) still reads.
    del document["actions"]
    assert read_organisation_export(json_module.dumps(document).encode(), questionnaire).actions == ()


def test_an_organisation_import_names_the_keys_it_ignores(questionnaire):
    """Like the quick check's file: keys the export format does not have are named, not silently ignored."""
    from alignment.core.transfer import read_organisation_export
    from alignment.org.export import EXPORT_FORMAT

    row = {"side": "it", "answers": dict.fromkeys(questionnaire.item_ids, 4), "comment": "x"}
    document = {"format": EXPORT_FORMAT, "round": {"label": "Q1"}, "responses": [row, row], "weights": [1]}
    imported = read_organisation_export(json.dumps(document).encode(), questionnaire)
    assert imported.unknown_keys == ("weights", "responses[].comment")
    document = {
        "format": EXPORT_FORMAT,
        "round": {"label": "Q1"},
        "responses": [{k: v for k, v in row.items() if k != "comment"}],
    }
    assert read_organisation_export(json.dumps(document).encode(), questionnaire).unknown_keys == ()


def test_an_export_names_its_assessment_by_a_digest_and_another_assessment_is_refused(questionnaire):
    """Issue 18: the export carries a tag of its assessment (not its id, not a code); the reader refuses the
    export of another assessment, names it, and reads an older export without a tag as unchecked."""
    from alignment.core.transfer import read_organisation_export
    from alignment.org.export import responses_json
    from alignment.org.rounds import Assessment, Round, RoundCounts, round_results

    assessment = Assessment("5b1c0e4e-0000-4000-8000-000000000001", "Acme *SA*", "en", 1, Profile(), None)
    rnd = Round(1, assessment.id, 1, "2026 Q3", "closed", None)
    rows = [{"side": "it", "answers": {"alignment_needed": 5}}]
    results = round_results(RoundCounts({"it": 1}, {}), 1, questionnaire)
    text = responses_json(assessment, rnd, results, rows, questionnaire.item_ids)
    document = json.loads(text)
    assert document["assessment"] and assessment.id not in text and "5b1c0e4e" not in document["assessment"]
    same = read_organisation_export(text.encode(), questionnaire, assessment.id)
    assert same.assessment_checked and same.unknown_keys == ()  # "assessment" is a key of the format
    with pytest.raises(ImportRefused) as refused:
        read_organisation_export(text.encode(), questionnaire, "5b1c0e4e-0000-4000-8000-000000000002")
    assert refused.value.code == "other_assessment" and refused.value.details == {"org": "Acme *SA*"}
    del document["assessment"]
    older = read_organisation_export(json.dumps(document).encode(), questionnaire, "another")
    assert not older.assessment_checked and older.counts.sides == {"it": 1}
