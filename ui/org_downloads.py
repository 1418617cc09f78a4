"""Cached builds of an organisation's PDF and exports (keyed by what they show, so reruns reuse them)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from alignment.export import responses_csv, responses_json
from alignment.i18n import translator
from alignment.org_report import build_org_pdf
from alignment.organisation import Assessment, Round, RoundCounts, gaps, round_results
from alignment.questionnaire import load_questionnaire
from benchmark import figures_by_item


@st.cache_data(max_entries=64, show_spinner=False)
def org_pdf(
    assessment: Assessment,
    rnd: Round,
    counts: RoundCounts,
    previous_round: Round | None,
    previous_counts: RoundCounts | None,
    lang: str,
    today: date,
) -> bytes:
    q = load_questionnaire()
    results = round_results(counts, assessment.min_group_size, q)
    previous = round_results(previous_counts, assessment.min_group_size, q) if previous_counts else None
    return build_org_pdf(
        assessment,
        rnd,
        results,
        gaps(results, figures_by_item(), q),
        figures_by_item(),
        q,
        translator(lang),
        today,
        previous,
        previous_round,
    )


def exports(assessment: Assessment, rnd: Round, counts: RoundCounts, rows: list[dict]) -> tuple[str, str]:
    """CSV (in the assessment's language and spreadsheet dialect) and JSON of the visible sides' responses."""
    q = load_questionnaire()
    results = round_results(counts, assessment.min_group_size, q)
    csv_text = responses_csv(rows, q.item_ids, assessment.lang, results)
    return csv_text, responses_json(assessment, rnd, results, rows, q.item_ids)
