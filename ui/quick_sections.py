"""The quick-check results page's sections: the answers read from the address, the summary, the
recommendations, and the statements one by one."""

from __future__ import annotations

import streamlit as st

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire, Submission
from alignment.core.recommendations import FIRST_FRICTIONS
from alignment.core.text import escape_markdown
from alignment.quick.address import (
    MAX_ADDRESS_CHARS,
    MAX_ADDRESS_KEYS,
    address_acceptable,
    address_size,
    decode,
    has_result,
    key_name,
    problems_line,
)
from alignment.quick.result import QuickResult
from alignment.quick.sentences import (
    answer_label,
    frictions_heading,
    previous_edition,
    profile_rows,
    unpublished,
    verdict,
)
from ui.session import DraftState
from ui.widgets import recommendations


def submission_from_address(t: Translator, q: Questionnaire) -> Submission:
    """The answers in the page address (then kept as the session's draft), else the session's draft; what
    the address held that cannot be used is named in one warning."""
    draft = DraftState()
    params = st.query_params.to_dict()
    if not address_acceptable(params):
        # Checked whole, first: an oversized address is refused in one line, none of it is read.
        chars, keys = address_size(params)
        st.warning(
            t(
                "share.address_refused",
                size=t.number(chars),
                keys=t.number(keys),
                max_size=t.number(MAX_ADDRESS_CHARS),
                max_keys=MAX_ADDRESS_KEYS,
            )
        )
        params = {}
    if has_result(params, q):
        submission, problems = decode(params, q)
        draft.replace(submission)
    else:
        submission, problems = draft.submission()
    if problems:
        # One line, whatever the number of problems; every key named as the user knows it, escaped.
        line = problems_line(t, problems, lambda key: key_name(t, q, key))
        st.warning(escape_markdown(f"{t('results.problems')} {line}."))
    return submission


def summary_section(t: Translator, result: QuickResult) -> None:
    """Where the respondent stands more favourably than most peers, and the frictions to look at first."""
    summary = result.summary
    st.header(t("summary.title"))
    if summary.all_dont_know:
        st.info(t("summary.all_dont_know"))
        return
    left, right = st.columns(2)
    with left:
        st.subheader(t("summary.strengths"))
        lines = [f"- **{c.item.short_in(t.lang)}** — {verdict(t, c)}" for c in summary.strengths]
        st.markdown("\n".join(lines) or t("summary.no_strengths"))
    with right:
        listed = summary.frictions[:FIRST_FRICTIONS]
        st.subheader(frictions_heading(t, len(listed)))
        lines = [f"- **{c.item.short_in(t.lang)}** — {verdict(t, c)}" for c in listed]
        st.markdown("\n".join(lines) or t("summary.no_frictions"))
    if summary.dont_know_count:
        st.caption(t.plural("summary.dont_know", summary.dont_know_count))


def recommendations_section(t: Translator, result: QuickResult) -> None:
    """The recommended actions, and the context answers they rest on."""
    recommendations(t, result.actions)
    if result.context_lines:
        with st.expander(t("context.answers")):
            st.markdown("\n".join(f"- {question} — **{answer}**" for question, answer in result.context_lines))


def details_section(t: Translator, q: Questionnaire, submission: Submission, result: QuickResult) -> None:
    """Each statement as the respondent's side read it: their answer, the verdict, and the notes."""
    st.header(t("results.details"))
    wording = q.side(submission.side).wording
    for n, c in enumerate(result.summary.comparisons, start=1):
        with st.container(border=True):
            st.markdown(f"**{n}. {c.item.short_in(t.lang)}**")
            st.write(c.item.text_for(wording, t.lang))
            st.markdown(f"{t('results.your_answer')} **{answer_label(t, c.answer)}**")
            st.write(verdict(t, c))
            notes = [previous_edition(t, c), unpublished(t, c)]
            notes += [f"{t('results.discrepancy')} {f.note_in(t.lang)}" for f in c.figures.values() if f.note_en]
            for note in filter(None, notes):
                st.caption(note)


def profile_caption(submission: Submission, q: Questionnaire, t: Translator) -> str:
    """The side and profile as one markdown line, every value escaped (the profile holds typed text)."""
    return " · ".join(
        t("profile.with_text", label=escape_markdown(label), text=f"**{escape_markdown(value)}**")
        for label, value in profile_rows(submission, q, t)
    )
