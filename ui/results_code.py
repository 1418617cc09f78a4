"""The organiser pages' shared start: the results code in the address (`k=`) opens an assessment, its
rounds and their kept counts per side, the live room keys and the actions (one connection), and a round's
counts; a code that opens nothing, or a database away, ends the page with a message."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from alignment.core.i18n import Translator
from alignment.org.followup import AgreedAction
from alignment.org.rounds import Assessment, Round, RoundCounts
from ui.db import database
from ui.errors import database_errors


@dataclass(frozen=True)
class Opened:
    """What the results code opens: the assessment and its real rounds, oldest first (never the rehearsal)."""

    code: str
    assessment: Assessment
    rounds: list[Round]
    versions: dict[int, tuple[tuple[str, int, int], ...]]  # per round: its kept counts (side, n, reported)
    room_keys_live: int = 0  # the room-view keys not expired nor revoked
    actions: tuple[AgreedAction, ...] = ()  # the follow-up's, in the order they were recorded

    def counts(self, t: Translator, rnd: Round) -> RoundCounts:
        """The round's counts as shown (stops with the message when the database is away)."""
        with database_errors(t):
            counts = database().round_counts(rnd.id)
        return counts


def open_by_results_code(t: Translator, title: str | None = None, back_to_results: bool = False) -> Opened:
    """The assessment of the address's results code and its rounds; else "bad code" under `title`, with a
    link to the results page's code form if `back_to_results`, and the page stops."""
    code = st.query_params.get("k", "")
    with database_errors(t):
        page = database().results_page(code) if code else None  # one query (storage/reporting.py)
    if page is None or not page.rounds:
        if title:
            st.title(title)
        st.error(t("org.bad_code"))
        if back_to_results:
            st.page_link("pages/organisation.py", label=t("org.nav_results"), icon=":material/monitoring:")
        st.stop()
    return Opened(code, page.assessment, list(page.rounds), page.versions, page.room_keys_live, page.actions)
