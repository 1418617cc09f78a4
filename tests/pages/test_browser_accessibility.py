"""axe-core in Chromium: no violation on any page, in English and French, at 1280 px and at 390 px.

One server and one browser for the whole test; each language gets one context that visits every page,
checked at 1280 px and then, laid out again without a reload, at 390 px. The only exception is named
in ALLOWED (and in the README): a rule Streamlit's own widget breaks, excused on that widget alone.
"""

from __future__ import annotations

import secrets
import uuid
from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from alignment.core.questionnaire import load_questionnaire
from alignment.org.rounds import NewAssessment
from storage import Database

Q = load_questionnaire()
# (rule, CSS selector of the Streamlit widget it is excused on). Streamlit's file uploader gives its
# drop zone role="presentation" together with an aria-label; the drop zone is not focusable (the
# "Upload" button inside it is), so screen readers lose nothing. Nothing else is excused.
ALLOWED = {("presentation-role-conflict", '[data-testid="stFileUploaderDropzone"]')}


@pytest.fixture(scope="module")
def server(app_url, app_database_url):
    """The shared app server, with an assessment of two rounds answered on both sides."""
    db = Database(app_database_url)
    created = db.create_assessment(NewAssessment("Acme", "Q1", "en", 1))
    first = db.current_round(created.assessment_id)
    for rnd_id, values in ((first.id, (4, 2)), (None, (5, 1))):
        if rnd_id is None:
            rnd_id = db.start_new_round(created.assessment_id, "Q2").id
        for side, value in zip(("it", "marketing"), values, strict=True):
            db.submit(rnd_id, str(uuid.uuid4()), secrets.token_urlsafe(24), side, dict.fromkeys(Q.item_ids, value))
    db.set_round_open(rnd_id, False)  # an open link's round shows its results once closed (issue 16)
    room_key, _ = db.new_room_key(created.assessment_id)
    db.dispose()
    return app_url, created, room_key


def pages(created, room_key: str) -> dict[str, str]:
    complete = urlencode({"side": "it", **dict.fromkeys(Q.item_ids, "4"), "ctx_crm_owner": "4"})
    return {
        "questionnaire": "/",
        "results": f"/results?{complete}",
        "about": "/about",
        "new assessment": "/new_assessment",
        "organisation code": "/organisation",
        "organisation": f"/organisation?k={created.results_code}",
        "respond": f"/respond?a={created.respondent_code}",
        "plan": f"/plan?k={created.results_code}",
        "room": f"/room?v={room_key}",
        "join": "/join",
    }


def violations(page: Page, axe: Axe) -> list[str]:
    """Every violation as 'rule: target', less the ALLOWED rule-and-widget pairs."""
    found = []
    for violation in axe.run(page).response["violations"]:
        for node in violation["nodes"]:
            target = node["target"][0]
            excused = any(
                rule == violation["id"] and page.locator(target).first.evaluate(f"e => e.matches('{widget}')")
                for rule, widget in ALLOWED
            )
            if not excused:
                html = node.get("html", "")[:160]
                summary = " ".join(node.get("failureSummary", "").split())[:240]
                found.append(f"{violation['id']} ({violation['impact']}): {target} {html} {summary}")
    return found


def test_no_axe_violation_on_any_page(browser, server):
    base, created, room_key = server
    axe = Axe()
    failures = []
    for locale in ("en-US", "fr-FR"):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        for name, path in pages(created, room_key).items():
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(base + path)
            expect(page.locator("h1").first).to_be_visible(timeout=30_000)
            if name in ("results", "organisation"):
                expect(page.locator('[data-testid="stPlotlyChart"] .main-svg').first).to_be_attached(timeout=30_000)
            # The page is drawn when Streamlit no longer says it is running and nothing is faded as stale
            # (Streamlit dims the elements of a run in progress, which would fail the contrast rule).
            expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=30_000)
            expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=30_000)
            # Transitions off: axe reads colours as drawn, and a fade still under way (the sidebar's collapse
            # button after the pointer left it, on a busy machine) is no colour a reader ever settles on.
            page.add_style_tag(
                content="*, *::before, *::after { transition: none !important; animation: none !important; }"
            )
            for width in (1280, 390):  # the same page laid out again for a phone, without a reload
                page.set_viewport_size({"width": width, "height": 900})
                page.wait_for_function("width => window.innerWidth === width", arg=width)
                # The pointer rests on the main area's bottom edge: over the sidebar, Streamlit fades
                # its collapse button in, and a check mid-fade would fail the contrast rule.
                page.mouse.move(width - 10, 890)
                failures += [f"{locale} {width}px {name}: {v}" for v in violations(page, axe)]
                if name in ("about", "organisation"):  # every column of a table in view, even on a phone
                    expect(page.locator('[data-testid="stTable"]').first).to_be_visible()
                    for header in page.locator('[data-testid="stTable"] th').all():
                        box = header.bounding_box()
                        if box["x"] + box["width"] > width + 1:
                            failures.append(f"{locale} {width}px {name}: column {header.inner_text()!r} off screen")
        context.close()
    assert failures == []
