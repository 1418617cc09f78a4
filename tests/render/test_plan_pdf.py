"""The conversation plan's PDF as text: the agenda's times, the ticks and notes, hostile notes literally."""

from datetime import date

from alignment.core.i18n import translator
from alignment.org.plan import PlanNote, build_plan
from alignment.render.plan_pdf import build_plan_pdf
from tests.hostile import HOSTILE, HOSTILE_LABEL, HOSTILE_NAME
from tests.org.plan_rounds import result_for
from tests.org.test_plan import GAPS
from tests.render.test_org_report import pdf_text, squeeze


def build(questionnaire, lang, notes, **kw):
    result = result_for(questionnaire, GAPS, lang=lang, **kw)
    plan = build_plan(result, questionnaire)
    return pdf_text(build_plan_pdf(result, plan, notes, questionnaire, translator(lang), date(2026, 11, 23)))


def test_agenda_ticks_and_notes_are_printed(questionnaire):
    notes = {"opening": PlanNote(True, "Twelve in the room"), "it_development_too_slow": PlanNote(False, "Ask Ops")}
    text = build(questionnaire, "en", notes)
    assert "0:00–0:05 Opening (5 min) ☑ discussed" in text
    assert "0:05–0:20 1. Alignment needed (15 min) ☐ not yet" in text
    assert "0:50–1:00 Closing: actions (10 min) ☐ not yet" in text
    assert "Note: Twelve in the room" in text and "Note: Ask Ops" in text
    assert "Your IT − marketing: +80 pts." in text and "Your IT − marketing: \u221270 pts." in text
    assert text.count("No note.") == 3  # the segments without one


def test_french_plan(questionnaire):
    text = build(questionnaire, "fr", {"closing": PlanNote(True, "Prochaine vague en mars")})
    assert "Plan de conversation : Acme" in text and "Déroulé" in text
    assert "Clôture : actions (10 min) ☑ discuté" in text and "Note : Prochaine vague en mars" in text
    assert "Votre DSI − marketing : +80 pts" in text


def test_hostile_notes_names_and_labels_are_printed_literally(questionnaire):
    keys = ["opening", "alignment_needed", "it_development_too_slow", "collaboration_satisfactory", "closing"]
    notes = {key: PlanNote(True, text) for key, text in zip(keys, HOSTILE, strict=False)}
    # Without white space: the layout may break a line after "/" or "]", which extraction reads as a space.
    text = squeeze(build(questionnaire, "en", notes, name=HOSTILE_NAME, label=HOSTILE_LABEL))
    assert squeeze(f"Conversation plan: {HOSTILE_NAME}") in text and squeeze(HOSTILE_LABEL) in text
    for note in notes.values():
        assert squeeze(f"Note: {note.note}") in text


def test_a_hidden_side_is_said_in_the_pdf(questionnaire):
    text = build(questionnaire, "en", {}, n=4)
    assert "gaps cannot be shown. Your IT has 4 answers, below the minimum of 5. Your marketing" in text
    assert "Survey, CIOs − CMOs:" in text and "+80" not in text
