"""Any unexpected exception ends in a short localised message with a reference id, never a traceback.

The traceback goes to the server log (logger "alignment", one JSON line on stderr: ui/logs.py) under the
same reference, with the page's path (never its query), so whoever runs the server can find it from what
the user reports. .streamlit/config.toml sets
client.showErrorDetails = "none" as a second guard for anything raised outside the pages.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

import streamlit as st

from alignment.core.i18n import Translator
from ui import logs
from ui.db import page_name

log = logs.configure_app_logger()


def run_guarded(page: Callable[[], object], t: Translator) -> None:
    """Run the page; an exception (not Streamlit's own rerun or stop) is logged and shown as a message."""
    try:
        page()
    except Exception:
        reference = secrets.token_hex(4)
        logs.event("unexpected error", logging.ERROR, exc_info=True, reference=reference, page=page_name())
        st.error(t("app.unexpected_error", ref=reference))
