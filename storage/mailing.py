"""Invitations by e-mail, in the database: the only module that reads the invitees' addresses.

An assessment in "email" access has one `invitations` row per invitee (side, delivery, the last round it
answered) and, while reminders may need it, one `invitees` row with the address. Every e-mail carries a
fresh personal link and a stop link, both stored only as digests (`invitation_links`): the organiser never
holds one, and the database alone cannot open one. Addresses are read here only to send; nothing here
joins them to responses (an invitation learns "answered in round R" in the submitting transaction, from
its link's digest, never which response). An address is deleted when its invitee answers, when the round
closes, or by the organiser.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from storage.codes import hash_code, new_code, same_digest, well_formed
from storage.plumbing import SCRUB_WAL, Plumbing, row_by_code
from storage.schema import assessments, invitation_links, invitations, invitees, reminder_runs, rounds

# An invitee is reminded at most once in this many hours, whoever asks (the button, the scheduler, both).
REMIND_EVERY_HOURS = 20


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Outgoing:
    """One message to send: to whom (read here only), for which invitation, in which assessment's words."""

    invitation_id: int
    side: str
    address: str = field(repr=False)  # never in a repr, so never in a log line or a traceback's locals
    lang: str
    org_name: str
    min_group_size: int


@dataclass(frozen=True)
class SideMail:
    """What the organiser sees of one side's invitations: counts only."""

    invited: int = 0
    sent: int = 0
    pending: int = 0
    failed: dict[str, int] = field(default_factory=dict)  # failure class -> count
    answered: int = 0


@dataclass(frozen=True)
class MailCounts:
    sides: dict[str, SideMail]
    addresses_kept: int  # invitees whose address is still stored (0 once erased)
    last_reminder: tuple[datetime, int, int] | None  # when, how many reminded, how many failed (this round)

    @property
    def to_retry(self) -> int:
        return sum(s.pending + sum(s.failed.values()) for s in self.sides.values()) if self.addresses_kept else 0


def add_invitees(c: Connection, assessment_id: str, addresses: dict[str, tuple[str, ...]]) -> int:
    """Store the invitations of a new assessment by e-mail with their addresses (in its creating
    transaction). Each invitation gets a code nobody will ever hold (only its digest is stored): it answers
    only through the links its e-mails will carry. Returns how many."""
    placeholders = {}
    rows = []
    for side, listed in addresses.items():
        for address in listed:
            digest = hash_code(new_code())
            placeholders[digest] = address
            rows.append({"assessment_id": assessment_id, "side": side, "code_hash": digest})
    if not rows:
        return 0
    c.execute(insert(invitations), rows)
    made = c.execute(
        select(invitations.c.id, invitations.c.code_hash).where(invitations.c.assessment_id == assessment_id)
    ).all()
    c.execute(
        insert(invitees),
        [{"invitation_id": i, "assessment_id": assessment_id, "address": placeholders[h]} for i, h in made],
    )
    return len(rows)


def _outgoing(query) -> list[Outgoing]:
    return [Outgoing(r.invitation_id, r.side, r.address, r.lang, r.org_name, r.min_group_size) for r in query]


def _base(assessment_id: str):
    return (
        select(
            invitees.c.invitation_id,
            invitations.c.side,
            invitees.c.address,
            assessments.c.lang,
            assessments.c.org_name,
            assessments.c.min_group_size,
        )
        .join(invitations, invitations.c.id == invitees.c.invitation_id)
        .join(assessments, assessments.c.id == invitees.c.assessment_id)
        .where(invitees.c.assessment_id == assessment_id, invitees.c.stopped.is_(False))
        .order_by(invitees.c.invitation_id)
    )


def _open_round(c: Connection, assessment_id: str) -> int | None:
    """The id of the assessment's current real round if it is open."""
    row = c.execute(
        select(rounds.c.id, rounds.c.status)
        .where(rounds.c.assessment_id == assessment_id, rounds.c.rehearsal.is_(False))
        .order_by(rounds.c.number.desc())
        .limit(1)
    ).first()
    return row.id if row is not None and row.status == "open" else None


def erase_invitees(c: Connection, assessment_id: str) -> int:
    """Delete the assessment's invitees' addresses (in the caller's transaction); returns how many."""
    erased = c.execute(delete(invitees).where(invitees.c.assessment_id == assessment_id)).rowcount
    if erased:
        c.info[SCRUB_WAL] = True  # SQLite: the transaction empties its write-ahead log once committed
    return erased


# A send run's claim on an invitation lapses after this long (a run that crashed midway: its invitations
# are sent by the next retry). Longer than a batch can take: 50 e-mails at SMTP_TIMEOUT_SECONDS each.
CLAIM_MINUTES = 15


def _to_send(now: datetime):
    """Not sent yet or failed, and not claimed by a run under way."""
    unclaimed = or_(
        invitations.c.claimed_at.is_(None), invitations.c.claimed_at < now - timedelta(minutes=CLAIM_MINUTES)
    )
    return or_(invitations.c.delivery.is_(None), invitations.c.delivery == "failed") & unclaimed


class MailStore(Plumbing):
    """Invitations by e-mail: what to send, the links each e-mail carries, deliveries, reminders, stops,
    erasure, and the organiser's counts."""

    def mail_to_send(self, assessment_id: str) -> list[Outgoing]:
        """The invitations not sent yet or that failed, while their round is open and the addresses kept (and
        not claimed by a send under way). Reading them claims nothing: claim_mail, per batch, before sending."""
        with self.engine.connect() as c:
            if _open_round(c, assessment_id) is None:
                return []
            return _outgoing(c.execute(_base(assessment_id).where(_to_send(_now()))))

    def claim_mail(self, pending: list[Outgoing]) -> list[Outgoing]:
        """Of these invitations, those this run may send now: still not sent and not claimed by another run,
        claimed in one conditional UPDATE … RETURNING, so two retries at once (two tabs, two servers) send
        each invitee one invitation. record_deliveries clears the claim; a run that crashed midway leaves
        it, and it lapses after CLAIM_MINUTES."""
        if not pending:
            return []
        now = _now()
        with self.transaction() as c:
            claimed = set(
                c.execute(
                    update(invitations)
                    .where(invitations.c.id.in_([one.invitation_id for one in pending]), _to_send(now))
                    .values(claimed_at=now)
                    .returning(invitations.c.id)
                ).scalars()
            )
        return [one for one in pending if one.invitation_id in claimed]

    def mail_to_remind(self, assessment_id: str, claim: bool = True) -> tuple[int | None, list[Outgoing]]:
        """The open round's id, and the invitees to remind in it: their invitation was delivered, none of its
        links has submitted in this round, they did not use a stop link, and were not reminded lately.

        `claim` (what sending does): they are marked reminded now, in one conditional UPDATE, so a second
        run at the same moment (the button and the scheduler, two servers) finds none of them: each invitee
        gets one reminder. A send that fails gives its invitee back (release_reminders)."""
        with self.transaction() as c:
            round_id = _open_round(c, assessment_id)
            if round_id is None:
                return None, []
            now = _now()
            lately = now - timedelta(hours=REMIND_EVERY_HOURS)
            not_lately = or_(invitees.c.reminded_at.is_(None), invitees.c.reminded_at < lately)
            query = _base(assessment_id).where(
                invitations.c.delivery == "sent",
                or_(invitations.c.answered_round.is_(None), invitations.c.answered_round != round_id),
                not_lately,
            )
            found = _outgoing(c.execute(query))
            if not claim or not found:
                return round_id, found
            claimed = set(
                c.execute(
                    update(invitees)
                    .where(invitees.c.invitation_id.in_([one.invitation_id for one in found]), not_lately)
                    .values(reminded_at=now)
                    .returning(invitees.c.invitation_id)
                ).scalars()
            )
            return round_id, [one for one in found if one.invitation_id in claimed]

    def new_mail_links(self, invitation_ids: list[int]) -> list[tuple[str, str]]:
        """A fresh personal link code and stop code for one e-mail to each of these invitations, stored only
        as digests before the e-mails leave (so a message the server took always carries a working link)."""
        made = [(new_code(), new_code()) for _ in invitation_ids]
        now = _now()
        rows = [
            {"code_hash": hash_code(code), "stop_hash": hash_code(stop), "invitation_id": i, "created_at": now}
            for i, (code, stop) in zip(invitation_ids, made, strict=True)
        ]
        if rows:
            with self.transaction() as c:
                c.execute(insert(invitation_links), rows)
        return made

    def record_deliveries(self, outcomes: list[tuple[int, str | None]]) -> None:
        """Invitation e-mails the server took (failure None) or that failed with their class."""
        with self.transaction() as c:
            for invitation_id, failure in outcomes:
                values = {"delivery": "sent", "failure": None} if failure is None else {"delivery": "failed"}
                values |= {"failure": failure, "claimed_at": None}
                c.execute(update(invitations).where(invitations.c.id == invitation_id).values(**values))

    def release_reminders(self, invitation_ids: list[int]) -> None:
        """Reminders that could not be sent: those invitees may be reminded again at once."""
        if invitation_ids:
            with self.transaction() as c:
                c.execute(update(invitees).where(invitees.c.invitation_id.in_(invitation_ids)).values(reminded_at=None))

    def record_reminder_run(self, round_id: int, reminded: int, failed: int) -> None:
        with self.transaction() as c:
            c.execute(insert(reminder_runs).values(round_id=round_id, at=_now(), reminded=reminded, failed=failed))

    def stop_mail(self, token: str) -> bool:
        """Honour a stop link: its invitee gets no more e-mail. True if the link is one the app sent (its
        address may be erased already: nothing is sent then either), False for anything else."""
        if not well_formed(token):
            return False
        digest = hash_code(token)
        with self.transaction() as c:
            row = c.execute(
                select(invitation_links.c.invitation_id, invitation_links.c.stop_hash).where(
                    invitation_links.c.stop_hash == digest
                )
            ).first()
            if row is None or not same_digest(row.stop_hash, digest):
                return False
            c.execute(update(invitees).where(invitees.c.invitation_id == row.invitation_id).values(stopped=True))
            return True

    def erase_addresses(self, assessment_id: str) -> int:
        with self.transaction() as c:
            return erase_invitees(c, assessment_id)

    def mail_counts(self, assessment_id: str, round_id: int) -> MailCounts:
        """Per side: invited, sent, not sent yet, failed by class, answered in this round; how many addresses
        are kept; this round's last reminder run. Counts only: no address, link or invitation id."""
        with self.engine.connect() as c:
            rows = c.execute(
                select(
                    invitations.c.side,
                    invitations.c.delivery,
                    invitations.c.failure,
                    invitations.c.answered_round,
                    func.count(),
                )
                .where(invitations.c.assessment_id == assessment_id)
                .group_by(
                    invitations.c.side,
                    invitations.c.delivery,
                    invitations.c.failure,
                    invitations.c.answered_round,
                )
            ).all()
            kept = c.execute(
                select(func.count()).select_from(invitees).where(invitees.c.assessment_id == assessment_id)
            ).scalar_one()
            last = c.execute(
                select(reminder_runs.c.at, reminder_runs.c.reminded, reminder_runs.c.failed)
                .where(reminder_runs.c.round_id == round_id)
                .order_by(reminder_runs.c.id.desc())
                .limit(1)
            ).first()
        tally: dict[str, Counter] = {}
        failures: dict[str, Counter] = {}
        for side, delivery, failure, answered_round, n in rows:
            side_tally = tally.setdefault(side, Counter())
            side_tally["invited"] += n
            side_tally[delivery or "pending"] += n
            side_tally["answered"] += n if answered_round == round_id else 0
            if delivery == "failed":
                failures.setdefault(side, Counter())[failure or "rejected"] += n
        sides = {
            side: SideMail(
                invited=n["invited"],
                sent=n["sent"],
                pending=n["pending"],
                failed=dict(failures.get(side, {})),
                answered=n["answered"],
            )
            for side, n in tally.items()
        }
        return MailCounts(sides, kept, (last.at, last.reminded, last.failed) if last else None)

    def assessments_with_addresses(self) -> list[str]:
        """The assessments by e-mail that still keep addresses (what the scheduled reminder command visits)."""
        with self.engine.connect() as c:
            return list(
                c.execute(select(invitees.c.assessment_id).distinct().order_by(invitees.c.assessment_id)).scalars()
            )


# --- the write path: an e-mailed link answers for its invitation -------------------------------------------


def link_invitation(c: Connection, assessment_id: str, key: str) -> tuple[int, str] | None:
    """(invitation id, side) of an e-mailed link code of this assessment, or None."""
    if not well_formed(key):
        return None
    digest = hash_code(key)
    row = c.execute(
        select(invitations.c.id, invitations.c.side, invitation_links.c.code_hash)
        .join(invitations, invitations.c.id == invitation_links.c.invitation_id)
        .where(invitation_links.c.code_hash == digest, invitations.c.assessment_id == assessment_id)
    ).first()
    if row is None or not same_digest(row.code_hash, digest):
        return None
    return row.id, row.side


def find_link(c: Connection, code: str):
    """The assessment row (with the link's side) of an e-mailed link code, or None."""
    linked = (
        select(assessments, invitations.c.side, invitation_links.c.code_hash)
        .join(invitations, invitations.c.assessment_id == assessments.c.id)
        .join(invitation_links, invitation_links.c.invitation_id == invitations.c.id)
    )
    return row_by_code(c, linked, invitation_links.c.code_hash, code)


def answered_by_link(c: Connection, assessment_id: str, key: str) -> tuple[int, str] | None:
    """(the round it answered last, its side) for the invitation of an e-mailed link, or None."""
    found = link_invitation(c, assessment_id, key)
    if found is None:
        return None
    round_id = c.execute(select(invitations.c.answered_round).where(invitations.c.id == found[0])).scalar()
    return (round_id, found[1]) if round_id is not None else None


def mark_answered(c: Connection, invitation_id: int, round_id: int) -> bool:
    """In the submitting transaction: the invitation answers this round. False if one of its links already
    did (another link of the same invitee, e.g. a reminder's): one response per invitation and round.
    The conditional UPDATE takes the row's lock, so two links submitting at once count once.

    The invitee's address is erased in the same transaction: no reminder needs it any more, and a copy of
    the database then holds no address beside a mark that the transaction writing the response also wrote
    (privacy review 2: on PostgreSQL both rows carry that transaction's id, xmin, which paired every
    answered address with its answers)."""
    marked = (
        c.execute(
            update(invitations)
            .where(
                invitations.c.id == invitation_id,
                or_(invitations.c.answered_round.is_(None), invitations.c.answered_round != round_id),
            )
            .values(answered_round=round_id)
        ).rowcount
        == 1
    )
    if marked:
        c.execute(delete(invitees).where(invitees.c.invitation_id == invitation_id))
    return marked


def answered(c: Connection, invitation_id: int, round_id: int) -> bool:
    return bool(
        c.execute(
            select(func.count()).where(
                and_(invitations.c.id == invitation_id, invitations.c.answered_round == round_id)
            )
        ).scalar_one()
    )
