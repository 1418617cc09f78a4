"""Faults end in a clear message, never a trace: an unexpected exception, a hung (frozen) database and
an unreachable one, on the respondent's page and the organisation's administration.

The frozen database is a real PostgreSQL behind a local TCP proxy that stops forwarding bytes: the
kernel still accepts connections and acknowledges queries, as with a stopped or frozen server, so only
the app's own deadlines end the wait.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from contextlib import contextmanager, suppress

import pytest
import streamlit as st
from sqlalchemy.exc import DataError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from alignment.org.rounds import NewAssessment
from storage import Database, DatabaseTimeout, InvalidData
from tests.apptest_helpers import assert_no_error, guarded_errors, item_radios, respondent_page, start
from tests.conftest import ROOT, postgres_schema_url

TIMEOUT = 1.0  # DATABASE_TIMEOUT_SECONDS in these tests: every wait on the database ends within ~2 s


class FreezableProxy:
    """127.0.0.1:port → the test PostgreSQL; freeze() holds every byte until thaw()."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.flowing = threading.Event()
        self.flowing.set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._open, args=(client,), daemon=True).start()

    def _open(self, client: socket.socket) -> None:
        self.flowing.wait()  # a frozen server does not answer a new connection either
        server = socket.create_connection(self.target)
        self.sockets += [client, server]
        for a, b in ((client, server), (server, client)):
            threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self.flowing.wait()
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with suppress(OSError):
                    s.close()

    def freeze(self) -> None:
        self.flowing.clear()

    def thaw(self) -> None:
        self.flowing.set()

    def close(self) -> None:
        self.thaw()
        self.listener.close()
        for s in self.sockets:
            with suppress(OSError):
                s.close()


@contextmanager
def frozen_capable_postgres(monkeypatch, timeout: float = TIMEOUT):
    """(direct Database, proxy): the app's DATABASE_URL goes through the proxy, with `timeout` (1 s) as its
    DATABASE_TIMEOUT_SECONDS."""
    with postgres_schema_url() as url:
        host_port = re.search(r"@([^/]+)/", url).group(1)
        host, port = host_port.rsplit(":", 1)
        proxy = FreezableProxy((host, int(port)))
        monkeypatch.setenv("DATABASE_URL", url.replace(f"@{host_port}/", f"@127.0.0.1:{proxy.port}/"))
        monkeypatch.setenv("DATABASE_TIMEOUT_SECONDS", str(timeout))
        st.cache_resource.clear()
        db = Database(url)
        db.migrate()
        try:
            yield db, proxy
        finally:
            proxy.close()
            st.cache_resource.clear()
            db.dispose()


def button(at, label: str):
    [found] = [b for b in at.button if b.label == label]
    return found


def timed_run(element) -> float:
    started = time.monotonic()
    element.run()
    return time.monotonic() - started


def test_an_unexpected_exception_shows_a_reference_and_logs_the_trace(monkeypatch, caplog):
    import alignment.core.method

    def broken(*_args, **_kwargs):
        raise RuntimeError("secret detail /srv/app/internal.py")

    monkeypatch.setattr(alignment.core.method, "survey_line", broken)
    with caplog.at_level("ERROR", logger="alignment"):
        at = start(page="pages/about.py")
    [error] = at.error
    # the app's own message (which assert_no_error catches), and nothing in Streamlit's own error display
    assert guarded_errors(at) == [error.value] and not at.exception
    assert "Something went wrong" in error.value and "secret detail" not in error.value
    reference = re.search(r"reference (\w+)", error.value).group(1)
    [record] = [r for r in caplog.records if getattr(r, "fields", {}).get("reference") == reference]
    assert record.fields["page"] and "?" not in record.fields["page"]
    assert record.exc_info and "secret detail" in str(record.exc_info[1])
    # French too, with the same reference shape.
    at = start(lang="fr", page="pages/about.py")
    assert not at.exception and guarded_errors(at) and "référence" in at.error[0].value


def test_streamlit_never_shows_error_details():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


@pytest.mark.slow  # waits out the deadlines
def test_a_frozen_database_gives_the_message_within_seconds_and_loses_nothing(monkeypatch):
    with frozen_capable_postgres(monkeypatch) as (db, proxy):
        created = db.create_assessment(NewAssessment("Acme", "2026 Q4", "en", 1))
        at, prefix, assessment_id = respondent_page(db, created)
        at.radio(key=f"{prefix}side").set_value("it").run()
        assert any("saved as you go" in c.value for c in at.caption)

        proxy.freeze()
        took = timed_run(item_radios(at, prefix)[0].set_value(5))
        assert_no_error(at)
        assert any("could not be saved yet" in w.value for w in at.warning)
        assert took < 4 * 2 * TIMEOUT + 2, took  # a few deadlines at most, never an endless wait
        for radio in item_radios(at, prefix)[1:]:
            radio.set_value(4)
        at.run()
        took = timed_run(at.button(key=f"org:{assessment_id}:submit").click())
        assert_no_error(at)
        assert "cannot be reached" in at.error[0].value
        assert took < 4 * 2 * TIMEOUT + 2, took
        assert [r.value for r in item_radios(at, prefix)] == [5] + [4] * 9  # nothing lost

        proxy.thaw()
        at.run()
        at.button(key=f"org:{assessment_id}:submit").click().run()
        assert [s.value for s in at.success] == ["Thank you: your answers are counted."]
        db.set_round_open(db.current_round(assessment_id).id, False)  # an open link's round: shown once closed
        counts = db.round_counts(db.current_round(assessment_id).id)
        assert counts.sides == {"it": 1} and counts.values[("it", "alignment_needed", 5)] == 1


def test_round_administration_on_a_frozen_database_says_so(monkeypatch):
    with frozen_capable_postgres(monkeypatch) as (db, proxy):
        created = db.create_assessment(NewAssessment("Acme", "2026 Q4", "en", 1))
        at = start(query={"k": created.results_code}, page="pages/organisation.py")
        assert_no_error(at)
        assert not at.error
        proxy.freeze()
        at.button(key="organisation:close").click().run()
        assert_no_error(at)
        assert "cannot be reached" in at.error[0].value
        proxy.thaw()
        at.run()
        at.button(key="organisation:close").click().run()
        assert_no_error(at)
        assert [r.status for r in db.rounds(db.find_by_results_code(created.results_code).id)] == ["closed"]


@pytest.mark.slow  # waits out the connect budget
def test_an_unreachable_database_gives_the_message_within_seconds(monkeypatch):
    silent = socket.create_server(("127.0.0.1", 0))  # accepts connections (the kernel does) and never answers
    try:
        port = silent.getsockname()[1]
        monkeypatch.setenv("DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:{port}/test")
        monkeypatch.setenv("DATABASE_TIMEOUT_SECONDS", str(TIMEOUT))
        st.cache_resource.clear()
        started = time.monotonic()
        at = start(query={"a": "x" * 32}, page="pages/respond.py")
        assert_no_error(at)
        assert "cannot be reached" in at.error[0].value
        assert time.monotonic() - started < 3 * 2 * TIMEOUT + 3
        started = time.monotonic()
        at = start(query={"k": "y" * 32}, page="pages/organisation.py")
        assert_no_error(at)
        assert "cannot be reached" in at.error[0].value
        assert time.monotonic() - started < 3 * 2 * TIMEOUT + 3
    finally:
        silent.close()
        st.cache_resource.clear()


def test_quick_check_does_not_wait_for_a_hung_database(monkeypatch):
    silent = socket.create_server(("127.0.0.1", 0))
    try:
        monkeypatch.setenv("DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:{silent.getsockname()[1]}/test")
        monkeypatch.setenv("DATABASE_TIMEOUT_SECONDS", "5")
        st.cache_resource.clear()
        started = time.monotonic()
        at = start()
        assert_no_error(at)
        assert not at.error
        assert time.monotonic() - started < 5  # the migration waits in the background, not on this page
    finally:
        silent.close()
        st.cache_resource.clear()


FAILURES = [
    OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly")),
    DataError("INSERT", {}, Exception("value too long for type character varying(20)")),
    InterfaceError("SELECT 1", {}, Exception("connection already closed")),
    PoolTimeout("QueuePool limit of size 5 overflow 20 reached"),
    DisconnectionError("gone"),
    DatabaseTimeout("submit took more than 8 s"),
]


@pytest.mark.parametrize("failure", FAILURES, ids=lambda e: type(e).__name__)
def test_every_database_failure_on_an_administration_step_gives_the_message(sqlite_url, monkeypatch, failure):
    db = Database(sqlite_url)
    db.migrate()
    created = db.create_assessment(NewAssessment("Acme", "2026 Q4", "en", 1))

    def fail(*_args, **_kwargs):
        raise failure

    at = start(query={"k": created.results_code}, page="pages/organisation.py")
    for method in ("set_round_open", "start_new_round", "delete_assessment"):
        monkeypatch.setattr(Database, method, fail)
    at.button(key="organisation:close").click().run()
    assert_no_error(at)
    assert "cannot be reached" in at.error[0].value
    at = start(query={"k": created.results_code}, page="pages/organisation.py")
    at.text_input(key="organisation:delete_name").set_value("Acme")
    button(at, "Delete for good").click().run()
    assert_no_error(at)
    assert "cannot be reached" in at.error[0].value
    at = start(query={"k": created.results_code}, page="pages/organisation.py")
    [label] = [i for i in at.text_input if i.key.startswith("organisation:new_round_label")]
    label.set_value("Round 2")
    button(at, "Start the new round (closes the current one)").click().run()
    assert_no_error(at)
    assert "cannot be reached" in at.error[0].value
    monkeypatch.undo()
    assert [r.status for r in db.rounds(db.find_by_results_code(created.results_code).id)] == ["open"]


@pytest.mark.parametrize("failure", FAILURES, ids=lambda e: type(e).__name__)
def test_every_database_failure_on_submit_gives_the_message_and_keeps_the_answers(sqlite_url, monkeypatch, failure):
    db = Database(sqlite_url)
    db.migrate()
    created = db.create_assessment(NewAssessment("Acme", "2026 Q4", "en", 1))
    at, prefix, assessment_id = respondent_page(db, created)
    at.radio(key=f"{prefix}side").set_value("it").run()
    for radio in item_radios(at, prefix):
        radio.set_value(4)
    at.run()

    def fail(*_args, **_kwargs):
        raise failure

    monkeypatch.setattr(Database, "submit", fail)
    at.button(key=f"org:{assessment_id}:submit").click().run()
    assert_no_error(at)
    assert "cannot be reached" in at.error[0].value
    assert [r.value for r in item_radios(at, prefix)] == [4] * 10


def test_a_refused_answer_is_named_on_the_page_and_kept(sqlite_url, monkeypatch):
    db = Database(sqlite_url)
    db.migrate()
    created = db.create_assessment(NewAssessment("Acme", "2026 Q4", "fr", 1))
    at, prefix, assessment_id = respondent_page(db, created, "fr")
    at.radio(key=f"{prefix}side").set_value("it").run()
    for radio in item_radios(at, prefix):
        radio.set_value(4)
    at.run()

    def refuse(*_args, **_kwargs):
        raise InvalidData("value", "alignment_needed=99")

    monkeypatch.setattr(Database, "submit", refuse)
    at.button(key=f"org:{assessment_id}:submit").click().run()
    assert_no_error(at)
    named = "Ces réponses n’ont pas pu être enregistrées\u00a0: une réponse hors de l’échelle"
    assert at.error[0].value.startswith(named)
    assert [r.value for r in item_radios(at, prefix)] == [4] * 10


def test_a_failed_or_cancelled_migration_is_started_again(sqlite_url):
    from concurrent.futures import Future

    from ui.db import _Connection

    connection = _Connection(sqlite_url)
    for finished in ("cancelled", "failed"):
        previous = Future()
        if finished == "cancelled":
            previous.cancel()
        else:
            previous.set_running_or_notify_cancel()
            previous.set_exception(OperationalError("SELECT 1", {}, Exception("down")))
        connection._migration = previous
        connection.ready()  # migrates now, without raising what the previous attempt did
        assert connection._migration is not previous and connection._migration.result() is None
    connection.db.dispose()
