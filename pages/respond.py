"""A respondent answers for their organisation: saved as they go, resumable, submitted once per key."""

import streamlit as st

from ui import questionnaire_form as parts
from ui.errors import run_guarded
from ui.respondent import (
    find_respondent,
    introduction,
    remember_in_browser,
    rerun_on_reconnect,
    restore,
    save_as_answered,
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
# The elements of one run only (the cookie's script, "welcome back") go in a container drawn on every run: the
# form below keeps its place, and its parts their ids (a fragment's id is its place on the page; a click sent
# with an old id is dropped by Streamlit).
with st.container():
    remember_in_browser(respondent)
    restore(t, q, respondent, draft)

introduction(t, respondent.assessment)
rerun_on_reconnect()  # the page runs again on whichever app server its WebSocket reconnects to


@st.fragment
def statements() -> None:
    """The side and the ten statements, and their saving. A click here reruns only this (a fragment): not
    the navigation, the title, the respondent's look-up, the introduction or the context questions, and only
    this is sent to the browser again. A language switch (the sidebar) or a submit reruns the whole page, as
    does a change of what the saving notice says, or a save that finds the round closed (ui/respondent.py).

    A click's rerun runs this function alone, outside app.py's run_guarded, and often on the script thread
    of the run before it (a click queued behind a failed save): run_guarded here makes each such click a new
    page interaction (the database is asked again: a submit right after an outage is not refused unasked)
    and turns an unexpected exception into the app's message, never Streamlit's box."""
    run_guarded(_statements, t)


def _statements() -> None:  # an invitation answers for the side it was given for
    parts.statements(t, q, draft, fixed_side=respondent.side)
    save_as_answered(t, respondent, draft)


@st.fragment
def context() -> None:
    """The context questions, and their saving: a click here reruns only this (see `statements`)."""
    run_guarded(_context, t)


def _context() -> None:
    parts.context(t, draft)
    save_as_answered(t, respondent, draft)


with parts.form_frame():  # the form's styles and container, once per page run
    statements()
    context()
    submission = parts.submit_button(t, q, draft, t("org.respond.submit"))  # a click reruns the whole page
    saving_notice(t, respondent, draft)
    if submission:
        submit(t, respondent, draft, submission)
