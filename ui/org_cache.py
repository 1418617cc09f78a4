"""An organisation round's result and figure, built once per counts, comparison and language (cached), and
read by the organisation page, its plan and the room view."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st

from alignment.core.i18n import translator
from alignment.core.questionnaire import load_questionnaire
from alignment.org.result import OrgResult, org_result
from alignment.org.rounds import Assessment, Round, RoundCounts
from benchmark import figures_by_item
from ui.figures import frozen


def _counts_key(counts: RoundCounts) -> str:
    """A RoundCounts as a short exact string: Streamlit's own hashing of its dicts cost more than building
    the result it looks up (37.7 ms against 25.7 ms at 10,000 responses)."""
    reported = None if counts.reported is None else sorted(counts.reported.items())
    return repr((sorted(counts.sides.items()), sorted(counts.values.items()), reported))


@st.cache_resource(max_entries=64, show_spinner=False, hash_funcs={RoundCounts: _counts_key})
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
    return result, frozen(figure)


@st.cache_resource(max_entries=64, show_spinner=False)
def _view_by_key(key: str, _build: Callable[[], tuple[OrgResult, go.Figure]]) -> tuple[OrgResult, go.Figure]:
    return _build()


def org_view_keyed(key: str, build: Callable[[], tuple[OrgResult, go.Figure]]) -> tuple[OrgResult, go.Figure]:
    """The result and figure cached under `key`, a short string naming everything they depend on (the round,
    its kept counts per side, the language, the comparison): looking it up hashes that string only, and
    `build` (which reads the counts) runs only when the key is new."""
    return _view_by_key(key, build)


@st.cache_resource(max_entries=256, show_spinner=False)
def _counts_by_key(key: str, _read: Callable[[], RoundCounts]) -> RoundCounts:
    return _read()


def round_counts_keyed(db, rnd: Round, version: tuple) -> RoundCounts:
    """A round's counts as shown, read again only when its kept counts per side (`version`, from the page's
    one read: ui/results_code.py) change: every submission and every step moves them."""
    return _counts_by_key(repr((rnd.id, version)), lambda: db.round_counts(rnd.id))
