"""The conversation plan in real Chromium: a hostile note is typed, ticked, saved, read back and printed,
and nothing is made of it (no request to the planted address, no link, image or emphasis)."""

from playwright.sync_api import expect
from pypdf import PdfReader

from alignment.core.text import without_joiners
from tests.hostile import HOSTILE, HOSTILE_NAME
from tests.pages.test_browser_hostile import hostile_app, open_page  # noqa: F401  (a fixture)

NOTE = " ".join(HOSTILE)[:500]


def test_a_hostile_note_is_kept_as_text_on_the_page_and_in_the_pdf(browser, hostile_app):  # noqa: F811
    base, created = hostile_app
    page, watch = open_page(browser, f"{base}/plan?k={created.results_code}", "fr-FR", 1280)
    title = page.get_by_role("heading", level=1)
    expect(title).to_contain_text("Plan de conversation", timeout=30_000)
    expect(page.get_by_role("checkbox")).to_have_count(5, timeout=30_000)
    assert without_joiners(title.inner_text()) == f"Plan de conversation\u00a0: {HOSTILE_NAME}"
    opening = page.locator('[data-testid="stForm"]').first
    opening.get_by_role("checkbox").check(force=True)  # Streamlit draws its own box over the input
    opening.get_by_role("textbox").fill(NOTE)
    opening.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Enregistré.")).to_be_visible(timeout=30_000)
    watch.assert_inert(page)

    page.reload()  # a new session: the tick and the note come back from the database
    expect(page.get_by_role("checkbox")).to_have_count(5, timeout=30_000)
    opening = page.locator('[data-testid="stForm"]').first
    expect(opening.get_by_role("textbox")).to_have_value(NOTE, timeout=30_000)
    expect(opening.get_by_role("checkbox")).to_be_checked()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the plan (PDF)").click()  # the assessment's language
    pdf = PdfReader(download.value.path())
    # Compared without white space: WeasyPrint may break a line after "/" or "]", which extraction reads as a space.
    text = "".join("".join(p.extract_text() for p in pdf.pages).split())
    assert "".join(f"Note: {NOTE}".split()) in text and "0:00–0:05Opening(5min)☑discussed" in text
    watch.assert_inert(page)
