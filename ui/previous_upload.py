"""A previous round's export uploaded on the results page, parsed once per upload (issue 18).

Streamlit hands the same UploadedFile back on every rerun: reading a 20 MB export again each time cost
seconds of CPU per click. What the reader made of it (the counts, or its refusal) is kept in the session
under the upload's file_id, and dropped when the uploader is cleared or holds another file.
"""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

import alignment.core.transfer as transfer
from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire
from ui.errors import refused_file

KEPT = "organisation:parsed:{}"  # per assessment, like the uploader's own key


def read_previous_round(
    t: Translator, q: Questionnaire, assessment_id: str, upload: UploadedFile | None
) -> transfer.OrganisationImport | None:
    """The uploaded export, read once per upload, or None: no file, or a refused one, whose localised
    message (ui.errors.refused_file) is shown again on every run from what was kept."""
    kept = KEPT.format(assessment_id)
    if upload is None:
        st.session_state.pop(kept, None)
        return None
    previous = st.session_state.get(kept)
    if previous is None or previous[0] != upload.file_id:
        try:
            parsed: object = transfer.read_organisation_export(upload.getvalue(), q, assessment_id)
        except transfer.ImportRefused as error:
            parsed = (error.code, error.details)  # kept as values: no traceback held in the session
        except Exception:  # anything a hostile file provokes: refused, never a traceback
            parsed = ("unreadable", {})
        previous = (upload.file_id, parsed)
        st.session_state[kept] = previous
    parsed = previous[1]
    if isinstance(parsed, transfer.OrganisationImport):
        return parsed
    code, details = parsed
    with refused_file(t, "org.import.error"):
        raise transfer.ImportRefused(code, **details)
    return None
