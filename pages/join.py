"""A phone joins a room session by typing the short join code shown on the projector (or opening its QR
code, which leads straight to the questionnaire with the room's long join link): the code stands for the
respondent link while it lives.

Wrong codes spend a failure budget kept in the database (storage.JoinLimits), per client network and
overall; past it the code is not looked up and the page says to wait a minute or scan the QR code (never
that a right code is wrong). The QR code's link is not budgeted (it cannot be guessed); pasted here, it is
looked up as such."""

import streamlit as st

from alignment.core.text import code_in
from storage import TooManyAttempts, normalise_join_code, well_formed
from ui.db import database
from ui.errors import database_errors
from ui.respondent import joined_key
from ui.session import current_translator

t = current_translator()

st.title(t("room.join.title"))
with st.form("join:code"):
    typed = st.text_input(t("room.join.label"), help=t("room.join.help"), value=st.query_params.get("j", ""))
    go = st.form_submit_button(t("room.join.button"), type="primary")
if go:
    given = code_in(typed, ("a", "j"))  # the code, or the link it stands for
    code = normalise_join_code(given)
    try:
        with database_errors(t):
            if code:
                found = database().find_by_join_code(code, st.context.ip_address)
            elif well_formed(given):  # the QR code's join link, pasted: not budgeted
                code, found = given, database().find_by_join_link(given)
            else:
                found = None
    except TooManyAttempts:
        st.warning(t("room.join.busy"))
        st.stop()
    if found is None:
        st.error(t("room.join.bad"))
        st.stop()
    st.session_state[joined_key(code)] = found.id  # the questionnaire does not look the code up again
    st.switch_page("pages/respond.py", query_params={"a": code})
