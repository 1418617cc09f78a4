"""The app's one Database, created and migrated once per server process."""

from __future__ import annotations

import streamlit as st

from storage import Database, database_url


def database() -> Database:
    """The database named by DATABASE_URL (SQLite under data/ by default), migrated to the latest schema."""
    return _database(database_url())


@st.cache_resource(show_spinner=False)
def _database(url: str) -> Database:
    """One Database per URL and server process (keyed by URL, so a changed DATABASE_URL is honoured).

    A failure is not cached: the next call tries again, so the app recovers when the database returns.
    """
    db = Database(url)
    db.migrate()
    return db


def base_url() -> str:
    """'http://host:port' of the page the browser shows, for the links the app hands out."""
    from urllib.parse import urlsplit

    parts = urlsplit(st.context.url or "http://localhost:8501")
    return f"{parts.scheme}://{parts.netloc}"
