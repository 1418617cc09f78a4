"""The organisation workbook (xlsx): summary, trend over the rounds, actions, reported responses, method.

Built on click only (pandas and XlsxWriter are imported with this module, which the page imports when the
download is asked for). Tables are pandas DataFrames written through pandas' ExcelWriter over XlsxWriter;
titles and headers are written as strings. Everything a user typed is text in a cell: the writer is told
never to turn a string into a formula, a number or a link (strings_to_formulas / _numbers / _urls off), so
'=HYPERLINK(…)' in an action stays the characters typed. Percentages are real numbers (0.45) shown with a
percent format; gaps are numbers of points. A hidden side (below the minimum group size) has no figure:
its cells say "hidden", never a percentage.
"""

from __future__ import annotations

import io
import math
from datetime import date

import pandas as pd

from alignment.core.context import context_questions
from alignment.core.i18n import Translator
from alignment.core.method import method_sections
from alignment.core.questionnaire import Questionnaire
from alignment.org.followup import FollowUp, GapCheck, check_sentence, status_text
from alignment.org.result import OrgResult
from alignment.org.rounds import SideShare

SHEET_NAME_MAX = 31  # Excel's limit
WRITER_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def _fraction(share: SideShare | None, hidden: str) -> float | str:
    return share.agree / share.n if share is not None else hidden


def _bound(share: SideShare | None, which: str, hidden: str) -> float | str:
    if share is None:
        return hidden
    return getattr(share.interval, which) / 100


def _points(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


class _Sheets:
    """The workbook being written: formats, and a helper writing one headed table through pandas."""

    def __init__(self, writer: pd.ExcelWriter) -> None:
        self.writer = writer
        book = writer.book
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.header = book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EEF4", "bottom": 1}
        )
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.muted = book.add_format({"italic": True, "font_color": "#555555", "text_wrap": True, "valign": "top"})
        self.note = book.add_format({"italic": True, "font_color": "#555555"})  # one line, running on to the right
        self.plain = book.add_format({"valign": "top"})
        self.percent = book.add_format({"num_format": "0%", "valign": "top"})
        self.signed = book.add_format({"num_format": "+0;-0;0", "valign": "top"})
        self.integer = book.add_format({"num_format": "0", "valign": "top"})
        self.day = book.add_format({"num_format": "yyyy-mm-dd", "valign": "top"})
        self.bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})

    def sheet(self, name: str):
        """A new sheet, printed landscape, as wide as one page."""
        worksheet = self.writer.book.add_worksheet(name[:SHEET_NAME_MAX])
        worksheet.set_landscape()
        worksheet.set_paper(9)  # A4
        worksheet.fit_to_pages(1, 0)
        return worksheet

    def table(
        self,
        worksheet,
        row: int,
        frame: pd.DataFrame,
        widths: list[tuple[float, object]],
        header_height: float,
        frozen_columns: int = 1,
    ) -> int:
        """Headers (strings) at `row`, `header_height` points tall, frozen with the first `frozen_columns`
        columns and repeated on every printed page; the frame's values below; column widths and formats; each
        row as tall as its longest wrapped text (spreadsheets do not grow rows written without a height).
        Returns the next row."""
        for col, name in enumerate(frame.columns):
            worksheet.write_string(row, col, str(name), self.header)
        worksheet.set_row(row, header_height)
        worksheet.freeze_panes(row + 1, frozen_columns)
        worksheet.repeat_rows(row)
        frame.to_excel(self.writer, sheet_name=worksheet.name, startrow=row + 1, header=False, index=False, na_rep="")
        for col, (width, fmt) in enumerate(widths):
            worksheet.set_column(col, col, width, fmt)
        wrapped = [(col, width) for col, (width, fmt) in enumerate(widths) if fmt is self.wrap]
        for n, values in enumerate(frame.itertuples(index=False)):
            texts = [(str(values[col]), width) for col, width in wrapped if isinstance(values[col], str)]
            lines = max([1, *(math.ceil(len(text) / max(1, width - 3)) for text, width in texts)])
            if lines > 1:
                worksheet.set_row(row + 1 + n, 15 * min(lines, 12))
        return row + 1 + len(frame)


def build_workbook(
    result: OrgResult, follow: FollowUp, rows: list[dict], q: Questionnaire, figures: dict, t: Translator, today: date
) -> bytes:
    """The workbook of the round `result` shows, in the language of `t` (the assessment's)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": WRITER_OPTIONS}) as writer:
        sheets = _Sheets(writer)
        _summary(sheets, result, q, figures, t, today)
        _trend(sheets, follow, q, t)
        _actions(sheets, follow, q, t)
        _responses(sheets, rows, q, t)
        _method(sheets, t)
    return buffer.getvalue()


def _statement(q: Questionnaire, t: Translator, item: str) -> str:
    return f"{q.item_ids.index(item) + 1}. {q.item(item).short_in(t.lang)}"


def _summary(sheets: _Sheets, result: OrgResult, q: Questionnaire, figures: dict, t: Translator, today: date) -> None:
    results, hidden = result.results, t("workbook.empty_cell")
    ws = sheets.sheet(t("workbook.sheet_summary"))
    ws.write_string(0, 0, t("workbook.title", org=result.assessment.org_name, round=result.round.label), sheets.title)
    ws.write_string(1, 0, t("workbook.made", date=t.date(today)), sheets.note)
    # The counts share columns with the gap table's percentages: their cells carry their own formats.
    for col, name in enumerate(
        [t("workbook.side"), t("workbook.answers"), t("workbook.reported"), t("workbook.visible")]
    ):
        ws.write_string(3, col, name, sheets.header)
    row = 4
    for side in q.side_ids:
        shown = t("workbook.yes") if results.visible(side) else t("workbook.hidden", min=results.min_group_size)
        ws.write_string(row, 0, t(f"side.{side}"), sheets.plain)
        ws.write_number(row, 1, results.count(side), sheets.integer)
        ws.write_number(row, 2, results.shown(side), sheets.integer)
        ws.write_string(row, 3, shown, sheets.plain)  # runs on over the empty cells to its right
        row += 1
    ws.write_string(row, 0, t("workbook.min_group"), sheets.plain)
    ws.write_number(row, 1, results.min_group_size, sheets.integer)
    start = row + 1
    gaps = {g.item: g for g in result.gaps}
    table = []
    for item in q.item_ids:
        it, mk = results.share("it", item), results.share("marketing", item)
        cio, cmo = figures.get(item, {}).get(("CIO", 2014)), figures.get(item, {}).get(("CMO", 2014))
        table.append(
            [
                _statement(q, t, item),
                _fraction(it, hidden),
                _bound(it, "low", hidden),
                _bound(it, "high", hidden),
                _fraction(mk, hidden),
                _bound(mk, "low", hidden),
                _bound(mk, "high", hidden),
                _points(gaps[item].organisation),
                gaps[item].survey,
                None if cio is None else cio.percent / 100,
                None if cmo is None else cmo.percent / 100,
            ]
        )
    columns = [
        t("workbook.statement"),
        t("workbook.it_pct"),
        t("workbook.it_low"),
        t("workbook.it_high"),
        t("workbook.marketing_pct"),
        t("workbook.marketing_low"),
        t("workbook.marketing_high"),
        t("workbook.gap"),
        t("workbook.survey_gap"),
        t("workbook.cio"),
        t("workbook.cmo"),
    ]
    header_row = start + 1
    sheets.table(
        ws,
        header_row,
        pd.DataFrame(table, columns=columns),
        [(44, sheets.wrap), *[(13, sheets.percent)] * 6, (13, sheets.signed), (13, sheets.signed)]
        + [(13, sheets.percent)] * 2,
        header_height=60,
    )


def _trend(sheets: _Sheets, follow: FollowUp, q: Questionnaire, t: Translator) -> None:
    hidden = t("workbook.empty_cell")
    rows = []
    for item in q.item_ids:
        for point in follow.trend(item):
            rows.append(
                [
                    _statement(q, t, item),
                    point.round.number,
                    point.round.label,
                    point.it_count,
                    _fraction(point.it, hidden),
                    point.marketing_count,
                    _fraction(point.marketing, hidden),
                    _points(point.gap),
                    follow.survey_gaps.get(item),
                ]
            )
    columns = [
        t("workbook.statement"),
        t("workbook.round_number"),
        t("workbook.round_label"),
        t("workbook.it_n"),
        t("workbook.it_pct"),
        t("workbook.marketing_n"),
        t("workbook.marketing_pct"),
        t("workbook.gap"),
        t("workbook.survey_gap"),
    ]
    ws = sheets.sheet(t("workbook.sheet_trend"))
    sheets.table(
        ws,
        0,
        pd.DataFrame(rows, columns=columns),
        [
            (44, sheets.wrap),
            (8, sheets.integer),
            (24, sheets.wrap),
            (11, sheets.integer),
            (13, sheets.percent),
            (11, sheets.integer),
            (13, sheets.percent),
            (13, sheets.signed),
            (13, sheets.signed),
        ],
        header_height=45,
    )


def _check_cells(t: Translator, check: GapCheck | None) -> list:
    hidden = t("workbook.empty_cell")
    if check is None:
        return [None] * 7 + [t("followup.not_yet")]
    return [
        check.after_round.number,
        _fraction(check.it_before, hidden),
        _fraction(check.it_after, hidden),
        _fraction(check.marketing_before, hidden),
        _fraction(check.marketing_after, hidden),
        _points(check.before),
        _points(check.after),
        check_sentence(t, check),
    ]


def _actions(sheets: _Sheets, follow: FollowUp, q: Questionnaire, t: Translator) -> None:
    rows = []
    for action in follow.actions:
        check = follow.checks.get(action.id)
        cells = _check_cells(t, check)
        if check is None and action.round_number > follow.round.number:
            cells[-1] = t("followup.later", number=action.round_number)
        rows.append(
            [
                _statement(q, t, action.item),
                action.text,
                action.owner,
                action.due,
                status_text(t, action.status),
                action.note,
                action.round_number,
                *cells,
                follow.survey_gaps.get(action.item),
            ]
        )
    columns = [
        t("workbook.statement"),
        t("workbook.action"),
        t("workbook.owner"),
        t("workbook.due"),
        t("workbook.status"),
        t("workbook.note"),
        t("workbook.agreed_in"),
        t("workbook.checked_in"),
        t("workbook.it_before"),
        t("workbook.it_after"),
        t("workbook.marketing_before"),
        t("workbook.marketing_after"),
        t("workbook.gap_before"),
        t("workbook.gap_after"),
        t("workbook.result"),
        t("workbook.survey_gap"),
    ]
    ws = sheets.sheet(t("workbook.sheet_actions"))
    frame = pd.DataFrame(rows, columns=columns)
    end = sheets.table(
        ws,
        0,
        frame,
        [
            (34, sheets.wrap),
            (40, sheets.wrap),
            (18, sheets.wrap),
            (12, sheets.day),
            (12, sheets.wrap),
            (30, sheets.wrap),
            (10, sheets.integer),
            (10, sheets.integer),
            *[(11, sheets.percent)] * 4,
            (11, sheets.signed),
            (11, sheets.signed),
            (40, sheets.wrap),
            (13, sheets.signed),
        ],
        header_height=45,
        frozen_columns=2,
    )
    ws.write_string(end + 1, 0, t("followup.cannot_prove"), sheets.note)


def _responses(sheets: _Sheets, rows: list[dict], q: Questionnaire, t: Translator) -> None:
    """The reported responses, the rows of the CSV export (Database.export_rows): side, one column per
    statement, then the context answers; 0 = don't know."""
    contexts = context_questions()
    keys = [*q.item_ids, *(c.key for c in contexts)]
    headers = [
        t("workbook.side"),
        *(_statement(q, t, item) for item in q.item_ids),
        *(c.text[t.lang] for c in contexts),
    ]
    body = [[t(f"side.{row['side']}"), *(row["answers"].get(k) for k in keys)] for row in rows]
    ws = sheets.sheet(t("workbook.sheet_responses"))
    ws.write_string(0, 0, t("workbook.responses_note"), sheets.note)
    widths = [(22, sheets.wrap), *[(14, sheets.integer)] * len(keys)]
    sheets.table(ws, 1, pd.DataFrame(body, columns=headers), widths, header_height=75)


def _method(sheets: _Sheets, t: Translator) -> None:
    ws = sheets.sheet(t("workbook.sheet_method"))
    ws.set_column(0, 0, 110, sheets.wrap)
    row = 0
    for section in method_sections(t, organisation=True):
        ws.write_string(row, 0, section.title, sheets.bold)
        row += 1
        for text in [*section.paragraphs, *(f"• {b}" for b in section.bullets)]:
            ws.write_string(row, 0, text, sheets.wrap)
            row += 1
        row += 1
