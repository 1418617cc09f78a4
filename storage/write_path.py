"""The write path: a respondent's draft, its submission, and the counts it moves, with their invariants.

- One key has one response per round (`key_digest`, unique), made if new; a submitted response never
  changes again, and a second submit of the same key is "already submitted", never a second count.
- A submission is counted, ranked in its side and stepped in the transaction that submits it: by invitation
  (and in a rehearsal) what is shown (`reported`) moves only when a side reaches a multiple of the minimum
  group size; with an open link it does not move until the round closes (storage/round_admin.py), so
  whoever can add answers gets one view of a round, never two (storage/steps.py rebuilds the same: `recount`).
- A handed-out invitation's draft is held by the browser that wrote it (`holder`): the invitation link alone,
  which others may have held, never opens it again (`load_draft`).
- Invitations by e-mail (storage/mailing.py): every link an invitee was e-mailed answers for their
  invitation, once per round between them (the invitation's `answered_round`, set in the submitting
  transaction by an UPDATE conditional on it).
- Concurrent writers queue, never fail or deadlock: inserts do nothing on a conflict, a draft changes only
  by an UPDATE conditional on its status, counters are taken in one (sorted) order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select, text, update

from storage import mailing
from storage.codes import hash_code, same_digest, well_formed
from storage.errors import AlreadySubmitted, NotInvited, RoundClosed
from storage.plumbing import Plumbing, utc_now
from storage.schema import answer_counts, answers, assessments, invitations, response_counts, responses, rounds
from storage.steps import number_submitted, report_steps
from storage.validation import InvalidData, check_response


def key_digest(round_id: int, key: str) -> str:
    """What a response stores of its respondent's key (invitation code or browser key): one per round."""
    return hash_code(f"{round_id}:{key}")


@dataclass(frozen=True)
class Draft:
    response_id: str
    round_id: int
    side: str | None
    answers: dict[str, int]
    submitted: bool
    withheld: bool = False  # a draft held by another browser: its answers are not given (load_draft)


class WritePath(Plumbing):
    """Drafts, submissions and their counts."""

    def save_draft(
        self,
        round_id: int,
        response_id: str,
        key: str,
        side: str | None,
        values: dict[str, int],
        holder: str | None = None,
    ) -> None:
        """Save a respondent's answers so far; their key (browser key), or by invitation the invitation code
        with the `holder` key of the browser that writes (see _write_response), opens them again.

        Raises AlreadySubmitted, and changes nothing, if the key's response was submitted (even a moment
        ago); InvalidData, and stores nothing, for an unknown side or question or an answer out of range;
        NotInvited for a key that is not one of the assessment's codes, when it answers by invitation.
        """
        check_response(side, values, submitting=False)
        with self.transaction() as c:
            if self._write_response(c, round_id, response_id, side, values, key, holder) is None:
                raise AlreadySubmitted(response_id)

    def submit(
        self,
        round_id: int,
        response_id: str,
        key: str,
        side: str,
        values: dict[str, int],
        holder: str | None = None,
    ) -> bool:
        """Store and submit a complete response. True if it now counts; False if the key's response of
        this round already did (a double submit, another tab, the same browser or code again).

        InvalidData, and nothing stored, for a missing or unknown side, an unknown question or an
        answer out of range; NotInvited as for save_draft.
        """
        check_response(side, values, submitting=True)
        with self.transaction() as c:
            written = self._write_response(c, round_id, response_id, side, values, key, holder)
            if written is None:
                return False
            response, step = written
            emailed = self._emailed_invitation(c, round_id, key)
            if emailed is not None and not mailing.mark_answered(c, emailed, round_id):
                return False  # another link of the same invitation submitted meanwhile
            submitted = c.execute(
                update(responses)
                .where(responses.c.id == response, responses.c.status == "draft")
                .values(status="submitted", submitted_at=utc_now())
            ).rowcount
            if submitted != 1:
                return False
            self._record(c, round_id, response, side, values, step)
            return True

    @staticmethod
    def _emailed_invitation(c: Connection, round_id: int, key: str) -> int | None:
        """The invitation of an e-mailed link answering in this round (None in the other access modes)."""
        owner = c.execute(
            select(assessments.c.id, assessments.c.access)
            .join(rounds, rounds.c.assessment_id == assessments.c.id)
            .where(rounds.c.id == round_id)
        ).first()
        if owner is None or owner.access != "email":
            return None
        found = mailing.link_invitation(c, owner.id, key)
        return found[0] if found else None

    def _write_response(
        self,
        c: Connection,
        round_id: int,
        response_id: str,
        side: str | None,
        values: dict[str, int],
        key: str,
        holder: str | None = None,
    ) -> tuple[str, int | None] | None:
        """Write the draft of the respondent `key` in this round (made if new), replacing its answers.

        Returns (the response's id, the step in which what is shown moves: the assessment's minimum group
        size, or None with an open link, whose round is shown once closed), or None if that response was
        submitted: it never changes again. One key has one response per round (`key_digest` is unique): a
        second session of the same browser or invitation finds the first one's response, whatever
        `response_id` it made. `response_id` names a new response, or a draft of an earlier round that this
        session started, which moves to the open round it is now written to. In an assessment by invitation
        the key must be one of its codes (NotInvited), answering for the side it was given for, and `holder`
        (the writing browser's key) becomes the draft's holder: only it opens the draft again (load_draft).

        Safe against concurrent writes of the same response (two tabs, a double click): inserts do nothing
        on a conflict (no unique violation), and a draft changes only by an UPDATE conditional on its
        status, which takes the row's lock; on SQLite BEGIN IMMEDIATE serialises writers.
        """
        uuid.UUID(response_id)  # ids are made by the app; anything else is a bug, not user input
        if not well_formed(key):
            raise NotInvited(round_id)
        found = c.execute(
            select(
                rounds.c.status,
                rounds.c.assessment_id,
                rounds.c.rehearsal,
                assessments.c.access,
                assessments.c.min_group_size,
            )
            .join(assessments, assessments.c.id == rounds.c.assessment_id)
            .where(rounds.c.id == round_id)
        ).first()
        if found is None or found.status != "open":
            raise RoundClosed(round_id)
        if found.access == "email":  # a link the app e-mailed: once per invitation and round, whichever link
            emailed = mailing.link_invitation(c, found.assessment_id, key)
            if emailed is None:
                raise NotInvited(round_id)
            if side is not None and side != emailed[1]:
                raise InvalidData("side", side)
            if mailing.answered(c, emailed[0], round_id):
                return None  # another link of this invitee (a reminder's) has submitted in this round
        if found.access == "invitations":
            invited = c.execute(
                select(invitations.c.side).where(
                    invitations.c.assessment_id == found.assessment_id, invitations.c.code_hash == hash_code(key)
                )
            ).scalar_one_or_none()
            if invited is None:
                raise NotInvited(round_id)
            if side is not None and side != invited:
                raise InvalidData("side", side)
        digest, now = key_digest(round_id, key), utc_now()
        existing = c.execute(select(responses.c.id).where(responses.c.resume_code_hash == digest)).scalar()
        if existing is None:
            inserted = c.execute(
                self.dialect_insert(responses)
                .on_conflict_do_nothing()
                .values(
                    id=response_id,
                    round_id=round_id,
                    side=side,
                    status="draft",
                    resume_code_hash=digest,
                    created_at=now,
                    updated_at=now,
                )
                .returning(responses.c.id)  # a row if inserted, none on a conflict (rowcount is -1 on psycopg)
            ).scalar()
            # On a conflict: the same key's response, made meanwhile by another session, or this session's
            # draft of an earlier round of the assessment.
            existing = (
                inserted or c.execute(select(responses.c.id).where(responses.c.resume_code_hash == digest)).scalar()
            )
            if existing is None:
                earlier = (
                    select(responses.c.id)
                    .join(rounds, rounds.c.id == responses.c.round_id)
                    .where(responses.c.id == response_id, rounds.c.assessment_id == found.assessment_id)
                )
                existing = c.execute(earlier).scalar()
            if existing is None:
                raise ValueError("response id of another assessment")  # 122 random bits: a bug
        changed = c.execute(
            update(responses)
            .where(responses.c.id == existing, responses.c.status == "draft")
            .values(
                side=side,
                round_id=round_id,
                resume_code_hash=digest,
                updated_at=now,
                holder_hash=key_digest(round_id, holder) if holder else None,
            )
        ).rowcount
        if not changed:
            return None  # submitted: never changed again
        c.execute(delete(answers).where(answers.c.response_id == existing))
        rows = [{"response_id": existing, "round_id": round_id, "item": k, "value": v} for k, v in values.items()]
        if rows:
            c.execute(insert(answers), rows)
        stepped = found.access != "open" or found.rehearsal
        return existing, found.min_group_size if stepped else None

    def _record(self, c: Connection, round_id: int, response: str, side: str, values: dict, step: int | None) -> None:
        """Count a response just submitted, rank it in its side, and move what is shown to the next step when
        the side reaches a multiple of the minimum group size (`step`): all in the submitting transaction.
        With an open link (`step` None) nothing shown moves until the round closes (report_all)."""
        rank = self._count(c, round_id, side, values)
        c.execute(update(responses).where(responses.c.id == response).values(side_seq=rank))
        if step is not None and rank % step == 0:  # the side reaches a step: what is shown moves to it, all at once
            for table in (response_counts, answer_counts):
                c.execute(
                    update(table).where(table.c.round_id == round_id, table.c.side == side).values(reported=table.c.n)
                )

    def _count(self, c: Connection, round_id: int, side: str, values: dict[str, int]) -> int:
        """Add a submitted response's answers to its round's counts (in the submitting transaction); return
        its rank in its side. Concurrent submits of a side queue on its response_counts row.

        Rows are taken in one order (sorted) so concurrent submits queue on the counters, never deadlock.
        """
        rank = c.execute(
            self.dialect_insert(response_counts)
            .values(round_id=round_id, side=side, n=1)
            .on_conflict_do_update(index_elements=["round_id", "side"], set_={"n": response_counts.c.n + 1})
            .returning(response_counts.c.n)
        ).scalar_one()
        rows = [
            {"round_id": round_id, "side": side, "item": item, "value": value, "n": 1}
            for item, value in sorted(values.items())
        ]
        if rows:
            c.execute(
                self.dialect_insert(answer_counts).on_conflict_do_update(
                    index_elements=["round_id", "side", "item", "value"], set_={"n": answer_counts.c.n + 1}
                ),
                rows,
            )
        return rank

    def recount(self, round_id: int | None = None) -> None:
        """Rebuild the counts of one round (or of all) from the submitted answers: after a bulk load, or
        to check them (tests compare the two)."""
        with self.transaction() as c:
            if c.dialect.name == "postgresql":
                c.execute(text("SET LOCAL statement_timeout = 0"))  # maintenance: may read the whole table
                # Fresh statistics: after a bulk load the planner would otherwise guess a nested loop.
                c.execute(text("ANALYZE responses"))
                c.execute(text("ANALYZE answers"))
            c.execute(delete(answer_counts).where(answer_counts.c.round_id == round_id if round_id else True))
            c.execute(delete(response_counts).where(response_counts.c.round_id == round_id if round_id else True))
            heads = (
                select(responses.c.round_id, responses.c.side, func.count())
                .where(responses.c.status == "submitted", responses.c.side.is_not(None))
                .group_by(responses.c.round_id, responses.c.side)
            )
            if round_id:
                heads = heads.where(responses.c.round_id == round_id)
            c.execute(insert(response_counts).from_select(["round_id", "side", "n"], heads))
            source = (
                select(responses.c.round_id, responses.c.side, answers.c.item, answers.c.value, func.count())
                .join(answers, answers.c.response_id == responses.c.id)
                .where(responses.c.status == "submitted", responses.c.side.is_not(None))
                .group_by(responses.c.round_id, responses.c.side, answers.c.item, answers.c.value)
            )
            if round_id:
                source = source.where(responses.c.round_id == round_id, answers.c.round_id == round_id)
            c.execute(insert(answer_counts).from_select(["round_id", "side", "item", "value", "n"], source))
            c.execute(number_submitted(round_id))  # responses loaded in bulk have no rank yet
            for statement in report_steps(round_id):
                c.execute(statement)

    def load_draft(self, assessment_id: str, key: str, holder: str | None = None) -> Draft | None:
        """The newest response of a respondent key (invitation code or browser key) in this assessment.

        For a handed-out invitation pass `holder`, the opening browser's key: the answers come back only if
        that browser holds the response (it wrote it last, see _write_response); otherwise they are withheld
        (an empty dict, `withheld` True): an invitation link someone else held never shows the invitee's
        answers. An e-mailed link whose invitation has answered a round through another of its links (a
        reminder's) gets a submitted Draft of that round, with no answers: "already submitted", never a
        second form."""
        if not well_formed(key):
            return None
        with self.engine.connect() as c:
            emailed = mailing.answered_by_link(c, assessment_id, key)  # (round id, side) or None
            if emailed is not None:
                row = c.execute(
                    select(responses.c.id, responses.c.status).where(
                        responses.c.resume_code_hash == key_digest(emailed[0], key)
                    )
                ).first()
                if row is None or row.status != "submitted":  # answered through another link of the invitee
                    return Draft(row.id if row else str(uuid.uuid4()), emailed[0], emailed[1], {}, True)
            ids = c.execute(select(rounds.c.id).where(rounds.c.assessment_id == assessment_id)).scalars().all()
            digests = {key_digest(round_id, key): round_id for round_id in ids}
            row = (
                c.execute(
                    select(responses)
                    .where(responses.c.resume_code_hash.in_(digests))
                    .order_by(responses.c.round_id.desc())
                )
                .mappings()
                .first()
            )
            if row is None or not any(same_digest(row["resume_code_hash"], d) for d in digests):
                return None
            values = dict(
                c.execute(select(answers.c.item, answers.c.value).where(answers.c.response_id == row["id"])).all()
            )
        submitted, held = row["status"] == "submitted", row["holder_hash"]
        mine = (holder is None and held is None) or (
            holder is not None and held is not None and same_digest(held, key_digest(row["round_id"], holder))
        )
        if not mine:
            return Draft(row["id"], row["round_id"], row["side"], {}, submitted, withheld=True)
        return Draft(row["id"], row["round_id"], row["side"], values, submitted)


def report_all(c: Connection, round_ids: list[int]) -> None:
    """Show every submitted response of these rounds (an open link's rounds, as they close)."""
    if not round_ids:
        return
    for table in (response_counts, answer_counts):
        c.execute(update(table).where(table.c.round_id.in_(round_ids)).values(reported=table.c.n))
