"""Small widgets shared by the pages: selects of codes shown in the current language."""

from __future__ import annotations

import streamlit as st

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire
from alignment.quick.address import OTHER
from benchmark import load_survey
from ui.session import DraftState


def profile_labels(t: Translator, q: Questionnaire) -> dict[str, dict[str, str]]:
    """Code -> label in the current language, for the industry, country and size selects."""
    survey = load_survey()
    other = {OTHER: t("profile.other")}
    return {
        "industry": {i["code"]: t.pick(i) for i in survey["industries"]} | other,
        "country": {c["code"]: t.pick(c) for c in survey["countries"]} | other,
        "size": {b["code"]: t.pick(b) for b in q.size_bands},
    }


def code_select(t: Translator, label: str, labels: dict[str, str], draft: DraftState, field: str) -> str | None:
    """A select of codes kept in a draft, so a language switch or a rerun never loses the choice."""
    choice = draft.widget(
        st.selectbox,
        field,
        label,
        list(labels),
        index=None,
        format_func=labels.__getitem__,
        placeholder=t("questionnaire.choose"),
    )
    return choice


def recommendations(t: Translator, actions) -> None:
    """The recommended actions under the "What to do about it" header, or a line saying there are none;
    the quick check's and the organisation's results draw them alike."""
    st.header(t("recs.title"))
    if actions:
        st.caption(t("recs.intro"))
        st.markdown("\n".join(f"- **{t(f'recs.theme.{a.theme}')}** — {a.text[t.lang]}" for a in actions))
    else:
        st.write(t("recs.none"))


def upload_limit_message(key: str, message: str) -> None:
    """Say, in the page's language, why a file over an uploader's limit was refused.

    Streamlit refuses such a file in the browser, before the page sees it, with only a red icon on screen
    (its English "File must be 1.0MB or smaller" is for screen readers alone). This style shows `message`
    under the refused file, and only then, on the uploader or container created with `key`."""
    text = message.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")  # a CSS string
    selector = f'.st-key-{key} [data-testid="stFileChips"]:has([aria-invalid="true"])::after'
    st.html(
        f'<style>{selector} {{content: "{text}"; display: block; color: #a4161a; font-weight: 600;'
        " margin-top: .4rem;}</style>"
    )


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def upload_instructions(t: Translator, key: str, size_mb: int, types: str) -> None:
    """Streamlit's line under an uploader ("20MB per file • JSON") is English whatever the page: on the uploader
    or container created with `key`, it is replaced by the same in the page's language."""
    scope = f'.st-key-{key} [data-testid="stFileUploaderDropzoneInstructions"]'
    text = t("widget.upload_limit", size=t.number(size_mb), types=types)
    st.html(
        f"<style>{scope} > * {{display: none;}} {scope}::after {{content: {_css_string(text)}; font-size: .875rem;"
        " opacity: .7;}</style>"
    )


# Streamlit's hint under a field being typed in, by where the field is (a form's fields submit it).
_HINTS = (
    ('[data-testid="stTextArea"]', "widget.ctrl_enter_apply"),
    ('[data-testid="stTextInput"]', "widget.enter_apply"),
    ('[data-testid="stNumberInput"]', "widget.enter_apply"),
    ('[data-testid="stForm"] [data-testid="stTextArea"]', "widget.ctrl_enter_submit"),
    ('[data-testid="stForm"] [data-testid="stTextInput"]', "widget.enter_submit"),
    ('[data-testid="stForm"] [data-testid="stNumberInput"]', "widget.enter_submit"),
)


def input_hints(t: Translator) -> None:
    """Streamlit's "Press Ctrl+Enter to submit form" under a field being typed in is English whatever the page:
    the same hint in the page's language instead, shown when Streamlit shows its own (its first part; a length
    counter after it is kept)."""
    rules = [
        f'{scope} [data-testid="InputInstructions"] > span:first-child {{font-size: 0;}}'
        f'{scope} [data-testid="InputInstructions"] > span:first-child::after {{content: {_css_string(t(key))};'
        " font-size: .75rem;}"
        for scope, key in _HINTS
    ]
    st.html("<style>" + "".join(rules) + "</style>")
