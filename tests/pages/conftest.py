"""Fixtures of the page tests."""

import pytest

from storage import Database


@pytest.fixture
def db(sqlite_url):
    """The migrated SQLite database the app under test uses (DATABASE_URL)."""
    database = Database(sqlite_url)
    database.migrate()
    yield database
    database.dispose()
