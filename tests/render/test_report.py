"""The PDF read back with pypdf: every statement, every figure, the method, accents intact."""

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from alignment.core.i18n import translator
from alignment.core.questionnaire import Profile
from alignment.quick.result import quick_result
from alignment.quick.sentences import population
from alignment.render.quick_pdf import build_pdf
from benchmark import figures_by_item, load_figures

HOSTILE = "Société <b>œuvre</b> & “cœur” d’activité 5 € =SUM(A1)"


def quick_pdf(sub, questionnaire, t) -> bytes:
    """The quick-check PDF of a submission, built as the results page does."""
    result = quick_result(sub, questionnaire, figures_by_item(), t.lang, t("scale.0"))
    return build_pdf(result, questionnaire, t, date(2026, 11, 23))


def normalise(text: str) -> str:
    return " ".join(text.split())


def pdf_text(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return normalise(" ".join(page.extract_text() for page in reader.pages)), reader


@pytest.fixture(params=["fr", "en"])
def built(request, make_submission, questionnaire):
    t = translator(request.param)
    sub = make_submission(
        "it", default=4, profile=Profile("banking", "", "other", HOSTILE, "gt_10b"), relationship_improving=0
    )
    pdf = quick_pdf(sub, questionnaire, t)
    text, reader = pdf_text(pdf)
    return t, sub, pdf, text, reader


def test_is_a_real_pdf_with_page_numbers(built):
    t, _, pdf, text, reader = built
    assert pdf.startswith(b"%PDF-")
    assert len(reader.pages) >= 3
    assert normalise(t("pdf.page", page=len(reader.pages))) in text
    assert reader.metadata.title == t("pdf.title")


def test_every_statement_in_the_respondents_wording(built, questionnaire):
    t, _, _, text, _ = built
    for item in questionnaire.items:
        assert normalise(item.short_in(t.lang)) in text
        assert normalise(item.text_for("it", t.lang)) in text


def test_every_published_figure(built):
    t, _, _, text, _ = built
    for fig in load_figures():
        share = t("narrative.share_of", share=t.percent(fig.percent), population=population(t, fig.population))
        assert normalise(share) in text, fig


def test_title_date_summary_and_method(built):
    t, _, _, text, _ = built
    for key in (
        "pdf.title",
        "summary.title",
        "method.title",
        "method.discrepancies_title",
        "method.sources_title",
        "method.cannot_title",
    ):
        assert normalise(t(key)) in text, key
    assert normalise(t.date(date(2026, 11, 23))) in text
    assert "11%" in text or "11 %" in text  # the 14 % versus 11 % discrepancy


def test_french_characters_and_hostile_text_survive_as_text(built):
    t, _, _, text, _ = built
    assert normalise(HOSTILE) in text  # é œ “ ” ’ € and the markup, literally
    if t.lang == "fr":
        for word in ("Méthode", "réponse", "à", "fréquemment", "Alignement DSI–marketing", "« "):
            assert word in text, word
        assert re.search(r"43\s%", text)


def test_narrow_no_break_spaces_are_embedded_not_dropped(make_submission, questionnaire):
    t = translator("fr")
    sub = make_submission("marketing")
    pdf = quick_pdf(sub, questionnaire, t)
    raw = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "\u202f" in raw  # « guillemets » and 1 100 use U+202F, which the DejaVu font carries


def test_recommendations_and_context_in_the_quick_check_pdf(make_submission, questionnaire):
    t = translator("en")
    sub = make_submission("marketing", default=4, it_development_too_slow=5)
    sub = type(sub)(sub.side, sub.answers, sub.profile, {"ctx_crm_owner": 4, "ctx_lead_time": 0})
    pdf = quick_pdf(sub, questionnaire, t)
    text, _ = pdf_text(pdf)
    assert "What to do about it" in text
    assert "Move marketing work to a joint agile team" in text
    assert "Make the CRM a jointly owned asset" in text
    assert "Your context (no published benchmark)" in text
    assert (
        "Who owns the CRM (customer relationship management) in your organisation? — Bought by marketing as SaaS"
        in text
    )
