"""Cached builds and small text renderers used by the pages."""

from __future__ import annotations

from datetime import date

import streamlit as st

from alignment.comparison import compare
from alignment.i18n import Translator, translator
from alignment.narrative import profile_rows
from alignment.questionnaire import Questionnaire, Submission, load_questionnaire
from alignment.report import build_pdf
from alignment.share import decode
from alignment.text import escape_markdown
from benchmark import figures_by_item


@st.cache_data(max_entries=256, show_spinner=False)
def pdf_bytes(params: tuple[tuple[str, str], ...], lang: str, today: date) -> bytes:
    """The PDF for a submission, keyed by its address parameters so reruns do not rebuild it."""
    q = load_questionnaire()
    submission, _ = decode(dict(params), q)
    return build_pdf(compare(submission, q, figures_by_item()), submission, q, translator(lang), today)


def profile_caption(submission: Submission, q: Questionnaire, t: Translator) -> str:
    """The side and profile as one markdown line, every value escaped (the profile holds typed text)."""
    return " · ".join(
        t("profile.with_text", label=escape_markdown(label), text=f"**{escape_markdown(value)}**")
        for label, value in profile_rows(submission, q, t)
    )
