"""Names in any script reach the PDF drawable: right-to-left shaped and ordered, emoji made visible."""

import io
import unicodedata
from datetime import date, datetime

from pypdf import PdfReader

from alignment.core.questionnaire import Profile
from alignment.render.pdf_text import EMOJI_PLACEHOLDER, OTHER_PLACEHOLDER, drawable, for_pdf, has_placeholder

CODER = "\U0001f469\U0001f3fd\u200d\U0001f4bb"  # 👩🏽‍💻: woman, skin tone, zero-width joiner, laptop


def test_arabic_is_shaped_and_right_to_left_is_in_display_order():
    shown = for_pdf("محمد")
    assert all(unicodedata.name(ch).startswith("ARABIC LETTER") and "FORM" in unicodedata.name(ch) for ch in shown)
    assert unicodedata.name(shown[-1]) == "ARABIC LETTER MEEM INITIAL FORM"  # read first, drawn rightmost
    assert for_pdf("Équipe שלום") == "Équipe םולש"
    assert for_pdf("Acme") == "Acme"


def test_emoji_sequences_become_one_visible_placeholder():
    assert for_pdf(f"Team {CODER} rocks") == f"Team {EMOJI_PLACEHOLDER} rocks"
    assert for_pdf("France 🇫🇷") == f"France {EMOJI_PLACEHOLDER}"
    assert for_pdf("日本") == OTHER_PLACEHOLDER * 2
    assert has_placeholder("x", f"a {CODER}") and not has_placeholder("Acme", "محمد")
    assert for_pdf(f"محمد {CODER}") == f"{EMOJI_PLACEHOLDER} " + for_pdf("محمد")  # one unit, moved whole


def test_joiners_are_kept_where_the_font_draws_the_script():
    assert for_pdf("a\u200db\u200cc") == "a\u200db\u200cc"
    assert {0x200C, 0x200D} <= drawable()
    assert all(ord(ch) in drawable() or ch == " " for ch in for_pdf(f"محمد {CODER} שלום 日本"))


def test_an_organisation_pdf_with_names_in_every_script(questionnaire):
    from alignment.core.i18n import translator
    from alignment.org.result import org_result
    from alignment.org.rounds import Assessment, Round, RoundCounts
    from alignment.render.org_pdf import build_org_pdf
    from benchmark import figures_by_item

    values = {(side, item, 4): 3 for side in ("it", "marketing") for item in questionnaire.item_ids}
    counts = RoundCounts({"it": 3, "marketing": 3}, values)
    name = f"شركة محمد · חברה {CODER}"
    assessment = Assessment("a", name, "fr", 3, Profile(), datetime(2026, 1, 1))
    rnd = Round(1, "a", 1, "Vague 1", "open", datetime(2026, 1, 1))
    figures = figures_by_item()
    result = org_result(assessment, rnd, counts, questionnaire, figures)
    pdf = build_org_pdf(result, figures, questionnaire, translator("fr"), date(2026, 11, 23))
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert EMOJI_PLACEHOLDER in text and "[emoji] remplace un émoji" in " ".join(text.split())
    assert "\ufeeb" in text or any(unicodedata.name(ch, "").startswith("ARABIC LETTER") for ch in text)
    assert "[emoji][emoji]" not in text  # one placeholder per emoji sequence, wherever bidi moves it
