"""Every report is a tagged PDF a screen reader can read: pdfinfo says "Tagged: yes", the language is set, the
structure tree (walked with pypdf, its marked content matched to the text drawn) gives the headings,
paragraphs, lists, tables and figures in reading order, every figure has alternative text, and the only fonts
listed are the ones whose glyphs are drawn. Quick check, organisation (with the follow-up page) and plan, in
English and in French."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NumberObject

from alignment.core.i18n import translator
from alignment.core.questionnaire import Profile
from alignment.org.plan import PlanNote, build_plan
from alignment.render.org_pdf import build_org_pdf
from alignment.render.plan_pdf import build_plan_pdf
from benchmark import figures_by_item
from tests.conftest import skip_or_fail
from tests.org.plan_rounds import result_for
from tests.org.test_plan import GAPS
from tests.render.test_report import quick_pdf

TODAY = date(2026, 11, 23)


def _texts_by_mcid(reader: PdfReader) -> dict[tuple[int, int], str]:
    """The text drawn inside each marked-content sequence, keyed by (page index, MCID)."""
    found: dict[tuple[int, int], str] = {}
    for number, page in enumerate(reader.pages):
        stack: list[int | None] = []

        def before(op, args, cm, tm, stack=stack):
            if op == b"BDC":
                props = args[1] if len(args) > 1 else None
                mcid = props.get("/MCID") if isinstance(props, DictionaryObject) else None
                stack.append(int(mcid) if mcid is not None else None)
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC" and stack:
                stack.pop()

        def text(chunk, cm, tm, font, size, stack=stack, number=number):
            current = next((m for m in reversed(stack) if m is not None), None)
            if current is not None:
                found[(number, current)] = found.get((number, current), "") + chunk

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return found


def structure(pdf: bytes) -> tuple[PdfReader, list[tuple[str, str, str]]]:
    """The structure tree in document order: (tag, text, alternative text) for every element."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    texts = _texts_by_mcid(reader)
    out: list[tuple[str, str, str]] = []

    def walk(node, page) -> str:
        node = node.get_object() if isinstance(node, IndirectObject) else node
        if isinstance(node, NumberObject | int):
            return texts.get((page, int(node)), "")
        if isinstance(node, ArrayObject):
            return "".join(walk(child, page) for child in node)
        if not isinstance(node, DictionaryObject):
            return ""
        if "/Pg" in node:
            page = pages[node.raw_get("/Pg").idnum]
        if node.get("/Type") == "/MCR":
            return texts.get((page, int(node["/MCID"])), "")
        slot = len(out)
        if "/S" in node:
            out.append((str(node["/S"])[1:], "", ""))
        inner = walk(node.get("/K", ArrayObject()), page)
        if "/S" in node:
            out[slot] = (str(node["/S"])[1:], " ".join(inner.split()), str(node.get("/Alt", "")))
        return inner

    walk(reader.trailer["/Root"]["/StructTreeRoot"], None)
    return reader, out


def quick(lang, make_submission, questionnaire):
    sub = make_submission("it", default=4, profile=Profile("banking", "", "fr", "", "gt_10b"), collaboration_ok=0)
    return quick_pdf(sub, questionnaire, translator(lang))


def organisation(lang, questionnaire):
    from tests.org.follow_rounds import three_rounds

    result, follow, _ = three_rounds(lang=lang, texts=("Monthly review", "Joint backlog"))
    return build_org_pdf(result, figures_by_item(), questionnaire, translator(lang), TODAY, follow)


def plan(lang, questionnaire):
    result = result_for(questionnaire, GAPS, lang=lang)
    notes = {"opening": PlanNote(done=True, note="Twelve in the room")}
    return build_plan_pdf(result, build_plan(result, questionnaire), notes, questionnaire, translator(lang), TODAY)


REPORTS = {"quick": quick, "organisation": organisation, "plan": plan}


@pytest.fixture(params=[(kind, lang) for kind in REPORTS for lang in ("en", "fr")], ids=lambda p: f"{p[0]}-{p[1]}")
def report(request, make_submission, questionnaire):
    kind, lang = request.param
    build = REPORTS[kind]
    pdf = build(lang, make_submission, questionnaire) if kind == "quick" else build(lang, questionnaire)
    return kind, lang, pdf


def test_pdfinfo_says_tagged(report, tmp_path):
    if shutil.which("pdfinfo") is None:
        skip_or_fail("pdfinfo (poppler-utils) is missing: run tests/ensure_system_tools.sh")
    _, _, pdf = report
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    listed = [line.split()[0] for line in fonts.splitlines()[2:]]
    # Only the subset of the shipped font whose glyphs are drawn: no Helvetica, nothing unused.
    assert listed and all(name.split("+", 1)[1].startswith("Report-Sans") for name in listed)


def test_the_structure_tree_reads_in_order_with_language_and_alt_text(report):
    kind, lang, pdf = report
    t = translator(lang)
    reader, tree = structure(pdf)
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    tags = [tag for tag, _, _ in tree]
    assert tags[0] == "Document" and tags.count("H1") == 1
    assert {"P", "H2", "L", "LI"} <= set(tags)
    headings = [text for tag, text, _ in tree if tag in ("H1", "H2")]
    title = {"quick": t("pdf.title"), "organisation": t("org.pdf.title", org="Acme"), "plan": None}[kind]
    if title:
        assert headings[0] == " ".join(title.split())
    expected = {
        "quick": ["pdf.respondent", "summary.title", "recs.title", "pdf.statements"],
        "organisation": ["org.summary.title", "org.results.counts", "org.results.gap_title", "pdf.statements"],
        "plan": ["plan.agenda"],
    }[kind]
    positions = [headings.index(" ".join(t(key).split())) for key in expected]
    assert positions == sorted(positions)  # in reading order
    figures = [(text, alt) for tag, text, alt in tree if tag == "Figure"]
    if kind != "plan":
        assert len(figures) == 10  # one strip per statement, each described
        assert all(alt.startswith(t("pdf.strip_alt", points="").split(":")[0]) for _, alt in figures)
        assert "Table" in tags and ("TH" in tags or "TD" in tags)
    cells = [text for tag, text, _ in tree if tag == "TH"]
    if kind == "organisation":
        assert " ".join(t("org.results.gap_statement").split()) in cells
