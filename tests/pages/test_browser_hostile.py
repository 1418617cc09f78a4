"""Hostile text in real Chromium: every entry point shows it literally and nothing leaves the page.

Names, round labels, profile values, address keys and uploaded files carry the inputs of tests/hostile.py.
Each page is checked three ways: the text arrives as typed (word joiners aside, see alignment/core/text.py),
no link, image or emphasis was made of it, and Playwright's request log holds no request to the planted
address (a closed local port), nor any dialog from a script.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlparse

import pytest
from playwright.sync_api import Page, expect

from alignment.core.questionnaire import load_questionnaire
from alignment.core.text import without_joiners
from alignment.org.export import EXPORT_FORMAT
from alignment.org.rounds import NewAssessment
from storage import Database
from tests.hostile import HOSTILE, HOSTILE_LABEL, HOSTILE_LABEL_2, HOSTILE_NAME, TRACKER, TRACKER_PORT

Q = load_questionnaire()
NEW_ROUND_LABEL = "Nom de la nouvelle vague"
NEW_ROUND_SUBMIT = "Lancer la nouvelle vague (clôt la vague en cours)"
MADE_UP = (
    f'a[href*="127.0.0.1:{TRACKER_PORT}/"], a[href^="javascript"], a[href*="example.com"], a[href*="x.eu"], '
    f'a[href^="mailto"], img[src*="127.0.0.1:{TRACKER_PORT}/"], [data-testid="stMain"] strong:text-is("bold"), '
    '[data-testid="stMain"] strong:text-is("Acme"), [data-testid="stMain"] strong:text-is("Q2")'
)


@dataclass
class Watch:
    """What left the page: every request's address and every dialog a script opened."""

    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> Watch:
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        return self

    def assert_inert(self, page: Page) -> None:
        planted = [url for url in self.requests if urlparse(url).port == TRACKER_PORT]
        assert planted == [], planted
        assert self.dialogs == []
        expect(page.locator(MADE_UP)).to_have_count(0)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def shown(page: Page, selector: str = '[data-testid="stMain"]', *expected: str, timeout: float = 30) -> str:
    """The text a reader sees (and copies), without the invisible word joiners.

    With `expected` pieces, waits (up to `timeout` seconds) until the text holds all of them: a page draws
    in several messages, and on a busy machine the last ones come well after the first.
    """
    deadline = time.monotonic() + timeout
    while True:
        text = without_joiners(page.locator(selector).first.inner_text())
        if all(piece in text for piece in expected) or time.monotonic() > deadline:
            return text
        page.wait_for_timeout(100)


def submit(db: Database, round_id: int, side: str, value: int) -> None:
    answers = {item: value for item in Q.item_ids}
    db.submit(round_id, str(uuid.uuid4()), secrets.token_urlsafe(24), side, answers)


@pytest.fixture(scope="module")
def hostile_app(app_url, app_database_url):
    """The shared app server, with an assessment named and labelled with hostile text, two rounds."""
    db = Database(app_database_url)
    created = db.create_assessment(NewAssessment(HOSTILE_NAME, HOSTILE_LABEL, "en", 1))
    first = db.current_round(created.assessment_id)
    submit(db, first.id, "it", 4)
    submit(db, first.id, "marketing", 2)
    second = db.start_new_round(created.assessment_id, HOSTILE_LABEL_2)
    submit(db, second.id, "it", 5)
    submit(db, second.id, "marketing", 1)
    db.set_round_open(second.id, False)  # an open link's round shows its results once closed (issue 16)
    db.dispose()
    return app_url, created


def open_page(browser, url: str, lang: str, width: int) -> tuple[Page, Watch]:
    context = browser.new_context(locale=lang, viewport={"width": width, "height": 1000})
    page = context.new_page()
    watch = Watch().attach(page)
    page.goto(url)
    return page, watch


def export_file(label: str, extra_rows: list | None = None) -> dict:
    rows = [{"response": 1, "side": "it", "answers": {item: 5 for item in Q.item_ids}}]
    return {
        "name": "export.json",
        "mimeType": "application/json",
        "buffer": json.dumps(
            {"format": EXPORT_FORMAT, "round": {"label": label}, "responses": rows + (extra_rows or [])}
        ).encode(),
    }


def test_organisation_page_shows_names_and_labels_as_text(browser, hostile_app):
    base, created = hostile_app
    page, watch = open_page(browser, f"{base}/organisation?k={created.results_code}", "en-US", 1280)
    title = page.get_by_role("heading", level=1)
    expect(title).to_contain_text("Results:", timeout=30_000)
    expect(page.locator('[data-testid="stPlotlyChart"] .legendtext').first).to_be_visible(timeout=30_000)
    watch.assert_inert(page)  # first, so a broken escape is caught by what left the page
    assert without_joiners(title.inner_text()) == f"Results: {HOSTILE_NAME}"
    toggle = page.locator('[data-testid="stCheckbox"]').filter(has_text="Compare with the previous round")
    assert without_joiners(toggle.inner_text()) == f"Compare with the previous round ({HOSTILE_LABEL})"
    chosen = page.locator('[data-testid="stSelectbox"]').first
    assert HOSTILE_LABEL_2 in chosen.inner_text() + chosen.locator("input").input_value()
    legend = page.locator('[data-testid="stPlotlyChart"] .legendtext')
    expect(legend.filter(has_text="Your IT · ")).to_have_count(1)
    assert f"Your IT · {HOSTILE_LABEL}" in legend.all_text_contents()
    expect(page.locator('[data-testid="stPlotlyChart"] a')).to_have_count(0)

    # An uploaded export plants its own label: on the chart and in the message, as text.
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    label = HOSTILE[3][:80]
    uploader.set_input_files(export_file(label, [{"side": "ceo", "answers": {}}, "x"]))
    expect(page.get_by_text("Loaded for comparison")).to_be_visible(timeout=30_000)
    loaded, left_out = f"Loaded for comparison: file: {label}.", "Left out of the file: 2 responses with no known"
    text = shown(page, '[data-testid="stMain"]', loaded, left_out)
    assert loaded in text and left_out in text
    expect(legend.filter(has_text="file: ")).to_have_count(1)  # the export holds IT only
    assert f"Your IT · file: {label}" in legend.all_text_contents()
    watch.assert_inert(page)

    # A number of 5,000 digits (Python's int limit) and a bare string: a named refusal, no traceback.
    for content, refusal in (
        (b'{"format": 1' + b"9" * 5000 + b"}", "This file is not readable JSON."),
        (b'"x"', "This JSON file is not a round exported by this tool."),
    ):
        uploader.set_input_files({"name": "bad.json", "mimeType": "application/json", "buffer": content})
        expect(page.get_by_text(refusal)).to_be_visible(timeout=30_000)
        expect(page.locator('[data-testid="stMetricValue"]').first).to_be_visible()  # the page goes on
    watch.assert_inert(page)
    page.context.close()


def test_results_address_and_profile_show_as_text(browser, app_url):
    params = {"side": "it", **{item: "4" for item in Q.item_ids}}
    params |= {"industry": "other", "industry_other": HOSTILE[0], "country": "other", "country_other": HOSTILE[6]}
    params |= {HOSTILE[1]: "1", HOSTILE[4][:60]: "2", "ctx_crm_owner": "9"}
    page, watch = open_page(browser, f"{app_url}/results?{urlencode(params)}", "fr-FR", 390)
    expect(page.get_by_role("heading", name="Vos résultats face à l’enquête")).to_be_visible(timeout=30_000)
    sector = f"Secteur\u00a0: Autre\u00a0: {HOSTILE[0]}"
    text = shown(page, '[data-testid="stMain"]', sector, HOSTILE[6])
    assert sector in text and HOSTILE[6] in text
    warning = shown(page, '[data-testid="stAlertContentWarning"]')
    assert HOSTILE[1] in warning and HOSTILE[4][:60] in warning
    assert "ctx_crm_owner" not in warning and "Qui est propriétaire de la GRC" in warning
    assert len(warning.splitlines()) == 1
    chart = page.locator('[data-testid="stPlotlyChart"]')
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".legendtext").first).to_be_visible(timeout=30_000)
    watch.assert_inert(page)

    # A saved result with an unknown key, a bad answer and no date: loaded, and what was left out is said.
    saved = {
        "format": "cio-cmo-alignment/quick-check",
        "version": 1,
        "saved_on": "yesterday",
        "side": "it",
        "answers": {item: 2 for item in Q.item_ids} | {"zzz": 1},
        "context": {"ctx_crm_owner": 99},
        "profile": {},
        "extra": HOSTILE[2],
    }
    # The real limit, in French; Streamlit's English "1MB per file" is hidden.
    expect(page.locator('[data-testid="stFileUploader"] label')).to_have_text(
        "Charger un résultat enregistré (JSON, 100\u00a0ko au plus)"
    )
    expect(page.locator('[data-testid="stFileUploaderDropzoneInstructions"]')).to_be_hidden()
    uploader = page.locator('[data-testid="stFileUploader"] input[type="file"]')
    uploader.set_input_files({"name": "s.json", "mimeType": "application/json", "buffer": json.dumps(saved).encode()})
    expect(page.get_by_text("Résultat antérieur chargé")).to_be_visible(timeout=30_000)
    info = shown(page, '[data-testid="stAlertContentInfo"]')
    assert "«\u202fzzz\u202f»" in info and "Qui est propriétaire de la GRC" in info and "«\u202fextra\u202f»" in info
    assert "?" not in shown(page, '[data-testid="stAlertContentSuccess"]')
    uploader.set_input_files({"name": "b.json", "mimeType": "application/json", "buffer": b"[" + b"1" * 5000 + b"]"})
    expect(page.get_by_text("Ce fichier n’est pas un JSON lisible")).to_be_visible(timeout=30_000)
    watch.assert_inert(page)
    page.context.close()


def test_respondent_page_shows_the_name_as_text_and_a_elsewhere_keeps_the_menu(browser, hostile_app, app_database_url):
    base, _ = hostile_app
    db = Database(app_database_url)  # the shared assessment's round is closed: this one's is open
    created = db.create_assessment(NewAssessment(HOSTILE_NAME, HOSTILE_LABEL, "en", 1))
    db.dispose()
    page, watch = open_page(browser, f"{base}/respond?a={created.respondent_code}", "en-US", 1280)
    expect(page.get_by_role("heading", name="Your organisation's alignment check")).to_be_visible(timeout=30_000)
    intro = f"{HOSTILE_NAME} asks its IT and marketing teams"
    assert intro in shown(page, '[data-testid="stMain"]', intro)
    expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)  # respondents: no organiser menu
    watch.assert_inert(page)
    page.goto(f"{base}/about?a=x")
    expect(page.get_by_role("heading", name="About the survey and this tool")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stSidebarNav"]')).to_be_visible()
    page.context.close()


def test_tracker_is_a_closed_port():
    """The planted address must stay unreachable, or a request to it could not be told from a hit."""
    assert urlparse(TRACKER).port == TRACKER_PORT


def test_typed_names_are_kept_shown_as_typed_carded_and_deleted_as_typed(browser, app_url, tmp_path):
    page, watch = open_page(browser, f"{app_url}/new_assessment", "fr-FR", 390)
    context = page.context
    name_box = page.get_by_role("textbox", name="Nom de l’organisation")
    expect(name_box).to_be_visible(timeout=30_000)
    # Pasting past the limit keeps the text and says why it is refused.
    name_box.fill("N" * 250)
    page.get_by_role("textbox", name="Nom de la vague").fill("Vague 1")
    page.get_by_role("button", name="Créer l’évaluation").click()
    expect(page.get_by_text("250\u00a0caractères, 200 au plus")).to_be_visible(timeout=30_000)
    assert name_box.input_value() == "N" * 250

    typed = f"{HOSTILE_NAME}  👩🏽\u200d💻"  # a double space and a joined emoji, as typed
    name_box.fill(typed)
    page.get_by_role("button", name="Créer l’évaluation").click()
    expect(page.get_by_text("L’évaluation est créée.")).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        page.get_by_role("button", name="Télécharger les deux liens (fiche texte)").click()
    card = (
        (tmp_path / "card.txt").read_text(encoding="utf-8") if info.value.save_as(tmp_path / "card.txt") is None else ""
    )
    links = [line for line in card.splitlines() if line.startswith(app_url)]
    assert card.splitlines()[0] == f"Alignement DSI–marketing\u00a0: {HOSTILE_NAME} 👩🏽\u200d💻"
    assert "/respond?a=" in links[0] and "/organisation?k=" in links[1]
    watch.assert_inert(page)

    page.goto(links[1])
    title = page.get_by_role("heading", level=1)
    expect(title).to_contain_text("Résultats", timeout=30_000)
    assert without_joiners(title.inner_text()) == f"Résultats\u00a0: {HOSTILE_NAME} 👩🏽\u200d💻"
    page.get_by_text("Gérer l’évaluation", exact=True).click()  # the open round's note names it too
    # A new round's label past 80 characters: refused, and kept in its field (the form does not clear).
    label_box = page.get_by_role("textbox", name=NEW_ROUND_LABEL)
    label_box.fill("L" * 90)
    page.get_by_role("button", name=NEW_ROUND_SUBMIT).click()
    expect(page.get_by_text("90\u00a0caractères, 80 au plus")).to_be_visible()
    expect(label_box).to_have_value("L" * 90)
    page.get_by_role("textbox", name="Nom de l’organisation").fill(typed)
    page.get_by_role("button", name="Supprimer définitivement").click()
    expect(page.get_by_text("L’évaluation et toutes ses réponses sont supprimées.")).to_be_visible(timeout=30_000)
    watch.assert_inert(page)
    context.close()
