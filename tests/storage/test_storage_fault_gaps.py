"""Faults found by trying the gateway as an attacker and under concurrent use (issue 18), each on the engine
where it happened: an export reads one snapshot while answers arrive; delete and submit take their locks in
one order; values no engine stores alike are refused as InvalidData; simulated answers for a deleted
assessment are a named refusal."""

from __future__ import annotations

import secrets
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.exc import OperationalError

from alignment.core.questionnaire import load_questionnaire
from alignment.org.rounds import NewAssessment
from storage import Database, InvalidData, RoundClosed
from tests.conftest import postgres_schema_url

ITEMS = load_questionnaire().item_ids


@pytest.fixture
def postgresql():
    with postgres_schema_url() as url:
        db = Database(url)
        db.migrate()
        yield db
        db.dispose()


def submit(db: Database, round_id: int, side: str = "it", value: int = 4, key: str | None = None) -> bool:
    key = key or secrets.token_urlsafe(24)
    return db.submit(round_id, str(uuid.uuid4()), key, side, dict.fromkeys(ITEMS, value))


def test_an_export_reads_one_snapshot_while_answers_arrive(postgresql):
    """Each submit moves the reported step (minimum 1): between the export's two reads, a new response
    became 'shown' and its answers arrived without its head (KeyError, 10 of 175 exports on the issue)."""
    db = postgresql
    # By invitation: the exports move while answers arrive (an open link's round reports only once closed).
    invited = {"it": 181, "marketing": 180}
    created = db.create_assessment(NewAssessment("Snapshot", "Q1", "en", 1, access="invitations", invited=invited))
    round_id = db.current_round(created.assessment_id).id
    codes = {side: [code for s, code in created.invitations if s == side] for side in invited}
    submit(db, round_id, key=codes["it"].pop())

    def submitting(k: int) -> None:
        for i in range(60):  # bounded: the round stays small enough to export quickly on a busy machine
            submit(db, round_id, "it", key=codes["it"][k * 60 + i])
            submit(db, round_id, "marketing", 2, key=codes["marketing"][k * 60 + i])

    writers = [threading.Thread(target=submitting, args=(k,)) for k in range(3)]
    for writer in writers:
        writer.start()
    exports = 0
    try:
        while any(writer.is_alive() for writer in writers) or exports < 20:
            rows = db.export_rows(round_id, ("it", "marketing"))
            assert all(len(row["answers"]) == len(ITEMS) for row in rows)
            exports += 1
    finally:
        for writer in writers:
            writer.join()
    assert len(db.export_rows(round_id, ("it", "marketing"))) == 361


def test_delete_and_submit_never_deadlock(postgresql):
    """200 tries of a delete racing three submits: each submit counts or finds the round gone; no deadlock
    (4 deletes and 3 submits of 40 tries deadlocked before, and the organiser was told 'cannot be reached')."""
    db = postgresql
    failures: list[str] = []

    def one_try(k: int) -> None:
        created = db.create_assessment(NewAssessment(f"Race {k}", "Q1", "en", 1))
        round_id = db.current_round(created.assessment_id).id
        submit(db, round_id)  # counts to update: the rows a delete and a submit both lock
        start = threading.Barrier(4)

        def submitter() -> None:
            start.wait()
            try:
                submit(db, round_id)
            except RoundClosed:
                pass  # deleted first: the respondent is told the round no longer takes answers
            except OperationalError as error:
                failures.append(f"submit: {error.orig.__class__.__name__}")

        def deleter() -> None:
            start.wait()
            try:
                assert db.delete_assessment(created.assessment_id)
            except OperationalError as error:
                failures.append(f"delete: {error.orig.__class__.__name__}")

        threads = [threading.Thread(target=submitter) for _ in range(3)] + [threading.Thread(target=deleter)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one_try, range(200)))
    assert failures == []


@pytest.mark.parametrize(
    "name",
    ["Acme \ud800 SA", "Acme\x00SA", "\udfff"],
    ids=["lone high surrogate", "NUL", "lone low surrogate"],
)
def test_texts_no_engine_stores_alike_are_refused(database, name):
    with pytest.raises(InvalidData) as refused:
        database.create_assessment(NewAssessment(name, "Q1", "en", 3))
    assert refused.value.field == "text"
    created = database.create_assessment(NewAssessment("Acme", "Q1", "en", 3))
    with pytest.raises(InvalidData):
        database.start_new_round(created.assessment_id, name)


@pytest.mark.parametrize("bad", ["a\x00b", "\ud800", 2**63], ids=["NUL", "lone surrogate", "beyond 64 bits"])
def test_a_bad_value_inside_an_array_parameter_is_refused(database, bad):
    """The write path sends its rows as arrays on PostgreSQL (storage/write_path.py _rows): the gateway's
    check looks inside them too, before any driver sees them (review of issue 21's fourth pass)."""
    from sqlalchemy import text

    with database.engine.connect() as c, pytest.raises(InvalidData):
        c.execute(text("SELECT :rows"), {"rows": ["fine", bad]})


@pytest.mark.parametrize("round_id", [2**63, -(2**63) - 1, 10**30])
def test_a_round_id_beyond_64_bits_is_refused(database, round_id):
    for call in (
        lambda: database.round_counts(round_id),
        lambda: database.set_round_open(round_id, False),
        lambda: database.export_rows(round_id, ("it",)),
        lambda: submit(database, round_id),
    ):
        with pytest.raises(InvalidData) as refused:
            call()
        assert refused.value.field == "value"


def test_simulated_answers_for_a_deleted_assessment_are_refused_by_name(database):
    created = database.create_assessment(NewAssessment("Gone", "Q1", "en", 3))
    assert database.delete_assessment(created.assessment_id)
    with pytest.raises(InvalidData) as refused:
        database.add_simulated(created.assessment_id, [("it", dict.fromkeys(ITEMS, 3))])
    assert refused.value.field == "setting"
