"""Shared fixtures: the questionnaire, complete submissions, and a guard that CI never skips."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from alignment.core.questionnaire import Profile, Submission, load_questionnaire

# The server and PostgreSQL helpers live in tests/servers.py (perf/ uses them too); re-exported here.
from tests.servers import (  # noqa: F401
    POSTGRES_URL,
    ROOT,
    free_port,
    postgres_available,
    postgres_schema,
    streamlit_server,
)

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


@contextmanager
def postgres_schema_url():
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards (skip_or_fail without one)."""
    reason = postgres_available()
    if reason:
        skip_or_fail(reason)
    with postgres_schema() as url:
        yield url


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


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free loopback port, stopped after the test: tests/smtp_helpers.py."""
    from tests.smtp_helpers import SmtpSink

    with SmtpSink() as sink:
        yield sink


def early_in_a_join_slot(monkeypatch, window_seconds: int) -> None:
    """The join budget's clock (storage.access_keys.utc_now) starts 1 s into a slot of `window_seconds` and runs
    on from there: a flood counted across a slot's end is split in two, and a test counting refusals sees
    fewer (test_privacy_review's 31-network test saw 391 of 600 at 21:10:00; test_app_privacy_links's flood
    24 of 32 on 2026-12-04)."""
    import time

    import storage.access_keys

    real = storage.access_keys.utc_now
    began, start = time.monotonic(), real()
    slot_start = start.timestamp() // window_seconds * window_seconds + 1
    shift = storage.access_keys.timedelta(seconds=start.timestamp() - slot_start)
    monkeypatch.setattr(
        storage.access_keys,
        "utc_now",
        lambda: start - shift + storage.access_keys.timedelta(seconds=time.monotonic() - began),
    )


def postgres_admin(sql: str) -> None:
    """One statement as the PostgreSQL superuser of the tests, outside any transaction (CREATE DATABASE...)."""
    import psycopg

    with psycopg.connect(POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(sql)


@pytest.fixture
def own_database():
    """A PostgreSQL database of its own, and how to take it away (refuse and end connections) and back."""
    reason = postgres_available()
    if reason:
        skip_or_fail(reason)
    name = f"own_{uuid.uuid4().hex[:10]}"
    postgres_admin(f'CREATE DATABASE "{name}"')

    def down() -> None:
        postgres_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        postgres_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")

    def up() -> None:
        postgres_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}", down, up
    up()
    postgres_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    postgres_admin(f'DROP DATABASE "{name}"')
