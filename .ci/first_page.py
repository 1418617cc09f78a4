"""Open the app's first page in Chromium, as a newcomer would, and fail on a crash.

Usage: python .ci/first_page.py URL. Passes when the questionnaire's radios and its submit button are
drawn and Streamlit shows no exception box.
"""

import sys

from playwright.sync_api import expect, sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def main(url: str) -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(locale="en-US")
        page.goto(url)
        # The submit button is drawn last: once it is there, the script has run to its end.
        expect(page.get_by_role("button", name="See my results")).to_be_visible(timeout=120_000)
        radios = page.locator('[data-testid="stRadio"]').count()
        exceptions = page.locator('[data-testid="stException"]').count()
        browser.close()
    print(f"first page: {radios} radio groups, {exceptions} exception boxes")
    if radios < 11 or exceptions:
        sys.exit(f"the first page is broken: {radios} radio groups (expected at least 11), {exceptions} exceptions")


if __name__ == "__main__":
    main(sys.argv[1])
