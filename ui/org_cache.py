"""An organisation round's result and figure, built once per counts, comparison and language (cached), and
read by the organisation page, its plan and the room view."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from alignment.core.i18n import translator
from alignment.core.questionnaire import load_questionnaire
from alignment.org.result import OrgResult, org_result
from alignment.org.rounds import Assessment, Round, RoundCounts
from benchmark import figures_by_item


@st.cache_resource(max_entries=64, show_spinner=False)
def org_view(
    assessment: Assessment,
    rnd: Round,
    counts: RoundCounts,
    lang: str,
    previous_counts: RoundCounts | None = None,
    previous_label: str = "",
    previous_round: Round | None = None,
    invited: tuple[tuple[str, int], ...] = (),
) -> tuple[OrgResult, go.Figure]:
    """The round's result and its strips in `lang`, rebuilt only when its counts (a new submission), the
    comparison or the language change. cache_resource hands back the same objects, which nothing mutates."""
    q, figures = load_questionnaire(), figures_by_item()
    result = org_result(
        assessment, rnd, counts, q, figures, previous_counts, previous_label, previous_round, dict(invited)
    )
    from alignment.render.charts import organisation_figure

    figure = organisation_figure(translator(lang), q, figures, result.results, result.previous, previous_label)
    return result, figure
