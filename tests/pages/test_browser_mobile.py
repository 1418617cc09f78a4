"""The questionnaire on a phone (390 x 844, touch) in real Chromium: no sideways scroll, answer boxes of at
least 44 x 44 CSS px, the progress shown and following the answers, and the whole form answered and
submitted by taps, on the quick check (English) and on an organisation's respondent page (French)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from alignment.org.rounds import NewAssessment
from storage import Database

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
MIN_TAP = 44  # CSS px, WCAG 2.5.5
ITEM_COUNT = 10


@pytest.fixture
def phone(browser: Browser, request):
    """A phone-like page in the language the test asks for (indirect parametrisation: request.param)."""
    context = browser.new_context(locale=getattr(request, "param", "en-US"), **PHONE)
    yield context.new_page()
    context.close()


def form_radios(page: Page):
    """The side (when asked) and the ten statements: the radios outside the closed expanders."""
    return page.locator('.st-key-questionnaire-form [data-testid="stRadio"]:visible')


def assert_fits_a_phone(page: Page) -> None:
    """Nothing wider than the screen: neither the document nor Streamlit's scrolling main area."""
    widths = page.evaluate(
        """() => {
            const main = document.querySelector('[data-testid="stMain"]');
            return {doc: document.documentElement.scrollWidth, view: window.innerWidth,
                    main: main.scrollWidth, mainView: main.clientWidth};
        }"""
    )
    assert widths["doc"] <= widths["view"] and widths["main"] <= widths["mainView"], widths


def assert_tap_targets(page: Page, expected: int) -> None:
    """Every visible answer option is at least 44 x 44 CSS px (its label box: the whole box is the target)."""
    options = page.locator('.st-key-questionnaire-form [data-testid="stRadioOption"]:visible')
    expect(options).to_have_count(expected)
    sizes = options.evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [e.innerText, Math.floor(r.width), Math.floor(r.height)]; })"
    )
    small = [s for s in sizes if s[1] < MIN_TAP or s[2] < MIN_TAP]
    assert not small, small


def opened_form(page: Page, nothing_answered: str, side: str | None = None):
    """The form as it opens on a phone, nothing answered yet: the side alone when it is asked (tapped here, as
    `side`), then the ten statements worded for it; the page no wider than the screen at each step, every
    option a tap target (the side's four, six a statement). Returns the radios (the side's first, if asked)."""
    radios = form_radios(page)
    if side is not None:
        expect(radios).to_have_count(1)  # the statements wait for the side
        assert_fits_a_phone(page)
        assert_tap_targets(page, 4)
        tap(radios.nth(0), side)
    expect(radios).to_have_count((side is not None) + ITEM_COUNT)
    assert_fits_a_phone(page)
    assert_tap_targets(page, 4 * (side is not None) + 6 * ITEM_COUNT)
    expect(progress(page)).to_contain_text(nothing_answered)
    return radios


def submitted_sides(url: str, assessment_id: str) -> dict[str, int]:
    """The submitted responses of the assessment's current round, per side (read in the app's database)."""
    db = Database(url)
    try:
        return db.round_counts(db.current_round(assessment_id).id).sides
    finally:
        db.dispose()


def tap(group, label: str) -> None:
    """Tap an option once the page has settled: on the respondent page the first save puts a notice above the
    form, and a tap aimed before that shift would land on the option below the one meant."""
    expect(group.page.locator('[data-testid="stStatusWidget"]')).to_have_count(0)
    expect(group.page.locator('[data-stale="true"]')).to_have_count(0)
    option = group.locator('[data-testid="stRadioOption"]').filter(has_text=re.compile(f"^{re.escape(label)}$"))
    option.tap()
    expect(option.locator("input")).to_be_checked()


def progress(page: Page):
    return page.locator('.st-key-questionnaire-form [data-testid="stProgress"]')


def test_quick_check_on_a_phone(phone: Page, app_url: str):
    page = phone
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Quick check: IT and marketing alignment")).to_be_visible(timeout=30_000)
    radios = opened_form(page, "0 of 10 statements answered", side="IT (CIO and IT leadership)")
    expect(page.get_by_text("IT needs to be aligned with marketing")).to_be_visible()
    answers = ["Agree", "Strongly agree", "Disagree", "Neither agree nor disagree", "Don't know"] * 2
    for n, label in enumerate(answers[:7], start=1):
        tap(radios.nth(n), label)
    expect(progress(page)).to_contain_text("7 of 10 statements answered")
    expect(progress(page).get_by_role("progressbar")).to_have_attribute("aria-valuenow", "70")
    # the progress stays in view (sticky) while the respondent is far down the form
    radios.nth(ITEM_COUNT).scroll_into_view_if_needed()
    expect(progress(page)).to_be_in_viewport()
    for n, label in enumerate(answers[7:], start=8):
        tap(radios.nth(n), label)
    expect(progress(page)).to_contain_text("10 of 10 statements answered: ready to submit")
    assert_fits_a_phone(page)  # a selected box, or the error list, must not widen the page either

    page.get_by_role("button", name="See my results").tap()
    expect(page.get_by_role("heading", name="Your results against the survey")).to_be_visible(timeout=30_000)
    assert "side=it" in page.url and "alignment_needed=4" in page.url and "lead_time_too_slow=0" not in page.url
    assert_fits_a_phone(page)


@pytest.mark.parametrize("phone", ["fr-FR"], indirect=True)
def test_respondent_page_on_a_phone_in_french(phone: Page, app_url: str, app_database_url: str):
    db = Database(app_database_url)
    created = db.create_assessment(NewAssessment("Acme mobile", "T1", "fr", 1))
    db.dispose()
    page = phone
    page.goto(f"{app_url}/respond?a={created.respondent_code}")
    expect(page.get_by_role("heading", name="Le diagnostic d’alignement de votre organisation")).to_be_visible(
        timeout=30_000
    )
    radios = opened_form(page, "0 affirmations sur 10 renseignées", side="Marketing (CMO et direction marketing)")
    for n in range(1, ITEM_COUNT + 1):
        tap(radios.nth(n), "D’accord" if n % 2 else "Ne sais pas")
        if n == 3:
            expect(progress(page)).to_contain_text("3 affirmations sur 10 renseignées")
    expect(progress(page)).to_contain_text("10 affirmations sur 10 renseignées\u00a0: prêt à envoyer")
    assert_fits_a_phone(page)
    page.get_by_role("button", name="Envoyer mes réponses").tap()
    expect(page.get_by_text("Merci\u00a0: vos réponses sont prises en compte.")).to_be_visible(timeout=30_000)

    assert submitted_sides(app_database_url, created.assessment_id) == {"marketing": 1}


def test_invitation_for_one_side_on_a_phone(phone: Page, app_url: str, app_database_url: str):
    """An invitation given for IT: the side is named, not asked; ten taps and the submit count for IT."""
    db = Database(app_database_url)
    created = db.create_assessment(
        NewAssessment("Acme invited", "T1", "en", 1, access="invitations", invited={"it": 1})
    )
    db.dispose()
    (side, code), *_ = created.invitations
    page = phone
    page.goto(f"{app_url}/respond?i={code}")
    expect(page.get_by_text("You answer for: IT (CIO and IT leadership)")).to_be_visible(timeout=30_000)
    radios = opened_form(page, "0 of 10 statements answered")
    for n in range(ITEM_COUNT):
        tap(radios.nth(n), "Strongly agree")
    expect(progress(page)).to_contain_text("10 of 10 statements answered: ready to submit")
    assert_fits_a_phone(page)
    page.get_by_role("button", name="Submit my answers").tap()
    expect(page.get_by_text("Thank you: your answers are counted.")).to_be_visible(timeout=30_000)

    assert side == "it" and submitted_sides(app_database_url, created.assessment_id) == {"it": 1}
