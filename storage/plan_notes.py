"""The facilitator's ticks and notes on a round's conversation plan."""

from __future__ import annotations

from sqlalchemy import select

from alignment.org.plan import PlanNote
from storage.plumbing import Plumbing, utc_now
from storage.schema import plan_notes
from storage.validation import check_lengths, check_plan_note


class PlanNoteStore(Plumbing):
    """Ticks and notes per round and segment."""

    def plan_notes(self, round_id: int) -> dict[str, PlanNote]:
        """The facilitator's ticks and notes of a round's conversation plan, by segment key."""
        with self.engine.connect() as c:
            rows = c.execute(
                select(plan_notes.c.key, plan_notes.c.done, plan_notes.c.note).where(plan_notes.c.round_id == round_id)
            ).all()
        return {key: PlanNote(bool(done), note) for key, done, note in rows}

    def save_plan_note(self, round_id: int, key: str, done: bool, note: str) -> PlanNote:
        """Keep a segment's tick and note for this round (replacing what was kept); return them as stored.

        InvalidData, and nothing stored, for an unknown segment, a tick that is not a bool or a note longer
        than alignment.org.plan.MAX_PLAN_NOTE characters (cleaned: control characters out, spaces folded).
        """
        cleaned = check_plan_note(key, done, note)
        row = {"round_id": round_id, "key": key, "done": done, "note": cleaned, "updated_at": utc_now()}
        check_lengths(plan_notes, row)
        with self.transaction() as c:
            c.execute(
                self.dialect_insert(plan_notes)
                .values(**row)
                .on_conflict_do_update(
                    index_elements=["round_id", "key"],
                    set_={"done": done, "note": cleaned, "updated_at": row["updated_at"]},
                )
            )
        return PlanNote(done, cleaned)
