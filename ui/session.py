"""Session state: the language, and the draft of answers that outlives widgets and page switches.

The draft is a flat dict shaped like the result's page address (side, item ids, profile keys, all
strings), so the address, the session and the widgets share one representation, decoded by
alignment.share.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from alignment.i18n import LANGS, Translator, pick_language, translator
from alignment.questionnaire import Questionnaire, Submission, load_questionnaire
from alignment.share import Problem, decode, encode

LANG_KEY = "lang"
DRAFT_KEY = "draft"
LANG_NAMES = {"fr": "Français", "en": "English"}


def leave_legacy_pages_mode() -> None:
    """Rerun under st.navigation when Streamlit started this session in its legacy pages/ mode.

    Streamlit flags an app with a pages/ folder beside its entry file as a legacy multipage app until
    the first st.navigation() call, so the first session after a server start runs pages/*.py directly
    (no language switch, the wrong menu) and loses its first click. Clearing the flag and rerunning
    puts that session on st.navigation like every other. Called first by app.py and every page.
    tests/test_browser.py opens a fresh server on a deep link to cover it.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def current_translator() -> Translator:
    """The chosen language; before any choice, French if the browser asks for it, else English."""
    return translator(st.session_state.get(LANG_KEY) or pick_language(st.context.locale))


def language_selector() -> None:
    """The sidebar language switch.

    app.py calls it after st.navigation(), so the pages' titles come first in the sidebar.
    """
    st.sidebar.radio(
        "Langue / Language",
        LANGS,
        index=LANGS.index(pick_language(st.context.locale)),
        format_func=LANG_NAMES.__getitem__,
        key=LANG_KEY,
        horizontal=True,
    )


def questionnaire() -> Questionnaire:
    return load_questionnaire()


def draft() -> dict[str, str]:
    """The respondent's answers so far, shaped like query parameters."""
    return st.session_state.setdefault(DRAFT_KEY, {})


def replace_draft(submission: Submission) -> None:
    """Take a result opened from a page address (already decoded and checked) as the session's draft."""
    st.session_state[DRAFT_KEY] = encode(submission)
    for key in [k for k in st.session_state if str(k).startswith("w:")]:
        del st.session_state[key]  # widgets re-seed from the new draft


def draft_submission() -> tuple[Submission, list[Problem]]:
    return decode(draft(), questionnaire())


def bound(
    field: str,
    to_widget: Callable[[str | None], object] = lambda v: v,
    to_draft: Callable[[object], str | None] = lambda v: v,
) -> str:
    """A widget key for a draft field: seeded from the draft, and written back on every change.

    Returns the key to pass to the widget, which must also get on_change=remember, args=(field, to_draft).
    """
    key = f"w:{field}"
    if key not in st.session_state:
        st.session_state[key] = to_widget(draft().get(field))
    return key


def remember(field: str, to_draft: Callable[[object], str | None] = lambda v: v) -> None:
    """on_change callback: copy a widget's value into the draft (a None or empty value removes it)."""
    value = to_draft(st.session_state[f"w:{field}"])
    if value in (None, ""):
        draft().pop(field, None)
    else:
        draft()[field] = value
