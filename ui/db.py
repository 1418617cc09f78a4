"""The app's one Database, created and migrated once per server process."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future

import streamlit as st
from sqlalchemy import text

from storage import UNAVAILABLE_ERRORS, Database, DatabaseTimeout, Deadlined, database_url, deadline
from ui import logs
from ui.errors import INTERACTION


def database() -> Database:
    """The database named by DATABASE_URL (SQLite under data/ by default), migrated to the latest schema.

    Every call on it, the migration included, returns within twice the database timeout or raises
    DatabaseTimeout (one of storage.UNAVAILABLE_ERRORS): a hung database gives the page a message, not
    an endless wait.
    """
    connection = _connection(database_url())
    try:
        connection.ready()  # its own deadline: the interaction's starts with the first call below
    except UNAVAILABLE_ERRORS as error:
        log_failure("migrate", error)
        raise
    return Deadlined(connection.db, connection.deadline, log_failure, interaction_budget)  # type: ignore[return-value]


def interaction_budget(seconds: float) -> float:
    """The deadline of the next call: `seconds`, or none at all (0) once a call of this page interaction
    has failed. A page that carries on after a failure (to show what it can) does not wait on the database
    again, so a frozen database answers the click within one deadline, not one per call the page makes.
    ui/errors.run_guarded starts a new interaction with every run of a page or fragment."""
    return 0.0 if getattr(INTERACTION, "failed", False) else seconds


def check_ready() -> None:
    """The readiness route's question: is the database migrated and answering? Raises if not."""
    connection = _connection(database_url())
    connection.ready()
    connection.db.ping()


def sweep_join_budget() -> int:
    """Delete the join budget's rows and salts of past slots (ui/server.py runs this on a timer). The database
    is migrated first if this process has not yet (as /readyz does): rows left by a server that stopped are
    deleted by the next one to start, visitor or not. Raises what the database raised."""
    connection = _connection(database_url())
    connection.ready()
    return connection.db.sweep_join_budget()


def log_failure(call: str, error: BaseException) -> None:
    """One log line per failed database call: its class, the call and the page (never a value); the rest of
    this page interaction does not wait on the database again (interaction_budget)."""
    INTERACTION.failed = True
    logs.event(
        "database failure",
        level=logging.WARNING,
        error=type(error).__name__,
        cause=_qualified(error.__cause__ or error.__context__),
        call=call,
        page=logs.page_name(),
    )


def _qualified(error: BaseException | None) -> str | None:
    """'psycopg.OperationalError': the driver's class under SQLAlchemy's (never its message)."""
    if error is None:
        return None
    return f"{type(error).__module__.split('.')[0]}.{type(error).__name__}"


class _Connection:
    """A Database and its migration, started once per server process (again only after a failure)."""

    def __init__(self, url: str) -> None:
        # The servers' shared secret keys the join budget's network digests (storage/codes.py network_scope):
        # Streamlit's cookie secret, which deploy/ gives every app server; unset, Streamlit makes a random one
        # per process, and each server then counts a network's wrong codes apart.
        self.db = Database(url, secret=st.get_option("server.cookieSecret"))
        self.deadline = 2 * self.db.timeout
        self.engine = self.db.engine.dialect.name
        self._lock = threading.Lock()
        self._migration: Future | None = None

    def start(self) -> Future:
        """The migration: started now if it never was or if it failed, else the one under way or done."""
        with self._lock:
            previous = self._migration
            failed = previous is not None and previous.done() and (previous.cancelled() or previous.exception())
            if previous is None or failed:
                self._migration = deadline.start(self._migrate)
            return self._migration

    def _migrate(self) -> None:
        try:
            self.db.migrate()
        except Exception as error:
            logs.event("migration failed", logging.WARNING, error=type(error).__name__, engine=self.engine)
            raise
        with self.db.engine.connect() as connection:
            revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        logs.event("database migrated", engine=self.engine, revision=revision)

    def ready(self, seconds: float | None = None) -> None:
        """Wait for the migration, at most `seconds` (the deadline); raises what it raised, or DatabaseTimeout."""
        seconds = self.deadline if seconds is None else seconds
        if seconds <= 0:
            raise DatabaseTimeout("migrate: the interaction's deadline had passed")
        deadline.wait(self.start(), seconds, "migrate")


@st.cache_resource(show_spinner=False)
def _connection(url: str) -> _Connection:
    """One Database per URL and server process (keyed by URL, so a changed DATABASE_URL is honoured).

    Making it does not touch the database; `ready()` migrates, and a failed migration is tried again on
    the next call, so the app recovers when the database returns.
    """
    return _Connection(url)


def base_url() -> str:
    """'http://host:port' of the page the browser shows, for the links the app hands out."""
    from urllib.parse import urlsplit

    parts = urlsplit(st.context.url or "http://localhost:8501")
    return f"{parts.scheme}://{parts.netloc}"
