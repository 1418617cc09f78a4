"""The PDF toolkit shared by the reports: a story of blocks (headings, paragraphs, lists, tables, figures with
alternative text) written as HTML and laid out by WeasyPrint as a tagged PDF (PDF/UA-1): a structure tree in
reading order, the document's language, and only the fonts whose glyphs are used (a DejaVu subset).

reportlab, which drew the reports before, cannot write a structure tree (docs/decisions.md); the reports keep
its vocabulary (para, bullets, table, strip_drawing, KeepTogether, PageBreak, Spacer) so they read as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alignment.core.context import answer_lines
from alignment.core.i18n import Translator
from alignment.core.method import method_sections
from alignment.core.questionnaire import load_questionnaire
from alignment.core.text import escape_html
from alignment.quick.sentences import PREVIOUS_YEAR, population
from alignment.render.palette import COLOURS, PLACEMENT
from alignment.render.pdf_text import for_html, has_placeholder
from benchmark import POPULATIONS

FONTS_DIR = Path(__file__).resolve().parents[2] / "assets" / "fonts"
mm = 72 / 25.4  # points per millimetre
PAGE_W, PAGE_H = 595.28, 841.89  # A4, in points
MARGIN = 18 * mm
TEXT_W = PAGE_W - 2 * MARGIN
INK = "#1a1a1a"
MUTED = "#5a5a5a"


@dataclass(frozen=True)
class Block:
    """A piece of the report, as HTML (everything a user typed in it already escaped)."""

    html: str


def _text(text: str) -> str:
    return escape_html(for_html(text), quote=False)


TAGS = {"title": "h1", "subtitle": "p", "h2": "h2", "h3": "h3", "body": "p", "small": "p"}


def para(text: str, style: str = "body") -> Block:
    """A heading or paragraph of plain text: everything is escaped, nothing a user typed can become markup;
    any character the font cannot draw is a visible placeholder (alignment.render.pdf_text)."""
    return Block(f'<{TAGS[style]} class="{style}">{_text(text)}</{TAGS[style]}>')


def labelled(label: str, text: str) -> Block:
    """A paragraph that starts with a bold label ("Your answer: Agree")."""
    return Block(f"<p><strong>{_text(label)}</strong> {_text(text)}</p>")


def bullets(lines: list[str]) -> list[Block]:
    """A bulleted list (one list in the structure tree: L, LI, LBody)."""
    if not lines:
        return []
    return [Block("<ul>" + "".join(f"<li>{_text(line)}</li>" for line in lines) + "</ul>")]


def Spacer(_width: float, height: float) -> Block:
    """Vertical space, in points."""
    return Block(f'<div class="space" style="height:{height:.1f}pt"></div>')


def KeepTogether(blocks: list) -> Block:
    """Blocks kept on one page when they fit (a statement with its strip)."""
    return Block('<div class="keep">' + "".join(b.html for b in blocks) + "</div>")


def PageBreak() -> Block:
    return Block('<div class="page-break"></div>')


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
    name: str = ""  # what the mark is, for the figure's alternative text (the label if empty)


def _svg_text(text: str) -> str:
    return escape_html(for_html(text))


def _number(value: float) -> str:
    """A coordinate for SVG path data: two decimals at most, no trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _rect(x0: float, y0: float, x1: float, y1: float) -> str:
    """A filled rectangle as path data: what a butt-capped stroke from one side's middle to the other covers."""
    return f"M{_number(x0)} {_number(y0)}H{_number(x1)}V{_number(y1)}H{_number(x0)}Z"


def strip_alt(t: Translator, figures: dict, marks: list[Mark]) -> str:
    """The strip in words, for a screen reader: every point on it, survey first."""
    parts = []
    for year in (2014, PREVIOUS_YEAR):
        for pop in POPULATIONS:
            fig = figures.get((pop, year))
            if fig is not None:
                parts.append(f"{population(t, pop)} {year} {t.percent(fig.percent)}")
    for mark in marks:
        name = mark.name or mark.label
        value = t.percent(round(mark.value))
        if mark.low is not None and mark.high is not None:
            value += f" ({t.percent(round(mark.low))}–{t.percent(round(mark.high))})"
        parts.append(f"{name} {value}".strip())
    return t("pdf.strip_alt", points=t.join(parts)) if parts else t("pdf.strip_alt_empty")


def _survey_svg(figures: dict, x_of: Callable[[float], float], y: float) -> list[str]:
    """The survey's figures on the strip: 2014 filled, the previous edition hollow and paler."""
    shapes = []
    for year, filled in ((PREVIOUS_YEAR, False), (2014, True)):
        for pop in POPULATIONS:
            fig = figures.get((pop, year))
            if fig is None:
                continue
            x, cy, r = x_of(fig.percent), y - 4 * PLACEMENT[pop], 6 if filled else 5
            fill, opacity = (COLOURS[pop], "1") if filled else ("#ffffff", ".55")
            shapes.append(
                f'<polygon points="{x},{cy - r} {x + r},{cy} {x},{cy + r} {x - r},{cy}" fill="{fill}" '
                f'stroke="{COLOURS[pop]}" stroke-width="1.2" stroke-opacity="{opacity}"/>'
            )
    return shapes


def _mark_svg(mark: Mark, x_of: Callable[[float], float], y: float) -> list[str]:
    """One of our marks: its interval as a bar with end ticks (one filled shape, as the 2.2 pt bar and 1.2 pt
    ticks would stroke it), a dot, and its label on the inner side."""
    x, cy, colour = x_of(mark.value), y - mark.lift, mark.colour
    shapes = []
    if mark.low is not None and mark.high is not None:
        x0, x1 = x_of(mark.low), x_of(mark.high)
        bar = _rect(x0, cy - 1.1, x1, cy + 1.1) + "".join(
            _rect(end - 0.6, cy - 3.5, end + 0.6, cy + 3.5) for end in (x0, x1)
        )
        shapes.append(f'<path d="{bar}" fill="{colour}"/>')
    fill = "#ffffff" if mark.hollow else colour
    shapes.append(f'<circle cx="{x:.1f}" cy="{cy}" r="4.5" fill="{fill}" stroke="{colour}" stroke-width="1.2"/>')
    if mark.label:
        right_half = mark.value > 50
        shapes.append(
            f'<text x="{x + (-9 if right_half else 9):.1f}" y="{cy - 6}" font-family="Report Sans" '
            f'font-weight="bold" font-size="7.5" fill="{INK}" text-anchor="{"end" if right_half else "start"}">'
            f"{_svg_text(mark.label)}</text>"
        )
    return shapes


def strip_drawing(t: Translator, figures: dict, marks: list[Mark], width: float = TEXT_W) -> Block:
    """A 0-100 % strip: survey figures as diamonds (previous edition hollow) and our marks as dots; a figure
    with its alternative text."""
    height = 46
    left, right, y = 30, width - 30, 19.0  # y from the top, SVG's way
    span = right - left

    def x_of(value: float) -> float:
        return left + span * value / 100

    # Few SVG elements: each costs WeasyPrint parsing, a style cascade and drawing. The line and its ticks are
    # one grey shape (a 1 pt line, .6 pt ticks). The scale's labels stay text: WeasyPrint lays SVG text out a
    # letter at a time, but glyph outlines as paths measured no faster (its path parser reads every point).
    ticks = (0, 25, 50, 75, 100)
    axis = _rect(left, y - 0.5, right, y + 0.5) + "".join(
        _rect(x_of(tick) - 0.3, y - 3, x_of(tick) + 0.3, y + 3) for tick in ticks
    )
    shapes = [f'<path d="{axis}" fill="#9a9a9a"/>']
    shapes += [
        f'<text x="{x_of(tick):.1f}" y="{height - 4}" font-family="Report Sans" font-size="6.5" fill="{MUTED}" '
        f'text-anchor="middle">{_svg_text(t.percent(tick))}</text>'
        for tick in ticks
    ]
    shapes += _survey_svg(figures, x_of, y)
    for mark in marks:
        shapes += _mark_svg(mark, x_of, y)
    # Inline, with a <title>: WeasyPrint tags it as a Figure whose Alt is the title (a data: URL in an <img>
    # costs ~50 ms more per strip, in the standard library's parsing of the URL).
    alt = escape_html(for_html(strip_alt(t, figures, marks)), quote=False)
    return Block(
        f'<svg class="strip" xmlns="http://www.w3.org/2000/svg" width="{width:.1f}pt" height="{height}pt" '
        f'viewBox="0 0 {width:.1f} {height}"><title>{alt}</title>{"".join(shapes)}</svg>'
    )


def legend_drawing(t: Translator, extra: list[tuple[str, str, bool]], width: float = TEXT_W) -> Block:
    """The key to the strips, as a list: the survey's diamonds, then our dots as (label, colour, hollow)."""
    entries: list[tuple[str, str, str, bool]] = []  # (label, colour, shape, filled)
    for year in (2014, PREVIOUS_YEAR):
        for pop in POPULATIONS:
            entries.append((f"{population(t, pop)} {year}", COLOURS[pop], "diamond", year == 2014))
    entries += [(label, colour, "dot", not hollow) for label, colour, hollow in extra]
    items = []
    for label, colour, shape, filled in entries:
        fill = colour if filled else "#ffffff"
        items.append(
            f'<li><span class="key {shape}" style="background:{fill};border-color:{colour}"></span>{_text(label)}</li>'
        )
    return Block(f'<ul class="legend" style="width:{width:.1f}pt">{"".join(items)}</ul>')


def method_flowables(t: Translator, organisation: bool = False) -> list:
    """The method-and-sources sections."""
    flow: list = []
    for n, section in enumerate(method_sections(t, organisation)):
        flow.append(para(section.title, "h2" if n == 0 else "h3"))
        flow += [para(paragraph) for paragraph in section.paragraphs]
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


def table(rows: list[list[str]], widths: list[float], header: bool = False) -> Block:
    """A plain ruled table of text cells (escaped); with header, the first row heads the columns."""
    total = sum(widths)
    cols = "".join(f'<col style="width:{100 * w / total:.2f}%">' for w in widths)
    head = ""
    if header:
        head = "<thead><tr>" + "".join(f'<th scope="col">{_text(c)}</th>' for c in rows[0]) + "</tr></thead>"
        rows = rows[1:]
    body = "".join("<tr>" + "".join(f"<td>{_text(c)}</td>" for c in row) + "</tr>" for row in rows)
    return Block(f"<table><colgroup>{cols}</colgroup>{head}<tbody>{body}</tbody></table>")


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


@cache
def _fonts_css() -> str:
    faces = (
        ("DejaVuSans", "normal", "normal"),
        ("DejaVuSans-Bold", "bold", "normal"),
        ("DejaVuSans-Oblique", "normal", "italic"),
    )
    return "".join(
        f'@font-face {{font-family: "Report Sans"; src: url("{(FONTS_DIR / f"{name}.ttf").as_uri()}"); '
        f"font-weight: {weight}; font-style: {style};}}"
        for name, weight, style in faces
    )


STYLE = """
@page {size: A4; margin: 18mm 18mm 18mm 18mm;
  @top-left {font-size: 7.5pt; color: #5a5a5a; vertical-align: bottom; padding-bottom: 3mm;}
  @bottom-left {width: 80%; font-size: 7.5pt; color: #5a5a5a; vertical-align: top; padding-top: 3mm;}
  @bottom-right {width: 20%; font-size: 7.5pt; color: #5a5a5a; vertical-align: top; padding-top: 3mm;}}
html {font-family: "Report Sans"; font-size: 9.5pt; line-height: 13pt; color: #1a1a1a;}
h1 {font-size: 19pt; line-height: 24pt; margin: 0 0 4pt;}
p.subtitle {font-size: 10.5pt; line-height: 14pt; color: #5a5a5a; margin: 0 0 10pt;}
h2 {font-size: 13.5pt; line-height: 18pt; margin: 10pt 0 5pt; break-after: avoid;}
h3 {font-size: 10.5pt; line-height: 14pt; margin: 6pt 0 2pt; break-after: avoid;}
p {margin: 0 0 3pt;}
p.small {font-size: 8pt; line-height: 10.5pt; color: #5a5a5a;}
ul {margin: 0 0 3pt; padding-left: 12pt;}
li {margin-bottom: 2pt;}
ul.legend {list-style: none; padding: 0; margin: 2pt 0 6pt; font-size: 8pt; line-height: 11pt;}
ul.legend li {display: inline-block; margin: 0 12pt 2pt 0;}
.key {display: inline-block; width: 7pt; height: 7pt; border: 1.2pt solid; margin-right: 4pt; vertical-align: -1pt;}
.key.dot {border-radius: 50%;}
.key.diamond {transform: rotate(45deg) scale(.85);}
svg.strip {display: block; margin: 2pt 0;}
table {table-layout: fixed; border-collapse: collapse; width: 100%; margin: 2pt 0 6pt;}
th, td {text-align: left; vertical-align: top; padding: 2pt 4pt 2pt 0; border-bottom: .4pt solid #dddddd;}
th {font-weight: bold; font-size: 10.5pt;}
.keep {break-inside: avoid;}
.page-break {break-before: page;}
"""


@cache
def _stylesheet():
    """The fonts and the styles, parsed once per process (the fonts are read once, not per report)."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(string=_fonts_css() + STYLE, font_config=fonts), fonts


def render(story: list, t: Translator, title: str, header: str) -> bytes:
    """Lay out a story on A4 with the running header, the sources footer and page numbers: a tagged PDF."""
    from weasyprint import HTML  # loaded only when a PDF is asked for (~0.3 s)

    if len(header) > 110:
        header = header[:104] + "…"  # a long organisation name must not run off the page
    before, after = t("pdf.page", page="\x00").split("\x00")
    page = f"{_css_string(before)} counter(page) {_css_string(after)}"
    margins = (
        f"@page {{@top-left {{content: {_css_string(for_html(header))}}} "
        f"@bottom-left {{content: {_css_string(t('pdf.footer'))}}} @bottom-right {{content: {page}}}}}"
    )
    body = "".join(block.html for block in story)
    document = (
        f'<!DOCTYPE html><html lang="{t.lang}"><head><meta charset="utf-8"><title>{_text(title)}</title>'
        f'<meta name="author" content="{escape_html(t("app.name"))}"><style>{margins}</style></head>'
        f"<body>{body}</body></html>"
    )
    stylesheet, fonts = _stylesheet()
    return HTML(string=document).write_pdf(stylesheets=[stylesheet], font_config=fonts, pdf_variant="pdf/ua-1")


def placeholder_note(t: Translator, *texts: str) -> list:
    """A small note saying what "[emoji]" and "[?]" stand for, when any of texts needs them ([] if none)."""
    return [para(t("pdf.placeholder_note"), "small")] if has_placeholder(*texts) else []
