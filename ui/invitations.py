"""Creating an assessment: the access mode, the invitees per side, and the links handed out once."""

from __future__ import annotations

import streamlit as st

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire
from alignment.core.text import clean_text, escape_markdown
from alignment.org.export import invitations_csv, links_card
from alignment.org.rounds import ACCESS_MODES, MAX_INVITATIONS_PER_SIDE
from outbox.campaign import Outcome
from storage import Created
from ui.db import base_url
from ui.mail import outcome_lines

SHOWN_LINKS = 10  # listed on the page; all of them are in the file


def access_choice(t: Translator) -> str:
    return st.radio(
        t("org.create.access"),
        ACCESS_MODES,
        format_func=lambda mode: t(f"org.create.access_{mode}"),
        captions=[t(f"org.create.access_{mode}_help") for mode in ACCESS_MODES],
        key="new_assessment:access",
    )


def invitee_label(t: Translator, side: str, n: int) -> str:
    """An unnamed invitee as a CIO would write it: "IT invitee 1", "Invité DSI 1"."""
    return t("org.create.invitee_label", side=t(f"org.side_name.{side}"), n=n)


def invitee_inputs(t: Translator, q: Questionnaire) -> dict[str, list[str]]:
    """Invitees per side: a number, or a pasted list whose lines label the links (never stored)."""
    st.caption(t("org.create.invitees_intro"))
    invitees = {}
    for side in q.side_ids:
        number_column, list_column = st.columns([1, 2])
        number = number_column.number_input(
            t("org.create.invitees_number", side=t(f"side.{side}")),
            min_value=0,
            max_value=MAX_INVITATIONS_PER_SIDE,
            value=0,
            step=1,
            key=f"new_assessment:invited:{side}",
        )
        pasted = list_column.text_area(t("org.create.invitees_list"), height=68, key=f"new_assessment:invitees:{side}")
        names = [clean_text(line, 120) for line in pasted.splitlines() if clean_text(line, 120)]
        invitees[side] = names or [invitee_label(t, side, n) for n in range(1, int(number) + 1)]
    return invitees


def show_created(
    t: Translator,
    created: Created,
    org_name: str,
    first_round: str,
    invitees: dict,
    by_email: bool = False,
    sent: Outcome | None = None,
) -> None:
    """The links of a new assessment, shown once: the respondent link or the invitations, and the results link.
    By e-mail: the results link only, and how many invitations went (`sent`: counts, never a link; None if
    the sending could not start, and the results page's button sends them)."""
    if by_email:
        st.success(t("mail.create.created"))
    else:
        st.success(t("org.create.created_invitations" if created.invitations else "org.create.created"))
    results_link = f"{base_url()}/organisation?k={created.results_code}"
    if by_email:
        if sent is not None:
            st.info(t("mail.create.sent", sent=sent.sent, invited=sent.sent + sent.failures))
            if sent.failed:
                st.warning(outcome_lines(t, sent))
        respondent_link = t("org.card.by_email")
    elif created.invitations:
        labels = [label for side in invitees for label in invitees[side]]
        rows = [
            (t(f"side.{side}"), label, f"{base_url()}/respond?i={code}")
            for (side, code), label in zip(created.invitations, labels, strict=True)
        ]
        st.markdown(f"**{t('org.create.invitations', n=len(rows))}**")
        st.download_button(
            t("org.create.invitations_download"),
            data=invitations_csv(t, rows).encode("utf-8-sig"),
            file_name=f"{t('org.create.invitations_file')}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="new_assessment:invitations",
        )
        for side, label, link in rows[:SHOWN_LINKS]:
            st.caption(escape_markdown(f"{side} · {label}"))
            st.code(link, language=None, wrap_lines=True)
        if len(rows) > SHOWN_LINKS:
            st.caption(t("org.create.invitations_more", n=len(rows) - SHOWN_LINKS))
        respondent_link = t("org.card.by_invitation")
    else:
        respondent_link = f"{base_url()}/respond?a={created.respondent_code}"
        st.markdown(f"**{t('org.create.respondent_link')}**")
        st.code(respondent_link, language=None, wrap_lines=True)
    st.markdown(f"**{t('org.create.results_link')}**")
    st.code(results_link, language=None, wrap_lines=True)
    st.download_button(
        t("org.card.download_results" if created.invitations or by_email else "org.card.download"),
        data=links_card(t, org_name, first_round, respondent_link, results_link).encode("utf-8"),
        file_name=f"{t('org.card.file_name')}.txt",
        mime="text/plain",
        icon=":material/download:",
        on_click="ignore",
        key="new_assessment:card",
    )
