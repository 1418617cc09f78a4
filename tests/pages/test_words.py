"""Words a CIO would write: invitees named by side ("IT invitee 1", "Invité DSI 1"), the organisation's
files named in the assessment's language, like the quick check's."""

from __future__ import annotations

from alignment.core.i18n import translator
from ui.invitations import invitee_label


def test_unnamed_invitees_read_as_invitees_of_a_side():
    en, fr = translator("en"), translator("fr")
    assert [invitee_label(en, s, 1) for s in ("it", "marketing", "digital")] == [
        "IT invitee 1",
        "Marketing invitee 1",
        "Digital invitee 1",
    ]
    assert [invitee_label(fr, s, 2) for s in ("it", "marketing", "digital")] == [
        "Invité DSI 2",
        "Invité marketing 2",
        "Invité numérique 2",
    ]


def test_file_names_are_in_the_files_language():
    fr = translator("fr")
    stems = [fr("pdf.file_name"), fr("org.results.file_name"), fr("plan.file_name"), fr("workbook.file")]
    assert stems == ["diagnostic-alignement", "alignement-vague", "plan-de-conversation", "alignement-classeur"]
    assert translator("en")("org.results.file_name") == "alignment-round"
