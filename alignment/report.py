"""The PDF summary, built with reportlab: vector strips, DejaVu fonts for every French character."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab.platypus.paragraph as rl_paragraph
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from alignment.charts import COLOURS, YOU_COLOUR
from alignment.comparison import ItemComparison, Stance, Summary
from alignment.i18n import Translator
from alignment.method import method_sections
from alignment.narrative import (
    PREVIOUS_YEAR,
    answer_label,
    population,
    previous_edition,
    profile_rows,
    unpublished,
    verdict,
)
from alignment.questionnaire import Questionnaire, Submission
from benchmark import POPULATIONS

FONTS_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
FONT, FONT_BOLD, FONT_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"
PAGE_W, PAGE_H = A4
MARGIN = 18 * mm
TEXT_W = PAGE_W - 2 * MARGIN
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#5a5a5a")


def _keep_narrow_no_break_spaces() -> None:
    """Make reportlab treat U+202F (French narrow no-break space) as part of a word, as it does U+00A0.

    reportlab's paragraph splitter breaks lines at U+202F and turns it into a plain space, so
    « guillemets » and "43 %" could be split across lines and the narrow space lost.
    tests/test_report.py checks that U+202F reaches the PDF.
    """
    breaking = re.compile("[{}]+".format(re.escape(rl_paragraph._wsc.replace("\u202f", "")))).split

    def split(text, delim=None):
        if isinstance(text, bytes):
            text = text.decode("utf8")
        if delim is None:
            return [word for word in breaking(text) if word]
        return text.split(delim)

    rl_paragraph.split = split


@cache
def _register_fonts() -> None:
    _keep_narrow_no_break_spaces()
    for name in (FONT, FONT_BOLD, FONT_ITALIC):
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / f"{name}.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    _register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, alignment=TA_LEFT)
    return {
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=19, leading=24, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=10.5, leading=14, textColor=MUTED, spaceAfter=10),
        "h2": ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=13.5, leading=18, spaceBefore=10, spaceAfter=5),
        "h3": ParagraphStyle("h3", base, fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=2),
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=8, leading=10.5, textColor=MUTED),
        "bullet": ParagraphStyle("bullet", base, leftIndent=10, bulletIndent=0, spaceAfter=2),
    }


def _p(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text: everything is escaped, nothing a user typed can become markup."""
    return Paragraph(escape(text), _styles()[style])


def _bullets(lines: list[str]) -> list[Paragraph]:
    return [Paragraph(escape(line), _styles()["bullet"], bulletText="•") for line in lines]


def _diamond(x: float, y: float, r: float, colour, filled: bool) -> Polygon:
    return Polygon(
        [x, y + r, x + r, y, x, y - r, x - r, y],
        fillColor=colour if filled else colors.white,
        strokeColor=colour,
        strokeWidth=1.2,
    )


def strip_drawing(c: ItemComparison, t: Translator, width: float = TEXT_W) -> Drawing:
    """A 0-100 % strip: survey figures as diamonds (previous edition hollow), the respondent as a dot."""
    left, right, y = 30, width - 30, 22
    span = right - left
    d = Drawing(width, 40)
    d.add(Line(left, y, right, y, strokeColor=colors.HexColor("#9a9a9a"), strokeWidth=1))
    for tick in (0, 25, 50, 75, 100):
        x = left + span * tick / 100
        d.add(Line(x, y - 3, x, y + 3, strokeColor=colors.HexColor("#9a9a9a"), strokeWidth=0.6))
        d.add(String(x, 4, t.percent(tick), fontName=FONT, fontSize=6.5, fillColor=MUTED, textAnchor="middle"))
    for year, filled in ((PREVIOUS_YEAR, False), (2014, True)):
        for pop in POPULATIONS:
            fig = c.figure(pop, year)
            if fig is not None:
                colour = colors.HexColor(COLOURS[pop])
                if not filled:
                    colour = colors.Color(colour.red, colour.green, colour.blue, alpha=0.55)
                d.add(_diamond(left + span * fig.percent / 100, y, 6 if filled else 5, colour, filled))
    if c.stance is not Stance.DONT_KNOW:
        agrees = c.stance is Stance.AGREE
        x = right if agrees else left
        d.add(Circle(x, y, 4.5, fillColor=colors.HexColor(YOU_COLOUR), strokeColor=colors.white, strokeWidth=0.8))
        d.add(
            String(
                x + (-9 if agrees else 9),
                y + 8,
                t("chart.you"),
                fontName=FONT_BOLD,
                fontSize=7.5,
                fillColor=INK,
                textAnchor="end" if agrees else "start",
            )
        )
    return d


def legend_drawing(t: Translator, width: float = TEXT_W) -> Drawing:
    """The key to the strips."""
    d = Drawing(width, 16)
    x = 4
    entries = [(pop, year) for year in (2014, PREVIOUS_YEAR) for pop in POPULATIONS]
    for pop, year in entries:
        colour = colors.HexColor(COLOURS[pop])
        if year != 2014:
            colour = colors.Color(colour.red, colour.green, colour.blue, alpha=0.55)
        d.add(_diamond(x + 5, 8, 5, colour, year == 2014))
        label = f"{population(t, pop)} {year}"
        d.add(String(x + 14, 5, label, fontName=FONT, fontSize=8, fillColor=INK))
        x += 24 + pdfmetrics.stringWidth(label, FONT, 8)
    d.add(Circle(x + 5, 8, 4, fillColor=colors.HexColor(YOU_COLOUR), strokeColor=None))
    d.add(String(x + 14, 5, t("pdf.legend_you"), fontName=FONT, fontSize=8, fillColor=INK))
    return d


def _summary_flowables(summary: Summary, t: Translator) -> list:
    flow: list = [_p(t("summary.title"), "h2")]
    if summary.all_dont_know:
        return [*flow, _p(t("summary.all_dont_know"))]
    flow.append(_p(t("summary.strengths"), "h3"))
    if summary.strengths:
        flow += _bullets(
            [t("summary.item", title=c.item.short_in(t.lang), text=verdict(t, c)) for c in summary.strengths]
        )
    else:
        flow.append(_p(t("summary.no_strengths")))
    flow.append(_p(t("summary.frictions"), "h3"))
    if summary.frictions:
        flow += _bullets(
            [t("summary.item", title=c.item.short_in(t.lang), text=verdict(t, c)) for c in summary.frictions[:3]]
        )
    else:
        flow.append(_p(t("summary.no_frictions")))
    if summary.dont_know_count:
        flow.append(_p(t("summary.dont_know", count=summary.dont_know_count), "small"))
    return flow


def _statement_flowables(summary: Summary, submission: Submission, questionnaire: Questionnaire, t: Translator) -> list:
    wording = questionnaire.side(submission.side).wording
    flow: list = [_p(t("pdf.statements"), "h2"), _p(t("results.agree_definition"), "small"), legend_drawing(t)]
    for n, c in enumerate(summary.comparisons, start=1):
        block = [
            _p(f"{n}. {c.item.short_in(t.lang)}", "h3"),
            _p(c.item.text_for(wording, t.lang)),
            Paragraph(
                f"<b>{escape(t('results.your_answer'))}</b> {escape(answer_label(t, c.answer))}", _styles()["body"]
            ),
            _p(verdict(t, c)),
            strip_drawing(c, t),
        ]
        for extra in (previous_edition(t, c), unpublished(t, c)):
            if extra:
                block.append(_p(extra, "small"))
        for fig in c.figures.values():
            if fig.note_in(t.lang):
                block.append(_p(f"{t('results.discrepancy')} {fig.note_in(t.lang)}", "small"))
        flow.append(KeepTogether([*block, Spacer(1, 4)]))
    return flow


def method_flowables(t: Translator) -> list:
    """The method-and-sources sections as flowables."""
    flow: list = []
    for n, section in enumerate(method_sections(t)):
        flow.append(_p(section.title, "h2" if n == 0 else "h3"))
        for paragraph in section.paragraphs:
            flow += [_p(paragraph), Spacer(1, 3)]
        flow += _bullets(section.bullets)
    return flow


def build_pdf(
    summary: Summary, submission: Submission, questionnaire: Questionnaire, t: Translator, today: date
) -> bytes:
    """The whole quick-check summary as PDF bytes."""
    styles = _styles()
    buffer = BytesIO()
    header = f"{t('pdf.title')} · {t.date(today)}"

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, PAGE_H - 11 * mm, header)
        canvas.drawRightString(PAGE_W - MARGIN, 10 * mm, t("pdf.page", page=doc.page))
        canvas.drawString(MARGIN, 10 * mm, t("pdf.footer"))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=t("pdf.title"),
        author=t("app.name"),
        lang=t.lang,
    )
    profile = Table(
        [[_p(a), _p(b)] for a, b in profile_rows(submission, questionnaire, t)],
        colWidths=[45 * mm, TEXT_W - 45 * mm],
    )
    profile.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#dddddd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [
        Paragraph(escape(t("pdf.title")), styles["title"]),
        _p(t("pdf.subtitle", date=t.date(today)), "subtitle"),
        _p(t("pdf.respondent"), "h2"),
        profile,
        *_summary_flowables(summary, t),
        *_statement_flowables(summary, submission, questionnaire, t),
        *method_flowables(t),
    ]
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
