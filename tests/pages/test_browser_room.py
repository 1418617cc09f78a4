"""The room view in Chromium: phones join with the QR code's link and the short code, the counts and then the
strips appear without a reload, and one new answer below the step changes no share on screen."""

from __future__ import annotations

import io
import uuid

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

    room = browser.new_context(locale="en-US", viewport=PROJECTOR).new_page()
    room.goto(f"{app_url}/room?k={created.results_code}")
    expect(room.get_by_role("heading", name="Room Test SA · Workshop")).to_be_visible()
    expect(side(room, "it")).to_have_attribute("data-count", "0")
    expect(room.get_by_text("Each side's figures appear once it has 3 answers")).to_be_visible()
    room.evaluate("() => { window.roomMarker = 'not reloaded'; }")

    # The QR code on screen decodes to the join link shown beneath it, which holds the short code.
    code = room.locator(".room-code").get_attribute("data-join-code")
    link = room.locator(".room-link").inner_text().strip()
    assert link == f"{app_url}/respond?a={code}"
    image = room.get_by_role("img", name="QR code of the link to answer")
    expect(image).to_be_visible()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(image.screenshot())))
    assert [r.text for r in decoded] == [link]

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
    expect(side(room, "it")).to_contain_text("2 more answers before the figures show")
    expect(room.locator('[data-testid="stPlotlyChart"]')).to_have_count(0)

    # Two more a side (the gateway, for speed): both reach the minimum; strips and gaps appear in place.
    for value in (5, 4):
        submit(db, rnd.id, "it", value, items)
        submit(db, rnd.id, "marketing", 1, items)
    expect(side(room, "it")).to_have_attribute("data-shown", "3")
    expect(side(room, "marketing")).to_have_attribute("data-shown", "3")
    expect(room.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    table = room.locator('[data-testid="stTable"]')
    expect(table).to_contain_text("+100 pts")  # every IT answer agrees, no marketing one does
    assert room.evaluate("() => window.roomMarker") == "not reloaded"
    shares, gaps = it_shares(room), table.inner_text()

    # One more IT answer, the opposite of the others: counted, but below the next step: no share moves.
    submit(db, rnd.id, "it", 1, items)
    expect(side(room, "it")).to_have_attribute("data-count", "4")
    legend = room.locator(".st-key-room-strips .legendtext")
    expect(legend.filter(has_text="Your IT (n = 3 of 4 answers)")).to_have_count(1)  # redrawn
    assert it_shares(room) == shares
    assert table.inner_text() == gaps
    assert side(room, "it").get_attribute("data-shown") == "3"
    assert room.evaluate("() => window.roomMarker") == "not reloaded"
    db.dispose()


def test_a_rehearsal_is_marked_simulated_and_deleted_in_one_click(browser, app_url, app_database_url):
    db = Database(app_database_url)
    created = db.create_assessment(NewAssessment("Rehearsal SARL", "Atelier", "fr", min_group_size=2))
    page = browser.new_context(locale="fr-FR", viewport=PROJECTOR).new_page()
    page.goto(f"{app_url}/room?k={created.results_code}&mode=rehearsal")
    expect(page.locator(".room-banner")).to_contain_text("RÉPÉTITION · RÉPONSES SIMULÉES")
    page.locator('[data-testid="stExpander"] summary').click()
    add = page.get_by_role("button", name="Ajouter 5 réponses simulées")
    for _ in range(4):
        add.click()
    expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible()
    expect(page.locator(".room-tag").first).to_have_text("SIMULÉ")
    total = sum(int(side(page, s).get_attribute("data-count")) for s in ("it", "marketing"))
    assert total > 0
    # The real round saw none of it.
    assessment = db.find_by_results_code(created.results_code)
    assert db.round_counts(db.current_round(assessment.id).id).sides == {}
    page.get_by_role("button", name="Supprimer les réponses simulées").click()
    expect(page.get_by_text("Les réponses simulées sont supprimées.")).to_be_visible()
    assert db.rehearsal_round(assessment.id) is None
    db.dispose()
