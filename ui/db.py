"""The app's one Database, created and migrated once per server process."""

from __future__ import annotations

import threading
from concurrent.futures import Future

import streamlit as st

from storage import Database, Deadlined, database_url, deadline


def database() -> Database:
    """The database named by DATABASE_URL (SQLite under data/ by default), migrated to the latest schema.

    Every call on it, the migration included, returns within twice the database timeout or raises
    DatabaseTimeout (one of storage.UNAVAILABLE_ERRORS): a hung database gives the page a message, not
    an endless wait.
    """
    connection = _connection(database_url())
    connection.ready()
    return Deadlined(connection.db, connection.deadline)  # type: ignore[return-value]  # Database's methods


class _Connection:
    """A Database and its migration, started once per server process (again only after a failure)."""

    def __init__(self, url: str) -> None:
        self.db = Database(url)
        self.deadline = 2 * self.db.timeout
        self._lock = threading.Lock()
        self._migration: Future | None = None

    def start(self) -> Future:
        """The migration: started now if it never was or if it failed, else the one under way or done."""
        with self._lock:
            previous = self._migration
            failed = previous is not None and previous.done() and (previous.cancelled() or previous.exception())
            if previous is None or failed:
                self._migration = deadline.start(self.db.migrate)
            return self._migration

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
