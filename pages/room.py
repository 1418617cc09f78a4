"""The room view for the projector, reached with the results code: join QR code and short code, answers
filling up per side, then strips and gaps, refreshed in place every few seconds (ui/room.py)."""

import streamlit as st

from alignment.core.i18n import translator
from alignment.core.text import escape_markdown
from ui.results_code import open_by_results_code
from ui.room import expected_headcount, join_panel, live_room, projector_styles, rehearsal_controls
from ui.session import current_translator

st.set_page_config(layout="wide")
projector_styles()

opened = open_by_results_code(current_translator())
assessment, rounds = opened.assessment, opened.rounds
t = translator(assessment.lang)  # the room reads the assessment's language, whatever the browser's

st.title(t("room.title", org=escape_markdown(assessment.org_name), round=escape_markdown(rounds[-1].label)))
join, live = st.columns([1, 3], gap="large")
with join:
    join_panel(t, assessment)
settings = st.expander(t("room.settings.heading"), icon=":material/tune:")
with settings:
    expected = expected_headcount(t, assessment)
    rehearsal = rehearsal_controls(t, assessment)
with live:
    live_room(t, assessment, expected, rehearsal)
