"""The follow-up on the results page and the plan (AppTest, SQLite): an action recorded, edited, deleted;
checked in the next round from its stepped counts; refused text kept in its box; hostile text as text."""

import uuid

import pytest

from alignment.core.questionnaire import load_questionnaire
from alignment.org.followup import MAX_ACTION_TEXT, ActionDraft
from alignment.org.rounds import NewAssessment
from tests.apptest_helpers import assert_no_error, start
from tests.hostile import HOSTILE
from tests.pages.test_app_plan import plain, texts

ITEM = "alignment_needed"


def submit(db, rnd, side, agree, n):
    items = load_questionnaire().item_ids
    for k in range(n):
        values = dict.fromkeys(items, 3)
        values[ITEM] = 5 if k < agree else 1
        db.submit(rnd.id, str(uuid.uuid4()), uuid.uuid4().hex + "k" * 8, side, values)


def two_rounds(db, lang="en"):
    created = db.create_assessment(NewAssessment("Acme", "R1", lang, 2))
    assessment = db.find_by_results_code(created.results_code)
    first = db.current_round(assessment.id)
    submit(db, first, "it", 4, 4)
    submit(db, first, "marketing", 0, 4)
    return created.results_code, assessment, first


def _all(at) -> str:
    return (
        texts(at)
        + " "
        + plain(" ".join(e.value for e in at.subheader))
        + plain(" ".join(str(t.value) for t in at.table))
    )


def test_record_edit_and_check_in_the_next_round(db):
    code, assessment, _ = two_rounds(db)
    at = assert_no_error(start(query={"k": code}, page="pages/organisation.py"))
    assert "No action recorded yet" in texts(at)
    prefix = "followup:new:any:0"
    at.selectbox(key=f"{prefix}:item").set_value(ITEM)
    at.text_area(key=f"{prefix}:text").input("One shared roadmap")
    at.text_input(key=f"{prefix}:owner").input("Head of CRM")
    at = assert_no_error(at.button(key=f"FormSubmitter:{prefix}-Save the action").click().run())
    assert at.success[0].value == "Action saved."
    [action] = db.actions(assessment.id)
    assert (action.item, action.text, action.owner, action.round_number) == (
        ITEM,
        "One shared roadmap",
        "Head of CRM",
        1,
    )
    assert "Agreed in this round: checked once a later round has results." in texts(at)
    # Edit: status under way.
    at.selectbox(key=f"followup:{action.id}:status").set_value("under_way")
    at = assert_no_error(at.button(key=f"FormSubmitter:followup:{action.id}-Save the action").click().run())
    assert db.actions(assessment.id)[0].status == "under_way"
    # The next round: IT 3 of 5, marketing 2 of 4, closed: an open link's round is shown whole once closed
    # (issue 16), so the fifth IT answer, which steps of 2 would hold back while open, counts.
    second = db.start_new_round(assessment.id, "R2", after=1)
    submit(db, second, "it", 2, 4)
    submit(db, second, "marketing", 2, 4)
    submit(db, second, "it", 1, 1)
    db.set_round_open(second.id, False)  # an open link's figures are drawn once its round is closed (issue 16)
    at = assert_no_error(start(query={"k": code}, page="pages/organisation.py"))
    page = _all(at)
    assert "Your IT: 100% → 60%" in page and "Your marketing: 0% → 50%" in page
    assert "Narrowed from 100 points to 10 points; too few answers to tell." in page
    assert "What this cannot prove" in page
    assert "under way · agreed in round 1" in page
    # The trend: both rounds of the chosen statement.
    assert "1 · R1" in page and "2 · R2" in page
    # Delete.
    at = assert_no_error(at.button(key=f"followup:{action.id}:delete").click().run())
    assert db.actions(assessment.id) == []
    assert at.success[0].value == "Action deleted."


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_too_long_is_refused_in_the_language_and_kept(db, lang):
    code, assessment, _ = two_rounds(db, lang)
    at = start(lang, query={"k": code}, page="pages/organisation.py")
    prefix = "followup:new:any:0"
    long = "word " * 70  # 349 characters once cleaned
    at.text_area(key=f"{prefix}:text").input(long)
    label = {"en": "Save the action", "fr": "Enregistrer l’action"}[lang]
    at = assert_no_error(at.button(key=f"FormSubmitter:{prefix}-{label}").click().run())
    assert "349" in at.error[0].value and str(MAX_ACTION_TEXT) in at.error[0].value
    assert at.error[0].value.startswith({"en": "Action: 349", "fr": "Action\u00a0: 349"}[lang])
    assert at.text_area(key=f"{prefix}:text").value == long
    assert db.actions(assessment.id) == []


def test_hostile_actions_are_shown_as_text(db):
    code, assessment, _ = two_rounds(db)
    for text in HOSTILE:
        db.add_action(assessment.id, 1, ActionDraft(ITEM, text, text[:80], None, "planned", text))
    at = assert_no_error(start(query={"k": code}, page="pages/organisation.py"))
    shown = texts(at)
    for text in HOSTILE:
        assert text in shown
    raw = " ".join(e.value for e in at.markdown)
    assert "](" not in raw.replace("\\](", "").replace("]\\(", "")  # no live link syntax


def test_the_plan_records_an_action_on_its_topic(db):
    code, assessment, _ = two_rounds(db)
    at = assert_no_error(start(query={"k": code, "r": "1"}, page="pages/plan.py"))
    prefix = f"followup:new:{ITEM}:0"
    at.text_area(key=f"{prefix}:text").input("Joint backlog")
    at = assert_no_error(at.button(key=f"FormSubmitter:{prefix}-Save the action").click().run())
    [action] = db.actions(assessment.id)
    assert (action.item, action.text, action.round_number) == (ITEM, "Joint backlog", 1)


def test_a_hidden_side_shows_no_percentage_on_the_page(db):
    created = db.create_assessment(NewAssessment("Acme", "R1", "en", 3))
    assessment = db.find_by_results_code(created.results_code)
    first = db.current_round(assessment.id)
    submit(db, first, "it", 3, 3)
    submit(db, first, "marketing", 1, 2)  # 2 of a minimum of 3: hidden in round 1
    db.add_action(assessment.id, 1, ActionDraft(ITEM, "Talk"))
    second = db.start_new_round(assessment.id, "R2", after=1)
    submit(db, second, "it", 3, 3)
    submit(db, second, "marketing", 0, 3)
    db.set_round_open(second.id, False)  # an open link's figures are drawn once its round is closed (issue 16)
    at = assert_no_error(start(query={"k": created.results_code}, page="pages/organisation.py"))
    page = _all(at)
    assert "Your marketing: hidden → 0%" in page
    assert "50%" not in page  # 1 of 2 in round 1: never shown
    assert "A side is below the minimum group size in “R1” or “R2”: no gap to compare." in page
    trend = plain(" ".join(str(t.value) for t in at.table))
    assert "hidden" in trend
