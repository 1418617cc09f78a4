"""The keyboard focus on the sidebar's links is visible, and unlike the current page's highlight."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.slow

STYLE = """e => { const s = getComputedStyle(e);
  return {outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor,
          underline: getComputedStyle(e.querySelector('span')).textDecorationLine}; }"""


def test_the_focused_sidebar_link_is_outlined_and_the_current_page_is_not(page: Page, app_url: str):
    page.goto(f"{app_url}/about")
    links = page.locator('[data-testid="stSidebarNavLink"]')
    expect(links.first).to_be_visible(timeout=60_000)
    current = page.locator('[data-testid="stSidebarNavLink"][href$="/about"]')
    # The focus style comes with app.py's style block (st.html, whose script Streamlit loads on demand): on a busy
    # machine the links were drawn first, and the focus was measured before the style was there (CI, 2026-12-04).
    page.wait_for_function(
        "() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('stSidebarNavLink'))",
        timeout=60_000,
    )
    for _ in range(40):  # Tab through the page until the first sidebar link holds the focus
        page.keyboard.press("Tab")
        if links.first.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("the keyboard never reached the sidebar's first link")
    focused = links.first.evaluate(STYLE)
    assert focused == {"outline": "solid 3px rgb(11, 87, 208)", "underline": "underline"}
    at_rest = current.evaluate(STYLE)  # the current page: its own background, no outline, no underline
    assert at_rest["outline"].split()[0] == "none"
    assert at_rest["underline"] == "none"
