"""The database goes away while a respondent answers: a clear message, nothing lost, saved when it returns.

A real outage: a dedicated PostgreSQL database stops accepting connections and its sessions are ended.
"""

import uuid

import pytest
import streamlit as st

from alignment.org.rounds import NewAssessment
from storage import Database
from tests.apptest_helpers import assert_no_error, item_radios, respondent_page, start
from tests.conftest import POSTGRES_URL, postgres_admin, postgres_available, skip_or_fail


@pytest.fixture
def outage_db(monkeypatch):
    reason = postgres_available()
    if reason:
        skip_or_fail(reason)
    name = f"outage_{uuid.uuid4().hex[:10]}"
    postgres_admin(f'CREATE DATABASE "{name}"')
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_resource.clear()

    def down() -> None:
        postgres_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        postgres_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")

    def up() -> None:
        postgres_admin(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    db = Database(url)
    db.migrate()
    yield db, down, up
    up()
    db.dispose()
    st.cache_resource.clear()
    postgres_admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
    postgres_admin(f'DROP DATABASE "{name}"')


def test_answers_survive_an_outage_and_are_saved_when_it_ends(outage_db):
    db, down, up = outage_db
    created = db.create_assessment(NewAssessment("Acme", "2026 Q4", "en", 1))
    at, prefix, assessment_id = respondent_page(db, created)
    at.radio(key=f"{prefix}side").set_value("it").run()
    assert any("saved as you go" in c.value for c in at.caption)

    down()
    item_radios(at, prefix)[0].set_value(5).run()
    assert_no_error(at)
    assert any("could not be saved yet" in w.value for w in at.warning)
    for radio in item_radios(at, prefix)[1:]:
        radio.set_value(4)
    at.run()
    at.button(key=f"org:{assessment_id}:submit").click().run()
    assert "cannot be reached" in at.error[0].value
    assert [r.value for r in item_radios(at, prefix)] == [5] + [4] * 9  # nothing lost

    up()
    db.dispose()  # the outage killed this test's own pooled connections, used under 5 s ago: no idle ping
    at.run()  # the next interaction saves what was kept
    assert not any("could not be saved yet" in w.value for w in at.warning)
    at.button(key=f"org:{assessment_id}:submit").click().run()
    assert [s.value for s in at.success] == ["Thank you: your answers are counted."]
    rnd = db.current_round(assessment_id)
    db.set_round_open(rnd.id, False)  # an open link's round shows its answers once closed
    counts = db.round_counts(rnd.id)
    assert counts.sides == {"it": 1}
    assert counts.values[("it", "alignment_needed", 5)] == 1


def test_results_page_says_so_when_the_database_is_down(outage_db):
    db, down, _ = outage_db
    created = db.create_assessment(NewAssessment("Acme", "2026 Q4", "en", 1))
    down()
    at = start(query={"k": created.results_code}, page="pages/organisation.py")
    assert_no_error(at)
    assert "cannot be reached" in at.error[0].value


def test_answers_typed_during_an_outage_outlive_an_app_server_restart(outage_db):
    """The answers go to the page address while unsaved; a new session (as after a server restart, which
    loses every session) takes them from the address and saves them once the database is back."""
    db, down, up = outage_db
    created = db.create_assessment(NewAssessment("Acme", "2026 Q4", "en", 1))
    at, prefix, assessment_id = respondent_page(db, created)

    def items(at):
        return item_radios(at, prefix)

    at.radio(key=f"{prefix}side").set_value("it").run()
    items(at)[0].set_value(2).run()
    resume = at.query_params["r"]
    assert set(at.query_params) == {"a", "r"}  # saved: nothing else in the address

    down()
    for radio in items(at):
        radio.set_value(5)
    at.run()
    assert any("could not be saved yet" in w.value for w in at.warning)
    address = dict(at.query_params)
    assert address["side"] == "it" and address["alignment_needed"] == "5" and address["r"] == resume

    st.cache_resource.clear()  # the app server restarts: sessions and caches are gone, the address is not
    at = start(query=address, page="pages/respond.py")
    assert_no_error(at)
    assert "cannot be reached" in at.error[0].value
    assert dict(at.query_params) == address  # still in the address while the database is away

    up()
    db.dispose()  # the outage killed this test's own pooled connections, used under 5 s ago: no idle ping
    st.cache_resource.clear()
    at = start(query=address, page="pages/respond.py")
    assert_no_error(at)
    assert [r.value for r in items(at)] == [5] * 10
    assert any("saved as you go" in c.value for c in at.caption)
    assert set(at.query_params) == {"a", "r"} and at.query_params["r"] == resume
    assert db.load_draft(assessment_id, resume).answers == dict.fromkeys(db_items(), 5)
    at.button(key=f"org:{assessment_id}:submit").click().run()
    assert [s.value for s in at.success] == ["Thank you: your answers are counted."]
    rnd = db.current_round(assessment_id)
    db.set_round_open(rnd.id, False)  # an open link's round shows its answers once closed
    assert db.round_counts(rnd.id).values[("it", "alignment_needed", 5)] == 1


def db_items() -> tuple[str, ...]:
    from alignment.core.questionnaire import load_questionnaire

    return load_questionnaire().item_ids
