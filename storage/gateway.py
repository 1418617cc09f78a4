"""The database gateway: SQLAlchemy 2 Core, SQLite by default, PostgreSQL by DATABASE_URL.

Everything about an assessment lives in the database, so several app servers on one PostgreSQL
serve the same assessments.
"""

from __future__ import annotations

import math
import os
import threading
import time
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
    and_,
    bindparam,
    create_engine,
    delete,
    event,
    false,
    func,
    insert,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from alignment.org.plan import PlanNote
from alignment.org.rounds import Assessment, NewAssessment, Round, RoundCounts
from storage.codes import hash_code, new_code, new_join_code, normalise_join_code, same_digest, well_formed
from storage.errors import AlreadySubmitted, NotInvited, RoundClosed
from storage.schema import (
    answer_counts,
    answers,
    assessments,
    invitations,
    join_codes,
    plan_notes,
    response_counts,
    responses,
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
# A pooled PostgreSQL connection idle for longer than this is checked (SELECT 1) before it is used again.
IDLE_PING_SECONDS = 5.0
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
# Failed join-code look-ups one server process answers per minute; past it, join codes are refused for the
# rest of the minute (respondent links still work). With 30**8 codes, a guesser at this rate needs about
# 30**8 / (60 × live codes) minutes per process to hit one: over 20 years with 1,000 codes live at once.
JOIN_FAILURES_PER_MINUTE = 60


class _FailureBudget:
    """A sliding one-minute budget of failures, per process."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._times: list[float] = []
        self._lock = threading.Lock()

    def _trim(self, now: float) -> None:
        self._times = [t for t in self._times if now - t < 60]

    def exhausted(self) -> bool:
        import time

        with self._lock:
            self._trim(time.monotonic())
            return len(self._times) >= self.per_minute

    def fail(self) -> None:
        import time

        with self._lock:
            self._times.append(time.monotonic())


JOIN_FAILURES = _FailureBudget(JOIN_FAILURES_PER_MINUTE)


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
class ResultsPage:
    """What the organisation results page needs before its (cached) result, read in one query: the
    assessment, its real rounds oldest first, and each round's kept counts per side, (side, n, reported):
    they change with every submission and every step, so they key the page's cached result."""

    assessment: Assessment
    rounds: tuple[Round, ...]
    versions: dict[int, tuple[tuple[str, int, int], ...]]


@dataclass(frozen=True)
class Draft:
    response_id: str
    round_id: int
    side: str | None
    answers: dict[str, int]
    submitted: bool


class Database:
    """A gateway to one database; create it once per process (st.cache_resource in the app)."""

    def __init__(self, url: str | None = None, timeout: float | None = None) -> None:
        """`timeout`: the seconds any one wait may take (connecting, a statement, a pooled connection, a
        SQLite lock); DATABASE_TIMEOUT_SECONDS, else 4. A hung database then ends in an error the pages
        turn into a message, never in a page that waits for ever."""
        self.url = url or database_url()
        self.timeout = timeout if timeout is not None else database_timeout()
        self.engine: Engine = create_engine(self.url, **self._engine_options())
        self._sqlite_writers: threading.RLock | None = None
        self._statements: dict[tuple[str, int], tuple] = {}  # compiled once: see _run
        if self.engine.dialect.name == "sqlite":
            self._configure_sqlite(self.engine, self.timeout)
            self._sqlite_writers = threading.RLock()
        else:
            self._ping_idle_connections(self.engine)

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
    def _ping_idle_connections(engine: Engine) -> None:
        """Check a pooled connection before use only if it sat idle for IDLE_PING_SECONDS: a connection in
        steady use is not pinged on every checkout (a round trip each: the pool's pre-ping did that).

        A server restarted under a busy pool still fails one statement per connection at most: SQLAlchemy
        sees the disconnect and invalidates every pooled connection opened before it, so the next checkout
        connects afresh (tests/storage/test_restart.py: nothing lost or doubled, every failure "unavailable").
        """

        @event.listens_for(engine, "checkin")
        def on_checkin(_dbapi_connection, record) -> None:
            record.info["idle_since"] = time.monotonic()

        @event.listens_for(engine, "checkout")
        def on_checkout(dbapi_connection, record, _proxy) -> None:
            if time.monotonic() - record.info.get("idle_since", 0.0) < IDLE_PING_SECONDS:
                return
            try:
                cursor = dbapi_connection.cursor()
                cursor.execute("SELECT 1")
                cursor.close()
                dbapi_connection.rollback()  # no transaction left open by the check
            except Exception as error:  # the pool then discards it and tries another connection
                raise DisconnectionError(str(error)) from error

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

    def find_by_respondent_code(self, code: str) -> Assessment | None:
        """The assessment of a respondent code, or of a live join code (which stands for it)."""
        if normalise_join_code(code) is not None:
            return self.find_by_join_code(code)
        return self._find(assessments.c.respondent_code_hash, code)

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

    def find_by_join_code(self, typed: str) -> Assessment | None:
        """The open-access assessment of a live join code, typed in any case with spaces or dashes.

        Failed look-ups are budgeted per process (JOIN_FAILURES_PER_MINUTE); once it is spent, every join
        code is refused until the minute has passed, so guessing is too slow to find one before it expires.
        """
        code = normalise_join_code(typed)
        if code is None or JOIN_FAILURES.exhausted():
            return None
        digest = hash_code(code)
        with self.engine.connect() as c:
            row = (
                c.execute(
                    select(assessments, join_codes.c.code_hash)
                    .join(join_codes, join_codes.c.assessment_id == assessments.c.id)
                    .where(join_codes.c.code_hash == digest, join_codes.c.expires_at > _now())
                )
                .mappings()
                .first()
            )
        if row is None or not same_digest(row["code_hash"], digest) or row["access"] != "open":
            JOIN_FAILURES.fail()
            return None
        return _assessment(row)

    def find_by_results_code(self, code: str) -> Assessment | None:
        return self._find(assessments.c.results_code_hash, code)

    def results_page(self, code: str) -> ResultsPage | None:
        """The assessment of a results code with its real rounds and their counts per side, in one query (one
        row per round and side); None for an unknown code."""
        if not well_formed(code):
            return None
        digest = hash_code(code)
        real = and_(rounds.c.assessment_id == assessments.c.id, rounds.c.rehearsal.is_(false()))
        query = (
            select(
                assessments,
                rounds.c.id.label("round_id"),
                rounds.c.number.label("round_number"),
                rounds.c.label.label("round_label"),
                rounds.c.status.label("round_status"),
                rounds.c.created_at.label("round_created_at"),
                response_counts.c.side.label("count_side"),
                response_counts.c.n.label("count_n"),
                response_counts.c.reported.label("count_reported"),
            )
            .select_from(
                assessments.outerjoin(rounds, real).outerjoin(
                    response_counts, response_counts.c.round_id == rounds.c.id
                )
            )
            .where(assessments.c.results_code_hash == digest)
            .order_by(rounds.c.number, response_counts.c.side)
        )
        with self.engine.connect() as c:
            rows = c.execute(query).mappings().all()
        if not rows or not same_digest(rows[0]["results_code_hash"], digest):
            return None
        assessment = _assessment(rows[0])
        found: dict[int, Round] = {}
        versions: dict[int, list[tuple[str, int, int]]] = {}
        for row in rows:
            rid = row["round_id"]
            if rid is None:
                continue  # no real round (never after creation)
            if rid not in found:
                found[rid] = Round(
                    rid,
                    assessment.id,
                    row["round_number"],
                    row["round_label"],
                    row["round_status"],
                    row["round_created_at"],
                )
                versions[rid] = []
            if row["count_side"] is not None:
                versions[rid].append((row["count_side"], row["count_n"], row["count_reported"]))
        return ResultsPage(assessment, tuple(found.values()), {k: tuple(v) for k, v in versions.items()})

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
        """Delete an assessment with its rounds, responses and answers."""
        with self.transaction() as c:
            round_ids = select(rounds.c.id).where(rounds.c.assessment_id == assessment_id)
            c.execute(delete(plan_notes).where(plan_notes.c.round_id.in_(round_ids)))
            c.execute(delete(answer_counts).where(answer_counts.c.round_id.in_(round_ids)))
            c.execute(delete(response_counts).where(response_counts.c.round_id.in_(round_ids)))
            c.execute(delete(answers).where(answers.c.round_id.in_(round_ids)))
            c.execute(delete(responses).where(responses.c.round_id.in_(round_ids)))
            c.execute(delete(rounds).where(rounds.c.assessment_id == assessment_id))
            c.execute(delete(invitations).where(invitations.c.assessment_id == assessment_id))
            c.execute(delete(join_codes).where(join_codes.c.assessment_id == assessment_id))
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
            if is_open:
                latest = c.execute(
                    select(func.max(rounds.c.number)).where(rounds.c.assessment_id == assessment_id)
                ).scalar_one()
                condition = (rounds.c.status == "closed") & (rounds.c.number == latest)
                values = {"status": "open", "closed_at": None}
            else:
                condition = rounds.c.status == "open"
                values = {"status": "closed", "closed_at": _now()}
            return c.execute(update(rounds).where(rounds.c.id == round_id, condition).values(**values)).rowcount == 1

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
                c.execute(
                    update(rounds)
                    .where(
                        rounds.c.assessment_id == assessment_id,
                        rounds.c.status == "open",
                        rounds.c.rehearsal.is_(false()),
                    )
                    .values(status="closed", closed_at=now)
                )
                c.execute(
                    insert(rounds).values(
                        assessment_id=assessment_id, number=last + 1, label=label, status="open", created_at=now
                    )
                )
        return self.current_round(assessment_id)

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
        submitting: bool = False,
    ) -> tuple[str, int] | None:
        """Write the draft of the respondent `key` in this round (made if new), replacing its answers; with
        `submitting`, mark it submitted in the same statements.

        Returns (the response's id, the assessment's minimum group size), or None if that response was
        submitted: it never changes again. One key has one response per round (`key_digest` is unique): a
        second session of the same browser or invitation finds the first one's response, whatever
        `response_id` it made. `response_id` names a new response, or a draft of an earlier round that this
        session started, which moves to the open round it is now written to. In an assessment by invitation
        the key must be one of its codes (NotInvited), answering for the side it was given for.

        Safe against concurrent writes of the same response (two tabs, a double click): inserts do nothing
        on a conflict (no unique violation), and a draft changes only by an UPDATE conditional on its
        status, which takes the row's lock; on SQLite BEGIN IMMEDIATE serialises writers.

        Few round trips (each one is a wait on PostgreSQL): one read gives the round, the assessment, the
        invitation and the key's response; a new response is inserted as it ends up (submitted or not);
        an existing draft changes by one UPDATE; answers are upserted in one statement, an unchanged answer
        not rewritten (one changed answer is one row written), and only answers no longer given deleted.
        """
        uuid.UUID(response_id)  # ids are made by the app; anything else is a bug, not user input
        if not well_formed(key):
            raise NotInvited(round_id)
        digest, now = key_digest(round_id, key), _now()
        found = c.execute(
            select(
                rounds.c.status,
                rounds.c.assessment_id,
                assessments.c.access,
                assessments.c.min_group_size,
                invitations.c.side.label("invited"),
                responses.c.id.label("existing"),
            )
            .select_from(
                rounds.join(assessments, assessments.c.id == rounds.c.assessment_id)
                .outerjoin(
                    invitations,
                    and_(
                        invitations.c.assessment_id == rounds.c.assessment_id, invitations.c.code_hash == hash_code(key)
                    ),
                )
                .outerjoin(responses, responses.c.resume_code_hash == digest)
            )
            .where(rounds.c.id == round_id)
        ).first()
        if found is None or found.status != "open":
            raise RoundClosed(round_id)
        if found.access == "invitations":
            if found.invited is None:
                raise NotInvited(round_id)
            if side is not None and side != found.invited:
                raise InvalidData("side", side)
        final = {"side": side, "round_id": round_id, "resume_code_hash": digest, "updated_at": now}
        if submitting:
            final |= {"status": "submitted", "submitted_at": now}
        existing, inserted = found.existing, None
        if existing is None:
            inserted = c.execute(
                self._insert_if_absent(responses)
                .values(**{"id": response_id, "status": "draft", "created_at": now, **final})
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
        if inserted is None:
            changed = c.execute(
                update(responses).where(responses.c.id == existing, responses.c.status == "draft").values(**final)
            ).rowcount
            if not changed:
                return None  # submitted: never changed again
        self._write_answers(c, existing, round_id, values, fresh=inserted is not None)
        return existing, found.min_group_size

    def _write_answers(self, c: Connection, response: str, round_id: int, values: dict[str, int], fresh: bool) -> None:
        """The response's answers become `values`: inserted for a new response; else the ones no longer given
        deleted and the others upserted, an unchanged one left as it is."""
        items = sorted(values.items())
        params = {"b_response": response, "b_round": round_id}
        params |= {f"b_item{k}": item for k, (item, _) in enumerate(items)}
        params |= {f"b_value{k}": value for k, (_, value) in enumerate(items)}
        if not fresh:
            gone = delete(answers).where(answers.c.response_id == response)
            c.execute(gone.where(answers.c.item.not_in([i for i, _ in items])) if items else gone)
        if items:
            self._run(c, "answers_insert" if fresh else "answers_upsert", len(items), params)

    def _run(self, c: Connection, name: str, rows: int, params: dict):
        """Run the multi-row statement `name` for `rows` rows (see _statement) with `params`."""
        found = self._statements.get((name, rows))
        if found is None:
            compiled = self._statement(name, rows).compile(dialect=self.engine.dialect)
            # The statement's own constants (n = 1, n + 1) are parameters too: kept with their values.
            found = (compiled.string, compiled.positiontup, {k: v for k, v in compiled.params.items() if v is not None})
            self._statements[(name, rows)] = found
        sql, order, constants = found
        params = {**constants, **params}
        return c.exec_driver_sql(sql, tuple(params[p] for p in order) if order else params)

    def _statement(self, name: str, rows: int):
        """A multi-row statement for `rows` rows with named parameters, compiled once by _run: SQLAlchemy's
        compiled cache does not keep multi-row VALUES, which it compiled again on every call (half of a
        submit's CPU)."""
        dialect_insert = postgresql_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        if name.startswith("answers"):
            keyed = [
                {
                    "response_id": bindparam("b_response"),
                    "round_id": bindparam("b_round"),
                    "item": bindparam(f"b_item{k}"),
                    "value": bindparam(f"b_value{k}"),
                }
                for k in range(rows)
            ]
            statement = dialect_insert(answers).values(keyed)
            if name == "answers_upsert":
                statement = statement.on_conflict_do_update(
                    index_elements=["response_id", "item"],
                    set_={"value": statement.excluded.value, "round_id": statement.excluded.round_id},
                    where=or_(
                        answers.c.value != statement.excluded.value, answers.c.round_id != statement.excluded.round_id
                    ),
                )
        else:  # "value_counts" (and "submit_counts" on PostgreSQL: with the side's count and the rank)
            keyed = [
                {
                    "round_id": bindparam("b_round"),
                    "side": bindparam("b_side"),
                    "item": bindparam(f"b_item{k}"),
                    "value": bindparam(f"b_value{k}"),
                    "n": 1,
                }
                for k in range(rows)
            ]
            value_counts = (
                dialect_insert(answer_counts)
                .values(keyed)
                .on_conflict_do_update(
                    index_elements=["round_id", "side", "item", "value"], set_={"n": answer_counts.c.n + 1}
                )
            )
            statement = value_counts
            if name == "submit_counts":
                ranked = self._side_count().cte("side_count")
                statement = (
                    update(responses)
                    .where(responses.c.id == bindparam("b_response"))
                    .values(side_seq=select(ranked.c.n).scalar_subquery())
                    .returning(responses.c.side_seq)
                )
                if rows:  # runs after the side's count in the plan (its row lock first, as on SQLite)
                    statement = statement.add_cte(value_counts.returning(answer_counts.c.n).cte("value_counts"))
        return statement

    def _side_count(self):
        dialect_insert = postgresql_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        return (
            dialect_insert(response_counts)
            .values(round_id=bindparam("b_round"), side=bindparam("b_side"), n=1)
            .on_conflict_do_update(index_elements=["round_id", "side"], set_={"n": response_counts.c.n + 1})
            .returning(response_counts.c.n)
        )

    def _insert_if_absent(self, table):
        """INSERT … ON CONFLICT DO NOTHING in this engine's dialect."""
        if self.engine.dialect.name == "postgresql":
            return postgresql_insert(table).on_conflict_do_nothing()
        return sqlite_insert(table).on_conflict_do_nothing()

    def save_draft(self, round_id: int, response_id: str, key: str, side: str | None, values: dict[str, int]) -> None:
        """Save a respondent's answers so far; their key (invitation code or browser key) opens them again.

        Raises AlreadySubmitted, and changes nothing, if the key's response was submitted (even a moment
        ago); InvalidData, and stores nothing, for an unknown side or question or an answer out of range;
        NotInvited for a key that is not one of the assessment's codes, when it answers by invitation.
        """
        check_response(side, values, submitting=False)
        with self.transaction() as c:
            if self._write_response(c, round_id, response_id, side, values, key) is None:
                raise AlreadySubmitted(response_id)

    def submit(self, round_id: int, response_id: str, key: str, side: str, values: dict[str, int]) -> bool:
        """Store and submit a complete response. True if it now counts; False if the key's response of
        this round already did (a double submit, another tab, the same browser or code again).

        InvalidData, and nothing stored, for a missing or unknown side, an unknown question or an
        answer out of range; NotInvited as for save_draft.
        """
        check_response(side, values, submitting=True)
        with self.transaction() as c:
            written = self._write_response(c, round_id, response_id, side, values, key, submitting=True)
            if written is None:
                return False
            response, step = written
            self._record(c, round_id, response, side, values, step)
            return True

    def _record(self, c: Connection, round_id: int, response: str, side: str, values: dict, step: int) -> None:
        """Count a response just submitted, rank it in its side, and move what is shown to the next step when
        the side reaches a multiple of the minimum group size (`step`): all in the submitting transaction."""
        rank = self._count(c, round_id, response, side, values)
        if rank % step == 0:  # the side reaches a step: what is shown moves to it, all at once
            for table in (response_counts, answer_counts):
                c.execute(
                    update(table).where(table.c.round_id == round_id, table.c.side == side).values(reported=table.c.n)
                )

    def _count(self, c: Connection, round_id: int, response: str, side: str, values: dict[str, int]) -> int:
        """Add a submitted response's answers to its round's counts (in the submitting transaction), and give
        it its rank in its side; return the rank. Concurrent submits of a side queue on its response_counts
        row. Rows are taken in one order (the side's count, then the answers' counts sorted) so concurrent
        submits queue on the counters, never deadlock. On PostgreSQL one statement does it all (one round
        trip); SQLite, in process, runs the same three steps one by one.
        """
        items = sorted(values.items())
        params = {"b_response": response, "b_round": round_id, "b_side": side}
        params |= {f"b_item{k}": item for k, (item, _) in enumerate(items)}
        params |= {f"b_value{k}": value for k, (_, value) in enumerate(items)}
        if self.engine.dialect.name == "postgresql":
            return self._run(c, "submit_counts", len(items), params).scalar_one()
        rank = c.execute(self._side_count(), params).scalar_one()
        if items:
            self._run(c, "value_counts", len(items), params)
        c.execute(update(responses).where(responses.c.id == response).values(side_seq=rank))
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

    def load_draft(self, assessment_id: str, key: str) -> Draft | None:
        """The newest response of a respondent key (invitation code or browser key) in this assessment."""
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
        return Draft(row["id"], row["round_id"], row["side"], values, row["status"] == "submitted")

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
