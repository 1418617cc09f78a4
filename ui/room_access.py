"""The results page's room-view card: make a read-only link for the projector, revoke the live ones, and
add or delete the simulated answers of a rehearsal (the room view itself changes nothing).

The link opens a new browser tab: the projected browser never holds the results code, in its address,
its page or its session; only the room's own key, which shows the live view and expires.
"""

from __future__ import annotations

import streamlit as st

from alignment.core.i18n import Translator
from alignment.org.rehearsal import simulated_responses
from alignment.org.rounds import Assessment
from storage.access_keys import ROOM_KEY_HOURS
from ui.db import base_url, database
from ui.errors import database_errors
from ui.room import ROOM_KEY_PARAM
from ui.session import questionnaire

REHEARSAL_BATCH = 5


def room_link(key: str) -> str:
    """The room view's address for a room key (never the results code)."""
    return f"{base_url()}/room?{ROOM_KEY_PARAM}={key}"


def room_access(t: Translator, assessment: Assessment, live: int) -> None:
    """The card: a button that makes a room-view link (shown in this session only), the revoke button, and
    the rehearsal's buttons. `live`: the live room keys, read with the page (ui/results_code.py)."""
    kept = f"room_access:{assessment.id}"
    with st.container(border=True):
        st.markdown(f"**{t('room.access.heading')}**")
        st.caption(t("room.access.note", hours=ROOM_KEY_HOURS))
        with database_errors(t, stop=False):
            if st.button(t("room.access.make"), icon=":material/co_present:", key=f"{kept}:make"):
                st.session_state[kept], _ = database().new_room_key(assessment.id)
                live += 1
            key = st.session_state.get(kept)
            if key:
                st.link_button(t("room.access.open"), room_link(key), type="primary")
                st.text(room_link(key))  # to copy onto the projector's computer
            if live and st.button(t.plural("room.access.revoke", live), key=f"{kept}:revoke"):
                database().revoke_room_keys(assessment.id)
                st.session_state.pop(kept, None)
                st.success(t("room.access.revoked"))
            left, right = st.columns(2)
            if left.button(t("room.rehearsal.add", count=REHEARSAL_BATCH), key=f"{kept}:rehearse"):
                database().add_simulated(assessment.id, simulated_responses(questionnaire(), REHEARSAL_BATCH))
                st.success(t("room.rehearsal.added", count=REHEARSAL_BATCH))
            if right.button(t("room.rehearsal.delete"), key=f"{kept}:unrehearse") and database().delete_rehearsal(
                assessment.id
            ):
                st.success(t("room.rehearsal.deleted"))
