"""Results: the answers against the survey, a summary, the strips, the PDF, the shareable address."""

from datetime import date
from urllib.parse import urlencode

import streamlit as st

from alignment.core.method import survey_line
from alignment.core.text import escape_markdown
from alignment.quick.address import (
    MAX_ADDRESS_CHARS,
    MAX_ADDRESS_KEYS,
    address_acceptable,
    address_size,
    decode,
    encode,
    has_result,
    key_name,
    problems_line,
)
from alignment.quick.sentences import answer_label, previous_edition, unpublished, verdict
from ui.quick_saved_file import earlier_result, save_and_load
from ui.render import profile_caption, quick_pdf, quick_view
from ui.session import DraftState, current_translator, leave_legacy_pages_mode, questionnaire

leave_legacy_pages_mode()
t = current_translator()
q = questionnaire()

st.title(t("results.title"))
st.caption(survey_line(t))

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

if not submission.answers and not submission.side:
    st.info(t("results.no_result"))
    st.page_link("pages/questionnaire.py", label=t("results.go_questionnaire"), icon=":material/checklist:")
    st.stop()
if not submission.is_complete(q):
    st.info(t("results.incomplete_link"))
    st.page_link("pages/questionnaire.py", label=t("results.go_questionnaire"), icon=":material/checklist:")
    st.stop()

previous = earlier_result()
previous_date = t.date(previous.saved_on) if previous and previous.saved_on else t("transfer.undated")
result, figure = quick_view(
    tuple(sorted(encode(submission).items())),
    t.lang,
    tuple(sorted(encode(previous.submission).items())) if previous else None,
    previous_date,
)
summary = result.summary
st.markdown(profile_caption(submission, q, t))
st.caption(t("results.agree_definition"))

st.header(t("summary.title"))
if summary.all_dont_know:
    st.info(t("summary.all_dont_know"))
else:
    left, right = st.columns(2)
    with left:
        st.subheader(t("summary.strengths"))
        lines = [f"- **{c.item.short_in(t.lang)}** — {verdict(t, c)}" for c in summary.strengths]
        st.markdown("\n".join(lines) or t("summary.no_strengths"))
    with right:
        st.subheader(t("summary.frictions"))
        lines = [f"- **{c.item.short_in(t.lang)}** — {verdict(t, c)}" for c in summary.frictions[:3]]
        st.markdown("\n".join(lines) or t("summary.no_frictions"))
    if summary.dont_know_count:
        st.caption(t.plural("summary.dont_know", summary.dont_know_count))

st.header(t("recs.title"))
if result.actions:
    st.caption(t("recs.intro"))
    st.markdown("\n".join(f"- **{t(f'recs.theme.{a.theme}')}** — {a.text[t.lang]}" for a in result.actions))
else:
    st.write(t("recs.none"))

if result.context_lines:
    with st.expander(t("context.answers")):
        st.markdown("\n".join(f"- {question} — **{answer}**" for question, answer in result.context_lines))

st.header(t("results.chart_title"))
st.plotly_chart(figure, config={"displayModeBar": False})
st.caption(t("results.chart_caption"))

st.download_button(
    t("results.download"),
    data=lambda: quick_pdf(result, date.today()),  # built on click, not on every rerun
    file_name=f"{t('pdf.file_name')}-{date.today().isoformat()}.pdf",
    mime="application/pdf",
    type="primary",
    icon=":material/picture_as_pdf:",
    on_click="ignore",
)

st.header(t("results.details"))
wording = q.side(submission.side).wording
for n, c in enumerate(summary.comparisons, start=1):
    with st.container(border=True):
        st.markdown(f"**{n}. {c.item.short_in(t.lang)}**")
        st.write(c.item.text_for(wording, t.lang))
        st.markdown(f"{t('results.your_answer')} **{answer_label(t, c.answer)}**")
        st.write(verdict(t, c))
        notes = [previous_edition(t, c), unpublished(t, c)]
        notes += [f"{t('results.discrepancy')} {f.note_in(t.lang)}" for f in c.figures.values() if f.note_en]
        for note in filter(None, notes):
            st.caption(note)

save_and_load(t, q, submission, previous_date)

st.header(t("results.share_title"))
st.write(t("results.share_hint"))
base = (st.context.url or "").split("?")[0]
st.code(f"{base}?{urlencode(encode(submission))}", language=None, wrap_lines=True)
if st.button(t("results.edit"), icon=":material/edit:", key="edit"):
    st.switch_page("pages/questionnaire.py")
