"""The quick check's saved file: save this result as JSON, and load an earlier one to show beside it."""

from __future__ import annotations

from datetime import date

import streamlit as st

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire, Submission
from alignment.core.text import escape_markdown
from alignment.core.transfer import Imported, from_json, to_json
from alignment.quick.address import key_name, problems_line
from ui.errors import refused_file
from ui.widgets import upload_limit_message

PREVIOUS_KEY = "results:previous"


def earlier_result() -> Imported | None:
    """The earlier result loaded in this session, if any."""
    return st.session_state.get(PREVIOUS_KEY)


def save_and_load(t: Translator, q: Questionnaire, submission: Submission, previous_date: str) -> None:
    """The download of this result, the upload of an earlier one, and what the upload left out."""
    previous = earlier_result()
    st.header(t("transfer.title"))
    st.caption(t("transfer.help"))
    st.download_button(
        t("transfer.download"),
        data=lambda: to_json(submission, date.today()).encode("utf-8"),
        file_name=f"{t('pdf.file_name')}-{date.today().isoformat()}.json",
        mime="application/json",
        on_click="ignore",
        key="results:json",
    )
    # Streamlit's own uploader texts ("Upload", "… per file") cannot be translated and its limit is in whole
    # megabytes: the label states the real limit (100 kB, checked by from_json), and Streamlit's "1MB per
    # file", which would contradict it, is hidden on this uploader alone.
    st.html("<style>.st-key-results-upload [data-testid='stFileUploaderDropzoneInstructions']{display:none}</style>")
    upload_limit_message("results-upload", t("transfer.error.too_big"))  # Streamlit's refusal over 1 MB
    upload = st.file_uploader(t("transfer.upload"), type=["json"], key="results:upload", max_upload_size=1)
    if upload is not None:
        with refused_file(t, "transfer.error") as reading:
            imported = from_json(upload.getvalue(), q)
        if not reading.failed and st.session_state.get(PREVIOUS_KEY) != imported:
            st.session_state[PREVIOUS_KEY] = imported
            st.rerun()
    if previous:
        st.success(t("transfer.loaded", date=previous_date) if previous.saved_on else t("transfer.loaded_no_date"))
        if previous.problems:
            line = problems_line(t, previous.problems, lambda key: key_name(t, q, key))
            st.info(escape_markdown(t("transfer.dropped", details=line)))
        if st.button(t("transfer.clear"), key="results:clear_previous"):
            st.session_state.pop(PREVIOUS_KEY, None)
            st.rerun()
