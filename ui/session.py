"""Session state: the language, and the draft of answers that outlives widgets and page switches.

The draft is a flat dict shaped like the result's page address (side, item ids, profile keys, all
strings), so the address, the session and the widgets share one representation, decoded by
alignment.quick.address.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from alignment.core.i18n import LANGS, Translator, pick_language, translator
from alignment.core.questionnaire import Questionnaire, Submission, load_questionnaire
from alignment.quick.address import Problem, decode, encode

LANG_KEY = "lang"  # the sidebar's language radio
CHOSEN_LANG_KEY = "lang:chosen"  # the language the visitor chose, kept apart from the radio (language_selector)
DRAFT_KEY = "draft"
LANG_NAMES = {"fr": "Français", "en": "English"}


def leave_legacy_pages_mode() -> None:
    """Serve pages/ through st.navigation from the first session on; app.py calls it once, at server start.

    Streamlit 1.67 flags an app with a pages/ folder beside its entry file as a legacy multipage app
    (PagesManager.uses_pages_directory, set when the first session starts, cleared by the first
    st.navigation() call), so the first session after a server start would run pages/*.py directly (no
    language switch, the wrong menu) and lose its first click. No option turns that off (docs/decisions.md).
    `streamlit run app.py` imports app.py once to find its st.App before any session starts: clearing the
    flag then means no session is ever in the legacy mode. tests/pages/test_browser.py opens a deep link on a
    fresh server to keep it honest; tests/test_legacy_pages.py that nothing else calls this.
    """
    PagesManager.uses_pages_directory = False


def current_translator() -> Translator:
    """The chosen language; before any choice, French if the browser asks for it, else English."""
    chosen = st.session_state.get(CHOSEN_LANG_KEY) or st.session_state.get(LANG_KEY)
    return translator(chosen or pick_language(st.context.locale))


def language_selector() -> None:
    """The sidebar language switch.

    app.py calls it after st.navigation(), so the pages' titles come first in the sidebar. The choice is kept
    under a key of its own and given back to the radio before it is drawn: a page switch (st.switch_page, the
    quick check's "See my results") reset the radio, drawn by app.py, to its default, and the results came in
    the browser's language under a sidebar still showing the choice (tests/pages/test_browser.py).
    """
    wanted = current_translator().lang
    if st.session_state.get(LANG_KEY) != wanted:
        st.session_state[LANG_KEY] = wanted
    st.sidebar.radio(
        "Langue / Language",
        LANGS,
        format_func=LANG_NAMES.__getitem__,
        key=LANG_KEY,
        horizontal=True,
        on_change=_remember_language,
    )


def _remember_language() -> None:
    st.session_state[CHOSEN_LANG_KEY] = st.session_state[LANG_KEY]


def questionnaire() -> Questionnaire:
    return load_questionnaire()


def drawn_elsewhere() -> frozenset[str]:
    """The keys of the widgets whose values the browser sent but this session never drew: the page was drawn
    by another app server, whose session was lost with it (a failover behind the proxy, a restart), and the
    browser, reconnected here, sends what its form shows, the respondent's latest click included. Empty
    otherwise (a fresh page sends no widget values; a widget this session drew is registered).

    Streamlit has no public way to ask: this reads its session state (1.67: widget values by element id,
    `$$ID-<hash>-<key>`, registered ones with their metadata) and answers empty if that shape changes
    (tests/server/test_deploy_failover.py then fails: the click after a failover is undone again)."""
    try:
        from streamlit.runtime.state.session_state_proxy import get_session_state

        widgets = get_session_state()._state._new_widget_state
        ids = [wid for wid in widgets.states if wid not in widgets.widget_metadata]
    except Exception:  # another Streamlit: behave as before (seed from the draft)
        return frozenset()
    return frozenset(wid.split("-", 2)[2] for wid in ids if wid.startswith("$$ID-") and wid.count("-") >= 2)


class DraftState:
    """A respondent's answers so far, kept in session state under one name, shaped like query parameters.

    Widgets bound to it (`bind`) are seeded from it and write back on change, so answers survive a
    language switch, a page change and a failed submit. The quick check and an organisation's
    questionnaire each have their own.
    """

    def __init__(self, name: str = DRAFT_KEY) -> None:
        self.name = name
        # The language of this run's widget keys, read once: a draft is made per run of its page, and a
        # language switch (the sidebar) reruns the whole page, fragments included.
        self.lang = current_translator().lang

    @property
    def values(self) -> dict[str, str]:
        return st.session_state.setdefault(self.name, {})

    def replace(self, submission: Submission) -> None:
        """Take a checked submission (from a page address or the database) as the draft."""
        st.session_state[self.name] = encode(submission)
        prefix = f"w:{self.name}:"
        for key in [k for k in st.session_state if str(k).startswith(prefix)]:
            del st.session_state[key]  # widgets re-seed from the new draft

    def submission(self) -> tuple[Submission, list[Problem]]:
        return decode(self.values, questionnaire())

    def key(self, field: str, to_widget: Callable[[str | None], object] = lambda v: v) -> str:
        """The widget key for a draft field in the current language, seeded from the draft.

        The language is part of the key: the browser resets a radio or select whose option labels
        change, so after a language switch new widgets are made and seeded from the draft instead.
        """
        key = f"w:{self.name}:{self.lang}:{field}"
        if key not in st.session_state:
            elsewhere = drawn_elsewhere()
            value = self.values.get(field)
            # Not when the browser shows this widget from another app server's page: its value (the click
            # just given there, maybe unsaved) wins over the draft; `widget` copies it into the draft. Nor
            # an empty field of such a page: seeding it would clear a click given while this first run is
            # under way (the failover test, 1 run in 18 on a loaded machine: saved, but shown as not given).
            failover = any(k.startswith(f"w:{self.name}:") for k in elsewhere)
            if key not in elsewhere and (value is not None or not failover):
                st.session_state[key] = to_widget(value)
        return key

    def bind(
        self,
        field: str,
        to_widget: Callable[[str | None], object] = lambda v: v,
        from_widget: Callable[[object], str | None] = lambda v: None if v is None else str(v),
    ) -> dict:
        """Keyword arguments that bind a widget to a draft field: its key, seeded from the draft, and an
        on_change callback that copies the widget's new value into the draft.

        Streamlit runs the callbacks of every widget that changed before the script reruns, even when
        quick clicks are merged into one rerun, so the draft is complete before anything reads it.
        """
        key = self.key(field, to_widget)

        def keep() -> None:
            self.set(field, from_widget(st.session_state.get(key)))

        return {"key": key, "on_change": keep}

    def widget(
        self,
        make: Callable[..., object],
        field: str,
        *args: object,
        to_widget: Callable[[str | None], object] = lambda v: v,
        from_widget: Callable[[object], str | None] = lambda v: None if v is None else str(v),
        **kwargs: object,
    ) -> object:
        """Draw a widget bound to a draft field (`make` is st.radio, st.selectbox, ...) and return its value.

        The on_change callback keeps the draft before the script reads it; the returned value is kept too,
        because Streamlit drops the callbacks of widgets that an interrupted rerun had not reached yet
        (quick clicks on a busy server), while the value a widget returns is always the browser's.
        """
        value = make(*args, **self.bind(field, to_widget, from_widget), **kwargs)
        self.set(field, from_widget(value))
        return value

    def set(self, field: str, value: str | None) -> None:
        """Keep a widget's value (None or empty removes the field)."""
        if value in (None, ""):
            self.values.pop(field, None)
        else:
            self.values[field] = value
