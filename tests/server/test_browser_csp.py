"""Every page under the Content-Security-Policy in Chromium: nothing is refused (no violation event, no
console message about the policy), and what needs scripts still works: charts, the QR code, downloads, the
respondent's cookie (set by /remember.js, not an inline script)."""

from __future__ import annotations

import secrets
import uuid
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Page, expect

from alignment.core.questionnaire import load_questionnaire
from alignment.org.rounds import NewAssessment
from storage import Database
from tests.pages.test_browser_organisation import IT, answer_as

pytestmark = pytest.mark.slow
Q = load_questionnaire()

WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || '') + ' ' + (e.sample || '')));
"""


class Violations:
    """What Chromium reported against the policy: the console, and the page's violation events."""

    def __init__(self, page: Page) -> None:
        self.console: list[str] = []
        page.add_init_script(WATCH)
        page.on("console", self._console)

    def _console(self, message) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.console.append(text)

    def of(self, page: Page) -> list[str]:
        return self.console + page.evaluate("() => window.__csp || []")


def settled(page: Page) -> None:
    expect(page.locator("h1").first).to_be_visible(timeout=60_000)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=60_000)


def test_every_page_works_under_the_policy(browser, app_url, app_database_url, tmp_path):
    db = Database(app_database_url)
    created = db.create_assessment(NewAssessment("Policy SA", "Q1", "en", 1))
    rnd = db.current_round(created.assessment_id)
    for side, value in (("it", 4), ("marketing", 2)):
        db.submit(rnd.id, str(uuid.uuid4()), secrets.token_urlsafe(24), side, dict.fromkeys(Q.item_ids, value))
    assert db.set_round_open(rnd.id, False)  # an open link's round draws its charts once closed (issue 16)
    complete = urlencode({"side": "it", **dict.fromkeys(Q.item_ids, "4")})

    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    seen = Violations(page)
    found: dict[str, list[str]] = {}

    for path in ("/", "/about", "/new_assessment", "/organisation", "/join", f"/plan?k={created.results_code}"):
        page.goto(app_url + path)
        settled(page)
        found[path] = seen.of(page)

    # charts and the PDF download (quick check results, then the organisation's results and CSV)
    for path, button in (
        (f"/results?{complete}", "Download the PDF summary"),
        (f"/organisation?k={created.results_code}", "Download the PDF report"),
    ):
        page.goto(app_url + path)
        settled(page)
        expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_visible(timeout=60_000)
        with page.expect_download() as info:
            page.get_by_role("button", name=button).click()
        assert info.value.path().read_bytes().startswith(b"%PDF-")
        found[path] = seen.of(page)

    # the room's QR code (an SVG image) is drawn: a new round takes answers, the room opens with its own key
    db.start_new_round(created.assessment_id, "Q2")
    room_key, _ = db.new_room_key(created.assessment_id)
    db.dispose()
    page.goto(f"{app_url}/room?v={room_key}")
    settled(page)
    qr = page.get_by_role("img", name="QR code of the link to answer")
    expect(qr).to_be_visible(timeout=60_000)
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    found["/room"] = seen.of(page)

    # the respondent's page sets its cookie through /remember.js, and the answers are counted
    respondent = browser.new_context(locale="en-US")
    answering = respondent.new_page()
    seen_respondent = Violations(answering)
    answer_as(answering, f"{app_url}/respond?a={created.respondent_code}", IT, ["Agree"] * 10)
    page_cookies = [c for c in respondent.cookies() if c["name"].startswith("alignment")]
    assert page_cookies, respondent.cookies()
    found["/respond"] = seen_respondent.of(answering)

    assert {path: v for path, v in found.items() if v} == {}
    respondent.close()
    context.close()
