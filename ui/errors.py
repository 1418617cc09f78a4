"""Errors end in a localised message, never a traceback: the database boundary, then anything unexpected.

`database_errors` turns storage's "database unreachable" and "invalid data" into their messages, wherever a
page or ui/ helper calls the database. Any other exception ends in a short message with a reference id.

The traceback goes to the server log (logger "alignment", one JSON line on stderr: ui/logs.py) under the
same reference, with the page's path (never its query), so whoever runs the server can find it from what
the user reports. .streamlit/config.toml sets
client.showErrorDetails = "none" as a second guard for anything raised outside the pages.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import streamlit as st

from alignment.core.i18n import Translator
from alignment.core.text import escape_markdown
from ui import logs

log = logs.configure_app_logger()


# The current page interaction (ui/db.py's interaction_budget: no more waiting on the database once a call
# failed), per script thread: each session's runs are on a thread of its own. A run of a page or of a
# fragment is a new interaction.
INTERACTION = threading.local()


FAILED_BEFORE_RERUN = "errors:failed_before_rerun"


def rerun_whole_page() -> None:
    """From a fragment, ask for a whole run of the page that goes on with this interaction: if the database
    failed in it, the whole run does not wait on it again (a respondent's first click in an outage waited
    twice as long for the page to say so: the save, then the whole run's read of the round)."""
    if getattr(INTERACTION, "failed", False):
        st.session_state[FAILED_BEFORE_RERUN] = True
    st.rerun(scope="app")


def run_guarded(page: Callable[[], object], t: Translator) -> None:
    """Run the page; an exception (not Streamlit's own rerun or stop) is logged and shown as a message.

    The outermost run_guarded of a run starts a new page interaction (the database is asked again): app.py's
    around the page, or a fragment's own (pages/respond.py, ui/room.py) when a click or a timer reruns the
    fragment alone. Such a rerun often runs on the thread of the run before it (a click queued behind a
    running save), so the interaction must be reset here, not left to the thread. A fragment drawn inside
    the page's run stays in the page's interaction: one deadline for the whole run."""
    outermost = not getattr(INTERACTION, "guarded", False)
    if outermost:  # a new interaction: the database is asked again, unless the run was asked for after a failure
        INTERACTION.failed = bool(st.session_state.pop(FAILED_BEFORE_RERUN, False))
        INTERACTION.guarded = True
    try:
        page()
    except Exception:
        reference = secrets.token_hex(4)
        logs.event("unexpected error", logging.ERROR, exc_info=True, reference=reference, page=logs.page_name())
        st.error(t("app.unexpected_error", ref=reference))
    finally:
        if outermost:
            INTERACTION.guarded = False


@dataclass
class Outcome:
    """What a `database_errors` block came to, once it turned an error into a message (or silence)."""

    unavailable: bool = False  # the database could not be reached
    invalid: bool = False  # storage refused the data (InvalidData)

    @property
    def failed(self) -> bool:
        return self.unavailable or self.invalid


@contextmanager
def database_errors(
    t: Translator, *, stop: bool = True, say: Callable[[str], object] | None = st.error
) -> Iterator[Outcome]:
    """The one boundary between the pages and storage: "database unreachable" (storage.UNAVAILABLE_ERRORS)
    and "invalid data" (storage.InvalidData, naming the field) become the localised message.

    `stop` (the default) ends the run there: what was typed stays in the session. With `stop=False` the page
    goes on and the yielded Outcome says what failed; `say=None` keeps an unreachable database silent
    (the caller carries on with what it knows). Anything else goes up to run_guarded.
    """
    from storage import UNAVAILABLE_ERRORS, InvalidData  # here: app.py imports this module, and the quick check
    # never loads SQLAlchemy (whoever enters this block has already called the database)

    outcome = Outcome()
    try:
        yield outcome
    except UNAVAILABLE_ERRORS:
        outcome.unavailable = True
        if say is not None:
            say(t("org.db_unavailable"))
        if stop:
            st.stop()
    except InvalidData as error:
        outcome.invalid = True
        st.error(t("org.invalid_data", what=t(f"org.invalid.{error.field}")))
        if stop:
            st.stop()


@contextmanager
def refused_file(t: Translator, messages: str) -> Iterator[Outcome]:
    """The boundary around reading an uploaded file: a file the reader refuses (ImportRefused, with its
    code) or anything else a hostile file provokes becomes the named refusal `{messages}.{code}` (or
    `{messages}.unreadable`), never a traceback; the yielded Outcome says whether it was refused."""
    from alignment.core.transfer import ImportRefused

    outcome = Outcome()
    try:
        yield outcome
    except ImportRefused as error:
        outcome.invalid = True
        details = {key: escape_markdown(value) for key, value in error.details.items()}  # text from the file
        st.error(t(f"{messages}.{error.code}", **details))
    except Exception:
        outcome.invalid = True
        st.error(t(f"{messages}.unreadable"))
