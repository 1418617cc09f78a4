"""A rehearsal before the session: simulated answers in a round of their own (number 0), counted and stepped
by the write path as real ones are, but never listed among the assessment's rounds, so real results,
exports and comparisons never see them."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, insert, select, true

from alignment.org.rounds import Round
from storage.codes import hash_code
from storage.plumbing import utc_now
from storage.round_admin import lock_assessment, round_from_row
from storage.schema import answer_counts, answers, assessments, response_counts, responses, rounds
from storage.validation import InvalidData, check_response
from storage.write_path import WritePath


class RehearsalStore(WritePath):
    """The rehearsal round and its simulated responses."""

    def rehearsal_round(self, assessment_id: str) -> Round | None:
        """The assessment's rehearsal round of simulated answers (number 0), if it has one."""
        with self.engine.connect() as c:
            row = (
                c.execute(select(rounds).where(rounds.c.assessment_id == assessment_id, rounds.c.rehearsal.is_(true())))
                .mappings()
                .first()
            )
        return round_from_row(row) if row else None

    def add_simulated(self, assessment_id: str, simulated: list[tuple[str, dict[str, int]]]) -> Round:
        """Submit simulated responses (side, answers) to the assessment's rehearsal round, made if absent.

        Counted and stepped exactly as real submissions are (Database.submit), but in a round that
        Database.rounds() never lists: real results, exports and comparisons never see them.
        """
        for side, values in simulated:
            check_response(side, values, submitting=True)
        now = utc_now()
        with self.transaction() as c:
            lock_assessment(c, assessment_id)
            step = c.execute(
                select(assessments.c.min_group_size).where(assessments.c.id == assessment_id)
            ).scalar_one_or_none()
            if step is None:  # deleted meanwhile (the room view was open)
                raise InvalidData("setting", "the assessment no longer exists")
            c.execute(
                self.dialect_insert(rounds)
                .on_conflict_do_nothing()
                .values(
                    assessment_id=assessment_id,
                    number=0,
                    label="rehearsal",
                    status="open",
                    created_at=now,
                    rehearsal=True,
                )
            )
            round_id = c.execute(
                select(rounds.c.id).where(rounds.c.assessment_id == assessment_id, rounds.c.rehearsal.is_(true()))
            ).scalar_one()
            for side, values in simulated:
                response = str(uuid.uuid4())
                c.execute(
                    insert(responses).values(
                        id=response,
                        round_id=round_id,
                        side=side,
                        status="submitted",
                        resume_code_hash=hash_code(f"rehearsal:{response}"),
                    )
                )
                rows = [
                    {"response_id": response, "round_id": round_id, "item": k, "value": v} for k, v in values.items()
                ]
                c.execute(insert(answers), rows)
                self._record(c, round_id, response, side, values, step)
        return self.rehearsal_round(assessment_id)  # type: ignore[return-value]  # made above

    def delete_rehearsal(self, assessment_id: str) -> bool:
        """Delete the assessment's rehearsal round and its simulated answers; True if there was one."""
        with self.transaction() as c:
            found = select(rounds.c.id).where(rounds.c.assessment_id == assessment_id, rounds.c.rehearsal.is_(true()))
            round_id = c.execute(found).scalar()
            if round_id is None:
                return False
            for table in (answer_counts, response_counts, answers, responses):
                c.execute(delete(table).where(table.c.round_id == round_id))
            c.execute(delete(rounds).where(rounds.c.id == round_id))
            return True
