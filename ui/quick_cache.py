"""The quick check's result and figure, built once per answers and language (cached), and its PDF, built on click."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl, urlencode

import plotly.graph_objects as go
import streamlit as st

from alignment.core.i18n import translator
from alignment.core.questionnaire import Submission, load_questionnaire
from alignment.quick.address import decode, encode
from alignment.quick.compare import compare
from alignment.quick.result import QuickResult, quick_result
from alignment.render.charts import strips_figure
from benchmark import figures_by_item
from ui.figures import frozen


def address_key(submission: Submission) -> str:
    """A submission as its page address's query string, keys sorted: the cache key of quick_view. One short
    string: Streamlit hashes it at once, where a tuple of 30 pairs cost it 2 ms a rerun."""
    return urlencode(sorted(encode(submission).items()))


@st.cache_resource(max_entries=256, show_spinner=False)
def quick_view(
    address: str, lang: str, previous: str | None = None, previous_label: str = ""
) -> tuple[QuickResult, go.Figure]:
    """The result of a complete submission (given by its address_key) and its strips figure.

    Kept per answers, language and loaded earlier result, so a rerun draws without recomputing;
    cache_resource hands back the same objects, which nothing mutates.
    """
    q, figures, t = load_questionnaire(), figures_by_item(), translator(lang)
    result = quick_result(
        decode(dict(parse_qsl(address, keep_blank_values=True)), q)[0], q, figures, lang, t("scale.0")
    )
    earlier = compare(decode(dict(parse_qsl(previous, keep_blank_values=True)), q)[0], q, figures) if previous else None
    return result, frozen(strips_figure(result.summary, t, earlier, previous_label))


def quick_pdf(result: QuickResult, today: date) -> bytes:
    """The quick check's PDF, built when the download button is clicked."""
    from alignment.render.quick_pdf import build_pdf  # WeasyPrint is loaded only when a PDF is asked for

    return build_pdf(result, load_questionnaire(), translator(result.lang), today)


def quick_html(result: QuickResult, today: date) -> bytes:
    """The quick check's summary as one self-contained, accessible HTML file, built when its button is clicked."""
    from alignment.render.quick_pdf import build_html

    return build_html(result, load_questionnaire(), translator(result.lang), today)
