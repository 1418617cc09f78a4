"""The room view for the projector, reached with its own read-only key (`/room?v=…`, made on the results
page): join QR code and short code (derived from that key, the same on every load; none once the round is
closed), answers filling up per side, then strips and gaps, refreshed in place every few seconds (ui/room.py).
The results code is never used here: a photographed address bar or a borrowed projector browser gives the
live view, for as long as the key lives, and nothing else."""

import streamlit as st

from alignment.core.i18n import translator
from alignment.core.text import escape_markdown
from ui.db import database
from ui.errors import database_errors
from ui.room import (
    ROOM_KEY_PARAM,
    expected_headcount,
    join_panel,
    live_room,
    projector_styles,
    rehearsal_banner,
    rehearsal_switch,
)
from ui.session import current_translator

st.set_page_config(layout="wide")
projector_styles()

if "k" in st.query_params:  # an old room address carried the results code: it leaves the address at once
    del st.query_params["k"]
    st.error(current_translator()("room.access.old_link"))
    st.stop()
code = st.query_params.get(ROOM_KEY_PARAM, "")
with database_errors(current_translator()):
    assessment = database().find_by_room_key(code) if code else None
    rounds = database().rounds(assessment.id) if assessment else []
if assessment is None:
    st.error(current_translator()("room.access.bad"))
    st.stop()
t = translator(assessment.lang)  # the room reads the assessment's language, whatever the browser's

head = st.container(key="room-head", horizontal=True, vertical_alignment="center", gap="medium")
with head:
    st.title(t("room.title", org=escape_markdown(assessment.org_name), round=escape_markdown(rounds[-1].label)))
join, live = st.columns([1, 3], gap="large")
settings = st.expander(t("room.settings.heading"), icon=":material/tune:")
with settings:
    expected = expected_headcount(t, assessment)
    rehearsal = rehearsal_switch(t)
if rehearsal:
    with head:
        rehearsal_banner(t)
with join:
    join_panel(t, assessment, rehearsal)
with live:
    live_room(t, assessment, expected, rehearsal)
