"""The room view in Chromium: phones join with the QR code's link and the short code, the counts and then the
strips appear without a reload, and one new answer below the step changes no share on screen."""

from __future__ import annotations

import io
import uuid
from urllib.parse import parse_qs, urlsplit

import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from alignment.org.rounds import NewAssessment
from storage import Database
from tests.pages.test_browser_organisation import IT, MARKETING, answer_as

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1920, "height": 1080}


def submit(db: Database, round_id: int, side: str, value: int, items) -> None:
    db.submit(round_id, str(uuid.uuid4()), f"room-{uuid.uuid4().hex}", side, dict.fromkeys(items, value))


def side(page: Page, name: str):
    return page.locator(f'.room-side[data-side="{name}"]')


def it_shares(page: Page) -> list:
    """The x values of the 'Your IT' dots, as plotly holds them in the page."""
    return page.evaluate(
        """() => document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot').data
             .filter(t => t.name.startsWith('Your IT')).map(t => t.x)"""
    )


def test_phones_join_and_the_room_fills_in_place(browser, app_url, app_database_url, questionnaire):
    db = Database(app_database_url)
    created = db.create_assessment(NewAssessment("Room Test SA", "Workshop", "en", min_group_size=3))
    assessment = db.find_by_results_code(created.results_code)
    rnd = db.current_round(assessment.id)
    items = questionnaire.item_ids
    key, _ = db.new_room_key(assessment.id)  # the room view's own read-only key, made on the results page

    room = browser.new_context(locale="en-US", viewport=PROJECTOR).new_page()
    room.goto(f"{app_url}/room?v={key}")
    expect(room.get_by_role("heading", name="Room Test SA · Workshop")).to_be_visible()
    expect(side(room, "it")).to_have_attribute("data-count", "0")
    expect(room.get_by_text("the figures appear when the round is closed")).to_be_visible()
    room.evaluate("() => { window.roomMarker = 'not reloaded'; }")
    assert created.results_code not in room.url and created.results_code not in room.content()

    # The QR code on screen decodes to the join link: a long link (not budgeted, it cannot be guessed), not the
    # short code, and not printed (nobody types it). Both are derived from the room key: the address holds
    # the key only, and a fresh load shows the same code (issue 20).
    code = room.locator(".room-code").get_attribute("data-join-code")
    assert room.locator(".room-code").evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 24
    assert room.locator(".room-link").count() == 0 and set(parse_qs(urlsplit(room.url).query)) == {"v"}
    image = room.get_by_role("img", name="QR code of the link to answer")
    expect(image).to_be_visible()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.screenshot())))
    [link] = [r.text for r in decoded]
    assert link.startswith(f"{app_url}/respond?a=") and code not in link
    fresh = browser.new_context(locale="en-US", viewport=PROJECTOR).new_page()
    fresh.goto(f"{app_url}/room?v={key}")
    expect(fresh.locator(".room-code")).to_have_attribute("data-join-code", code)
    fresh.context.close()

    # Two phones: one scans the code (opens the link), one types the short code on /join, in lower case.
    scanner = browser.new_context(locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    answer_as(scanner, link, IT, ["Agree"] * 10)
    typist = browser.new_context(locale="en-US", viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    typist.goto(f"{app_url}/join")
    typist.get_by_role("textbox", name="Code shown on the screen").fill(f"{code[:4].lower()} {code[4:].lower()}")
    typist.get_by_role("button", name="Join").click()
    expect(typist.get_by_role("heading", name="Your organisation's alignment check")).to_be_visible()
    answer_as(typist, typist.url, MARKETING, ["Disagree"] * 10)

    expect(side(room, "it")).to_have_attribute("data-count", "1")
    expect(side(room, "marketing")).to_have_attribute("data-count", "1")
    expect(side(room, "it")).to_contain_text("Figures when the round closes")

    # Two more a side (the gateway, for speed): counted in place, but an open link shows no figure while the
    # round is open (issue 16: two views to compare would give one person's answers away).
    for value in (5, 4):
        submit(db, rnd.id, "it", value, items)
        submit(db, rnd.id, "marketing", 1, items)
    expect(side(room, "it")).to_have_attribute("data-count", "3")
    expect(side(room, "marketing")).to_have_attribute("data-count", "3")
    assert room.locator('[data-testid="stPlotlyChart"]').count() == 0
    # Closed (on the results page): every answer shows at once, in place.
    db.set_round_open(rnd.id, False)
    expect(side(room, "it")).to_have_attribute("data-shown", "3")
    expect(side(room, "marketing")).to_have_attribute("data-shown", "3")
    expect(room.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    expect(room.locator('[data-testid="stTable"]')).to_contain_text("+100 pts")  # all IT agree, no marketing
    # The join panel follows in place: nothing to join any more, no QR code, no code (issue 20).
    expect(room.get_by_role("heading", name="Answers are closed")).to_be_visible()
    expect(room.locator(".room-code")).to_have_count(0)
    expect(image).to_have_count(0)
    assert room.evaluate("() => window.roomMarker") == "not reloaded"

    # Revoked on the results page: the projector goes blank at its next refresh.
    db.revoke_room_keys(assessment.id)
    expect(room.get_by_text("not valid, has expired or was revoked")).to_be_visible()
    expect(room.locator(".room-side")).to_have_count(0)
    db.dispose()


def test_a_rehearsal_is_marked_simulated_and_deleted_in_one_click(browser, app_url, app_database_url):
    db = Database(app_database_url)
    created = db.create_assessment(NewAssessment("Rehearsal SARL", "Atelier", "fr", min_group_size=2))
    key, _ = db.new_room_key(created.assessment_id)
    page = browser.new_context(locale="fr-FR", viewport=PROJECTOR).new_page()
    page.goto(f"{app_url}/room?v={key}&mode=rehearsal")
    expect(page.locator(".room-banner")).to_contain_text("RÉPÉTITION · RÉPONSES SIMULÉES")
    # Simulated answers are added and deleted on the results page: the room view changes nothing.
    results = browser.new_context(locale="fr-FR").new_page()
    results.goto(f"{app_url}/organisation?k={created.results_code}")
    add = results.get_by_role("button", name="Ajouter 5 réponses simulées")
    for _ in range(4):
        add.click()
        expect(results.get_by_text("réponses simulées ajoutées")).to_be_visible()
    expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    expect(page.locator(".room-tag").first).to_have_text("SIMULÉ")
    total = sum(int(side(page, s).get_attribute("data-count")) for s in ("it", "marketing"))
    assert total > 0
    assert page.get_by_role("button", name="Supprimer les réponses simulées").count() == 0
    # The real round saw none of it.
    assessment = db.find_by_results_code(created.results_code)
    assert db.round_counts(db.current_round(assessment.id).id).sides == {}
    results.get_by_role("button", name="Supprimer les réponses simulées").click()
    expect(results.get_by_text("Les réponses simulées sont supprimées.")).to_be_visible()
    assert db.rehearsal_round(assessment.id) is None
    expect(page.get_by_text("Pas encore de réponses simulées")).to_be_visible()
    db.dispose()
