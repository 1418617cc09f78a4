"""Assessments and the codes that open them: creation, look-up by respondent, results or invitation code
(join codes and room-view keys: storage/access_keys.py), the invited headcount, and deletion with everything
that belongs to the assessment."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select

from alignment.core.questionnaire import Profile
from alignment.org.rounds import Assessment, NewAssessment
from storage import mailing
from storage.codes import hash_code, new_code, new_join_code, normalise_join_code, well_formed
from storage.plumbing import Plumbing, from_row, row_by_code, utc_now
from storage.round_admin import lock_assessment
from storage.schema import (
    answer_counts,
    answers,
    assessments,
    follow_up_actions,
    invitation_links,
    invitations,
    join_codes,
    plan_notes,
    reminder_runs,
    response_counts,
    responses,
    room_keys,
    rounds,
)
from storage.validation import InvalidData, check_assessment, check_lengths

# A join code stands for the respondent link for this long after the room view makes it.
JOIN_CODE_HOURS = 12


@dataclass(frozen=True)
class RoomJoin:
    """A room's way in, shown by the room view: the short code to type and the join link in the QR code (the
    value of `a=` in /respond?a=…), made together and expiring together."""

    code: str
    link: str
    expires: datetime


@dataclass(frozen=True)
class Created:
    """A new assessment's id and its codes, shown once and never stored in clear."""

    assessment_id: str
    respondent_code: str
    results_code: str
    invitations: tuple[tuple[str, str], ...] = ()  # (side, code) per invitee, in the order asked


class AssessmentStore(Plumbing):
    """Assessments, their codes, their invitations."""

    def create_assessment(self, new: NewAssessment) -> Created:
        """Store a new assessment with its first round, open; return its codes."""
        check_assessment(new)
        codes = tuple((side, new_code()) for side, n in new.invited.items() for _ in range(n))
        created = Created(str(uuid.uuid4()), new_code(), new_code(), codes if new.access == "invitations" else ())
        now = utc_now()
        row = {
            "id": created.assessment_id,
            "org_name": new.org_name,
            **new.profile.as_dict(),
            "lang": new.lang,
            "min_group_size": new.min_group_size,
            "access": new.access,
            "respondent_code_hash": hash_code(created.respondent_code),
            "results_code_hash": hash_code(created.results_code),
            "created_at": now,
        }
        first = {"assessment_id": created.assessment_id, "number": 1, "label": new.round_label}
        check_lengths(assessments, row)
        check_lengths(rounds, first)
        with self.transaction() as c:
            c.execute(insert(assessments).values(**row))
            c.execute(insert(rounds).values(**first, status="open", created_at=now))
            if created.invitations:
                owner = created.assessment_id
                rows = [{"assessment_id": owner, "side": s, "code_hash": hash_code(k)} for s, k in codes]
                c.execute(insert(invitations), rows)
            if new.access == "email":  # the addresses, in their own table; no code is ever returned
                mailing.add_invitees(c, created.assessment_id, new.addresses)
        return created

    def _find(self, column, code: str) -> Assessment | None:
        if not well_formed(code):
            return None
        with self.engine.connect() as c:
            row = row_by_code(c, select(assessments), column, code)
        return None if row is None else assessment_from_row(row)

    def find_by_respondent_code(self, code: str, client: str | None = None) -> Assessment | None:
        """The assessment of a respondent code, or of a live join code or join link (which stand for it while
        they live). A short join code is budgeted (`client` is the address that typed it: storage/
        access_keys.py, TooManyAttempts); the link in the room's QR code is not (it cannot be guessed)."""
        if normalise_join_code(code) is not None:
            return self.find_by_join_code(code, client)  # type: ignore[attr-defined]  # AccessKeys, in Database
        found = self._find(assessments.c.respondent_code_hash, code)
        return found or self.find_by_join_link(code)  # type: ignore[attr-defined]  # AccessKeys, in Database

    def find_by_id(self, assessment_id: str) -> Assessment | None:
        """The assessment with this id, if it still exists (a session that already holds it: no code needed)."""
        with self.engine.connect() as c:
            row = c.execute(select(assessments).where(assessments.c.id == assessment_id)).mappings().first()
        return assessment_from_row(row) if row else None

    def find_by_results_code(self, code: str) -> Assessment | None:
        return self._find(assessments.c.results_code_hash, code)

    def find_invitation(self, code: str) -> tuple[Assessment, str] | None:
        """The assessment an invitation code (or a link the app e-mailed) belongs to, and its side."""
        if not well_formed(code):
            return None
        invited = select(assessments, invitations.c.side, invitations.c.code_hash).join(
            invitations, invitations.c.assessment_id == assessments.c.id
        )
        with self.engine.connect() as c:
            row = mailing.find_link(c, code)
            if row is None:
                row = row_by_code(c, invited, invitations.c.code_hash, code)
        return None if row is None else (assessment_from_row(row), row["side"])

    def new_join_code(self, assessment_id: str, hours: float = JOIN_CODE_HOURS) -> tuple[str, datetime]:
        """A new short join code for an open-access assessment and its expiry (new_room_join, without the
        link)."""
        made = self.new_room_join(assessment_id, hours)
        return made.code, made.expires

    def new_room_join(self, assessment_id: str, hours: float = JOIN_CODE_HOURS) -> RoomJoin:
        """A new way in for a room, valid for `hours`: a short code to type and a long link for the QR code,
        made together (one row: they expire and go together), returned once and stored only as digests.
        Expired codes of every assessment are deleted on the way. An assessment by invitation gets none
        (InvalidData "setting"): a shared code would bypass the invitations."""
        code, link, now = new_join_code(), new_code(), utc_now()
        with self.transaction() as c:
            access = c.execute(select(assessments.c.access).where(assessments.c.id == assessment_id)).scalar()
            if access != "open":
                raise InvalidData("setting", f"join code for access {access!r}")
            c.execute(delete(join_codes).where(join_codes.c.expires_at <= now))
            expires = now + timedelta(hours=hours)
            c.execute(
                insert(join_codes).values(
                    code_hash=hash_code(code),
                    link_hash=hash_code(link),
                    assessment_id=assessment_id,
                    expires_at=expires,
                )
            )
        return RoomJoin(code, link, expires)

    def invited_counts(self, assessment_id: str) -> dict[str, int]:
        """How many invitation codes each side was given (empty for an open assessment)."""
        with self.engine.connect() as c:
            rows = c.execute(
                select(invitations.c.side, func.count())
                .where(invitations.c.assessment_id == assessment_id)
                .group_by(invitations.c.side)
            ).all()
        return dict(rows)

    def delete_assessment(self, assessment_id: str) -> bool:
        """Delete an assessment with its rounds, responses, answers and follow-up actions."""
        with self.transaction() as c:
            # The assessment's row first, as a submit does (FOR SHARE in write_path): one lock order, so a
            # delete waits for the submits under way instead of deadlocking with them on PostgreSQL.
            lock_assessment(c, assessment_id)
            round_ids = select(rounds.c.id).where(rounds.c.assessment_id == assessment_id)
            c.execute(delete(follow_up_actions).where(follow_up_actions.c.assessment_id == assessment_id))
            c.execute(delete(plan_notes).where(plan_notes.c.round_id.in_(round_ids)))
            c.execute(delete(answer_counts).where(answer_counts.c.round_id.in_(round_ids)))
            c.execute(delete(response_counts).where(response_counts.c.round_id.in_(round_ids)))
            c.execute(delete(answers).where(answers.c.round_id.in_(round_ids)))
            c.execute(delete(responses).where(responses.c.round_id.in_(round_ids)))
            c.execute(delete(reminder_runs).where(reminder_runs.c.round_id.in_(round_ids)))
            c.execute(delete(rounds).where(rounds.c.assessment_id == assessment_id))
            mailing.erase_invitees(c, assessment_id)
            invited = select(invitations.c.id).where(invitations.c.assessment_id == assessment_id)
            c.execute(delete(invitation_links).where(invitation_links.c.invitation_id.in_(invited)))
            c.execute(delete(invitations).where(invitations.c.assessment_id == assessment_id))
            c.execute(delete(join_codes).where(join_codes.c.assessment_id == assessment_id))
            c.execute(delete(room_keys).where(room_keys.c.assessment_id == assessment_id))
            return c.execute(delete(assessments).where(assessments.c.id == assessment_id)).rowcount == 1


def assessment_from_row(row) -> Assessment:
    return from_row(Assessment, row, profile=from_row(Profile, row))
