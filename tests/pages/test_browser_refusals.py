"""What only a browser shows: a file over an uploader's limit, refused by Streamlit in the browser before the
page sees it, is said in the page's language with the limit; an organisation import names the keys it
ignored."""

from __future__ import annotations

import json
import uuid

import pytest
from playwright.sync_api import expect

from alignment.core.i18n import translator
from alignment.org.rounds import NewAssessment
from storage import Database

pytestmark = pytest.mark.slow

AFTER = "e => getComputedStyle(e, '::after').content"


def wait_for_after(locator, content: str) -> None:
    """Wait until the element's ::after shows `content`: the page's style (app.py's input hints, an st.html
    element whose code the browser loads lazily) can come after the element it dresses (CI of b368960 read
    "none" right after the uploader appeared)."""
    want = json.dumps(content, ensure_ascii=False)
    locator.page.wait_for_function(
        "([e, want]) => getComputedStyle(e, '::after').content === want",
        arg=[locator.element_handle(), want],
        timeout=60_000,
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_file_over_the_limit_is_refused_in_the_pages_language(browser, app_url, questionnaire, tmp_path, lang):
    big = tmp_path / "big.json"
    big.write_bytes(b"{" + b" " * 1_500_000 + b"}")  # over Streamlit's 1 MB on this uploader
    page = browser.new_context(locale=f"{lang}-{lang.upper()}").new_page()
    query = "side=it&" + "&".join(f"{item}=4" for item in questionnaire.item_ids)
    page.goto(f"{app_url}/results?{query}")
    chips = page.locator('.st-key-results-upload [data-testid="stFileChips"]')
    page.locator('.st-key-results-upload input[type="file"]').set_input_files(str(big))
    expect(chips.locator('[aria-invalid="true"]')).to_have_count(1, timeout=60_000)
    assert chips.evaluate(AFTER) == json.dumps(translator(lang)("transfer.error.too_big"), ensure_ascii=False)
    assert ("100 kB" if lang == "en" else "100\u00a0ko") in chips.evaluate(AFTER)
    page.context.close()


def test_an_accepted_file_shows_no_refusal_and_unknown_keys_are_named(browser, app_url, app_database_url, tmp_path):
    db = Database(app_database_url)
    created = db.create_assessment(NewAssessment(f"Import {uuid.uuid4().hex[:6]}", "Q1", "fr", 1))
    db.dispose()
    export = {
        "format": "cio-cmo-alignment/organisation-export",
        "round": {"label": "Avant"},
        "responses": [{"side": "it", "answers": {"alignment_needed": 4}, "poids": 2}],
        "commentaire": "ajouté à la main",
    }
    from alignment.org.export import EXPORT_FORMAT

    export["format"] = EXPORT_FORMAT
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{app_url}/organisation?k={created.results_code}")
    box = page.locator(".st-key-organisation-import")
    box.locator('input[type="file"]').set_input_files(str(path))
    expect(
        page.get_by_text("paramètres inconnus «\u202fcommentaire\u202f» et «\u202fresponses[].poids\u202f»")
    ).to_be_visible(timeout=60_000)
    assert box.locator('[data-testid="stFileChips"]').evaluate(AFTER) == "none"
    page.context.close()


def test_streamlits_own_words_under_widgets_are_in_the_pages_language(browser, app_url, app_database_url):
    """Streamlit writes "20MB per file • JSON" under an uploader and "Press Enter to submit form" under a form's
    field being typed in, in English whatever the page: a French page shows them in French instead."""
    db = Database(app_database_url)
    created = db.create_assessment(NewAssessment(f"Mots {uuid.uuid4().hex[:6]}", "T1", "fr", 1))
    db.dispose()
    t = translator("fr")
    page = browser.new_context(locale="fr-FR").new_page()
    page.goto(f"{app_url}/organisation?k={created.results_code}")
    instructions = page.locator('.st-key-organisation-import [data-testid="stFileUploaderDropzoneInstructions"]')
    expect(instructions).to_be_attached(timeout=60_000)
    wait_for_after(instructions, t("widget.upload_limit", size="20", types="JSON"))
    assert instructions.evaluate(AFTER) == json.dumps(
        t("widget.upload_limit", size="20", types="JSON"), ensure_ascii=False
    )
    assert "Mo par fichier" in instructions.evaluate(AFTER)
    expect(instructions.locator("> *").first).to_be_hidden()  # Streamlit's "20MB per file • JSON"
    page.goto(f"{app_url}/join")
    page.get_by_role("textbox", name=t("room.join.label")).fill("ABCD")
    hint = page.locator('[data-testid="InputInstructions"] > span').first
    expect(hint).to_have_text("Press Enter to submit form")  # Streamlit's own, drawn at size 0 ...
    wait_for_after(hint, t("widget.enter_submit"))
    assert hint.evaluate("e => getComputedStyle(e).fontSize") == "0px"
    assert hint.evaluate(AFTER) == json.dumps(t("widget.enter_submit"), ensure_ascii=False)  # ... and ours
    page.context.close()
