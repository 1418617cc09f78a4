"""An assessment's rounds as the organiser runs them: listed (never the rehearsal round), closed, reopened,
and the next one started, one at a time per assessment however many clicks arrive at once."""

from __future__ import annotations

from sqlalchemy import Connection, false, func, insert, select, update

from alignment.org.rounds import Round
from storage.mailing import erase_invitees
from storage.plumbing import Plumbing, from_row, utc_now
from storage.schema import assessments, rounds
from storage.validation import check_label, check_lengths
from storage.write_path import report_all


class RoundAdmin(Plumbing):
    """The organiser's rounds."""

    def rounds(self, assessment_id: str) -> list[Round]:
        """The assessment's real rounds, oldest first: never its rehearsal round (see rehearsal_round)."""
        with self.engine.connect() as c:
            rows = c.execute(
                select(rounds)
                .where(rounds.c.assessment_id == assessment_id, rounds.c.rehearsal.is_(false()))
                .order_by(rounds.c.number)
            ).mappings()
            return [round_from_row(r) for r in rows]

    def current_round(self, assessment_id: str) -> Round:
        return self.rounds(assessment_id)[-1]

    def set_round_open(self, round_id: int, is_open: bool) -> bool:
        """Close a round, or reopen it if it is still its assessment's latest. True if it changed."""
        with self.transaction() as c:
            owner = select(rounds.c.assessment_id).where(rounds.c.id == round_id)
            assessment_id = c.execute(owner).scalar_one_or_none()
            if assessment_id is None:
                return False
            lock_assessment(c, assessment_id)
            access = c.execute(select(assessments.c.access).where(assessments.c.id == assessment_id)).scalar_one()
            if is_open and access == "open":
                return False  # an open link's round, closed, was shown whole: reopened it would give a 2nd view
            if is_open:
                latest = c.execute(
                    select(func.max(rounds.c.number)).where(rounds.c.assessment_id == assessment_id)
                ).scalar_one()
                condition = (rounds.c.status == "closed") & (rounds.c.number == latest)
                values = {"status": "open", "closed_at": None}
            else:
                condition = rounds.c.status == "open"
                values = {"status": "closed", "closed_at": utc_now()}
                erase_invitees(c, assessment_id)  # reminders end with the round: the addresses go
            changed = c.execute(update(rounds).where(rounds.c.id == round_id, condition).values(**values)).rowcount
            if changed and not is_open and access == "open":
                report_all(c, [round_id])  # an open link shows a round once it is closed, all of it
            return changed == 1

    def start_new_round(self, assessment_id: str, label: str, after: int | None = None) -> Round:
        """Close the current round and open the next one; return the assessment's newest round.

        `after` is the number of the newest round the caller saw: if another click (another tab, another
        server) has started a round since, none is added, so concurrent clicks make one round, not two.
        """
        check_label(label)
        check_lengths(rounds, {"assessment_id": assessment_id, "label": label})
        now = utc_now()
        with self.transaction() as c:
            lock_assessment(c, assessment_id)
            last = c.execute(
                select(func.max(rounds.c.number)).where(rounds.c.assessment_id == assessment_id)
            ).scalar_one()
            if last is None:
                raise LookupError(assessment_id)  # deleted meanwhile
            if after is None or last == after:
                erase_invitees(c, assessment_id)  # the current round closes: the addresses go
                closing = (
                    c.execute(
                        select(rounds.c.id).where(
                            rounds.c.assessment_id == assessment_id,
                            rounds.c.status == "open",
                            rounds.c.rehearsal.is_(false()),
                        )
                    )
                    .scalars()
                    .all()
                )
                c.execute(
                    update(rounds)
                    .where(
                        rounds.c.assessment_id == assessment_id,
                        rounds.c.status == "open",
                        rounds.c.rehearsal.is_(false()),
                    )
                    .values(status="closed", closed_at=now)
                )
                access = c.execute(select(assessments.c.access).where(assessments.c.id == assessment_id)).scalar_one()
                if access == "open":
                    report_all(c, closing)
                c.execute(
                    insert(rounds).values(
                        assessment_id=assessment_id, number=last + 1, label=label, status="open", created_at=now
                    )
                )
        return self.current_round(assessment_id)


def lock_assessment(c: Connection, assessment_id: str) -> None:
    """Serialise changes to an assessment's rounds: a row lock on PostgreSQL (SQLite's BEGIN IMMEDIATE
    already serialises every writer)."""
    c.execute(select(assessments.c.id).where(assessments.c.id == assessment_id).with_for_update())


def round_from_row(row) -> Round:
    return from_row(Round, row, rehearsal=bool(row["rehearsal"]))
