"""The app's one Database, created and migrated once per server process."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future

import streamlit as st
from sqlalchemy import text

from storage import UNAVAILABLE_ERRORS, Database, Deadlined, database_url, deadline
from ui import logs


def database() -> Database:
    """The database named by DATABASE_URL (SQLite under data/ by default), migrated to the latest schema.

    Every call on it, the migration included, returns within twice the database timeout or raises
    DatabaseTimeout (one of storage.UNAVAILABLE_ERRORS): a hung database gives the page a message, not
    an endless wait.
    """
    connection = _connection(database_url())
    try:
        connection.ready()
    except UNAVAILABLE_ERRORS as error:
        log_failure("migrate", error)
        raise
    return Deadlined(connection.db, connection.deadline, log_failure)  # type: ignore[return-value]  # Database's methods


def check_ready() -> None:
    """The readiness route's question: is the database migrated and answering? Raises if not."""
    connection = _connection(database_url())
    connection.ready()
    connection.db.ping()


def log_failure(call: str, error: BaseException) -> None:
    """One log line per failed database call: its class, the call and the page (never a value)."""
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
        self.db = Database(url)
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

    def ready(self) -> None:
        """Wait for the migration, at most the deadline; raises what it raised, or DatabaseTimeout."""
        deadline.wait(self.start(), self.deadline, "migrate")


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
