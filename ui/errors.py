"""Any unexpected exception ends in a short localised message with a reference id, never a traceback.

The traceback goes to the server log (logger "alignment", on stderr) under the same reference, so
whoever runs the server can find it from what the user reports. .streamlit/config.toml sets
client.showErrorDetails = "none" as a second guard for anything raised outside the pages.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

import streamlit as st

from alignment.core.i18n import Translator

log = logging.getLogger("alignment")
if not log.handlers:
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)
    log.propagate = True  # tests read it through pytest's caplog


def run_guarded(page: Callable[[], object], t: Translator) -> None:
    """Run the page; an exception (not Streamlit's own rerun or stop) is logged and shown as a message."""
    try:
        page()
    except Exception:
        reference = secrets.token_hex(4)
        log.exception("unexpected error, reference %s, page %s", reference, st.context.url)
        st.error(t("app.unexpected_error", ref=reference))
