"""Who a respondent answers as, and which saved answers they take up again: pure rules, no Streamlit.

A respondent is known by a key, never by who they are. By invitation the key is the invitation code. On an
open link it is the resume link's key (`/respond?a=…&r=…`), else the one this browser keeps in a cookie,
else a new one; a malformed key is skipped, never trusted. Storage keeps one response per key and round,
so the same key resumes or finds its response and never counts twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar


class SavedResponse(Protocol):
    """What the rules need to know of a stored response (storage.Draft is one)."""

    round_id: int
    submitted: bool


Saved = TypeVar("Saved", bound=SavedResponse)


def respondent_key(
    invitation: str,
    resume: str,
    cookie: str | None,
    *,
    well_formed: Callable[[object], bool],
    new_key: Callable[[], str],
) -> str:
    """The key to answer with: the invitation code; on an open link the resume link's key, then this
    browser's cookie, then a new one (`well_formed` decides which keys are worth trying)."""
    if invitation:
        return invitation
    return next((key for key in (resume, cookie) if well_formed(key)), None) or new_key()


def response_to_take_up(saved: Saved | None, round_id: int) -> Saved | None:
    """The stored response this round continues: none when the key submitted in an earlier round (the new
    round starts afresh); a draft left in an earlier round is taken up into this one."""
    if saved is not None and saved.round_id != round_id and saved.submitted:
        return None
    return saved


def already_submitted(saved: SavedResponse | None) -> bool:
    """True when the response taken up was submitted: the respondent is told so instead of the form."""
    return saved is not None and saved.submitted
