"""The conversation plan page (AppTest, SQLite): reached from the results, ticks and notes kept per round,
over-long notes refused without losing them, hostile notes shown as text, a plan when sides are hidden."""

import re
import uuid

import pytest

from alignment.core.text import escape_markdown, without_joiners
from alignment.org.plan import MAX_PLAN_NOTE, PlanNote
from alignment.org.rounds import NewAssessment
from tests.apptest_helpers import assert_no_error, start
from tests.hostile import HOSTILE, HOSTILE_LABEL, HOSTILE_NAME


def assessment_with_gap(db, lang="en"):
    """Two IT answers agreeing with everything, two marketing answers disagreeing: a minimum of 2."""
    created = db.create_assessment(NewAssessment("Acme", "2026 Q4", lang, 2))
    assessment = db.find_by_results_code(created.results_code)
    rnd = db.current_round(assessment.id)
    items = db_items()
    for side, value in (("it", 5), ("it", 5), ("marketing", 1), ("marketing", 1)):
        key = uuid.uuid4().hex + "k" * 8
        db.submit(rnd.id, str(uuid.uuid4()), key, side, dict.fromkeys(items, value))
    db.set_round_open(rnd.id, False)  # an open link's round shows its results once closed (issue 16)
    return created.results_code, assessment, db.rounds(assessment.id)[0]


def db_items():
    from alignment.core.questionnaire import load_questionnaire

    return load_questionnaire().item_ids


def plain(markdown: str) -> str:
    """Escaped Markdown as it reads on screen."""
    return re.sub(r"\\(.)", r"\1", without_joiners(markdown))


def texts(at):
    return plain(" ".join(e.value for kind in (at.markdown, at.caption, at.header, at.info) for e in kind))


def test_the_results_page_links_to_the_plan_of_its_round(db):
    code, _, rnd = assessment_with_gap(db)
    at = start(query={"k": code}, page="pages/organisation.py")
    assert_no_error(at)
    links = [e for e in at.get("page_link") if "plan" in e.proto.page]
    assert links and links[0].proto.label == "Conversation plan for this round (60 minutes)"
    assert f"k={code}" in links[0].proto.query_string and f"r={rnd.number}" in links[0].proto.query_string


def test_the_plan_shows_timed_topics_and_keeps_ticks_and_notes_per_round(db):
    code, assessment, first = assessment_with_gap(db)
    at = start(query={"k": code, "r": "1"}, page="pages/plan.py")
    assert_no_error(at)
    titles = [plain(s.value) for s in at.header]
    assert titles[0] == "Opening" and titles[-1] == "Closing: actions" and len(titles) == 5
    assert "0:05–0:20 · 15 min" in texts(at)
    at.checkbox(key=f"plan:{first.id}:opening:done").check()
    at.text_area(key=f"plan:{first.id}:opening:note").input("Twelve in the room")
    at = at.button(key=f"FormSubmitter:plan:{first.id}:opening-Save").click().run()
    assert_no_error(at)
    assert at.success[0].value == "Saved."
    assert db.plan_notes(first.id) == {"opening": PlanNote(True, "Twelve in the room")}
    # A new round has its own plan: nothing carried over.
    second = db.start_new_round(assessment.id, "2027 Q1", after=1)
    at = start(query={"k": code, "r": "2"}, page="pages/plan.py")
    assert at.checkbox(key=f"plan:{second.id}:opening:done").value is False
    assert at.text_area(key=f"plan:{second.id}:opening:note").value == ""
    at = start(query={"k": code, "r": "1"}, page="pages/plan.py")
    assert at.checkbox(key=f"plan:{first.id}:opening:done").value is True
    assert at.text_area(key=f"plan:{first.id}:opening:note").value == "Twelve in the room"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_note_too_long_is_refused_in_the_language_and_kept(db, lang):
    code, _, rnd = assessment_with_gap(db)
    at = start(lang, query={"k": code}, page="pages/plan.py")
    long = "word " * 150  # 749 characters once cleaned
    at.text_area(key=f"plan:{rnd.id}:closing:note").input(long)
    at = at.button(key=f"FormSubmitter:plan:{rnd.id}:closing-{'Save' if lang == 'en' else 'Enregistrer'}").click().run()
    assert_no_error(at)
    expected = {"en": "This note is 749 characters long; 500 at most.", "fr": "Cette note fait 749\u00a0caractères"}
    assert expected[lang] in at.error[0].value and str(MAX_PLAN_NOTE) in at.error[0].value
    assert at.text_area(key=f"plan:{rnd.id}:closing:note").value == long  # nothing lost
    assert db.plan_notes(rnd.id) == {}


def test_hostile_notes_come_back_as_text(db):
    created = db.create_assessment(NewAssessment(HOSTILE_NAME, HOSTILE_LABEL, "en", 2))
    rnd = db.current_round(db.find_by_results_code(created.results_code).id)
    note = " ".join(HOSTILE)[:MAX_PLAN_NOTE]
    db.save_plan_note(rnd.id, "closing", True, note)
    at = start(query={"k": created.results_code}, page="pages/plan.py")
    assert_no_error(at)
    assert at.text_area(key=f"plan:{rnd.id}:closing:note").value == db.plan_notes(rnd.id)["closing"].note
    assert "track.png" not in texts(at)  # a note is never drawn as Markdown
    assert at.title[0].value == f"Conversation plan: {escape_markdown(HOSTILE_NAME)}"  # read as text
    assert at.caption[0].value.startswith(escape_markdown(HOSTILE_LABEL))
    assert plain(at.title[0].value) == f"Conversation plan: {HOSTILE_NAME}"


def test_hidden_sides_are_said_and_the_plan_still_runs(db):
    created = db.create_assessment(NewAssessment("Acme", "R1", "en", 5))
    at = start(query={"k": created.results_code}, page="pages/plan.py")
    assert_no_error(at)
    assert "gaps cannot be shown. Your IT has 0 answers, below the minimum of 5. Your marketing" in plain(
        at.info[0].value
    )
    assert len(at.header) == 5  # opening, three of the survey's gaps, closing


def test_a_bad_code_gets_the_usual_message(db):
    at = start(query={"k": "nonsense"}, page="pages/plan.py")
    assert_no_error(at)
    assert at.error[0].value == start(query={"k": "nonsense"}, page="pages/organisation.py").error[0].value
