"""The database gateway: SQLAlchemy 2 Core, SQLite by default, PostgreSQL by DATABASE_URL.

Everything about an assessment lives in the database, so several app servers on one PostgreSQL
serve the same assessments.
"""

from __future__ import annotations

import math
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    Connection,
    Engine,
    Select,
    create_engine,
    delete,
    event,
    false,
    func,
    insert,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from alignment.org.plan import PlanNote
from alignment.org.rounds import Assessment, NewAssessment, Round, RoundCounts
from storage.actions import ActionStore
from storage.codes import hash_code, new_code, new_join_code, normalise_join_code, same_digest, well_formed
from storage.errors import AlreadySubmitted, NotInvited, RoundClosed, TooManyAttempts
from storage.schema import (
    answer_counts,
    answers,
    assessments,
    follow_up_actions,
    invitations,
    join_budget,
    join_codes,
    plan_notes,
    response_counts,
    responses,
    room_keys,
    rounds,
)
from storage.steps import number_submitted, report_steps
from storage.validation import (
    InvalidData,
    check_assessment,
    check_label,
    check_lengths,
    check_plan_note,
    check_response,
)

MIGRATIONS = Path(__file__).with_name("migrations")
DEFAULT_SQLITE_PATH = Path(__file__).resolve().parent.parent / "data" / "alignment.db"


def database_url() -> str:
    """DATABASE_URL if set (e.g. postgresql+psycopg://user@host/db), else a SQLite file under data/."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


_MIGRATING = threading.Lock()


def database_timeout() -> float:
    """DATABASE_TIMEOUT_SECONDS if set, else 4: the budget of any one wait on the database."""
    return float(os.environ.get("DATABASE_TIMEOUT_SECONDS", "").strip() or 4)


def _now() -> datetime:
    return datetime.now(UTC)


# A join code stands for the respondent link for this long after the room view makes it.
JOIN_CODE_HOURS = 12
# A room-view key shows the live view for this long after the results page makes it (a working day).
ROOM_KEY_HOURS = 12


@dataclass(frozen=True)
class JoinLimits:
    """The budget of failed join-code look-ups, per window of `window_seconds`: `per_client` for one client
    address, `overall` for all clients together. A look-up spends one unit of each before the code is
    looked up, and gets them back if the code was right: only failures spend. Kept in the database
    (table join_budget), so it is atomic under concurrent guesses and shared by every app server.

    With 30**8 codes, `overall` failures a minute and a code living JOIN_CODE_HOURS, a guesser finds one
    of L live codes with probability at most overall × 60 × 12 × L / 30**8: 6.6e-7 × L (1,000 codes live
    at once: 1 in 1,500). One client is held to `per_client`; it takes overall / per_client addresses
    flooding at once to spend the overall budget and refuse typed codes to everyone for the window.
    """

    window_seconds: float = 60.0
    per_client: int = 20
    overall: int = 600

    @classmethod
    def from_env(cls) -> JoinLimits:
        """JOIN_WINDOW_SECONDS, JOIN_FAILURES_PER_CLIENT and JOIN_FAILURES_OVERALL if set, else the defaults."""

        def read(name: str, default: float, kind: type) -> float:
            value = os.environ.get(name, "").strip()
            return kind(value) if value else default

        return cls(
            read("JOIN_WINDOW_SECONDS", cls.window_seconds, float),
            int(read("JOIN_FAILURES_PER_CLIENT", cls.per_client, int)),
            int(read("JOIN_FAILURES_OVERALL", cls.overall, int)),
        )


def client_scope(client: str | None) -> str:
    """The join budget's row for one client address: a digest, never the address."""
    return "c:" + hash_code(f"join-budget:{client or 'unknown'}")[:40]


def key_digest(round_id: int, key: str) -> str:
    """What a response stores of its respondent's key (invitation code or browser key): one per round."""
    return hash_code(f"{round_id}:{key}")


@dataclass(frozen=True)
class Created:
    """A new assessment's id and its codes, shown once and never stored in clear."""

    assessment_id: str
    respondent_code: str
    results_code: str
    invitations: tuple[tuple[str, str], ...] = ()  # (side, code) per invitee, in the order asked


@dataclass(frozen=True)
class Draft:
    response_id: str
    round_id: int
    side: str | None
    answers: dict[str, int]
    submitted: bool
    withheld: bool = False  # a draft held by another browser: its answers are not given (load_draft)


class Database(ActionStore):
    """A gateway to one database; create it once per process (st.cache_resource in the app)."""

    def __init__(
        self, url: str | None = None, timeout: float | None = None, join_limits: JoinLimits | None = None
    ) -> None:
        """`timeout`: the seconds any one wait may take (connecting, a statement, a pooled connection, a
        SQLite lock); DATABASE_TIMEOUT_SECONDS, else 4. A hung database then ends in an error the pages
        turn into a message, never in a page that waits for ever. `join_limits`: the failed join-code
        budget (JoinLimits.from_env() if not given)."""
        self.url = url or database_url()
        self.timeout = timeout if timeout is not None else database_timeout()
        self.join_limits = join_limits or JoinLimits.from_env()
        self.engine: Engine = create_engine(self.url, pool_pre_ping=True, **self._engine_options())
        self._sqlite_writers: threading.RLock | None = None
        if self.engine.dialect.name == "sqlite":
            self._configure_sqlite(self.engine, self.timeout)
            self._sqlite_writers = threading.RLock()

    def _engine_options(self) -> dict:
        seconds = self.timeout
        if self.url.startswith("sqlite"):
            return {"pool_timeout": seconds, "connect_args": {"timeout": seconds, "check_same_thread": False}}
        # statement_timeout goes with any options the URL already carries (the tests' search_path).
        given = make_url(self.url).query.get("options", ())
        given = [given] if isinstance(given, str) else list(given)
        options = " ".join([*given, f"-c statement_timeout={seconds * 1000:.0f}"])
        return {
            "pool_size": 5,
            "max_overflow": 20,
            "pool_timeout": seconds,
            "connect_args": {"connect_timeout": max(2, math.ceil(seconds)), "options": options.strip()},
        }

    @staticmethod
    def _configure_sqlite(engine: Engine, timeout: float) -> None:
        """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE for writes so concurrent writers queue, not fail."""

        @event.listens_for(engine, "connect")
        def on_connect(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None  # let the "begin" hook below issue BEGIN
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={timeout * 1000:.0f}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def on_begin(connection) -> None:
            # Writers (Database.transaction) take the write lock at once and queue; readers do not lock:
            # in WAL mode they read a snapshot beside a writer. (Reads under BEGIN IMMEDIATE queued every
            # page behind every write: the load test's 25 respondents waited 15 s to open the page.)
            immediate = connection.get_execution_options().get("sqlite_immediate", False)
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction; a value the database refuses (PostgreSQL's DataError) is a named InvalidData."""
        # SQLite takes one writer at a time: this process's writers queue on a lock, woken in turn, instead
        # of polling SQLite's busy handler (which let some of 20 concurrent writers starve past the budget).
        queue = self._sqlite_writers
        if queue is not None and not queue.acquire(timeout=self.timeout):
            raise PoolTimeout(f"more than {self.timeout:g} s waiting for the other writers")
        try:
            with self.engine.connect().execution_options(sqlite_immediate=True) as connection, connection.begin():
                yield connection
        except DataError as error:
            raise InvalidData("rejected", str(error.orig).splitlines()[0][:200]) from error
        finally:
            if queue is not None:
                queue.release()

    def migrate(self, revision: str = "head") -> None:
        """Apply the Alembic migrations up to `revision` (serialised across servers on PostgreSQL)."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        # Alembic keeps the running migration in module globals (alembic.context): one at a time per process.
        with _MIGRATING, self.transaction() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SET LOCAL statement_timeout = 0"))  # a migration may take long
                connection.execute(text("SELECT pg_advisory_xact_lock(742014)"))
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    def ping(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def dispose(self) -> None:
        self.engine.dispose()

    # --- assessments -------------------------------------------------------------------------

    def create_assessment(self, new: NewAssessment) -> Created:
        """Store a new assessment with its first round, open; return its codes."""
        check_assessment(new)
        codes = tuple((side, new_code()) for side, n in new.invited.items() for _ in range(n))
        created = Created(str(uuid.uuid4()), new_code(), new_code(), codes if new.access == "invitations" else ())
        now = _now()
        row = {
            "id": created.assessment_id,
            "org_name": new.org_name,
            "industry": new.industry,
            "industry_other": new.industry_other,
            "country": new.country,
            "country_other": new.country_other,
            "size": new.size,
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
        return created

    def _find(self, column, code: str) -> Assessment | None:
        if not well_formed(code):
            return None
        digest = hash_code(code)
        with self.engine.connect() as c:
            row = c.execute(select(assessments).where(column == digest)).mappings().first()
        if row is None or not same_digest(row[column.name], digest):
            return None
        return _assessment(row)

    def find_by_respondent_code(self, code: str, client: str | None = None) -> Assessment | None:
        """The assessment of a respondent code, or of a live join code (which stands for it; `client` is the
        address that typed it, for the failure budget: see find_by_join_code)."""
        if normalise_join_code(code) is not None:
            return self.find_by_join_code(code, client)
        return self._find(assessments.c.respondent_code_hash, code)

    def find_by_id(self, assessment_id: str) -> Assessment | None:
        """The assessment with this id, if it still exists (a session that already holds it: no code needed)."""
        with self.engine.connect() as c:
            row = c.execute(select(assessments).where(assessments.c.id == assessment_id)).mappings().first()
        return _assessment(row) if row else None

    def new_join_code(self, assessment_id: str, hours: float = JOIN_CODE_HOURS) -> tuple[str, datetime]:
        """A new short join code for an open-access assessment, valid for `hours`; returns it (never stored
        in clear) and its expiry. Expired codes of every assessment are deleted on the way. An assessment
        by invitation gets none (InvalidData "setting"): a shared code would bypass the invitations."""
        code, now = new_join_code(), _now()
        with self.transaction() as c:
            access = c.execute(select(assessments.c.access).where(assessments.c.id == assessment_id)).scalar()
            if access != "open":
                raise InvalidData("setting", f"join code for access {access!r}")
            c.execute(delete(join_codes).where(join_codes.c.expires_at <= now))
            expires = now + timedelta(hours=hours)
            c.execute(
                insert(join_codes).values(code_hash=hash_code(code), assessment_id=assessment_id, expires_at=expires)
            )
        return code, expires

    def find_by_join_code(self, typed: str, client: str | None = None) -> Assessment | None:
        """The open-access assessment of a live join code, typed in any case with spaces or dashes.

        Guessing is budgeted (JoinLimits): the look-up first spends one unit of its client's budget and one
        of the overall budget, atomically, in the database; a right code gives them back. Past either
        budget the code is not looked up at all: TooManyAttempts (the page says to wait, never "not
        valid"). A session that has joined never looks its code up again (respondents keep answering
        whatever others type), and a newcomer from another address is not held by one client's flood.
        """
        code = normalise_join_code(typed)
        if code is None:
            return None
        limits, digest, now = self.join_limits, hash_code(code), _now()
        slot = int(now.timestamp() // limits.window_seconds)
        mine = client_scope(client)
        with self.transaction() as c:
            fresh = self._budget_rows(c, (mine, "all"), slot)
            if "all" in fresh:  # the first look-up of a slot clears the slots before the previous one
                c.execute(delete(join_budget).where(join_budget.c.slot < slot - 1))
            if not self._spend(c, mine, slot, limits.per_client, 1):
                raise TooManyAttempts(client_scope(client))
            if not self._spend(c, "all", slot, limits.overall, 1):
                self._spend(c, mine, slot, None, -1)
                raise TooManyAttempts("all")
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
            self._spend(c, mine, slot, None, -1)
            self._spend(c, "all", slot, None, -1)
        return _assessment(row)

    def join_code_live(self, code: str, assessment_id: str) -> bool:
        """True if `code` is a live join code of this assessment: for the room view, which holds the room's key
        and shows the code; not a look-up by code, so it spends no failure budget."""
        code = normalise_join_code(code)
        if code is None:
            return False
        with self.engine.connect() as c:
            stored = c.execute(
                select(join_codes.c.code_hash).where(
                    join_codes.c.code_hash == hash_code(code),
                    join_codes.c.assessment_id == assessment_id,
                    join_codes.c.expires_at > _now(),
                )
            ).scalar()
        return stored is not None and same_digest(stored, hash_code(code))

    def _budget_rows(self, c: Connection, scopes: tuple[str, ...], slot: int) -> set[str]:
        """Make the slot's budget rows of these scopes if absent; return the scopes whose row was made now."""
        made = set()
        for scope in scopes:
            inserted = c.execute(
                self._insert_if_absent(join_budget)
                .values(scope=scope, slot=slot, spent=0)
                .returning(join_budget.c.scope)
            ).scalar()
            if inserted:
                made.add(scope)
        return made

    @staticmethod
    def _spend(c: Connection, scope: str, slot: int, limit: int | None, units: int) -> bool:
        """Spend `units` (or give them back, negative) of a budget row, if that keeps it within `limit`:
        one conditional UPDATE, so concurrent look-ups queue on the row lock and never overspend."""
        row = (join_budget.c.scope == scope) & (join_budget.c.slot == slot)
        if limit is not None:
            row = row & (join_budget.c.spent + units <= limit)
        return c.execute(update(join_budget).where(row).values(spent=join_budget.c.spent + units)).rowcount == 1

    def join_budget_spent(self, client: str | None = None) -> dict[str, int]:
        """Failed look-ups counted in the current slot: this client's and everyone's (for tests and docs)."""
        slot = int(_now().timestamp() // self.join_limits.window_seconds)
        mine = client_scope(client)
        with self.engine.connect() as c:
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
        code, now = new_code(), _now()
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
        if not well_formed(code):
            return None
        digest = hash_code(code)
        with self.engine.connect() as c:
            row = (
                c.execute(
                    select(assessments, room_keys.c.code_hash)
                    .join(room_keys, room_keys.c.assessment_id == assessments.c.id)
                    .where(room_keys.c.code_hash == digest, room_keys.c.expires_at > _now())
                )
                .mappings()
                .first()
            )
        if row is None or not same_digest(row["code_hash"], digest):
            return None
        return _assessment(row)

    def room_keys_live(self, assessment_id: str) -> int:
        """How many room-view keys of the assessment are live (not expired, not revoked)."""
        with self.engine.connect() as c:
            return c.execute(
                select(func.count()).where(room_keys.c.assessment_id == assessment_id, room_keys.c.expires_at > _now())
            ).scalar_one()

    def revoke_room_keys(self, assessment_id: str) -> int:
        """Revoke every room-view key of the assessment (the projector shows "not valid" on its next
        refresh); returns how many there were."""
        with self.transaction() as c:
            return c.execute(delete(room_keys).where(room_keys.c.assessment_id == assessment_id)).rowcount

    def find_by_results_code(self, code: str) -> Assessment | None:
        return self._find(assessments.c.results_code_hash, code)

    def find_invitation(self, code: str) -> tuple[Assessment, str] | None:
        """The assessment an invitation code belongs to, and the side it was given for."""
        if not well_formed(code):
            return None
        digest = hash_code(code)
        with self.engine.connect() as c:
            row = (
                c.execute(
                    select(assessments, invitations.c.side, invitations.c.code_hash)
                    .join(invitations, invitations.c.assessment_id == assessments.c.id)
                    .where(invitations.c.code_hash == digest)
                )
                .mappings()
                .first()
            )
        if row is None or not same_digest(row["code_hash"], digest):
            return None
        return _assessment(row), row["side"]

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
            round_ids = select(rounds.c.id).where(rounds.c.assessment_id == assessment_id)
            c.execute(delete(follow_up_actions).where(follow_up_actions.c.assessment_id == assessment_id))
            c.execute(delete(plan_notes).where(plan_notes.c.round_id.in_(round_ids)))
            c.execute(delete(answer_counts).where(answer_counts.c.round_id.in_(round_ids)))
            c.execute(delete(response_counts).where(response_counts.c.round_id.in_(round_ids)))
            c.execute(delete(answers).where(answers.c.round_id.in_(round_ids)))
            c.execute(delete(responses).where(responses.c.round_id.in_(round_ids)))
            c.execute(delete(rounds).where(rounds.c.assessment_id == assessment_id))
            c.execute(delete(invitations).where(invitations.c.assessment_id == assessment_id))
            c.execute(delete(join_codes).where(join_codes.c.assessment_id == assessment_id))
            c.execute(delete(room_keys).where(room_keys.c.assessment_id == assessment_id))
            return c.execute(delete(assessments).where(assessments.c.id == assessment_id)).rowcount == 1

    # --- rounds ------------------------------------------------------------------------------

    def rounds(self, assessment_id: str) -> list[Round]:
        """The assessment's real rounds, oldest first: never its rehearsal round (see rehearsal_round)."""
        with self.engine.connect() as c:
            rows = c.execute(
                select(rounds)
                .where(rounds.c.assessment_id == assessment_id, rounds.c.rehearsal.is_(false()))
                .order_by(rounds.c.number)
            ).mappings()
            return [_round(r) for r in rows]

    # --- rehearsal ---------------------------------------------------------------------------

    def rehearsal_round(self, assessment_id: str) -> Round | None:
        """The assessment's rehearsal round of simulated answers (number 0), if it has one."""
        with self.engine.connect() as c:
            row = (
                c.execute(select(rounds).where(rounds.c.assessment_id == assessment_id, rounds.c.rehearsal.is_(true())))
                .mappings()
                .first()
            )
        return _round(row) if row else None

    def add_simulated(self, assessment_id: str, simulated: list[tuple[str, dict[str, int]]]) -> Round:
        """Submit simulated responses (side, answers) to the assessment's rehearsal round, made if absent.

        Counted and stepped exactly as real submissions are (Database.submit), but in a round that
        Database.rounds() never lists: real results, exports and comparisons never see them.
        """
        for side, values in simulated:
            check_response(side, values, submitting=True)
        now = _now()
        with self.transaction() as c:
            self._lock_assessment(c, assessment_id)
            step = c.execute(
                select(assessments.c.min_group_size).where(assessments.c.id == assessment_id)
            ).scalar_one_or_none()
            if step is None:
                raise LookupError(assessment_id)
            c.execute(
                self._insert_if_absent(rounds).values(
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
                        created_at=now,
                        updated_at=now,
                        submitted_at=now,
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

    def current_round(self, assessment_id: str) -> Round:
        return self.rounds(assessment_id)[-1]

    def set_round_open(self, round_id: int, is_open: bool) -> bool:
        """Close a round, or reopen it if it is still its assessment's latest. True if it changed."""
        with self.transaction() as c:
            owner = select(rounds.c.assessment_id).where(rounds.c.id == round_id)
            assessment_id = c.execute(owner).scalar_one_or_none()
            if assessment_id is None:
                return False
            self._lock_assessment(c, assessment_id)
            access = c.execute(select(assessments.c.access).where(assessments.c.id == assessment_id)).scalar_one()
            if is_open and access == "open":
                return False  # an open link's round closed once was shown whole: reopened, it would give a 2nd view
            if is_open:
                latest = c.execute(
                    select(func.max(rounds.c.number)).where(rounds.c.assessment_id == assessment_id)
                ).scalar_one()
                condition = (rounds.c.status == "closed") & (rounds.c.number == latest)
                values = {"status": "open", "closed_at": None}
            else:
                condition = rounds.c.status == "open"
                values = {"status": "closed", "closed_at": _now()}
            changed = c.execute(update(rounds).where(rounds.c.id == round_id, condition).values(**values)).rowcount
            if changed and not is_open and access == "open":
                self._report_all(c, [round_id])
            return changed == 1

    def start_new_round(self, assessment_id: str, label: str, after: int | None = None) -> Round:
        """Close the current round and open the next one; return the assessment's newest round.

        `after` is the number of the newest round the caller saw: if another click (another tab, another
        server) has started a round since, none is added, so concurrent clicks make one round, not two.
        """
        check_label(label)
        check_lengths(rounds, {"assessment_id": assessment_id, "label": label})
        now = _now()
        with self.transaction() as c:
            self._lock_assessment(c, assessment_id)
            last = c.execute(
                select(func.max(rounds.c.number)).where(rounds.c.assessment_id == assessment_id)
            ).scalar_one()
            if last is None:
                raise LookupError(assessment_id)  # deleted meanwhile
            if after is None or last == after:
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
                    self._report_all(c, closing)
                c.execute(
                    insert(rounds).values(
                        assessment_id=assessment_id, number=last + 1, label=label, status="open", created_at=now
                    )
                )
        return self.current_round(assessment_id)

    @staticmethod
    def _report_all(c: Connection, round_ids: list[int]) -> None:
        """Show every submitted response of these rounds (an open link's rounds, as they close)."""
        if not round_ids:
            return
        for table in (response_counts, answer_counts):
            c.execute(update(table).where(table.c.round_id.in_(round_ids)).values(reported=table.c.n))

    @staticmethod
    def _lock_assessment(c: Connection, assessment_id: str) -> None:
        """Serialise changes to an assessment's rounds: a row lock on PostgreSQL (SQLite's BEGIN IMMEDIATE
        already serialises every writer)."""
        c.execute(select(assessments.c.id).where(assessments.c.id == assessment_id).with_for_update())

    # --- responses ---------------------------------------------------------------------------

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
        size, or None with an open link, whose results are shown only once the round is closed), or None if
        that response was
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
        digest, now = key_digest(round_id, key), _now()
        existing = c.execute(select(responses.c.id).where(responses.c.resume_code_hash == digest)).scalar()
        if existing is None:
            inserted = c.execute(
                self._insert_if_absent(responses)
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

    def _insert_if_absent(self, table):
        """INSERT … ON CONFLICT DO NOTHING in this engine's dialect."""
        if self.engine.dialect.name == "postgresql":
            return postgresql_insert(table).on_conflict_do_nothing()
        return sqlite_insert(table).on_conflict_do_nothing()

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
            submitted = c.execute(
                update(responses)
                .where(responses.c.id == response, responses.c.status == "draft")
                .values(status="submitted", submitted_at=_now())
            ).rowcount
            if submitted != 1:
                return False
            self._record(c, round_id, response, side, values, step)
            return True

    def _record(self, c: Connection, round_id: int, response: str, side: str, values: dict, step: int | None) -> None:
        """Count a response just submitted, rank it in its side, and move what is shown to the next step when
        the side reaches a multiple of the minimum group size (`step`): all in the submitting transaction.
        With an open link (`step` None) nothing shown moves until the round closes (_report_all)."""
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
        dialect_insert = postgresql_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        rank = c.execute(
            dialect_insert(response_counts)
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
                dialect_insert(answer_counts).on_conflict_do_update(
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

        By invitation pass `holder`, the opening browser's key: the answers of a draft come back only if
        that browser holds it (it wrote it last, see _write_response); otherwise they are withheld (an empty
        dict, `withheld` True): an invitation link someone else held never shows the invitee's answers.
        """
        if not well_formed(key):
            return None
        with self.engine.connect() as c:
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
        submitted = row["status"] == "submitted"
        held = row["holder_hash"]
        mine = (holder is None and held is None) or (
            holder is not None and held is not None and same_digest(held, key_digest(row["round_id"], holder))
        )
        if not mine:
            return Draft(row["id"], row["round_id"], row["side"], {}, submitted, withheld=True)
        return Draft(row["id"], row["round_id"], row["side"], values, submitted)

    # --- results -----------------------------------------------------------------------------

    def round_counts(self, round_id: int) -> RoundCounts:
        """Submitted responses of a round, counted per side and per (side, item, value), in SQL.

        Both queries read this round's rows only, through pk_response_counts and pk_answer_counts
        (tests/storage/test_storage_schema.py checks the plans on both engines).
        """
        by_side, by_value = round_count_queries(round_id)
        with self.engine.connect() as c:
            if self.engine.dialect.name == "postgresql":  # both reads see the same submissions
                c.execution_options(isolation_level="REPEATABLE READ")
            sides = c.execute(by_side).all()
            rows = c.execute(by_value).all()
        return RoundCounts(
            sides={s: n for s, n, _ in sides},
            values={(s, i, v): n for s, i, v, n in rows if n},
            reported={s: r for s, _, r in sides},
        )

    def export_rows(self, round_id: int, sides: tuple[str, ...]) -> list[dict]:
        """The reported responses of the given sides, as rows that single no one out: each side's first
        (n // minimum) × minimum submitted responses (what the page shows), with no id, no date and no
        order: sorted by side and answers, so two exports differ by whole steps and a row's place says
        nothing of when it came."""
        reported = (
            select(response_counts.c.side, response_counts.c.reported)
            .where(response_counts.c.round_id == round_id, response_counts.c.side.in_(sides))
            .subquery()
        )
        shown = (
            select(responses.c.id, responses.c.side)
            .join(reported, reported.c.side == responses.c.side)
            .where(
                responses.c.round_id == round_id,
                responses.c.status == "submitted",
                responses.c.side_seq <= reported.c.reported,
            )
            .subquery()
        )
        with self.engine.connect() as c:
            heads = dict(c.execute(select(shown.c.id, shown.c.side)).all())
            values: dict[str, dict[str, int]] = {rid: {} for rid in heads}
            for response_id, item, value in c.execute(
                select(answers.c.response_id, answers.c.item, answers.c.value)
                .join(shown, shown.c.id == answers.c.response_id)
                .where(answers.c.round_id == round_id)
            ):
                values[response_id][item] = value
        rows = [{"side": heads[rid], "answers": dict(sorted(values[rid].items()))} for rid in heads]
        return sorted(rows, key=lambda row: (row["side"], sorted(row["answers"].items())))

    # --- the conversation plan --------------------------------------------------------------------

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
        row = {"round_id": round_id, "key": key, "done": done, "note": cleaned, "updated_at": _now()}
        check_lengths(plan_notes, row)
        dialect_insert = postgresql_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        with self.transaction() as c:
            c.execute(
                dialect_insert(plan_notes)
                .values(**row)
                .on_conflict_do_update(
                    index_elements=["round_id", "key"],
                    set_={"done": done, "note": cleaned, "updated_at": row["updated_at"]},
                )
            )
        return PlanNote(done, cleaned)


def round_count_queries(round_id: int) -> tuple[Select, Select]:
    """The two statements behind Database.round_counts: the round's kept counts of submitted responses
    per side (all, and as reported) and of their reported answers per (side, item, value), both
    primary-key range scans."""
    by_side = select(response_counts.c.side, response_counts.c.n, response_counts.c.reported).where(
        response_counts.c.round_id == round_id
    )
    by_value = select(
        answer_counts.c.side, answer_counts.c.item, answer_counts.c.value, answer_counts.c.reported
    ).where(answer_counts.c.round_id == round_id)
    return by_side, by_value


def _assessment(row) -> Assessment:
    return Assessment(
        id=row["id"],
        org_name=row["org_name"],
        lang=row["lang"],
        min_group_size=row["min_group_size"],
        industry=row["industry"],
        industry_other=row["industry_other"],
        country=row["country"],
        country_other=row["country_other"],
        size=row["size"],
        created_at=row["created_at"],
        access=row["access"],
    )


def _round(row) -> Round:
    return Round(
        id=row["id"],
        assessment_id=row["assessment_id"],
        number=row["number"],
        label=row["label"],
        status=row["status"],
        created_at=row["created_at"],
        rehearsal=bool(row["rehearsal"]),
    )
