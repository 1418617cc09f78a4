"""The organisation PDF as text: hostile names and labels literally, French done right, signs and plurals."""

import io
from datetime import date, datetime

from pypdf import PdfReader

from alignment.core.i18n import translator
from alignment.core.questionnaire import Profile
from alignment.org.result import org_result
from alignment.org.rounds import Assessment, Round, RoundCounts
from alignment.render.org_pdf import build_org_pdf
from benchmark import figures_by_item
from tests.hostile import HOSTILE_LABEL, HOSTILE_NAME


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, white space (no-break spaces included) folded to single spaces."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def squeeze(text: str) -> str:
    """The text without any white space."""
    return "".join(text.split())


def build(questionnaire, lang: str, name: str, label: str, it: int, marketing: int, n: int = 3) -> str:
    values = {}
    for side, agree in (("it", it), ("marketing", marketing)):
        for item in questionnaire.item_ids:
            values[(side, item, 4)] = agree
            values[(side, item, 2)] = n - agree
    counts = RoundCounts({"it": n, "marketing": n, "digital": 2}, values)
    assessment = Assessment("a", name, lang, 3, Profile(), datetime(2026, 1, 1))
    rnd = Round(1, "a", 1, label, "open", datetime(2026, 1, 1))
    figures = figures_by_item()
    result = org_result(assessment, rnd, counts, questionnaire, figures)
    pdf = build_org_pdf(result, figures, questionnaire, translator(lang), date(2026, 11, 23))
    return pdf_text(pdf)


def test_hostile_name_and_label_are_printed_literally(questionnaire):
    # Without white space: the layout may break a line after "/" or "]", which extraction reads as a space.
    text = squeeze(build(questionnaire, "en", HOSTILE_NAME, HOSTILE_LABEL, 3, 0))
    assert squeeze(f"IT–marketing alignment: {HOSTILE_NAME}") in text
    assert squeeze(HOSTILE_LABEL) in text


def test_french_subtitle_signs_and_plurals(questionnaire):
    text = build(questionnaire, "fr", "Acme", "Vague 1", 0, 3)
    assert "Vague Vague" not in text and "Vague 1 · comparée" in text
    assert "DSI − marketing \u2212100 pts" in text  # a true minus sign
    assert "-100" not in text
    assert "(s)" not in text
    assert "Votre DSI : 3 réponses seulement, trop peu pour se comparer" in text
    assert "ctx_" not in text and "industry_other" not in text


def test_english_too_few_reads_naturally(questionnaire):
    text = build(questionnaire, "en", "Acme", "Round 1", 1, 2)
    assert "only 3 answers, too few to tell how it compares with" in text
    assert "too few answers to tell (3)" not in text


def test_summary_headings_count_what_they_list(questionnaire):
    """ "The largest friction" over one line, "The two strengths" over two: never "three" over fewer."""
    import re

    from alignment.org import summary as org_summary
    from alignment.render.org_pdf import executive_summary

    counted = set()
    figures = figures_by_item()
    for lang in ("en", "fr"):
        t = translator(lang)
        for shift in range(6):  # each statement agreed by a different number of each side's 3 respondents
            values = {}
            for n, item in enumerate(questionnaire.item_ids):
                for side, agree in (("it", (n + shift) % 4), ("marketing", (2 * n + shift) % 4)):
                    values[(side, item, 4)] = agree
                    values[(side, item, 2)] = 3 - agree
            counts = RoundCounts({"it": 3, "marketing": 3}, values)
            assessment = Assessment("a", "Acme", lang, 3, Profile(), datetime(2026, 1, 1))
            rnd = Round(1, "a", 1, "Q1", "open", datetime(2026, 1, 1))
            result = org_result(assessment, rnd, counts, questionnaire, figures)
            gaps = list(result.gaps)
            placed = org_summary.executive(result.results, figures, questionnaire, gaps)
            html = "".join(
                b.html for b in executive_summary(t, questionnaire, result.results, gaps, figures, None, None)
            )
            headings = re.findall(r"<h3[^>]*>(.*?)</h3>", html)
            for kind, listed in (("frictions", placed.frictions), ("strengths", placed.strengths)):
                counted.add(len(listed))
                assert t(f"org.summary.{kind}.{min(len(listed), 3)}") in headings
    assert counted & {1, 2}, "no scenario listed fewer than three: the test would prove nothing"
