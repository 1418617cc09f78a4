"""A respondent answers for their organisation: saved as they go, resumable, submitted once per key."""

import streamlit as st

from ui.questionnaire_form import questionnaire_form
from ui.respondent import (
    find_respondent,
    introduction,
    remember_in_browser,
    restore,
    save_if_changed,
    saving_notice,
    stop_unless_answering,
    submit,
)
from ui.session import DraftState, current_translator, questionnaire

t = current_translator()
q = questionnaire()

st.title(t("org.respond.title"))
respondent = find_respondent(t, q)  # stops with a message on a bad link or an unreachable database
stop_unless_answering(t, respondent)  # already submitted, or the round closed
draft = DraftState(f"org:{respondent.assessment.id}")
remember_in_browser(respondent)
restore(t, q, respondent, draft)

introduction(t, respondent.assessment)
submission = questionnaire_form(  # an invitation answers for the side it was given for
    t, q, draft, with_profile=False, submit_label=t("org.respond.submit"), fixed_side=respondent.side
)
save_if_changed(t, respondent, draft)
saving_notice(t, respondent, draft)
if submission:
    submit(t, respondent, draft, submission)
