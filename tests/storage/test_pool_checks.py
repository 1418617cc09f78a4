"""PostgreSQL's pooled connections are checked (SELECT 1) only when they may be broken (storage/plumbing.py,
IDLE_PING_SECONDS): not on every checkout of a connection in steady use (a round trip each, issue 21), but
after an outage, so that the first page after it does not get a connection the outage dropped."""

from __future__ import annotations

import secrets
import threading
import uuid

import psycopg
import pytest

from alignment.org.rounds import NewAssessment
from storage import UNAVAILABLE_ERRORS, Database


@pytest.fixture
def pooled(own_database):
    """A Database on a PostgreSQL database of its own (tests/conftest.py's own_database), and how to take the
    database away (refuse and end connections) and back."""
    url, down, up = own_database
    db = Database(url, timeout=3)
    db.migrate()
    yield db, down, up
    db.dispose()


@pytest.fixture
def checks(monkeypatch) -> list[str]:
    """The checks (SELECT 1) sent by any psycopg cursor from now on."""
    sent: list[str] = []
    real = psycopg.Cursor.execute

    def execute(self, query, *args, **kwargs):
        if query == "SELECT 1":
            sent.append(query)
        return real(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", execute)
    return sent


def fill_pool(db: Database, n: int) -> None:
    """n connections opened at once, then back in the pool."""
    held = [db.engine.connect() for _ in range(n)]
    for connection in held:
        connection.close()


def test_a_connection_in_steady_use_is_not_checked(pooled, checks):
    db, _, _ = pooled
    created = db.create_assessment(NewAssessment("Acme", "2026 Q4", "en", 1))
    assessment = db.find_by_results_code(created.results_code)
    rnd = db.current_round(assessment.id)
    checks.clear()
    for n in range(20):
        db.save_draft(rnd.id, str(uuid.uuid4()), secrets.token_urlsafe(24), "it", {"alignment_needed": n % 6})
        db.round_counts(rnd.id)
    assert checks == []  # every checkout used to send one (and a rollback): two round trips


def test_after_an_outage_no_dropped_connection_is_handed_out(pooled):
    """Connections pooled before an outage were dropped by it: once one call has failed, the first calls after
    the database returns all succeed (each pooled connection is checked first; SQLAlchemy also recycles
    the pool on a disconnect, so this held with no check at all: it guards the change, it did not fail before
    it)."""
    db, down, up = pooled
    fill_pool(db, 4)
    down()
    with pytest.raises(UNAVAILABLE_ERRORS):
        db.ping()
    up()
    failures = []

    def call() -> None:
        try:
            db.ping()
        except UNAVAILABLE_ERRORS as error:
            failures.append(error)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
