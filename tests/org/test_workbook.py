"""The workbook, read back by LibreOffice (headless, as a flat ODF spreadsheet): percentages arrive as
numbers, accents and hostile text intact, no formula from user text, headers in the assessment's language."""

import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from alignment.core.i18n import translator
from alignment.core.questionnaire import load_questionnaire
from alignment.org.workbook import build_workbook
from benchmark import figures_by_item
from tests.conftest import skip_or_fail
from tests.hostile import HOSTILE, HOSTILE_NAME, TRACKER
from tests.org.follow_rounds import ITEM, three_rounds

NS = {
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}
ACCENTED = "Équipe données — déjà prête, « œuvre » ½"


def _q(ns: str, name: str) -> str:
    return f"{{{NS[ns]}}}{name}"


def _text(node) -> str:
    """A text:p's characters, with ODF's spaces (<text:s text:c="n"/>), tabs and line breaks put back."""
    out = [node.text or ""]
    for child in node:
        if child.tag == _q("text", "s"):
            out.append(" " * int(child.get(_q("text", "c"), "1")))
        elif child.tag == _q("text", "tab"):
            out.append("\t")
        elif child.tag == _q("text", "line-break"):
            out.append("\n")
        else:
            out.append(_text(child))
        out.append(child.tail or "")
    return "".join(out)


def read_back(xlsx: bytes, tmp_path) -> dict[str, list[list[dict]]]:
    """Each sheet's rows of cells {type, value, text, formula}, as LibreOffice reads the file."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        skip_or_fail("libreoffice is missing: run tests/ensure_system_tools.sh")
    source = tmp_path / "book.xlsx"
    source.write_bytes(xlsx)
    profile = tmp_path / "lo-profile"  # its own profile: runs can go on side by side
    subprocess.run(
        [
            office,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "fods",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    root = ET.parse(tmp_path / "book.fods").getroot()
    sheets = {}
    for table in root.iter(_q("table", "table")):
        rows = []
        for row in table.iter(_q("table", "table-row")):
            cells = []
            for cell in row:
                repeat = min(int(cell.get(_q("table", "number-columns-repeated"), "1")), 50)
                value = {
                    "type": cell.get(_q("office", "value-type")),
                    "value": cell.get(_q("office", "value")),
                    "text": "\n".join(_text(p) for p in cell.iter(_q("text", "p"))),
                    "formula": cell.get(_q("table", "formula")),
                }
                cells += [value] * repeat
            rows.append(cells)
        sheets[table.get(_q("table", "name"))] = rows
    return sheets


def _row(rows, first_text):
    return next(r for r in rows if r and r[0]["text"].startswith(first_text))


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_workbook_reads_back_in_libreoffice(lang, tmp_path):
    t, q = translator(lang), load_questionnaire()
    texts = (HOSTILE[5], ACCENTED)  # =HYPERLINK(…) and accents, as the two actions
    result, follow, _ = three_rounds(name=HOSTILE_NAME, lang=lang, texts=texts)
    hostile_rows = [{"side": "it", "answers": {ITEM: 4}}] * 5
    book = build_workbook(result, follow, hostile_rows, q, figures_by_item(), t, date(2026, 12, 3))
    sheets = read_back(book, tmp_path)
    names = [t(f"workbook.sheet_{k}") for k in ("summary", "trend", "actions", "responses", "method")]
    assert list(sheets) == names
    every_cell = [c for rows in sheets.values() for r in rows for c in r]
    assert not [c for c in every_cell if c["formula"]], "a cell became a formula"

    summary = sheets[names[0]]
    assert summary[0][0]["text"] == t("workbook.title", org=HOSTILE_NAME, round=result.round.label)
    header = _row(summary, t("workbook.statement"))
    assert [c["text"] for c in header[:2]] == [t("workbook.statement"), t("workbook.it_pct")]
    first = _row(summary, f"1. {q.item(ITEM).short_in(lang)}")
    # 20 of 40 agree on both sides in round 3: 0.5, a number with a percent format.
    assert first[1]["type"] == "percentage" and float(first[1]["value"]) == pytest.approx(0.5)
    assert first[4]["type"] == "percentage" and float(first[4]["value"]) == pytest.approx(0.5)
    assert first[2]["type"] == "percentage" and 0 < float(first[2]["value"]) < 0.5  # the interval's low end
    assert first[7]["type"] == "float" and float(first[7]["value"]) == 0  # gap in points
    counts = _row(summary, t("side.it"))
    assert counts[1]["type"] == "float" and counts[1]["value"] == "40"
    hidden = _row(summary, t("side.digital"))
    assert hidden[3]["text"] == t("workbook.hidden", min=5)

    actions = sheets[names[2]]
    assert actions[0][0]["text"] == t("workbook.statement")
    assert [r[1]["text"] for r in actions[1:3]] == list(texts)
    assert actions[1][1]["type"] == "string"
    assert actions[1][8]["type"] == "percentage" and float(actions[1][8]["value"]) == pytest.approx(0.8)
    assert actions[1][14]["text"] == t(
        "followup.sentence",
        movement=t(
            "followup.change.narrowed", before=t.plural("followup.size", 60), after=t.plural("followup.size", 0)
        ),
        certainty=t("followup.certainty.clear"),
    )

    trend = sheets[names[1]]
    rounds = [r for r in trend if r[0]["text"].startswith(f"1. {q.item(ITEM).short_in(lang)}")]
    assert [float(r[4]["value"]) for r in rounds] == [0.8, 0.6, 0.5]
    assert [r[2]["text"] for r in rounds] == [f"Round {n} «{n}»" for n in (1, 2, 3)]

    responses = sheets[names[3]]
    assert len([r for r in responses if r and r[0]["text"] == t("side.it")]) == 5
    method = sheets[names[4]]
    assert method[0][0]["text"] == t("method.title")


def test_hostile_text_in_every_free_field_stays_text(tmp_path):
    """All hostile strings as actions, owners and notes: XlsxWriter writes them as strings (no formula, no
    link), checked in the file itself (sheet XML), without LibreOffice."""
    import zipfile

    t, q = translator("en"), load_questionnaire()
    result, follow, _ = three_rounds(name=HOSTILE[0], texts=(HOSTILE[5], f"{TRACKER}/x"))
    book = build_workbook(result, follow, [], q, figures_by_item(), t, date(2026, 12, 3))
    with zipfile.ZipFile(__import__("io").BytesIO(book)) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        shared = z.read("xl/sharedStrings.xml").decode()
    assert not any("<f>" in s or "<f " in s for s in sheets)
    assert not any("hyperlink" in s for s in sheets)
    assert "=HYPERLINK(" in shared


@pytest.mark.slow
def test_a_hidden_side_has_no_figure_in_the_workbook(tmp_path):
    from alignment.org.followup import follow_up
    from tests.org.follow_rounds import counts

    t, q, figures = translator("en"), load_questionnaire(), figures_by_item()
    result, follow, pairs = three_rounds()
    hidden_first = counts({("it", ITEM): 32, ("marketing", ITEM): 1}, {"it": 40, "marketing": 3})
    pairs = [(pairs[0][0], hidden_first), *pairs[1:]]
    follow = follow_up(pairs[2][0], pairs, list(follow.actions), 5, q, figures)
    sheets = read_back(build_workbook(result, follow, [], q, figures, t, date(2026, 12, 3)), tmp_path)
    trend = [r for r in sheets["Trend"] if r[0]["text"].startswith("1. ") and r[1]["value"] == "1"]
    assert trend[0][5]["value"] == "3"  # the answers are counted
    assert trend[0][6]["text"] == "hidden" and trend[0][6]["type"] == "string"  # but no percentage
    assert trend[0][7]["text"] == ""  # nor a gap
    action = sheets["Actions"][1]
    assert action[10]["text"] == "hidden" and action[12]["text"] == ""
    every = " ".join(c["text"] for rows in sheets.values() for r in rows for c in r)
    assert "33%" not in every  # 1 of 3


def test_the_pages_code_does_not_import_pandas_until_the_workbook_is_asked_for():
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = (
        "import sys, ui.followup_view, ui.org_sections, ui.org_downloads, alignment.org.export\n"
        "print('pandas' in sys.modules, 'xlsxwriter' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
