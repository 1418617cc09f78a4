"""A previous round's export uploaded on the results page (AppTest, SQLite): parsed once per upload, and an
export of another assessment refused with a message that says so (issue 18, item 5)."""

import json

import pytest

import alignment.core.transfer as transfer
from alignment.core.questionnaire import load_questionnaire
from alignment.org.export import responses_json
from alignment.org.rounds import round_results
from tests.apptest_helpers import start
from tests.pages.test_app_organisation import close_round, new_assessment, respond


def export_of(db, assessment) -> bytes:
    """The JSON export of the assessment's current round, as the page's download builds it."""
    q = load_questionnaire()
    rnd = db.current_round(assessment.id)
    results = round_results(db.round_counts(rnd.id), assessment.min_group_size, q)
    rows = db.export_rows(rnd.id, results.visible_sides)
    return responses_json(assessment, rnd, results, rows, q.item_ids).encode()


@pytest.fixture
def parses(monkeypatch):
    """Every call of the real reader, counted (a small hook: the reader itself runs unchanged)."""
    calls = []
    real = transfer.read_organisation_export

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(transfer, "read_organisation_export", counting)
    return calls


def results_page(db, created, assessment):
    respond(created.respondent_code, assessment.id, "it", 4)
    close_round(db, assessment)
    return start(query={"k": created.results_code}, page="pages/organisation.py")


def test_an_uploaded_round_is_parsed_once_per_upload(db, parses):
    created, assessment = new_assessment(db, min_group=1)
    at = results_page(db, created, assessment)
    data = export_of(db, assessment)
    at.file_uploader[0].upload("previous.json", data, "application/json").run()
    assert any("Loaded for comparison" in s.value for s in at.success)
    assert len(parses) == 1 and f"organisation:parsed:{assessment.id}" in at.session_state
    for _ in range(3):  # reruns with the same file: no new parse, the comparison still shown
        at.run()
        assert any("Loaded for comparison" in s.value for s in at.success)
    assert len(parses) == 1
    at.file_uploader[0].clear().run()  # cleared: the parsed file is dropped with it
    assert not at.success
    assert f"organisation:parsed:{assessment.id}" not in at.session_state
    at.file_uploader[0].upload("again.json", data, "application/json").run()  # a new upload: parsed again
    assert len(parses) == 2


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "export of another assessment"), ("fr", "export d’une autre évaluation")]
)
def test_an_export_of_another_assessment_is_refused_as_previous_round(db, lang, words):
    created, assessment = new_assessment(db, min_group=1)
    other_created, other = new_assessment(db, min_group=1, name="Other Ltd")
    respond(other_created.respondent_code, other.id, "marketing", 2)
    close_round(db, other)
    at = results_page(db, created, assessment)
    if lang != "en":
        at.session_state["lang"] = lang
        at.run()
    at.file_uploader[0].upload("other.json", export_of(db, other), "application/json").run()
    errors = [e.value for e in at.error]
    assert any(words in e and "Other Ltd" in e for e in errors), errors
    assert not at.success  # not loaded
    names = [trace["name"] for trace in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]]
    assert not [n for n in names if "Other" in n or "file" in n or "fichier" in n]  # nothing compared
    assert at.metric[0].value == "1"  # the page is all there
    assert not db.actions(assessment.id)


def test_an_older_export_without_the_assessment_is_loaded_with_a_caption(db):
    created, assessment = new_assessment(db, min_group=1)
    at = results_page(db, created, assessment)
    document = json.loads(export_of(db, assessment))
    document.pop("assessment", None)
    at.file_uploader[0].upload("old.json", json.dumps(document).encode(), "application/json").run()
    assert any("Loaded for comparison" in s.value for s in at.success)
    assert any("could not be checked" in c.value for c in at.caption)
