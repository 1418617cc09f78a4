"""A real PostgreSQL server restarted, then stopped dead and started again, under 50 concurrent writers:
no submission lost or doubled, and every failure a writer saw is one that means "unavailable".

The server is a private throwaway cluster (initdb + pg_ctl on a free port, in a temporary folder), so
the shared server on 5432 is never disturbed. Writers call the gateway through the same deadline as the
pages; one that fails waits until the server is up again (an event, not a sleep) and submits again, as
a respondent clicking "Submit" once more would. About one response in ten is submitted twice.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from alignment.core.questionnaire import load_questionnaire
from alignment.org.rounds import NewAssessment
from storage import UNAVAILABLE_ERRORS, Database, DatabaseTimeout, Deadlined
from storage.schema import answers, responses
from tests.conftest import free_port, skip_or_fail

pytestmark = pytest.mark.slow  # a private PostgreSQL cluster, restarted under 50 writers

WRITERS = 50
EACH = 12  # submissions per writer: 600 responses, about 60 of them submitted twice
ATTEMPTS = 30  # a submission still failing after this many tries, with the server up, fails the test
# What a lost or refused connection may look like to a page; an IntegrityError or DataError would be a bug.
UNAVAILABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout, DatabaseTimeout)


class Cluster:
    """A PostgreSQL cluster of its own, run as the postgres user when the tests run as root."""

    def __init__(self, bin_dir: Path, folder: Path, port: int) -> None:
        self.bin_dir, self.folder, self.port = bin_dir, folder, port
        self.data = folder / "data"
        self.user = "postgres" if os.geteuid() == 0 else None

    def command(self, program: str, *args: str) -> list[str]:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        return [*prefix, str(self.bin_dir / program), *args]

    def run(self, program: str, *args: str) -> None:
        done = subprocess.run(self.command(program, *args), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{program} failed: {done.stdout}{done.stderr}"

    def pg_ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        # -w: pg_ctl returns once the server accepts connections (or has stopped): a condition, not a sleep.
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options, "-w", *args)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"


@contextmanager
def private_cluster():
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    if not binaries:
        skip_or_fail("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    folder = Path(tempfile.mkdtemp(prefix="pg-restart-"))
    cluster = Cluster(binaries[-1].parent, folder, free_port())
    if cluster.user:
        account = pwd.getpwnam(cluster.user)
        os.chown(folder, account.pw_uid, account.pw_gid)
    try:
        cluster.run("initdb", "-D", str(cluster.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        cluster.pg_ctl("start")
        yield cluster
    finally:
        stop = cluster.command("pg_ctl", "-D", str(cluster.data), "-m", "immediate", "-w", "stop")
        subprocess.run(stop, capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)


class Writers:
    """WRITERS threads submitting EACH responses each; they wait on `up` after any failure."""

    def __init__(self, db, round_id: int) -> None:
        self.db, self.round_id = db, round_id
        self.items = load_questionnaire().item_ids
        self.up = threading.Event()
        self.up.set()
        self.changed = threading.Condition()
        self.done = 0  # submissions confirmed (True, or False for "already counted" on a retry)
        self.failures: list[BaseException] = []
        self.failures_while_down = 0
        self.confirmed: dict[str, int] = {}  # response id -> times submit returned True
        self.errors: list[str] = []

    def submit(self, response_id: str, side: str, value: int) -> bool:
        for _ in range(ATTEMPTS):
            self.up.wait()
            try:
                return self.db.submit(self.round_id, response_id, response_id, side, dict.fromkeys(self.items, value))
            except UNAVAILABLE_ERRORS as error:
                with self.changed:
                    self.failures.append(error)
                    self.failures_while_down += not self.up.is_set()
                    self.changed.notify_all()
        raise AssertionError(f"{response_id}: still failing after {ATTEMPTS} attempts with the server up")

    def writer(self, w: int) -> None:
        try:
            for k in range(EACH):
                response_id = str(uuid.uuid4())
                side, value = ("it", "marketing")[w % 2], 1 + (w + k) % 5
                counted = self.submit(response_id, side, value)
                if (w * EACH + k) % 10 == 0:  # the respondent clicks "Submit" again
                    counted += self.submit(response_id, side, value)
                with self.changed:
                    self.confirmed[response_id] = (side, value, int(counted))
                    self.done += 1
                    self.changed.notify_all()
        except BaseException as error:  # reported by the test, never lost in a thread
            with self.changed:
                self.errors.append(f"writer {w}: {type(error).__name__}: {error}")
                self.changed.notify_all()

    def wait_for(self, condition, what: str, seconds: float = 120) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: condition() or self.errors, seconds), f"never: {what}"
            assert not self.errors, self.errors


def test_a_restarted_then_stopped_postgresql_loses_and_doubles_nothing(monkeypatch):
    monkeypatch.setenv("DATABASE_TIMEOUT_SECONDS", "2")
    with private_cluster() as cluster:
        raw = Database(cluster.url)
        raw.migrate()
        created = raw.create_assessment(NewAssessment("Acme", "R1", "en", 1))
        round_id = raw.current_round(raw.find_by_results_code(created.results_code).id).id
        total = WRITERS * EACH
        writers = Writers(Deadlined(raw, 2 * raw.timeout), round_id)
        threads = [threading.Thread(target=writers.writer, args=(w,), daemon=True) for w in range(WRITERS)]
        for t in threads:
            t.start()

        # A restart (fast shutdown: sessions ended, transactions in flight rolled back) a third of the way in.
        writers.wait_for(lambda: writers.done >= total // 3, "a third submitted")
        writers.up.clear()  # a writer that fails now waits for the server instead of trying again at once
        cluster.pg_ctl("-m", "fast", "restart")
        writers.up.set()
        # Two thirds in, the server stops dead (immediate: as if killed) and stays down until writers fail on it.
        writers.wait_for(lambda: writers.done >= 2 * total // 3, "two thirds submitted")
        writers.up.clear()
        cluster.pg_ctl("-m", "immediate", "stop")
        writers.wait_for(lambda: writers.failures_while_down >= 10, "ten writers failing on the stopped server")
        cluster.pg_ctl("start")
        writers.up.set()

        for t in threads:
            t.join(timeout=300)
        assert not any(t.is_alive() for t in threads), "a writer never finished"
        assert not writers.errors, writers.errors
        assert len(writers.confirmed) == total

        # Every failure meant "unavailable": a lost or refused connection, never a constraint or data error.
        assert writers.failures_while_down >= 10
        strange = {type(e).__name__ for e in writers.failures if not isinstance(e, UNAVAILABLE)}
        assert not strange, strange
        # Each response counted once: stored, submitted, with its ten answers, and in the kept counts once.
        doubled = [rid for rid, (_, _, counted) in writers.confirmed.items() if counted > 1]
        assert not doubled, doubled[:5]
        with raw.engine.connect() as c:
            stored = dict(
                c.execute(select(responses.c.id, responses.c.status).where(responses.c.round_id == round_id)).all()
            )
            per_response = dict(
                c.execute(
                    select(answers.c.response_id, func.count())
                    .where(answers.c.round_id == round_id)
                    .group_by(answers.c.response_id)
                ).all()
            )
        assert stored == dict.fromkeys(writers.confirmed, "submitted")
        assert per_response == dict.fromkeys(writers.confirmed, len(writers.items))
        raw.set_round_open(round_id, False)  # an open link's round shows its answers once closed
        counts = raw.round_counts(round_id)
        expected_sides = {"it": 0, "marketing": 0}
        expected_values: dict[tuple[str, str, int], int] = {}
        for side, value, _ in writers.confirmed.values():
            expected_sides[side] += 1
            for item in writers.items:
                expected_values[(side, item, value)] = expected_values.get((side, item, value), 0) + 1
        assert counts.sides == expected_sides
        assert {k: n for k, n in counts.values.items() if n} == expected_values
        raw.dispose()
