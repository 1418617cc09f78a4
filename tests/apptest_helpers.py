"""Helpers to drive the app with Streamlit's AppTest."""

from __future__ import annotations

import re

import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from alignment.core.i18n import LANGS, translator
from tests.conftest import ROOT


class _RunningServerPagesManager(PagesManager):
    """AppTest re-arms Streamlit's legacy pages/ flag on every run, and runs app.py as __main__, so the
    server-start clearing in app.py (ui.session.leave_legacy_pages_mode) never happens. Clearing it here
    makes every AppTest run behave like the server; the server's own path is tests/pages/test_browser.py's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


app_test_module.PagesManager = _RunningServerPagesManager

APP = str(ROOT / "app.py")


def start(lang: str = "en", query: dict[str, str] | None = None, page: str | None = None) -> AppTest:
    """The app with a chosen language, optional page address parameters, optionally on another page."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    if query:
        at.query_params.update(query)
    if page:
        at.switch_page(page)
    return at.run()


def _guarded_error_pattern(lang: str) -> re.Pattern[str]:
    """The message run_guarded (ui/errors.py) shows for an exception a page raised, any reference."""
    before, after = translator(lang)("app.unexpected_error", ref="\x00").split("\x00")
    return re.compile(re.escape(before) + r"[0-9a-f]+" + re.escape(after))


GUARDED_ERRORS = tuple(_guarded_error_pattern(lang) for lang in LANGS)


def guarded_errors(at: AppTest) -> list[str]:
    """The app's own "unexpected error" messages on the page: a page raised, and app.py caught it."""
    return [e.value for e in at.error if any(p.fullmatch(e.value) for p in GUARDED_ERRORS)]


def assert_no_error(at: AppTest) -> AppTest:
    """Fail if the page raised: Streamlit's exception box, or the app's own guarded message.

    `assert not at.exception` alone cannot fail on a page: app.py runs every page under run_guarded,
    which turns an exception into a localised message (with a reference) before AppTest sees it.
    """
    assert not at.exception, [e.value for e in at.exception]
    failed = guarded_errors(at)
    assert not failed, f"the page raised; app.py showed: {failed}"
    return at


def item_radios(at: AppTest, prefix: str = "w:draft:") -> list:
    """The ten statements' radios (not the side, not the context questions) of the form whose widget keys
    start with `prefix`: the quick check's by default, a respondent page's with respondent_page's prefix."""
    return [
        r
        for r in at.radio
        if r.key and r.key.startswith(prefix) and not r.key.endswith(":side") and ":ctx_" not in r.key
    ]


def respondent_page(db, created, lang: str = "en") -> tuple[AppTest, str, str]:
    """The respondent page of a new assessment (`created`, from Database.create_assessment): the page, its
    widget-key prefix, and the assessment's id."""
    assessment_id = db.find_by_respondent_code(created.respondent_code).id
    at = start(lang, query={"a": created.respondent_code}, page="pages/respond.py")
    return at, f"w:org:{assessment_id}:{lang}:", assessment_id


def answer_all(at: AppTest, side: str = "marketing", value: int = 4) -> AppTest:
    at.radio(key="w:draft:en:side").set_value(side).run()
    for radio in item_radios(at):
        radio.set_value(value)
    return at.run()


def submit(at: AppTest) -> AppTest:
    return at.button(key="draft:submit").click().run()


def new_assessment_form(
    access: str, lang: str = "en", round_label: str = "2026 Q4", min_group: int | None = None
) -> AppTest:
    """The new-assessment page for "Acme" filled in up to its access mode, run again to show that mode's
    fields; the caller fills in who is invited and clicks "new_assessment:submit"."""
    at = start(lang, page="pages/new_assessment.py")
    at.text_input(key="new_assessment:name").input("Acme")
    at.text_input(key="new_assessment:round").input(round_label)
    if min_group is not None:
        at.number_input(key="new_assessment:min_group").set_value(min_group)
    return at.radio(key="new_assessment:access").set_value(access).run()
