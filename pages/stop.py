"""The stop link of an invitation e-mail (/stop?u=…): one click, and the app e-mails that invitee no more.

A click, not the visit, stops: mail scanners that open every link must not stop anyone."""

import streamlit as st

from ui.db import database
from ui.errors import database_errors
from ui.session import current_translator

t = current_translator()
st.title(t("mail.stop.title"))
token = st.query_params.get("u", "")
if st.session_state.get("stop:done") == token and token:
    st.success(t("mail.stop.done"))
    st.stop()
st.write(t("mail.stop.explain"))
if st.button(t("mail.stop.button"), type="primary", key="stop:button"):
    with database_errors(t):
        honoured = database().stop_mail(token)
    if honoured:
        st.session_state["stop:done"] = token
        st.rerun()
    st.error(t("mail.stop.bad"))
