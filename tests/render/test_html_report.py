"""The organisation report (and the quick check's) as one self-contained HTML file: nothing fetched from
outside, the language set, headings in order, every strip an image with its alternative text, and the same
figures as the PDF's text."""

import io
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from alignment.core.i18n import translator
from alignment.core.questionnaire import Profile, load_questionnaire
from alignment.quick.result import quick_result
from alignment.render.org_pdf import build_org_html, build_org_pdf
from alignment.render.quick_pdf import build_html, build_pdf
from benchmark import figures_by_item
from tests.hostile import HOSTILE
from tests.org.follow_rounds import three_rounds

TODAY = date(2026, 12, 3)
# A figure as the reports print it: "45%", "45 %" (French, a narrow no-break space), "+10 pts", "−100 pts".
FIGURE = re.compile(r"[+\u2212-]?\d[\d\u202f\u00a0,.]*\s?(?:%|pts?\b)")


class Reading(HTMLParser):
    """The document's tags in order, the text a reader gets (not the <title>s), and the strips' labels."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.headings: list[int] = []
        self.svgs: list[dict] = []
        self.svg_titles: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "svg":
            self.svgs.append(attrs)
        if tag not in ("meta", "col", "path", "circle", "polygon"):
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self._stack[-2:] == ["svg", "title"]:
            self.svg_titles.append(data)
        elif self._stack and self._stack[-1] not in ("title", "style"):
            self.text.append(data)


def read(document: bytes) -> Reading:
    reading = Reading()
    reading.feed(document.decode("utf-8"))
    return reading


def figures_in(text: str) -> list[str]:
    return sorted("".join(m.split()).replace("\u202f", "") for m in FIGURE.findall(text))


def organisation(lang: str) -> tuple[bytes, bytes]:
    """The organisation report with a previous round and its follow-up page, as (HTML, PDF)."""
    t, q = translator(lang), load_questionnaire()
    result, follow, _ = three_rounds(lang=lang, texts=(HOSTILE[3], "Revue mensuelle, déjà « lancée »"))
    args = (result, figures_by_item(), q, t, TODAY, follow)
    return build_org_html(*args), build_org_pdf(*args)


@pytest.fixture(scope="module", params=["en", "fr"])
def report(request):
    return request.param, *organisation(request.param)


def test_nothing_is_fetched_from_outside(report):
    _, html, _ = report
    text = html.decode("utf-8")
    # The markup alone: text between tags (escaped, so without "<") can say "http://" as a user typed it.
    markup = re.sub(r">[^<]*<", "><", text).replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert not re.search(r"(?i)https?:|file:|ftp:|data:|//", markup)
    assert not re.search(r"(?i)\s(src|href|srcset|action|data|poster|background)\s*=", markup)
    assert not re.search(r"(?i)<(script|link|img|iframe|object|embed|base|use|image|foreignobject)\b", markup)
    assert not re.search(r"(?i)\son[a-z]+\s*=", markup)  # no event handler
    (style,) = re.findall(r"<style>([^<]*)</style>", text)
    assert not re.search(r"(?i)url\(|@import|@font-face|https?:|file:", style)
    assert "font-family" in style and "sans-serif" in style


def test_language_headings_and_alternative_text(report):
    lang, html, _ = report
    reading = read(html)
    assert (reading.tags[0][0], reading.tags[0][1].get("lang")) == ("html", lang)
    assert ("meta", {"charset": "utf-8"}) in reading.tags
    assert reading.headings[0] == 1 and reading.headings.count(1) == 1
    # Headings in order: never a level skipped on the way down.
    assert all(b <= a + 1 for a, b in zip(reading.headings, reading.headings[1:], strict=False))
    assert len(reading.svgs) == len(load_questionnaire().items)  # one strip per statement
    for svg in reading.svgs:
        assert svg.get("role") == "img" and svg.get("aria-label")
    assert reading.svg_titles == [svg["aria-label"] for svg in reading.svgs]
    assert all(title.strip() for title in reading.svg_titles)


def test_same_figures_as_the_pdf(report):
    _, html, pdf = report
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    html_text = " ".join(read(html).text)
    # The PDF repeats its running header and footer on every page, with page numbers; the figures are the body's.
    assert figures_in(html_text) == figures_in(pdf_text)
    assert len(figures_in(html_text)) > 50


def quick(lang: str, make_submission, questionnaire) -> tuple[bytes, bytes]:
    t = translator(lang)
    sub = make_submission("it", default=4, profile=Profile("banking", "", "other", HOSTILE[3], "gt_10b"))
    result = quick_result(sub, questionnaire, figures_by_item(), lang, t("scale.0"))
    return build_html(result, questionnaire, t, TODAY), build_pdf(result, questionnaire, t, TODAY)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_quick_check_summary_as_html(lang, make_submission, questionnaire):
    html, pdf = quick(lang, make_submission, questionnaire)
    test_nothing_is_fetched_from_outside((lang, html, pdf))
    test_language_headings_and_alternative_text((lang, html, pdf))
    test_same_figures_as_the_pdf((lang, html, pdf))
