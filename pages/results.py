"""Results: the answers against the survey, a summary, the strips, the PDF, the shareable address."""

from datetime import date
from urllib.parse import urlencode

import streamlit as st

from alignment.core.method import survey_line
from alignment.quick.address import encode
from ui.quick_cache import address_key, quick_html, quick_pdf, quick_view
from ui.quick_saved_file import earlier_result, save_and_load
from ui.quick_sections import (
    details_section,
    profile_caption,
    recommendations_section,
    submission_from_address,
    summary_section,
)
from ui.session import current_translator, questionnaire

t = current_translator()
q = questionnaire()

st.title(t("results.title"))
st.caption(survey_line(t))

submission = submission_from_address(t, q)
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
    address_key(submission), t.lang, address_key(previous.submission) if previous else None, previous_date
)
st.markdown(profile_caption(submission, q, t))
st.caption(t("results.agree_definition"))

summary_section(t, result)
recommendations_section(t, result)

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
st.download_button(  # the same summary, readable by a screen reader (issue 20)
    t("results.download_html"),
    data=lambda: quick_html(result, date.today()),
    file_name=f"{t('pdf.file_name')}-{date.today().isoformat()}.html",
    mime="text/html",
    icon=":material/html:",
    on_click="ignore",
)

details_section(t, q, submission, result)
save_and_load(t, q, submission, previous_date)

st.header(t("results.share_title"))
st.write(t("results.share_hint"))
base = (st.context.url or "").split("?")[0]
st.code(f"{base}?{urlencode(encode(submission))}", language=None, wrap_lines=True)
if st.button(t("results.edit"), icon=":material/edit:", key="edit"):
    st.switch_page("pages/questionnaire.py")
