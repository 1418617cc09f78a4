"""The organisation results page's sections, drawn from one round's result (alignment.org.result)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import plotly.graph_objects as go
import streamlit as st

from alignment.core.i18n import Translator, translator
from alignment.core.questionnaire import Questionnaire
from alignment.core.text import escape_markdown
from alignment.org.followup import FollowUp
from alignment.org.gap_table import gap_rows
from alignment.org.result import OrgResult
from alignment.org.sentences import gap_sentence, share_line, side_sentences
from alignment.org.significance import MIN_TO_TELL, SURVEY_N_ASSUMED
from ui.org_downloads import export_csv, export_json, export_workbook, org_html, org_pdf
from ui.widgets import recommendations


def counts_section(t: Translator, q: Questionnaire, result: OrgResult) -> None:
    """Answers by side (always shown), the minimum group size and which sides it hides."""
    assessment, results = result.assessment, result.results
    st.header(t("org.results.counts"))
    st.caption(t(f"org.results.access_{assessment.access}"))
    for column, side in zip(st.columns(len(q.side_ids)), q.side_ids, strict=True):
        column.metric(t(f"org.side_short.{side}"), results.count(side), help=t(f"side.{side}"))  # short: never cut
        if (rate := result.response_rate(side)) is not None:
            column.caption(t("org.results.rate", invited=result.invited[side], rate=t.percent(rate)))
    st.caption(t("org.results.min_note", min=assessment.min_group_size))
    if assessment.access == "open":  # an open link's round shows its figures once closed (storage/steps.py)
        if result.round.is_open and not result.round.rehearsal:
            st.info(t("org.results.at_close"))
    else:
        st.caption(t("org.results.steps_note", min=assessment.min_group_size))
    for side in results.visible_sides:
        if waiting := results.count(side) - results.shown(side):
            shown, step = results.shown(side), assessment.min_group_size
            st.caption(t.plural("org.results.held_back", waiting, side=t(f"side.{side}"), shown=shown, min=step))
    if assessment.small_groups:
        st.warning(t("org.results.min_small", min=assessment.min_group_size))
    for side in q.side_ids:
        if 0 < results.count(side) < assessment.min_group_size:
            st.caption(
                t.plural(
                    "org.results.hidden", results.count(side), side=t(f"side.{side}"), min=assessment.min_group_size
                )
            )


def results_sections(t: Translator, q: Questionnaire, figures: dict, result: OrgResult, figure: go.Figure) -> None:
    """The strips, the gap table, recommendations, workshop questions and each statement's sentences."""
    results = result.results
    if not results.visible_sides:
        st.info(t("org.results.nothing_visible"))
    else:
        st.header(t("org.results.chart_title"))
        st.plotly_chart(figure, config={"displayModeBar": False})
        st.caption(t("org.results.chart_caption"))
        st.header(t("org.results.gap_title"))
        st.caption(t("org.results.gap_caption"))
        gap_table(t, q, result)
        recommendations(t, result.actions)
        st.subheader(t("recs.workshop"))
        st.caption(t("recs.workshop_intro"))
        if result.questions:
            st.markdown(
                "\n".join(f"- **{q.item(item).short_in(t.lang)}** — {text[t.lang]}" for item, text in result.questions)
            )
        else:
            st.write(t("recs.workshop_none"))
        st.header(t("results.details"))
        st.caption(t("method.assumption", n=t.number(SURVEY_N_ASSUMED), min=MIN_TO_TELL))
        for n, item in enumerate(q.items, start=1):
            with st.container(border=True):
                st.markdown(f"**{n}. {item.short_in(t.lang)}**")
                for side in results.visible_sides:
                    st.write(share_line(t, results, side, item.id))
                for sentence in [
                    *side_sentences(t, results, item.id, figures.get(item.id, {})),
                    gap_sentence(t, results, item.id),
                ]:
                    if sentence:
                        st.caption(sentence)


def gap_table(t: Translator, q: Questionnaire, result: OrgResult, limit: int | None = None) -> None:
    """Your IT − marketing beside the survey's CIO − CMO, once both sides reach the minimum (also the room
    view's, which shows the `limit` largest gaps only)."""
    results = result.results
    if results.visible("it") and results.visible("marketing"):
        header, *rows = gap_rows(t, q, list(result.gaps)[:limit])
        # A wrapping table keeps both gap columns in view on a phone (a data grid scrolls them away).
        # st.table reads its cells as Markdown ("10. …" would become a numbered list): cells are escaped.
        cells = [{escape_markdown(h): escape_markdown(c) for h, c in zip(header, row, strict=True)} for row in rows]
        st.table(cells, hide_index=True, border="horizontal")
    else:
        st.info(t("org.results.gap_needs_both", min=result.assessment.min_group_size))


def downloads(
    t: Translator, result: OrgResult, export_rows: Callable[[], list[dict]], follow: FollowUp | None = None
) -> None:
    """PDF, HTML, CSV, JSON and workbook buttons; each file is built (and the rows read) only when its button is
    clicked. With the round's follow-up, the PDF has its follow-up page and the workbook is offered."""
    # Named in the files' language, the assessment's: "alignement-vague-2-2026-12-03.pdf".
    in_files = translator(result.assessment.lang)
    stem = f"{in_files('org.results.file_name')}-{result.round.number}-{date.today().isoformat()}"
    # The reports in one column, the exports in the other: four columns cut the labels at 1280 px ("Download the
    # PDF re…", walk-through of 2026-12-04).
    reports, exports = st.columns(2)
    reports.download_button(
        t("org.results.pdf"),
        data=lambda: org_pdf(result, date.today(), follow),
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        type="primary",
        on_click="ignore",
        key="organisation:pdf",
    )
    reports.download_button(  # the same report, readable by a screen reader (issue 20)
        t("org.results.html"),
        data=lambda: org_html(result, date.today(), follow),
        file_name=f"{stem}.html",
        mime="text/html",
        on_click="ignore",
        key="organisation:html",
    )
    exports.download_button(
        t("org.results.csv"),
        data=lambda: export_csv(result, export_rows()),
        file_name=f"{stem}.csv",
        mime="text/csv",
        on_click="ignore",
        key="organisation:csv",
    )
    exports.download_button(
        t("org.results.json"),
        data=lambda: export_json(result, export_rows(), follow.actions if follow else ()),
        file_name=f"{stem}.json",
        mime="application/json",
        on_click="ignore",
        key="organisation:json",
    )
    if follow is not None:
        st.download_button(
            t("followup.workbook"),
            data=lambda: export_workbook(result, follow, export_rows(), date.today()),
            file_name=f"{in_files('workbook.file')}-{result.round.number}-{date.today().isoformat()}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
            icon=":material/table_view:",
            key="organisation:xlsx",
        )
