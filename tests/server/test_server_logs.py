"""The server's log over a full run on PostgreSQL: an assessment created in Chromium, answered, an outage
in the middle of a respondent's answers, the results read and exported. Every line from the start line on
is one JSON object; the outage is there (class and page, once per failed call); and no code, key, link,
e-mail address, typed name or answer is anywhere in it."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from alignment.core.questionnaire import load_questionnaire
from tests.pages.test_browser_organisation import MARKETING, answer_as, choose, create_assessment
from tests.server.running import app_server, events
from ui.server import code_head

pytestmark = pytest.mark.slow
ITEMS = load_questionnaire().item_ids
DISAGREE = "Pas du tout d\u2019accord"


def test_a_full_run_logs_json_lines_with_the_outage_and_no_secret(browser, own_database, tmp_path):
    url_db, down, up = own_database
    log = tmp_path / "server.log"
    name = "Canaryfield Widgets"
    with app_server(log, {"DATABASE_URL": url_db, "DATABASE_TIMEOUT_SECONDS": "2"}) as (url, _):
        organiser = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1000})
        page = organiser.new_page()
        respondent_link, results_link = create_assessment(page, url, name, 1)
        answer_as(browser.new_context(locale="en-US").new_page(), respondent_link, MARKETING, ["Agree"] * 10)

        # A respondent answers half, the database goes away, they answer the rest and submit, it comes back.
        phone = browser.new_context(locale="fr-FR").new_page()
        phone.goto(respondent_link)
        radios = phone.locator('[data-testid="stMain"] [data-testid="stRadio"]')
        expect(radios).to_have_count(1, timeout=60_000)  # the side: the closed context questions are not drawn
        choose(radios.nth(0), "Informatique (DSI et direction informatique)")
        expect(radios).to_have_count(11, timeout=60_000)  # the ten statements appear once the side is chosen
        for n in range(1, 6):
            choose(radios.nth(n), DISAGREE)
        down()
        for n in range(6, 11):
            choose(radios.nth(n), DISAGREE)
        phone.get_by_role("button", name="Envoyer mes réponses").click()
        # The submit's own answer, not the saving notice the clicks above already show ("… (la base de données
        # est injoignable) …"): waiting on that one let the submit run after up(), and the reloaded page then
        # rightly said "already submitted" and drew no radio (the flake of 2026-12-03).
        expect(phone.get_by_text("La base de données est injoignable pour le moment", exact=False)).to_be_visible(
            timeout=60_000
        )
        expect(phone).to_have_url(re.compile(rf"[?&]{ITEMS[9]}="))  # the answers wait in the address
        up()
        phone.reload()
        expect(radios).to_have_count(11, timeout=60_000)
        expect(radios.nth(10).locator("input").first).to_be_checked()  # filled from the address
        phone.get_by_role("button", name="Envoyer mes réponses").click(timeout=60_000)
        expect(phone.get_by_text("vos réponses sont prises en compte", exact=False)).to_be_visible(timeout=60_000)

        page.goto(results_link)
        expect(page.get_by_role("heading", name=f"Results: {name}")).to_be_visible(timeout=60_000)
        expect(page.locator('[data-testid="stMetricValue"]').nth(0)).to_have_text("1", timeout=60_000)
        keys = [c["value"] for c in phone.context.cookies() if c["name"].startswith("alignment")]
        organiser.close()
        phone.context.close()

    lines = events(log)
    text = log.read_text(encoding="utf-8")
    assert lines[0]["event"] == "server start" and lines[0]["engine"] == "postgresql"
    assert lines[0]["migrations"] == code_head() and lines[0]["version"]
    assert any(e["event"] == "database migrated" and e["revision"] == code_head() for e in lines)
    failures = [e for e in lines if e["event"] == "database failure"]
    assert failures, text
    for failure in failures:
        assert failure["error"] in ("OperationalError", "DatabaseTimeout", "PoolTimeout", "InterfaceError")
        assert failure["page"] == "/respond" and failure["call"]
    assert lines[-1]["event"] == "server stop"

    secrets = [
        *(v[0] for link in (respondent_link, results_link) for v in parse_qs(urlsplit(link).query).values()),
        *keys,
        respondent_link,
        results_link,
        "respond?",
        "organisation?",
        name,
        "Canaryfield",
        url_db.rsplit("/", 1)[-1],  # the database's name is in DATABASE_URL: not logged either
    ]
    assert keys and all(len(s) >= 8 for s in secrets)
    for secret in secrets:
        assert secret not in text, secret
    assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text)  # no e-mail address
    for item in ITEMS:  # no answer: an answer would name its statement
        assert f'"{item}"' not in text and f"'{item}'" not in text
