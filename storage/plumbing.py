"""The plumbing under every storage module: where the database is, the engine and its timeouts, SQLite's
hooks, one transaction, the migrations, and the dialect's INSERT. Nothing here knows an assessment.

Changes here are about running a database (a new engine option, a timeout, a dialect); what is stored
and its rules live in the modules built on `Plumbing` (storage/gateway.py lists them).
"""

from __future__ import annotations

import math
import os
import re
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import fields
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Column, Connection, Engine, RowMapping, Select, Table, create_engine, event, text
from sqlalchemy.dialects.postgresql import Insert as PostgresqlInsert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from storage.codes import JoinLimits, budget_key, hash_code, same_digest, well_formed
from storage.validation import InvalidData

T = TypeVar("T")

MIGRATIONS = Path(__file__).with_name("migrations")
DEFAULT_SQLITE_PATH = Path(__file__).resolve().parent.parent / "data" / "alignment.db"
# A pooled PostgreSQL connection is checked (SELECT 1) before it is used again only if it may be broken: it sat
# idle for longer than this, it failed itself, or it went back to the pool before the latest failure of any
# connection (an outage breaks them all at once, and is seen by one of them first). In steady use no checkout
# pays the round trip. (Every checkout was checked until issue 21's second pass: an idle-only ping of 5 s
# handed out a connection dropped during an outage, and the first page after it said "cannot be reached":
# tests/server/test_server_logs.py, which a failure-driven check passes.)
IDLE_PING_SECONDS = 30.0
# Set in a transaction's connection.info by a statement that erased personal data (invitees' addresses): on
# SQLite, the write-ahead log is emptied once the transaction commits (Plumbing.transaction).
SCRUB_WAL = "scrub_wal"


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


def utc_now() -> datetime:
    return datetime.now(UTC)


def from_row(cls: type[T], row: Mapping[str, Any], **computed: Any) -> T:
    """A domain dataclass from a row: each field from the column of its name, but for those `computed`."""
    return cls(**{name: row[name] for name in _field_names(cls) if name not in computed}, **computed)


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def row_by_code(c: Connection, query: Select, column: Column, code: str) -> RowMapping | None:
    """The first row of `query` whose `column` (which the query selects) holds the digest of the secret `code`,
    or None, and None for a code that is not well formed (a caller that connects checks that first). The
    digest the database matched is compared again in constant time (same_digest)."""
    if not well_formed(code):
        return None
    digest = hash_code(code)
    row = c.execute(query.where(column == digest)).mappings().first()
    if row is None or not same_digest(row[column.name], digest):
        return None
    return row


# Values no engine stores alike, refused before any statement is sent, on both engines: a NUL (SQLite
# stores it, PostgreSQL refuses it), a lone surrogate (not UTF-8: the driver raises UnicodeEncodeError),
# an integer beyond 64 bits (SQLite raises OverflowError, PostgreSQL a DataError).
_INT64 = (-(2**63), 2**63 - 1)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_value(value: object) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidData("text", "a NUL character")
        if _SURROGATE.search(value):
            raise InvalidData("text", "a lone surrogate (not Unicode text)")
    elif isinstance(value, int) and not isinstance(value, bool) and not _INT64[0] <= value <= _INT64[1]:
        raise InvalidData("value", "an integer beyond 64 bits")
    elif isinstance(value, (list, tuple)):  # an array parameter (the write path's rows on PostgreSQL)
        for element in value:
            _check_value(element)


def _check_parameters(_connection, _cursor, _statement, parameters, _context, executemany) -> None:
    """SQLAlchemy's hook before each statement: every bound value passes _check_value."""
    for group in parameters if executemany else (parameters,):
        for value in group.values() if isinstance(group, dict) else group or ():
            _check_value(value)


class Plumbing:
    """An engine on one database, its transactions and migrations; create it once per process."""

    def __init__(
        self,
        url: str | None = None,
        timeout: float | None = None,
        join_limits: JoinLimits | None = None,
        secret: str | bytes | None = None,
    ) -> None:
        """`timeout`: the seconds any one wait may take (connecting, a statement, a pooled connection, a
        SQLite lock); DATABASE_TIMEOUT_SECONDS, else 4. A hung database then ends in an error the pages
        turn into a message, never in a page that waits for ever. `join_limits`: the failed join-code
        budget (storage/access_keys.py), JoinLimits.from_env() if not given. `secret`: the app servers' shared
        secret (the app passes Streamlit's server.cookieSecret) that keys the join budget's network digests,
        so that reading the database is not enough to turn them back; this process's own if not given."""
        self.url = url or database_url()
        self.timeout = timeout if timeout is not None else database_timeout()
        self.join_limits = join_limits or JoinLimits.from_env()
        self.budget_key = budget_key(secret)
        self.engine: Engine = create_engine(self.url, **self._engine_options())
        self._sqlite_writers: threading.RLock | None = None
        event.listen(self.engine, "before_cursor_execute", _check_parameters)
        self._statements: dict[tuple[str, int], tuple] = {}  # compiled once: see WritePath._run
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
        """Check a pooled connection before use only if it may be broken (see IDLE_PING_SECONDS): a connection
        in steady use is not pinged on every checkout (the pool's pre-ping costs two round trips each).

        A server restarted under a busy pool still fails one statement per connection at most: SQLAlchemy
        sees the disconnect and invalidates every pooled connection opened before it, so the next checkout
        connects afresh (tests/storage/test_restart.py: nothing lost or doubled, every failure "unavailable").
        """
        last_failure = [float("-inf")]  # when any connection of this engine last failed (monotonic)

        @event.listens_for(engine, "handle_error")
        def on_error(context) -> None:
            last_failure[0] = time.monotonic()
            if context.connection is not None and not context.connection.invalidated:
                context.connection.info["suspect"] = True

        @event.listens_for(engine, "checkin")
        def on_checkin(_dbapi_connection, record) -> None:
            record.info["idle_since"] = time.monotonic()

        @event.listens_for(engine, "checkout")
        def on_checkout(dbapi_connection, record, _proxy) -> None:
            idle_since = record.info.get("idle_since", float("-inf"))
            suspect = record.info.pop("suspect", False)
            if not suspect and idle_since > last_failure[0] and time.monotonic() - idle_since < IDLE_PING_SECONDS:
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
            # Deleted rows are overwritten, not left in free pages: erased addresses (storage/mailing.py) must
            # not stay in the file for whoever copies it (issue 16 review).
            cursor.execute("PRAGMA secure_delete=ON")
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
            with self.engine.connect().execution_options(sqlite_immediate=True) as connection:
                with connection.begin():
                    yield connection
                if connection.info.pop(SCRUB_WAL, False) and connection.dialect.name == "sqlite":
                    # Erased rows' earlier versions are still in the write-ahead log's old frames: copy the
                    # log into the file (secure_delete has zeroed them there) and empty it (issue 16 review).
                    connection.connection.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
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

    def dialect_insert(self, table: Table) -> PostgresqlInsert | SqliteInsert:
        """INSERT in this engine's dialect, the one that can say ON CONFLICT (DO NOTHING, DO UPDATE)."""
        if self.engine.dialect.name == "postgresql":
            return postgresql_insert(table)
        return sqlite_insert(table)
