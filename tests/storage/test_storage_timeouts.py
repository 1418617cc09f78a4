"""Every wait on the database has a budget of a few seconds (DATABASE_TIMEOUT_SECONDS), on both engines."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from alignment.org.rounds import NewAssessment
from storage import UNAVAILABLE_ERRORS, Database


@pytest.fixture
def quick(database):
    """The same database, opened again with a 1 s budget."""
    db = Database(database.url, timeout=1)
    yield db
    db.dispose()


def test_a_write_blocked_by_another_transaction_gives_up_within_its_budget(database, quick):
    created = quick.create_assessment(NewAssessment("Acme", "R1", "en", 1))
    round_id = quick.current_round(quick.find_by_results_code(created.results_code).id).id
    blocker = database.engine.connect().execution_options(sqlite_immediate=True)
    try:
        transaction = blocker.begin()  # SQLite: BEGIN IMMEDIATE takes the write lock
        if database.engine.dialect.name == "postgresql":
            blocker.execute(text("LOCK TABLE responses IN EXCLUSIVE MODE"))
        started = time.monotonic()
        with pytest.raises(OperationalError) as raised:
            quick.submit(round_id, str(uuid.uuid4()), "resume" + "t" * 20, "it", {"alignment_needed": 4})
        took = time.monotonic() - started
        assert isinstance(raised.value, UNAVAILABLE_ERRORS)
        assert 0.5 < took < 3, took
        transaction.rollback()
    finally:
        blocker.close()
    assert quick.submit(round_id, str(uuid.uuid4()), "resume" + "u" * 20, "it", {"alignment_needed": 4})


def test_the_budget_reaches_every_connection(database, quick):
    with quick.engine.connect() as c:
        if quick.engine.dialect.name == "postgresql":
            assert c.execute(text("SHOW statement_timeout")).scalar_one() == "1s"
        else:
            assert c.execute(text("PRAGMA busy_timeout")).scalar_one() == 1000
    assert quick.engine.pool.timeout() == 1
    assert Database(database.url).timeout == 4  # the default budget


def test_sqlite_readers_do_not_wait_for_a_writer(tmp_path):
    """WAL: a page reading counts is not queued behind a transaction that writes (only writers queue)."""
    db = Database(f"sqlite:///{tmp_path / 'wal.db'}", timeout=1)
    db.migrate()
    created = db.create_assessment(NewAssessment("Acme", "R1", "en", 1))
    round_id = db.current_round(db.find_by_results_code(created.results_code).id).id
    with db.transaction():  # holds the write lock
        started = time.monotonic()
        assert db.round_counts(round_id).sides == {}
        assert db.find_by_results_code(created.results_code) is not None
        assert time.monotonic() - started < 0.5
    db.dispose()
