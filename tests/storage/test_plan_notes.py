"""The conversation plan's ticks and notes, on SQLite and PostgreSQL: per round, checked, deleted with it."""

import pytest
from sqlalchemy import func, select

from alignment.org.plan import MAX_PLAN_NOTE, PlanNote
from alignment.org.rounds import NewAssessment
from storage import InvalidData
from storage.schema import plan_notes
from tests.hostile import HOSTILE


def create(db):
    created = db.create_assessment(NewAssessment("Acme", "R1", "en", 2))
    assessment = db.find_by_results_code(created.results_code)
    return assessment, db.current_round(assessment.id)


def test_ticks_and_notes_round_trip_per_round(database):
    assessment, first = create(database)
    assert database.plan_notes(first.id) == {}
    database.save_plan_note(first.id, "alignment_needed", True, "Agreed: one roadmap")
    database.save_plan_note(first.id, "opening", False, "Ten people")
    second = database.start_new_round(assessment.id, "R2", after=1)
    database.save_plan_note(second.id, "alignment_needed", False, "Second round")
    assert database.plan_notes(first.id) == {
        "alignment_needed": PlanNote(True, "Agreed: one roadmap"),
        "opening": PlanNote(False, "Ten people"),
    }
    assert database.plan_notes(second.id) == {"alignment_needed": PlanNote(False, "Second round")}
    # Saving again replaces, in that round only.
    assert database.save_plan_note(first.id, "alignment_needed", False, "  changed \n mind ") == PlanNote(
        False, "changed mind"
    )
    assert database.plan_notes(first.id)["alignment_needed"] == PlanNote(False, "changed mind")
    assert database.plan_notes(second.id)["alignment_needed"] == PlanNote(False, "Second round")


def test_hostile_notes_are_stored_as_typed(database):
    _, rnd = create(database)
    for text in HOSTILE:
        assert database.save_plan_note(rnd.id, "closing", True, text) == PlanNote(True, text)
        assert database.plan_notes(rnd.id)["closing"] == PlanNote(True, text)


def test_what_is_refused_is_named_and_not_stored(database):
    _, rnd = create(database)
    database.save_plan_note(rnd.id, "closing", True, "kept")
    for key, done, note, field in [
        ("closing", True, "x" * (MAX_PLAN_NOTE + 1), "text"),
        ("not_a_statement", True, "", "item"),
        ("closing", "yes", "", "value"),
        ("closing", 1, "", "value"),
        ("closing", True, None, "text"),
    ]:
        with pytest.raises(InvalidData) as refused:
            database.save_plan_note(rnd.id, key, done, note)
        assert refused.value.field == field
    assert database.plan_notes(rnd.id) == {"closing": PlanNote(True, "kept")}
    # The limit is on the cleaned text: spaces folded away do not count.
    database.save_plan_note(rnd.id, "closing", True, "x" * MAX_PLAN_NOTE + "   \n ")
    assert len(database.plan_notes(rnd.id)["closing"].note) == MAX_PLAN_NOTE


def test_notes_go_with_their_assessment(database):
    assessment, rnd = create(database)
    database.save_plan_note(rnd.id, "closing", True, "note")
    assert database.delete_assessment(assessment.id)
    with database.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(plan_notes)).scalar_one() == 0
