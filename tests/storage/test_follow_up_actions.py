"""Follow-up actions on SQLite and PostgreSQL: created, edited, carried to the next round, checked, deleted
with their assessment; hostile text kept as typed; what is refused is named and not stored."""

from datetime import date

import pytest
from sqlalchemy import func, select

from alignment.core.questionnaire import load_questionnaire
from alignment.org.followup import MAX_ACTION_TEXT, MAX_ACTIONS, ActionDraft, Certainty, Change, follow_up
from alignment.org.rounds import NewAssessment
from benchmark import figures_by_item
from storage import InvalidData
from storage.schema import follow_up_actions
from tests.hostile import HOSTILE

ITEM, OTHER = "alignment_needed", "collaboration_satisfactory"


def create(db, min_group=2):
    created = db.create_assessment(NewAssessment("Acme", "R1", "en", min_group))
    assessment = db.find_by_results_code(created.results_code)
    return assessment, db.current_round(assessment.id)


def answer(db, rnd, side, n, agree, item=ITEM, start=0):
    """n responses of a side, `agree` of them agreeing (5) with `item`, the others disagreeing (1)."""
    import uuid

    q = load_questionnaire()
    for k in range(n):
        values = dict.fromkeys(q.item_ids, 3)
        values[item] = 5 if k < agree else 1
        assert db.submit(rnd.id, str(uuid.uuid4()), f"{side}{start + k:020d}key0000000", side, values)


def test_actions_are_created_edited_carried_over_and_deleted(database):
    assessment, _ = create(database)
    assert database.actions(assessment.id) == []
    a = database.add_action(
        assessment.id, 1, ActionDraft(ITEM, "One roadmap", "Head of CRM", date(2027, 3, 31), "planned", "")
    )
    b = database.add_action(assessment.id, 1, ActionDraft(OTHER, "Monthly review", status="under_way"))
    assert [x.id for x in database.actions(assessment.id)] == [a.id, b.id]
    assert database.actions(assessment.id)[0] == a
    assert a.due == date(2027, 3, 31) and a.round_number == 1
    # Carried to the next round: the actions belong to the assessment, their "before" stays round 1.
    second = database.start_new_round(assessment.id, "R2", after=1)
    assert second.number == 2
    assert [x.round_number for x in database.actions(assessment.id)] == [1, 1]
    edited = database.update_action(
        assessment.id, a.id, ActionDraft(ITEM, "One roadmap, shared", "CIO", None, "done", "  signed \n off ")
    )
    assert edited is not None
    assert (edited.text, edited.owner, edited.due, edited.status, edited.note) == (
        "One roadmap, shared",
        "CIO",
        None,
        "done",
        "signed off",
    )
    assert edited.round_number == 1
    assert database.actions(assessment.id)[0] == edited
    # An action of another assessment is not reached by its id.
    other, _ = create(database)
    assert database.update_action(other.id, a.id, ActionDraft(ITEM, "hijack")) is None
    assert not database.delete_action(other.id, a.id)
    assert database.actions(assessment.id)[0].text == "One roadmap, shared"
    assert database.delete_action(assessment.id, b.id)
    assert [x.id for x in database.actions(assessment.id)] == [a.id]
    database.add_action(other.id, 1, ActionDraft(ITEM, "theirs"))
    assert database.delete_assessment(assessment.id)
    with database.engine.connect() as c:
        left = c.execute(select(follow_up_actions.c.assessment_id)).scalars().all()
    assert left == [other.id]
    assert database.delete_assessment(other.id)
    with database.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(follow_up_actions)).scalar_one() == 0


def test_hostile_text_is_stored_as_typed(database):
    assessment, _ = create(database)
    for text in HOSTILE:
        stored = database.add_action(assessment.id, 1, ActionDraft(ITEM, text, text[:80], None, "planned", text))
        assert (stored.text, stored.owner, stored.note) == (text, text[:80], text)
    assert [a.text for a in database.actions(assessment.id)] == HOSTILE


def test_what_is_refused_is_named_and_not_stored(database):
    assessment, _ = create(database)
    for draft, round_number, field in [
        (ActionDraft(ITEM, "x" * (MAX_ACTION_TEXT + 1)), 1, "text"),
        (ActionDraft(ITEM, "   "), 1, "text"),
        (ActionDraft(ITEM, "ok", owner="o" * 81), 1, "text"),
        (ActionDraft("not_a_statement", "ok"), 1, "item"),
        (ActionDraft(ITEM, "ok", status="finished"), 1, "value"),
        (ActionDraft(ITEM, "ok", due="2027-01-01"), 1, "value"),  # type: ignore[arg-type]
        (ActionDraft(ITEM, "ok"), 2, "setting"),  # no round 2
        (ActionDraft(ITEM, "ok"), "1", "setting"),
    ]:
        with pytest.raises(InvalidData) as refused:
            database.add_action(assessment.id, round_number, draft)  # type: ignore[arg-type]
        assert refused.value.field == field
    assert database.actions(assessment.id) == []
    # The limit is on the cleaned text: spaces folded away do not count.
    kept = database.add_action(assessment.id, 1, ActionDraft(ITEM, "x" * MAX_ACTION_TEXT + "  \n "))
    assert len(kept.text) == MAX_ACTION_TEXT
    with pytest.raises(InvalidData):
        database.update_action(assessment.id, kept.id, ActionDraft(ITEM, "ok", status="nope"))
    assert database.actions(assessment.id)[0].text == "x" * MAX_ACTION_TEXT


def test_no_more_than_the_limit(database, monkeypatch):
    import storage.actions

    monkeypatch.setattr(storage.actions, "MAX_ACTIONS", 3)
    assessment, _ = create(database)
    for n in range(3):
        database.add_action(assessment.id, 1, ActionDraft(ITEM, f"a{n}"))
    with pytest.raises(InvalidData) as refused:
        database.add_action(assessment.id, 1, ActionDraft(ITEM, "one too many"))
    assert refused.value.field == "setting"
    assert len(database.actions(assessment.id)) == 3 < MAX_ACTIONS


def test_before_and_after_come_from_each_rounds_stepped_counts(database):
    """Round 1: IT 4 of 4 agree, marketing 1 of 4 (gap +75). Round 2: IT 2 of 4, marketing 2 of 4 (gap 0).
    An open link reports a round once it is closed (issue 16); by invitation it would be in steps."""
    q, figures = load_questionnaire(), figures_by_item()
    assessment, first = create(database, min_group=2)
    answer(database, first, "it", 4, 4)
    answer(database, first, "marketing", 4, 1)
    action = database.add_action(assessment.id, 1, ActionDraft(ITEM, "One roadmap"))
    second = database.start_new_round(assessment.id, "R2", after=1)
    answer(database, second, "it", 4, 2)
    answer(database, second, "marketing", 4, 2)
    database.set_round_open(second.id, False)
    rounds = database.rounds(assessment.id)
    counts = [(r, database.round_counts(r.id)) for r in rounds]
    follow = follow_up(second, counts, database.actions(assessment.id), assessment.min_group_size, q, figures)
    check = follow.checks[action.id]
    assert (check.it_before.agree, check.it_before.n) == (4, 4)
    assert (check.marketing_before.agree, check.marketing_before.n) == (1, 4)
    assert (check.it_after.agree, check.it_after.n) == (2, 4)
    assert check.before == pytest.approx(75) and check.after == pytest.approx(0)
    assert check.change is Change.NARROWED
    assert check.certainty is Certainty.TOO_FEW  # 4 answers a side: fewer than MIN_TO_TELL
    assert [p.gap for p in follow.trend(ITEM)] == [pytest.approx(75), pytest.approx(0)]


def test_a_hidden_side_never_shows_its_percentage(database):
    q, figures = load_questionnaire(), figures_by_item()
    assessment, first = create(database, min_group=3)
    answer(database, first, "it", 3, 3)
    answer(database, first, "marketing", 2, 0)  # below the minimum of 3: hidden in round 1
    action = database.add_action(assessment.id, 1, ActionDraft(ITEM, "Talk"))
    second = database.start_new_round(assessment.id, "R2", after=1)
    answer(database, second, "it", 3, 1)
    answer(database, second, "marketing", 3, 3)
    database.set_round_open(second.id, False)  # an open link's round is reported once closed (issue 16)
    counts = [(r, database.round_counts(r.id)) for r in database.rounds(assessment.id)]
    follow = follow_up(second, counts, database.actions(assessment.id), assessment.min_group_size, q, figures)
    check = follow.checks[action.id]
    assert check.marketing_before is None and check.before is None
    assert check.certainty is Certainty.HIDDEN and check.interval is None
    trend = follow.trend(ITEM)
    assert trend[0].marketing is None and trend[0].gap is None and trend[0].marketing_count == 2
    assert trend[1].marketing is not None
