"""Shared fixtures: the questionnaire, complete submissions, and a guard that CI never skips."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from alignment.core.questionnaire import Profile, Submission, load_questionnaire

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


# A test that drives a real browser or a real app server takes seconds (a server start, Chromium): it is
# `slow`, marked here by the fixtures it asks for so that a new one is marked without anyone remembering.
# Other slow tests carry @pytest.mark.slow themselves. `python -m pytest -m "not slow" -n 2` leaves them out.
SLOW_FIXTURES = frozenset({"page", "browser", "context", "app_url"})


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


def skip_or_fail(reason: str) -> None:
    """Skip with a printed reason on a developer's machine; under CI=true a missing part is a failure."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _database_outside_the_repository(tmp_path, monkeypatch):
    """No test touches the repository's data/: DATABASE_URL points at this test's tmp_path.

    A test that wants another database (PostgreSQL, a file it shares with a server) sets its own.
    """
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'default.db'}")


@pytest.fixture(scope="session")
def questionnaire():
    return load_questionnaire()


@pytest.fixture
def make_submission(questionnaire):
    """A complete submission: every item answered with `default` unless given in `answers`."""

    def make(side: str = "marketing", default: int = 4, profile: Profile | None = None, **answers: int) -> Submission:
        values = {item: answers.get(item, default) for item in questionnaire.item_ids}
        return Submission(side=side, answers=values, profile=profile or Profile())

    return make


# Assertions in the browser wait on conditions; on a loaded 2-core machine a chart can take well over
# Playwright's default 5 s to draw, so every expect() waits up to 30 s (it returns as soon as it holds).
expect.set_options(timeout=30_000)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's chromium (tests/ensure_system_tools.sh installs it)."""
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"{CHROMIUM} is missing: run tests/ensure_system_tools.sh")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(env: dict[str, str] | None = None):
    """A real `streamlit run app.py` on a free local port; yields its base URL."""
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(ROOT / "app.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError as error:
                if proc.poll() is not None or time.monotonic() > deadline:
                    output = proc.stdout.read() if proc.stdout else ""
                    raise RuntimeError(f"streamlit did not start: {output}") from error
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def app_database_url(tmp_path_factory):
    """The SQLite file behind app_url, migrated: browser tests may put assessments in it directly."""
    from storage import Database

    url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'app.db'}"
    db = Database(url)
    db.migrate()
    db.dispose()
    return url


@pytest.fixture(scope="session")
def app_url(app_database_url):
    """One app server for the browser tests, on its own SQLite file."""
    with streamlit_server({"DATABASE_URL": app_database_url}) as url:
        yield url


POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_available() -> str | None:
    """None if the test PostgreSQL answers, else the reason it does not."""
    try:
        import psycopg

        dsn = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(dsn, connect_timeout=3):
            return None
    except Exception as error:  # any failure means: no server to test against
        return f"PostgreSQL at {POSTGRES_URL} is not reachable ({error.__class__.__name__}: {error})"


@contextmanager
def postgres_schema_url():
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    import uuid

    import psycopg

    reason = postgres_available()
    if reason:
        skip_or_fail(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    dsn = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A migrated storage.Database on each engine: a SQLite file, and a fresh PostgreSQL schema."""
    from storage import Database

    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'test.db'}")
        db.migrate()
        yield db
        db.dispose()
        return
    with postgres_schema_url() as url:
        db = Database(url)
        db.migrate()
        yield db
        db.dispose()


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch):
    """DATABASE_URL for a fresh SQLite file; the app's cached Database is cleared around the test."""
    import streamlit as st

    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_resource.clear()
    yield url
    st.cache_resource.clear()
