"""A respondent's unsaved answers, kept in the page address while the database is away.

Session state dies with the app server; the address lives in the browser, which reconnects to a
restarted server with it (or is reloaded by the respondent). So while answers cannot be saved they
are also written to the address, in the quick check's shape (side=it&alignment_needed=4&…), and
taken back from it by the next session, which saves them once the database answers. Once saved,
they leave the address again: the resume link (r=) is enough.
"""

from __future__ import annotations

import streamlit as st

from alignment.core.questionnaire import Questionnaire, Submission
from alignment.quick.address import decode

KEEP = ("a", "i", "r")  # the respondent link's own parameters (open link, invitation, resume key)


def answers_in_address(questionnaire: Questionnaire) -> Submission | None:
    """The answers the address carries (anything unusable ignored), or None."""
    params = {k: v for k, v in st.query_params.to_dict().items() if k not in KEEP}
    if not params:
        return None
    submission, _ = decode(params, questionnaire)
    return submission if submission.side or submission.answers or submission.context else None


def keep_in_address(values: dict[str, str]) -> None:
    """Write the draft's fields to the address (and only them, beside a= and r=)."""
    clear_from_address()
    st.query_params.update(values)


def clear_from_address() -> None:
    for key in [k for k in st.query_params if k not in KEEP]:
        del st.query_params[key]


def merged(older: Submission, newer: Submission) -> Submission:
    """`older` (e.g. the saved draft) overlaid with `newer` (what the address kept since)."""
    return Submission(
        side=newer.side or older.side,
        answers={**older.answers, **newer.answers},
        context={**older.context, **newer.context},
    )
