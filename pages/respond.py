"""A respondent answers for their organisation: saved as they go, resumable, submitted once per key."""

import streamlit as st

from ui.errors import run_guarded
from ui.questionnaire_form import form_frame, questionnaire_form
from ui.respondent import (
    find_respondent,
    introduction,
    remember_in_browser,
    rerun_on_reconnect,
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
rerun_on_reconnect()  # the page runs again on whichever app server its WebSocket reconnects to


@st.fragment
def answering() -> None:
    """The form, its saving and its notice. A click reruns only this (a fragment): not the navigation, the
    title, the respondent's look-up or the introduction, and only this is sent to the browser again. A
    language switch (the sidebar) or a submit reruns the whole page; a save that finds the round closed or
    replaced reads it again (ui/respondent.py).

    A click's rerun runs this function alone, outside app.py's run_guarded, and often on the script thread
    of the run before it (a click queued behind a failed save): run_guarded here makes each such click a new
    page interaction (the database is asked again: a submit right after an outage is not refused unasked)
    and turns an unexpected exception into the app's message, never Streamlit's box."""
    run_guarded(_answering, t)


def _answering() -> None:
    submission = questionnaire_form(  # an invitation answers for the side it was given for
        t, q, draft, with_profile=False, submit_label=t("org.respond.submit"), fixed_side=respondent.side, framed=False
    )
    save_if_changed(t, respondent, draft)
    saving_notice(t, respondent, draft)
    if submission:
        submit(t, respondent, draft, submission)


with form_frame():  # the form's styles and container, once per page: a click reruns only what is inside
    answering()
