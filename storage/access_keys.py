"""The codes that are not the organiser's: the room view's own read-only keys, the join link, and the budget
of failed join-code look-ups (issue 16).

- Room-view keys (`room_keys`): the projected room view opens with one (`/room?v=…`), never with the results
  code; it shows the live view and nothing else, expires (ROOM_KEY_HOURS) and is revoked from the results
  page.
- Join links (`join_codes.link_hash`): the room's QR code carries a 192-bit link made with the short code,
  living and going with it; both are derived from the room-view key (room_join), so a room shows the same
  ones on every load. Looking one up is not budgeted (it cannot be guessed, like an invitation code):
  whoever scans the QR code joins, whatever anyone types elsewhere.
- Short join codes are short enough to type, hence guessable in principle: each look-up spends, before the
  code is looked up, one unit of its client network's budget and one of the overall budget (`join_budget`,
  per time slot, storage.codes.JoinLimits), in one conditional statement each, so a burst of concurrent
  guesses spends it once, on every app server alike; a right code gives its units back. A network's row is
  named by an HMAC of the network under the slot's random salt (`join_salts`) and the servers' secret
  (storage.codes.network_scope): a database reader cannot try every address without the secret; rows and
  salts of past slots are deleted on every look-up and on a timer (sweep_join_budget), and then nobody can.
"""

from __future__ import annotations

import ipaddress
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, Connection, RowMapping, delete, func, insert, select, update

from alignment.org.rounds import Assessment
from storage.assessments import JOIN_CODE_HOURS, RoomJoin, assessment_from_row
from storage.codes import (
    hash_code,
    network_scope,
    new_code,
    normalise_join_code,
    room_join_codes,
    same_digest,
    well_formed,
)
from storage.errors import TooManyAttempts
from storage.plumbing import Plumbing, row_by_code, utc_now
from storage.schema import assessments, join_budget, join_codes, join_salts, room_keys
from storage.validation import InvalidData

# A room-view key shows the live view for this long after the results page makes it (a working day).
ROOM_KEY_HOURS = 12


def network_of(client: str | None) -> str:
    """The network a client address counts in: the address itself, or for IPv6 its /64, the block one phone
    or one home network holds (issue 16 review: one machine rotating addresses in its /64 was 2**64
    clients, and spent the overall budget alone)."""
    try:
        address = ipaddress.ip_address(client or "")
    except ValueError:
        return client or "unknown"  # not an address (none known: "unknown", one network for all of them)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _aware(moment: datetime) -> datetime:
    """A stored time in UTC (SQLite gives it back without its zone)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class AccessKeys(Plumbing):
    """Room-view keys and the join-code failure budget."""

    def find_by_join_code(self, typed: str, client: str | None = None) -> Assessment | None:
        """The open-access assessment of a live join code, typed in any case with spaces or dashes.

        Guessing is budgeted (JoinLimits): the look-up first spends one unit of its client network's budget
        and one of the overall budget, atomically, in the database; a right code gives them back. Past either
        budget the code is not looked up at all: TooManyAttempts (the page says to wait a minute or scan the
        QR code, never "not valid"). A session that has joined never looks its code up again (respondents
        keep answering whatever others type), a newcomer from another network is not held by one network's
        flood, and whoever scans the QR code (find_by_join_link) is held by none.
        """
        code = normalise_join_code(typed)
        if code is None:
            return None
        limits, digest, now = self.join_limits, hash_code(code), utc_now()
        slot = self._slot(now)
        with self.transaction() as c:
            mine = network_scope(self.budget_key, self._salt(c, slot), network_of(client))
            if self._take(c, mine, slot, limits.per_client) is None:
                raise TooManyAttempts("client")
            overall = self._take(c, "all", slot, limits.overall)
            if overall is None:
                self._give_back(c, mine, slot)
                raise TooManyAttempts("all")
            if overall == 1:  # the slot's first unit (or first since right codes gave all back) clears past slots
                self._sweep(c, slot)  # (a timer does too)
            row = (
                c.execute(
                    select(assessments, join_codes.c.code_hash)
                    .join(join_codes, join_codes.c.assessment_id == assessments.c.id)
                    .where(join_codes.c.code_hash == digest, join_codes.c.expires_at > now)
                )
                .mappings()
                .first()
            )
            if row is None or not same_digest(row["code_hash"], digest) or row["access"] != "open":
                return None  # the units stay spent
            self._give_back(c, mine, slot)
            self._give_back(c, "all", slot)
            # A right code spent nothing: nothing of its client's address stays (issue 16 review: the row of a
            # respondent's address stayed, with its time slot, beside their response's creation time).
            c.execute(
                delete(join_budget).where(
                    join_budget.c.scope == mine, join_budget.c.slot == slot, join_budget.c.spent == 0
                )
            )
        return assessment_from_row(row)

    def find_by_join_link(self, link: str) -> Assessment | None:
        """The open-access assessment of a live join link (the room's QR code). Not budgeted: 192 random bits
        cannot be guessed, so no flood of wrong short codes, from any network, holds back whoever scans it."""
        row = self._live(join_codes.c.link_hash, link)
        return assessment_from_row(row) if row is not None and row["access"] == "open" else None

    def _live(self, column: Column, code: str) -> RowMapping | None:
        """The assessment row of a code whose digest `column` holds (join_codes' or room_keys'), while the code
        has not expired; None otherwise."""
        if not well_formed(code):
            return None
        table = column.table
        live = (
            select(assessments, column)
            .join(table, table.c.assessment_id == assessments.c.id)
            .where(table.c.expires_at > utc_now())
        )
        with self.engine.connect() as c:
            return row_by_code(c, live, column, code)

    def _slot(self, now: datetime) -> int:
        return int(now.timestamp() // self.join_limits.window_seconds)

    def _salt(self, c: Connection, slot: int) -> str:
        """The slot's random salt, made by the first look-up of the slot (on any app server). One upsert that
        returns the row it made or found, and locks it: a sweep at the slot's end (another server's clock a
        little ahead) cannot delete it between making and reading (tests/storage/test_privacy_review.py)."""
        return c.execute(
            self.dialect_insert(join_salts)
            .values(slot=slot, salt=secrets.token_hex(32))
            .on_conflict_do_update(index_elements=[join_salts.c.slot], set_={"salt": join_salts.c.salt})
            .returning(join_salts.c.salt)
        ).scalar_one()

    @staticmethod
    def _sweep(c: Connection, slot: int) -> int:
        """Delete the salts and budget rows of the slots before `slot`; returns how many rows went. Salts first,
        in the order a look-up locks them (its slot's salt, then its budget rows): a look-up still under way in
        a past slot and a sweep from the next one wait on each other in turn, never both at once (the other
        order deadlocked on PostgreSQL: tests/storage/test_privacy_review.py)."""
        gone = c.execute(delete(join_salts).where(join_salts.c.slot < slot)).rowcount
        return gone + c.execute(delete(join_budget).where(join_budget.c.slot < slot)).rowcount

    def sweep_join_budget(self) -> int:
        """Delete the join budget's rows and salts of past slots (the app runs it on a timer, ui/server.py):
        once a slot's salt is gone, nothing left can be turned back into a network, even with the servers'
        secret. Returns how many rows were deleted."""
        with self.transaction() as c:
            return self._sweep(c, self._slot(utc_now()))

    def _take(self, c: Connection, scope: str, slot: int, limit: int) -> int | None:
        """Spend one unit of a budget row (a client network's, or "all") within `limit`, the row made if absent
        (none yet, a right code of the same network deleted it once back at 0, or a sweep at the slot's end
        did); returns the units spent now, None if refused. One upsert, so concurrent look-ups queue on the
        row and one that finds it gone is never refused. (An UPDATE, then a SELECT when it found no row, took a
        row made meanwhile by another look-up for a spent budget; an UPDATE of the overall row found it swept:
        tests/storage/test_privacy_review.py.)"""
        spend = (
            self.dialect_insert(join_budget)
            .values(scope=scope, slot=slot, spent=1)
            .on_conflict_do_update(
                index_elements=[join_budget.c.scope, join_budget.c.slot],
                set_={"spent": join_budget.c.spent + 1},
                where=join_budget.c.spent + 1 <= limit,
            )
            .returning(join_budget.c.spent)
        )
        return c.execute(spend).scalar() if limit >= 1 else None

    def room_join(self, room_key: str, hours: float = JOIN_CODE_HOURS) -> RoomJoin | None:
        """The room's way in, for the room view holding `room_key`: the short code and the join link derived
        from the key (storage.codes.room_join_codes), so every load of the room address shows the same ones,
        and another room key others. Stored only as digests, living `hours` but never past the room key;
        made again if they expired while the key lives. None if the key is not live; an assessment by
        invitation gets none (InvalidData "setting"). Not a look-up by code: it spends no failure budget."""
        if not well_formed(room_key):
            return None
        code, link = room_join_codes(room_key)
        now = utc_now()
        with self.transaction() as c:
            key = c.execute(
                select(room_keys.c.expires_at, assessments.c.id, assessments.c.access)
                .join(assessments, assessments.c.id == room_keys.c.assessment_id)
                .where(room_keys.c.code_hash == hash_code(room_key), room_keys.c.expires_at > now)
            ).first()
            if key is None:
                return None
            if key.access != "open":
                raise InvalidData("setting", f"join code for access {key.access!r}")
            c.execute(delete(join_codes).where(join_codes.c.expires_at <= now))
            expires = min(now + timedelta(hours=hours), _aware(key.expires_at))
            c.execute(  # another app server may be making the same row: the first one stays
                self.dialect_insert(join_codes)
                .on_conflict_do_nothing()
                .values(code_hash=hash_code(code), link_hash=hash_code(link), assessment_id=key.id, expires_at=expires)
            )
            stored = c.execute(
                select(join_codes.c.assessment_id, join_codes.c.link_hash, join_codes.c.expires_at).where(
                    join_codes.c.code_hash == hash_code(code)
                )
            ).first()
        if stored is None or stored.assessment_id != key.id or not same_digest(stored.link_hash or "", hash_code(link)):
            return None  # the code of another room (1 chance in 30**8): no code rather than a wrong one
        return RoomJoin(code, link, _aware(stored.expires_at))

    @staticmethod
    def _give_back(c: Connection, scope: str, slot: int) -> None:
        """Give back the unit a look-up spent of a budget row (a right code, or the other budget refused)."""
        row = (join_budget.c.scope == scope) & (join_budget.c.slot == slot)
        c.execute(update(join_budget).where(row).values(spent=join_budget.c.spent - 1))

    def join_budget_spent(self, client: str | None = None) -> dict[str, int]:
        """Failed look-ups counted in the current slot: this client network's and everyone's (for tests)."""
        slot = self._slot(utc_now())
        with self.engine.connect() as c:
            salt = c.execute(select(join_salts.c.salt).where(join_salts.c.slot == slot)).scalar()
            mine = network_scope(self.budget_key, salt, network_of(client)) if salt else "none"
            rows = dict(
                c.execute(
                    select(join_budget.c.scope, join_budget.c.spent).where(
                        join_budget.c.slot == slot, join_budget.c.scope.in_((mine, "all"))
                    )
                ).all()
            )
        return {"client": rows.get(mine, 0), "all": rows.get("all", 0)}

    # --- the room view's keys ----------------------------------------------------------------

    def new_room_key(self, assessment_id: str, hours: float = ROOM_KEY_HOURS) -> tuple[str, datetime]:
        """A new read-only key of the room view, valid for `hours`: it shows the assessment's live view and
        nothing else. Returned once; stored only as a digest. Expired keys are deleted on the way."""
        code, now = new_code(), utc_now()
        expires = now + timedelta(hours=hours)
        with self.transaction() as c:
            if c.execute(select(assessments.c.id).where(assessments.c.id == assessment_id)).scalar() is None:
                raise LookupError(assessment_id)
            c.execute(delete(room_keys).where(room_keys.c.expires_at <= now))
            c.execute(
                insert(room_keys).values(
                    code_hash=hash_code(code), assessment_id=assessment_id, created_at=now, expires_at=expires
                )
            )
        return code, expires

    def find_by_room_key(self, code: str) -> Assessment | None:
        """The assessment of a live, unrevoked room-view key."""
        row = self._live(room_keys.c.code_hash, code)
        return None if row is None else assessment_from_row(row)

    def room_keys_live(self, assessment_id: str) -> int:
        """How many room-view keys of the assessment are live (not expired, not revoked)."""
        with self.engine.connect() as c:
            return room_keys_live_of(c, assessment_id)

    def revoke_room_keys(self, assessment_id: str) -> int:
        """Revoke every room-view key of the assessment (the projector shows "not valid" on its next
        refresh); returns how many there were."""
        with self.transaction() as c:
            return c.execute(delete(room_keys).where(room_keys.c.assessment_id == assessment_id)).rowcount


def room_keys_live_of(c: Connection, assessment_id: str) -> int:
    """How many room-view keys of the assessment are live, read on `c` (also by Reporting.results_page)."""
    return c.execute(
        select(func.count()).where(room_keys.c.assessment_id == assessment_id, room_keys.c.expires_at > utc_now())
    ).scalar_one()
