"""Open the app's first page in Chromium, as a newcomer would, and fail on a crash.

Usage: python .ci/first_page.py URL. Passes when the questionnaire's side and its submit button are drawn,
choosing a side draws the ten statements, and Streamlit shows no exception box.
"""

import sys

from playwright.sync_api import expect, sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def main(url: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(locale="en-US")
        page.goto(url)
        radio_groups = page.locator('[data-testid="stMain"] [data-testid="stRadio"]')
        try:
            # Wait on what the newcomer must see, not on a moment: the submit button (drawn last) and the
            # side; once a side is chosen, the tenth statement (the eleventh radio group). A busy machine
            # draws them late, and a rerun can redraw them.
            expect(page.get_by_role("button", name="See my results")).to_be_visible(timeout=120_000)
            radio_groups.first.get_by_text("IT (CIO and IT leadership)", exact=True).click(timeout=120_000)
            expect(radio_groups.nth(10)).to_be_attached(timeout=120_000)
        except AssertionError as waited_in_vain:
            print(f"{waited_in_vain}\nwhat the page showed:\n{page.locator('body').inner_text()[:3000]}")
        radios = radio_groups.count()
        exceptions = page.locator('[data-testid="stException"]').count()
        browser.close()
    print(f"first page, a side chosen: {radios} radio groups, {exceptions} exception boxes")
    if radios < 11 or exceptions:
        sys.exit(f"the first page is broken: {radios} radio groups (expected at least 11), {exceptions} exceptions")


if __name__ == "__main__":
    main(sys.argv[1])
