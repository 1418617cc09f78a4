"""Organisation assessments through the pages (AppTest, SQLite): create, respond, resume, results, privacy."""

import json

import pytest

from alignment.org.rounds import NewAssessment
from storage import Database
from tests.apptest_helpers import assert_no_error, start


def new_assessment(db, min_group=2, name="Acme <b>SA</b> =1+1"):
    created = db.create_assessment(NewAssessment(name, "2026 Q4", "en", min_group))
    return created, db.find_by_results_code(created.results_code)


def close_round(db, assessment) -> None:
    """Close the current round: with an open link, its results show only then (issue 16)."""
    assert db.set_round_open(db.current_round(assessment.id).id, False)


def answer(at, assessment_id, side, value):
    prefix = f"w:org:{assessment_id}:en:"
    at.radio(key=f"{prefix}side").set_value(side).run()
    for radio in [
        r
        for r in at.radio
        if r.key and r.key.startswith(prefix) and not r.key.endswith(":side") and ":ctx_" not in r.key
    ]:
        radio.set_value(value)
    return at.run()


def respond(code, assessment_id, side, value, **query):
    at = start(query={"a": code, **query}, page="pages/respond.py")
    at = answer(at, assessment_id, side, value)
    return at.button(key=f"org:{assessment_id}:submit").click().run()


def test_create_validates_then_shows_both_links_once(sqlite_url):
    at = start(page="pages/new_assessment.py")
    at.button[0].click().run()
    assert "Give the organisation's name." in at.error[0].value
    at.text_input[0].input("Acme")
    at.text_input[1].input("2026 Q4")
    at.number_input[0].set_value(3)
    at = at.button[0].click().run()
    assert_no_error(at)
    assert "shown only once" in at.success[0].value
    links = [c.value for c in at.code]
    assert "/respond?a=" in links[0] and "/organisation?k=" in links[1]
    assert at.get("download_button")[0].proto.label == "Download the two links (text card)"
    db = Database(sqlite_url)
    assessment = db.find_by_results_code(links[1].split("k=")[1])
    assert assessment.org_name == "Acme" and assessment.min_group_size == 3
    assert db.find_by_respondent_code(links[0].split("a=")[1]).id == assessment.id


def test_small_minimum_group_is_warned(sqlite_url):
    at = start(page="pages/new_assessment.py")
    at.number_input[0].set_value(2).run()
    assert any("can be identified" in w.value for w in at.warning)


def test_bad_codes_get_one_clear_message(db):
    created, _ = new_assessment(db)
    messages = set()
    for page, key, code in [
        ("pages/respond.py", "a", "nonsense"),
        ("pages/respond.py", "a", created.results_code),  # a results code on the respondent page
        ("pages/organisation.py", "k", created.respondent_code),  # a respondent code on the results page
        ("pages/organisation.py", "k", created.results_code[:-3]),  # truncated
        ("pages/organisation.py", "k", "<script>alert(1)</script>"),
    ]:
        at = start(query={key: code}, page=page)
        assert_no_error(at)
        messages.add(at.error[0].value)
    assert messages == {
        "This link or code is not valid. Check that it was copied whole, or ask the person who sent it for a new one."
    }


def test_respond_submit_once(db):
    """A second click on submit (here from a second tab on the same resume link) never counts twice."""
    created, assessment = new_assessment(db)
    first = start(query={"a": created.respondent_code}, page="pages/respond.py")
    first = answer(first, assessment.id, "it", 4)
    resume = first.query_params["r"]
    resume = resume[0] if isinstance(resume, list) else resume
    second = start(query={"a": created.respondent_code, "r": resume}, page="pages/respond.py")
    assert second.radio(key=f"w:org:{assessment.id}:en:side").value == "it"

    first = first.button(key=f"org:{assessment.id}:submit").click().run()
    assert [s.value for s in first.success] == ["Thank you: your answers are counted."]
    second = second.button(key=f"org:{assessment.id}:submit").click().run()
    assert_no_error(second)
    assert [s.value for s in second.success] == ["These answers were already submitted and are counted once."]
    rnd = db.current_round(assessment.id)
    assert db.round_counts(rnd.id).sides == {"it": 1}
    first.run()  # a rerun does not count again either
    assert db.round_counts(rnd.id).sides == {"it": 1}


def test_gaps_are_named_and_answers_kept(db):
    created, assessment = new_assessment(db)
    at = start(query={"a": created.respondent_code}, page="pages/respond.py")
    at.radio(key=f"w:org:{assessment.id}:en:side").set_value("marketing").run()
    at = at.button(key=f"org:{assessment.id}:submit").click().run()
    assert "Statement 1:" in at.error[0].value
    assert at.radio(key=f"w:org:{assessment.id}:en:side").value == "marketing"


def test_draft_saved_as_you_go_and_resumed_elsewhere(db):
    created, assessment = new_assessment(db)
    at = start(query={"a": created.respondent_code}, page="pages/respond.py")
    at.radio(key=f"w:org:{assessment.id}:en:side").set_value("marketing").run()
    at.radio(key=f"w:org:{assessment.id}:en:alignment_needed").set_value(5).run()
    resume = at.query_params["r"]
    resume = resume[0] if isinstance(resume, list) else resume
    assert any(f"r={resume}`" in c.value for c in at.caption)
    # another browser, with the resume link
    other = start(query={"a": created.respondent_code, "r": resume}, page="pages/respond.py")
    assert any("Welcome back" in i.value for i in other.info)
    assert other.radio(key=f"w:org:{assessment.id}:en:side").value == "marketing"
    assert other.radio(key=f"w:org:{assessment.id}:en:alignment_needed").value == 5
    other = answer(other, assessment.id, "marketing", 2)
    other.button(key=f"org:{assessment.id}:submit").click().run()
    assert db.round_counts(db.current_round(assessment.id).id).sides == {"marketing": 1}
    again = start(query={"a": created.respondent_code, "r": resume}, page="pages/respond.py")
    assert "already submitted" in again.success[0].value


def test_closed_round_takes_no_answers(db):
    created, assessment = new_assessment(db)
    db.set_round_open(db.current_round(assessment.id).id, False)
    at = start(query={"a": created.respondent_code}, page="pages/respond.py")
    assert "This round is closed" in at.warning[0].value
    assert not [r for r in at.radio if r.key and r.key.startswith("w:org:")]


def test_results_hide_sides_below_the_minimum_everywhere(db):
    created, assessment = new_assessment(db, min_group=3)
    for side, n in (("it", 3), ("marketing", 2)):
        for _ in range(n):
            respond(created.respondent_code, assessment.id, side, 4)
    close_round(db, assessment)
    at = start(query={"k": created.results_code}, page="pages/organisation.py")
    assert_no_error(at)
    assert [m.value for m in at.metric] == ["3", "2", "0", "0"]
    assert any("below the minimum of 3: hidden" in c.value for c in at.caption)
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [trace["name"] for trace in chart["data"]]
    assert "Your IT (n = 3)" in names and not any(n.startswith("Your marketing") for n in names)
    assert not at.table  # no marketing share, so no gap table, and a word on why
    assert any("needs both your IT and your marketing" in i.value for i in at.info)
    assert at.title[0].value.replace("\\", "") == "Results: Acme <b>SA</b> =1+1"


@pytest.mark.slow  # many respondents through AppTest
def test_hidden_side_is_absent_from_exports_and_pdf(db):
    from datetime import date

    from alignment.core.i18n import translator
    from alignment.core.questionnaire import load_questionnaire
    from alignment.org.export import responses_csv, responses_json
    from alignment.org.result import org_result
    from alignment.org.rounds import round_results
    from alignment.render.org_pdf import build_org_pdf
    from benchmark import figures_by_item

    created, assessment = new_assessment(db, min_group=3)
    for side, n in (("it", 3), ("marketing", 1)):
        for _ in range(n):
            respond(created.respondent_code, assessment.id, side, 5 if side == "marketing" else 2)
    close_round(db, assessment)
    q, rnd = load_questionnaire(), db.current_round(assessment.id)
    results = round_results(db.round_counts(rnd.id), 3, q)
    rows = db.export_rows(rnd.id, results.visible_sides)
    assert {r["side"] for r in rows} == {"it"} and len(rows) == 3
    document = json.loads(responses_json(assessment, rnd, results, rows, q.item_ids))
    assert document["counts_by_side"] == {"it": 3, "marketing": 1} and document["hidden_sides"] == ["marketing"]
    lines = responses_csv(rows, q.item_ids).splitlines()
    assert len(lines) == 4 and all(line.startswith("IT (CIO and IT leadership),") for line in lines[1:])
    import io

    from pypdf import PdfReader

    result = org_result(assessment, rnd, db.round_counts(rnd.id), q, figures_by_item())
    pdf = build_org_pdf(result, figures_by_item(), q, translator("en"), date(2026, 11, 23))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Your IT: 0% agreed (0 of 3" in text
    assert "Your marketing:" not in text
    assert "results hidden" in text


def test_rounds_close_reopen_new_and_compare(db):
    created, assessment = new_assessment(db, min_group=1)
    respond(created.respondent_code, assessment.id, "it", 4)
    at = start(query={"k": created.results_code}, page="pages/organisation.py")
    assert any("appear when you close it" in i.value for i in at.info)  # an open link: nothing shown yet
    at.button(key="organisation:close").click().run()
    assert not db.current_round(assessment.id).is_open
    assert at.get("plotly_chart")  # closed: shown whole
    assert not [b for b in at.button if b.key == "organisation:reopen"]  # and never reopened (a second view)
    db.start_new_round(assessment.id, "2027 Q1")
    respond(created.respondent_code, assessment.id, "it", 2)
    close_round(db, assessment)
    at = start(query={"k": created.results_code}, page="pages/organisation.py")
    names = [trace["name"] for trace in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]]
    assert "Your IT · 2026 Q4" in names and "Your IT (n = 1)" in names


def test_delete_needs_the_name(db):
    created, _ = new_assessment(db, name="Acme")
    at = start(query={"k": created.results_code}, page="pages/organisation.py")
    at.text_input(key="organisation:delete_name").input("Acm")
    at.button(key="FormSubmitter:organisation:delete-Delete for good").click().run()
    assert "nothing was deleted" in at.error[0].value
    assert db.find_by_results_code(created.results_code) is not None
    at.text_input(key="organisation:delete_name").input("Acme")
    at.button(key="FormSubmitter:organisation:delete-Delete for good").click().run()
    assert db.find_by_results_code(created.results_code) is None
    assert any("are deleted" in s.value for s in at.success)


@pytest.mark.slow  # many respondents through AppTest
def test_plain_words_on_which_differences_are_real(db):
    created, assessment = new_assessment(db, min_group=5)
    for side, value, n in (("it", 5, 6), ("marketing", 1, 6)):
        for _ in range(n):
            respond(created.respondent_code, assessment.id, side, value)
    close_round(db, assessment)
    at = start(query={"k": created.results_code}, page="pages/organisation.py")
    captions = " ".join(c.value for c in at.caption)
    # collaboration_satisfactory: marketing 0 % of 6 against CMOs' 23 %: 6 answers are not enough to be clear
    assert "Your marketing agrees about as often as CMOs did in 2014: no clear difference (0% against 23%)." in captions
    # alignment_needed: IT 100 % of 6 against marketing 0 % of 6
    assert "Your IT agrees clearly more often than your marketing (100% against 0%)" in captions
    assert "assume 550 respondents per population" in captions


def test_organisation_pdf_opens_with_the_executive_summary_and_has_the_workshop(db):
    import io
    import secrets
    import uuid
    from datetime import date

    from pypdf import PdfReader

    from alignment.core.i18n import translator
    from alignment.core.questionnaire import load_questionnaire
    from alignment.org.result import org_result
    from alignment.render.org_pdf import build_org_pdf
    from benchmark import figures_by_item

    _, assessment = new_assessment(db, min_group=2)
    q, rnd = load_questionnaire(), db.current_round(assessment.id)
    # Six a side (shown in steps of two): enough for a clear IT-marketing difference, so the workshop has questions.
    for side, value in [("it", 5)] * 6 + [("marketing", 1)] * 6:
        answers = dict.fromkeys(q.item_ids, value)
        db.submit(rnd.id, str(uuid.uuid4()), secrets.token_urlsafe(24), side, answers)
    close_round(db, assessment)
    for lang, summary, workshop in (
        ("en", "Executive summary", "Questions for a joint IT–marketing workshop"),
        ("fr", "Synthèse pour la direction", "Questions pour un atelier commun"),
    ):
        result = org_result(assessment, rnd, db.round_counts(rnd.id), q, figures_by_item())
        pdf = build_org_pdf(result, figures_by_item(), q, translator(lang), date(2026, 11, 23))
        pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages]
        assert summary in pages[0]
        whole = " ".join(pages)
        assert workshop in whole
        assert ("Take the last marketing request" in whole) == (lang == "en")


def test_a_page_opened_before_a_new_round_submits_into_it(db):
    created, assessment = new_assessment(db, min_group=1)
    at = start(query={"a": created.respondent_code}, page="pages/respond.py")
    at = answer(at, assessment.id, "marketing", 4)  # the draft is saved in round 1
    first = db.current_round(assessment.id)
    second = db.start_new_round(assessment.id, "2027 Q1")
    at.button(key=f"org:{assessment.id}:submit").click().run()
    assert [s.value for s in at.success] == ["Thank you: your answers are counted."]
    assert db.round_counts(second.id).sides == {"marketing": 1}
    assert db.round_counts(first.id).sides == {}


def test_respondent_told_when_the_assessment_is_deleted_meanwhile(db):
    created, assessment = new_assessment(db)
    at = start(query={"a": created.respondent_code}, page="pages/respond.py")
    at.radio(key=f"w:org:{assessment.id}:en:side").set_value("it").run()
    db.delete_assessment(assessment.id)
    at.radio(key=f"w:org:{assessment.id}:en:alignment_needed").set_value(4).run()
    assert_no_error(at)
    assert "not valid" in at.error[0].value


def test_create_form_keeps_choices_through_a_language_switch(sqlite_url):
    at = start(page="pages/new_assessment.py")
    at.selectbox(key="w:new_assessment:en:industry").set_value("retail").run()
    at.sidebar.radio[0].set_value("fr").run()
    assert at.selectbox(key="w:new_assessment:fr:industry").value == "retail"


def test_an_over_long_name_is_refused_and_kept(sqlite_url):
    at = start(page="pages/new_assessment.py")
    long_name = "N" * 250
    at.text_input(key="new_assessment:name").input(long_name)
    at.text_input(key="new_assessment:round").input("R" * 81)
    at.button(key="new_assessment:submit").click().run()
    errors = at.error[0].value
    assert "Organisation name: 250 characters, at most 200" in errors
    assert "Round label: 81 characters, at most 80" in errors
    assert at.text_input(key="new_assessment:name").value == long_name  # kept, to be shortened
    assert "new_assessment:created" not in at.session_state


def test_delete_accepts_the_name_exactly_as_typed_at_creation(db):
    typed = "Acme  Café\u0301 👩🏽\u200d💻  Team"  # double spaces, a decomposed accent, a joined emoji
    at = start(page="pages/new_assessment.py")
    at.text_input(key="new_assessment:name").input(typed)
    at.text_input(key="new_assessment:round").input("Q1")
    at.button(key="new_assessment:submit").click().run()
    created = at.session_state["new_assessment:created"]
    assessment = db.find_by_results_code(created.results_code)
    assert "👩🏽\u200d💻" in assessment.org_name  # the joiner is kept: one emoji, not three
    at = start(query={"k": created.results_code}, page="pages/organisation.py")
    at.text_input(key="organisation:delete_name").input(typed)
    at.button(key="FormSubmitter:organisation:delete-Delete for good").click().run()
    assert not at.error
    assert db.find_by_results_code(created.results_code) is None


def test_a_new_round_label_too_long_is_refused_and_kept(db):
    created, assessment = new_assessment(db, min_group=1)
    at = start(query={"k": created.results_code}, page="pages/organisation.py")
    submit_key = "FormSubmitter:organisation:new_round-Start the new round (closes the current one)"
    at.text_input(key="organisation:new_round_label:0").input("L" * 90)
    at.button(key=submit_key).click().run()
    assert "Label of the new round: 90 characters, at most 80" in at.error[0].value
    assert at.text_input(key="organisation:new_round_label:0").value == "L" * 90
    assert len(db.rounds(assessment.id)) == 1
    at.text_input(key="organisation:new_round_label:0").input("2027 Q1")
    at.button(key=submit_key).click().run()
    assert [r.label for r in db.rounds(assessment.id)] == ["2026 Q4", "2027 Q1"]
    assert at.text_input(key="organisation:new_round_label:1").value == ""


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "The newest round is already called “2027 Q1”: no round was started."),
        ("fr", "La dernière vague s’appelle déjà «\u202f2027 Q1\u202f»\u00a0: aucune vague n’a été lancée."),
    ],
)
def test_two_clicks_make_one_round(db, lang, message):
    """The label cleared after success; the same label clicked again (a double click, or a field a browser
    kept filled) is refused with a message, and the round just made stays the current one."""
    created = db.create_assessment(NewAssessment("Acme", "2026 Q4", lang, 1))
    assessment = db.find_by_results_code(created.results_code)
    at = start(lang, query={"k": created.results_code}, page="pages/organisation.py")
    submit = next(b for b in at.button if b.key and b.key.startswith("FormSubmitter:organisation:new_round-"))
    at.text_input(key="organisation:new_round_label:0").input("2027 Q1")
    submit.click().run()
    assert at.text_input(key="organisation:new_round_label:1").value == ""
    at.text_input(key="organisation:new_round_label:1").input(" 2027  q1 ")
    next(b for b in at.button if b.key == submit.key).click().run()
    assert [r.label for r in db.rounds(assessment.id)] == ["2026 Q4", "2027 Q1"]
    assert [e.value for e in at.error] == [message + message_tail(lang)]
    assert db.current_round(assessment.id).label == "2027 Q1"


def message_tail(lang):
    return {
        "en": " Give the new round a label of its own.",
        "fr": " Donnez à la nouvelle vague un nom qui lui soit propre.",
    }[lang]


def test_an_open_results_page_shows_a_new_submission_on_its_next_rerun(db):
    """The page's cached result is keyed by the round's counts per side: a submission moves the key."""
    created, assessment = new_assessment(db, min_group=1)
    respond(created.respondent_code, assessment.id, "it", 4)
    at = start(query={"k": created.results_code}, page="pages/organisation.py")
    assert [m.value for m in at.metric] == ["1", "0", "0", "0"]
    assert at.run().metric[0].value == "1"  # a rerun with nothing new: the same result
    respond(created.respondent_code, assessment.id, "marketing", 2)
    at.run()
    assert [m.value for m in at.metric] == ["1", "1", "0", "0"]
    assert not at.get("plotly_chart")  # an open link's round: counts only until it is closed (issue 16)
    close_round(db, assessment)
    at.run()
    names = [trace["name"] for trace in json.loads(at.get("plotly_chart")[0].proto.spec)["data"]]
    assert "Your marketing (n = 1)" in names


def test_a_rerun_of_the_results_page_reads_the_database_once(db):
    """Issue 21: a rerun of the organisation page (no click that writes) takes one pooled connection: the
    assessment, its rounds and counts, the live room keys and the actions in one read; the round's counts
    and its follow-up's counts only when its kept counts moved. (Before: four checkouts a rerun.)"""
    from sqlalchemy import event

    from ui.db import database

    created, assessment = new_assessment(db, min_group=1)
    respond(created.respondent_code, assessment.id, "it", 4)
    respond(created.respondent_code, assessment.id, "marketing", 2)
    close_round(db, assessment)
    at = start(query={"k": created.results_code}, page="pages/organisation.py")
    assert at.get("plotly_chart") and "Results: Acme" in at.title[0].value
    engine = database().engine  # the app's own engine (ui/db.py)
    checkouts = []
    event.listen(engine, "checkout", lambda *_: checkouts.append(1))
    at.run()
    assert at.get("plotly_chart") and "Results: Acme" in at.title[0].value
    assert len(checkouts) == 1


def test_the_form_parts_keep_their_ids_from_one_whole_run_to_the_next(db, monkeypatch):
    """A fragment's id is its place on the page. The first run of a respondent's page draws elements the next
    runs do not (the cookie's script, "welcome back"); the save of the first click asks for a whole run. Had
    those elements moved the form up, the parts' ids would change with that run, and a click sent meanwhile
    with the old id would be dropped or skipped by Streamlit: shown as given, never saved (review of d64bf95,
    reproduced in Chromium with a slow whole run)."""
    import streamlit.runtime.fragment as fragment

    ids: list[tuple[str, str]] = []
    made = fragment._make_fragment_identity

    def spy(func, **kwargs):
        identity = made(func, **kwargs)
        ids.append((func.__name__, identity.fragment_id))
        return identity

    monkeypatch.setattr(fragment, "_make_fragment_identity", spy)
    created, assessment = new_assessment(db)
    first = start(query={"a": created.respondent_code}, page="pages/respond.py")
    first.radio(key=f"w:org:{assessment.id}:en:side").set_value("marketing").run()
    resume = first.query_params["r"]
    resume = resume[0] if isinstance(resume, list) else resume
    for query in ({"a": created.respondent_code}, {"a": created.respondent_code, "r": resume}):
        ids.clear()
        at = start(query=query, page="pages/respond.py")  # the cookie's script; with "r", "welcome back" too
        drawn_first = [i for i in ids if i[0] in ("statements", "context")]
        ids.clear()
        at.run()
        assert [i for i in ids if i[0] in ("statements", "context")] == drawn_first
        assert len(drawn_first) == 2
