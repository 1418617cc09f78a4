"""Helpers to drive the app with Streamlit's AppTest."""

from __future__ import annotations

import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


class _RunningServerPagesManager(PagesManager):
    """AppTest re-arms Streamlit's legacy pages/ flag on every run; a server clears it for good after its
    first session (ui.session.leave_legacy_pages_mode). Clearing it here makes every AppTest run behave
    like a server that is already up; the first-session path is covered in tests/pages/test_browser.py."""

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


def item_radios(at: AppTest) -> list:
    return [
        r
        for r in at.radio
        if r.key and r.key.startswith("w:draft:") and not r.key.endswith(":side") and ":ctx_" not in r.key
    ]


def answer_all(at: AppTest, side: str = "marketing", value: int = 4) -> AppTest:
    at.radio(key="w:draft:en:side").set_value(side).run()
    for radio in item_radios(at):
        radio.set_value(value)
    return at.run()


def submit(at: AppTest) -> AppTest:
    return at.button(key="draft:submit").click().run()
