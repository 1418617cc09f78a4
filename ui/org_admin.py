"""The organiser's round administration: close or reopen the round, start a new one, delete everything.

Every step is guarded: a database that is down or hung gives the message, and a concurrent click
elsewhere (another tab, another organiser) is absorbed by the gateway.
"""

from __future__ import annotations

import streamlit as st

from alignment.core.i18n import Translator
from alignment.core.text import clean_text, too_long
from alignment.org.rounds import MAX_ROUND_LABEL, Assessment, Round
from ui.db import database
from ui.errors import database_errors


def same_label(new: str, newest: str) -> bool:
    """Whether a new round's label is the newest round's, ignoring case and spacing."""
    return " ".join(new.casefold().split()) == " ".join(newest.casefold().split())


def round_administration(t: Translator, assessment: Assessment, rnd: Round, rounds: list[Round]) -> None:
    """The "manage" expander of the organisation results page."""
    with st.expander(t("org.results.manage")):
        st.caption(t("org.results.respondent_link_note"))
        if rnd.is_open:
            if st.button(t("org.results.close"), key="organisation:close"):
                with database_errors(t):
                    database().set_round_open(rnd.id, False)
                st.rerun()
        elif (
            assessment.by_invitation  # an open link's closed round never reopens: it was shown whole (issue 16)
            and rnd.number == rounds[-1].number
            and st.button(t("org.results.reopen"), key="organisation:reopen")
        ):
            with database_errors(t):
                database().set_round_open(rnd.id, True)
            st.rerun()
        _new_round_form(t, assessment, rounds)
        _delete_form(t, assessment)


def _new_round_form(t: Translator, assessment: Assessment, rounds: list[Round]) -> None:
    """Start a new round with its label (it closes the current one)."""
    st.markdown(f"**{t('org.results.new_round')}**")
    # Not clear_on_submit: a label refused as too long stays in its field. Once used, the field is a new
    # widget (its key counts the rounds started here): an emptied old one could still show the label.
    started = st.session_state.get("organisation:rounds_started", 0)
    with st.form("organisation:new_round"):
        label = st.text_input(t("org.results.new_round_label"), key=f"organisation:new_round_label:{started}")
        if st.form_submit_button(t("org.results.new_round_submit")):
            if not clean_text(label):
                st.error(t("org.create.missing_round"))
            elif same_label(clean_text(label, MAX_ROUND_LABEL), rounds[-1].label):
                # A second click, or the label still in the field: one intention makes one round.
                st.error(t("org.results.new_round_same", label=rounds[-1].label))
            elif too_long(label, MAX_ROUND_LABEL):
                field, length = t("org.results.new_round_label"), len(clean_text(label, len(label)))
                st.error(t("org.create.too_long", field=field, length=length, max=MAX_ROUND_LABEL))
            else:
                with database_errors(t):
                    try:
                        database().start_new_round(
                            assessment.id, clean_text(label, MAX_ROUND_LABEL), after=rounds[-1].number
                        )
                    except LookupError:  # deleted meanwhile
                        st.error(t("org.bad_code"))
                        st.stop()
                st.session_state["organisation:rounds_started"] = started + 1
                st.rerun()


def _delete_form(t: Translator, assessment: Assessment) -> None:
    """Delete the assessment once its name is typed as at creation."""
    st.markdown(f"**{t('org.results.delete')}**")
    st.caption(t("org.results.delete_warning"))
    with st.form("organisation:delete"):
        typed = st.text_input(t("org.results.delete_confirm"), key="organisation:delete_name")
        if st.form_submit_button(t("org.results.delete_submit")):
            # The stored name went through clean_text at creation: the typed one does too, so the name
            # as typed then (double spaces, joined emoji, decomposed accents) matches.
            if clean_text(typed, len(typed)) == assessment.org_name:
                with database_errors(t):
                    database().delete_assessment(assessment.id)
                st.session_state["organisation:deleted"] = True
                del st.query_params["k"]
                st.rerun()
            else:
                st.error(t("org.results.delete_mismatch"))
