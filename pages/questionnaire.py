"""The quick check: side, ten statements, optional profile; answers kept in the session draft."""

import streamlit as st

from alignment.quick.address import encode
from ui.questionnaire_form import questionnaire_form
from ui.session import DraftState, current_translator, questionnaire

t = current_translator()

st.title(t("questionnaire.title"))
st.write(t("questionnaire.intro"))
submission = questionnaire_form(t, questionnaire(), DraftState())
if submission:
    st.switch_page("pages/results.py", query_params=encode(submission))
