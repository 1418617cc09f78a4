"""The PDF toolkit shared by the reports: DejaVu fonts, styles, vector strips, tables, page layout."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

import reportlab.platypus.paragraph as rl_paragraph
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from alignment.core.context import answer_lines
from alignment.core.i18n import Translator
from alignment.core.method import method_sections
from alignment.core.questionnaire import load_questionnaire
from alignment.core.text import escape_html
from alignment.quick.sentences import PREVIOUS_YEAR, population
from alignment.render.palette import COLOURS, PLACEMENT
from alignment.render.pdf_text import for_pdf, has_placeholder
from benchmark import POPULATIONS

FONTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
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
    tests/render/test_report.py checks that U+202F reaches the PDF.
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
def styles() -> dict[str, ParagraphStyle]:
    _register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=INK, alignment=TA_LEFT)
    return {
        "title": ParagraphStyle("title", base, fontName=FONT_BOLD, fontSize=19, leading=24, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=10.5, leading=14, textColor=MUTED, spaceAfter=10),
        "h2": ParagraphStyle("h2", base, fontName=FONT_BOLD, fontSize=13.5, leading=18, spaceBefore=10, spaceAfter=5),
        "h3": ParagraphStyle("h3", base, fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=6, spaceAfter=2),
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=8, leading=10.5, textColor=MUTED),
        "bullet": ParagraphStyle("bullet", base, leftIndent=10, bulletIndent=0, spaceAfter=2, bulletFontName=FONT),
    }


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text: everything is escaped, nothing a user typed can become markup; any
    script made drawable (alignment.render.pdf_text: right-to-left shaped and ordered, missing glyphs shown)."""
    return Paragraph(escape_html(for_pdf(text), quote=False), styles()[style])


def bullets(lines: list[str]) -> list[Paragraph]:
    return [Paragraph(escape_html(for_pdf(line), quote=False), styles()["bullet"], bulletText="•") for line in lines]


def _diamond(x: float, y: float, r: float, colour, filled: bool) -> Polygon:
    return Polygon(
        [x, y + r, x + r, y, x, y - r, x - r, y],
        fillColor=colour if filled else colors.white,
        strokeColor=colour,
        strokeWidth=1.2,
    )


@dataclass(frozen=True)
class Mark:
    """One of our markers on a strip: a value on 0-100, optionally an interval and a label."""

    value: float
    colour: str
    label: str = ""
    low: float | None = None
    high: float | None = None
    hollow: bool = False
    lift: float = 0.0  # points above (+) or below (-) the line, like the survey's CIO and CMO diamonds


def _survey_diamonds(d: Drawing, figures: dict, x_of: Callable[[float], float], y: float) -> None:
    """The survey's figures on the strip: 2014 filled, the previous edition hollow and paler."""
    for year, filled in ((PREVIOUS_YEAR, False), (2014, True)):
        for pop in POPULATIONS:
            fig = figures.get((pop, year))
            if fig is None:
                continue
            colour = colors.HexColor(COLOURS[pop])
            if not filled:
                colour = colors.Color(colour.red, colour.green, colour.blue, alpha=0.55)
            lift = 4 * PLACEMENT[pop]  # in points
            d.add(_diamond(x_of(fig.percent), y + lift, 6 if filled else 5, colour, filled))


def _mark(d: Drawing, mark: Mark, x_of: Callable[[float], float], y: float) -> None:
    """One of our marks: its interval as a bar with end ticks, a dot, and its label on the inner side."""
    colour = colors.HexColor(mark.colour)
    x = x_of(mark.value)
    if mark.low is not None and mark.high is not None:
        d.add(Line(x_of(mark.low), y, x_of(mark.high), y, strokeColor=colour, strokeWidth=2.2))
        for end in (mark.low, mark.high):
            d.add(Line(x_of(end), y - 3.5, x_of(end), y + 3.5, strokeColor=colour, strokeWidth=1.2))
    d.add(Circle(x, y, 4.5, fillColor=colors.white if mark.hollow else colour, strokeColor=colour, strokeWidth=1.2))
    if mark.label:
        right_half = mark.value > 50
        d.add(
            String(
                x + (-9 if right_half else 9),
                y + 8,
                mark.label,
                fontName=FONT_BOLD,
                fontSize=7.5,
                fillColor=INK,
                textAnchor="end" if right_half else "start",
            )
        )


def strip_drawing(t: Translator, figures: dict, marks: list[Mark], width: float = TEXT_W) -> Drawing:
    """A 0-100 % strip: survey figures as diamonds (previous edition hollow) and our marks as dots."""
    left, right, y = 30, width - 30, 27
    span = right - left

    def x_of(value: float) -> float:
        return left + span * value / 100

    d = Drawing(width, 46)
    d.add(Line(left, y, right, y, strokeColor=colors.HexColor("#9a9a9a"), strokeWidth=1))
    for tick in (0, 25, 50, 75, 100):
        d.add(Line(x_of(tick), y - 3, x_of(tick), y + 3, strokeColor=colors.HexColor("#9a9a9a"), strokeWidth=0.6))
        d.add(String(x_of(tick), 4, t.percent(tick), fontName=FONT, fontSize=6.5, fillColor=MUTED, textAnchor="middle"))
    _survey_diamonds(d, figures, x_of, y)
    for mark in marks:
        _mark(d, mark, x_of, y + mark.lift)
    return d


def legend_drawing(t: Translator, extra: list[tuple[str, str, bool]], width: float = TEXT_W) -> Drawing:
    """The key to the strips: the survey's diamonds, then our dots as (label, colour, hollow), wrapped."""
    entries: list[tuple[str, object, str, bool]] = []  # (label, colour, shape, filled)
    for year in (2014, PREVIOUS_YEAR):
        for pop in POPULATIONS:
            colour = colors.HexColor(COLOURS[pop])
            if year != 2014:
                colour = colors.Color(colour.red, colour.green, colour.blue, alpha=0.55)
            entries.append((f"{population(t, pop)} {year}", colour, "diamond", year == 2014))
    entries += [(for_pdf(label), colors.HexColor(colour), "dot", not hollow) for label, colour, hollow in extra]
    rows: list[list[tuple[float, tuple]]] = [[]]
    x = 4.0
    for entry in entries:
        step = 24 + pdfmetrics.stringWidth(entry[0], FONT, 8)
        if x + step > width and rows[-1]:
            rows.append([])
            x = 4.0
        rows[-1].append((x, entry))
        x += step
    d = Drawing(width, 16 * len(rows))
    for n, row in enumerate(rows):
        y = 16 * (len(rows) - n) - 8
        for x, (label, colour, shape, filled) in row:
            if shape == "diamond":
                d.add(_diamond(x + 5, y, 5, colour, filled))
            else:
                d.add(
                    Circle(
                        x + 5, y, 4, fillColor=colour if filled else colors.white, strokeColor=colour, strokeWidth=1.2
                    )
                )
            d.add(String(x + 14, y - 3, label, fontName=FONT, fontSize=8, fillColor=INK))
    return d


def method_flowables(t: Translator, organisation: bool = False) -> list:
    """The method-and-sources sections as flowables."""
    flow: list = []
    for n, section in enumerate(method_sections(t, organisation)):
        flow.append(para(section.title, "h2" if n == 0 else "h3"))
        for paragraph in section.paragraphs:
            flow += [para(paragraph), Spacer(1, 3)]
        flow += bullets(section.bullets)
    return flow


def recommendation_flowables(t: Translator, actions: list, questions: list | None = None) -> list:
    """The recommendations, and (for an organisation) the workshop questions."""
    flow: list = [para(t("recs.title"), "h2")]
    if actions:
        flow.append(para(t("recs.intro"), "small"))
        flow += bullets([t("summary.item", title=t(f"recs.theme.{a.theme}"), text=a.text[t.lang]) for a in actions])
    else:
        flow.append(para(t("recs.none")))
    if questions is not None:
        flow += [para(t("recs.workshop"), "h3"), para(t("recs.workshop_intro"), "small")]
        titles = {item.id: item.short_in(t.lang) for item in load_questionnaire().items}
        if questions:
            flow += bullets([t("summary.item", title=titles[item], text=text[t.lang]) for item, text in questions])
        else:
            flow.append(para(t("recs.workshop_none")))
    return flow


def context_flowables(t: Translator, answers: dict[str, int]) -> list:
    """The context answers given, marked as having no published benchmark ([] when none was given)."""
    lines = [f"{question} — {answer}" for question, answer in answer_lines(t.lang, answers, t("scale.0"))]
    return [para(t("context.answers"), "h2"), *bullets(lines)] if lines else []


def table(rows: list[list[str]], widths: list[float], header: bool = False) -> Table:
    """A plain ruled table of text cells (escaped)."""
    data = [[para(cell, "body" if n or not header else "h3") for cell in row] for n, row in enumerate(rows)]
    result = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    result.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#dddddd")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return result


def render(story: list, t: Translator, title: str, header: str) -> bytes:
    """Lay out a story on A4 with the running header, the sources footer and page numbers."""
    buffer = BytesIO()

    header = for_pdf(header)
    room = PAGE_W - 2 * MARGIN
    while pdfmetrics.stringWidth(header, FONT, 7.5) > room and len(header) > 10:
        header = header[: len(header) - 6] + "…"  # a long organisation name must not run off the page

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
        title=title,
        author=t("app.name"),
        lang=t.lang,
    )
    doc.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def placeholder_note(t: Translator, *texts: str) -> list:
    """A small note saying what "[emoji]" and "[?]" stand for, when any of texts needs them ([] if none)."""
    return [para(t("pdf.placeholder_note"), "small")] if has_placeholder(*texts) else []
