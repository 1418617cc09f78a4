"""The conversation plan's page body: each segment with its tick and note (saved per round), and the PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from alignment.core.i18n import Translator, translator
from alignment.core.questionnaire import Questionnaire
from alignment.core.text import clean_text, escape_markdown, too_long
from alignment.org.plan import (
    CLOSING,
    MAX_PLAN_NOTE,
    Plan,
    PlanNote,
    Segment,
    basis_lines,
    question_text,
    segment_lines,
    segment_time,
    segment_title,
)
from alignment.org.result import OrgResult
from ui.errors import database_errors

Save = Callable[[str, bool, str], PlanNote]


def plan_link(t: Translator, code: str, round_number: int) -> None:
    """The organisation results' link to this round's plan."""
    query = {"k": code, "r": str(round_number)}
    st.page_link("pages/plan.py", label=t("plan.open"), icon=":material/forum:", query_params=query)


def plan_body(
    t: Translator,
    q: Questionnaire,
    result: OrgResult,
    plan: Plan,
    notes: dict[str, PlanNote],
    save: Save,
    record: Callable[[str | None], None] | None = None,
):
    """The basis of the topics, then one bordered block per segment, in the session's order. `record` draws
    the follow-up's "record an action" form for a topic's statement (None: any statement, at the closing)."""
    for line in basis_lines(t, result, plan):
        st.info(escape_markdown(line))
    for segment in plan.segments:
        with st.container(border=True):
            _segment(t, q, result, plan, segment, notes.get(segment.key, PlanNote()), save)
            if record is not None and (segment.topic is not None or segment.key == CLOSING):
                record(segment.topic.item if segment.topic is not None else None)


def _segment(
    t: Translator, q: Questionnaire, result: OrgResult, plan: Plan, segment: Segment, stored: PlanNote, save: Save
) -> None:
    st.header(escape_markdown(segment_title(t, q, plan, segment)))
    st.caption(escape_markdown(segment_time(t, segment)))
    for line in segment_lines(t, q, result, plan, segment):
        st.write(escape_markdown(line))
    if segment.topic is not None:
        st.markdown(
            f"**{escape_markdown(t('plan.question'))}** — {escape_markdown(question_text(t, plan, segment.topic))}"
        )
    actions = plan.closing_actions if segment.key == CLOSING else segment.topic.actions if segment.topic else ()
    if actions:
        st.markdown(f"**{escape_markdown(t('plan.actions'))}**")
        st.markdown(
            "\n".join(
                f"- **{escape_markdown(t(f'recs.theme.{a.theme}'))}** — {escape_markdown(a.text[t.lang])}"
                for a in actions
            )
        )
    _note_form(t, result, segment.key, stored, save)


def _note_form(t: Translator, result: OrgResult, key: str, stored: PlanNote, save: Save) -> None:
    """The tick and the note, saved together. Seeded from the database once per session; a refused note
    (too long, or the database away) stays in its box with the reason beside it. No max_chars: a paste
    past it would empty the box."""
    prefix = f"plan:{result.round.id}:{key}"
    st.session_state.setdefault(f"{prefix}:done", stored.done)
    st.session_state.setdefault(f"{prefix}:note", stored.note)
    with st.form(prefix, border=False):
        done = st.checkbox(t("plan.done"), key=f"{prefix}:done")
        note = st.text_area(t("plan.note", max=MAX_PLAN_NOTE), key=f"{prefix}:note", height=68)
        if not st.form_submit_button(t("plan.save")):
            return
    if too_long(note, MAX_PLAN_NOTE):
        st.error(t("plan.too_long", count=len(clean_text(note, len(note))), max=MAX_PLAN_NOTE))
        return
    with database_errors(t, stop=False) as outcome:
        save(key, done, note)
    if not outcome.failed:
        st.success(t("plan.saved"))


def plan_download(result: OrgResult, plan: Plan, q: Questionnaire, notes: Callable[[], dict[str, PlanNote]]) -> None:
    """The PDF in the assessment's language, with the ticks and notes as stored when the button is clicked."""
    t = translator(result.assessment.lang)

    def build() -> bytes:
        from alignment.render.plan_pdf import build_plan_pdf  # WeasyPrint only when the PDF is asked for

        return build_plan_pdf(result, plan, notes(), q, t, date.today())

    st.download_button(
        t("plan.pdf"),
        data=build,
        file_name=f"{t('plan.file_name')}-{result.round.number}-{date.today().isoformat()}.pdf",
        mime="application/pdf",
        type="primary",
        on_click="ignore",
        key="plan:pdf",
    )
