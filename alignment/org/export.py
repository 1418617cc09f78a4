"""Exports of an organisation's responses: CSV safe to open in a spreadsheet, and JSON."""

from __future__ import annotations

import csv
import hashlib
import io
import json

from alignment.core.context import context_questions
from alignment.core.i18n import translator
from alignment.org.followup import AgreedAction
from alignment.org.rounds import Assessment, Round, RoundResults

# A cell starting with one of these can run as a formula in Excel, LibreOffice or Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")
EXPORT_FORMAT = "cio-cmo-alignment/organisation-export"
EXPORT_VERSION = 1


def assessment_tag(assessment_id: str) -> str:
    """What names the assessment in its JSON exports, so that an export of another one is not loaded as a
    previous round: a digest of its internal id (a random UUID, never a code or key), which cannot be turned
    back into the id and opens nothing. The same for every round and export of the assessment."""
    return hashlib.sha256(f"{EXPORT_FORMAT}/assessment/{assessment_id}".encode()).hexdigest()[:24]


def spreadsheet_safe(value: object) -> str:
    """The cell as text; one that could start a formula is prefixed with an apostrophe (OWASP advice)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_dialect(lang: str) -> tuple[str, str]:
    """The field delimiter and decimal mark a spreadsheet in that language expects: French Excel and
    LibreOffice read ';' and a decimal comma, English ones ',' and a point."""
    return (";", ",") if lang == "fr" else (",", ".")


def _cell(value: object, decimal: str) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", decimal)
    return spreadsheet_safe(value)


def responses_csv(
    rows: list[dict], item_ids: tuple[str, ...], lang: str = "en", results: RoundResults | None = None
) -> str:
    """One line per reported response (see Database.export_rows: no id, no date, no order): the side, one
    column per statement, then the context answers (codes as in alignment/core/context.toml); 0 = don't know.
    Headers and sides are in the assessment's language ("Côté", "1. Alignement nécessaire", "Informatique
    (DSI et direction informatique)"): a spreadsheet is read by people; the JSON export keeps the ids.

    In the language's spreadsheet dialect (see csv_dialect; the page adds a UTF-8 BOM so Excel reads the
    accents). With the round's results, a short block first gives what the JSON export gives: the
    count of answers by side, which sides are hidden (below the minimum group size) and that minimum.
    """
    delimiter, decimal = csv_dialect(lang)
    t = translator(lang)
    from alignment.core.questionnaire import load_questionnaire

    titles = {item.id: item.short_in(lang) for item in load_questionnaire().items}
    questions = list(context_questions())
    columns = [*item_ids, *(c.key for c in questions)]
    headings = [
        *(f"{n}. {titles.get(i, i)}" for n, i in enumerate(item_ids, start=1)),
        *(c.text[lang] for c in questions),
    ]
    known = set(load_questionnaire().side_ids)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    if results is not None:
        writer.writerow([t("org.results.counts"), t("org.export.count"), t("org.export.note")])
        for side, count in results.counts.sides.items():
            hidden = t("org.pdf.hidden", min=results.min_group_size) if not results.visible(side) else ""
            writer.writerow([_cell(c, decimal) for c in (t(f"side.{side}"), count, hidden)])
        writer.writerow([t("org.export.min_group"), results.min_group_size, t("org.export.hidden_note")])
        writer.writerow([t("org.export.scale"), "", t("org.export.scale_note")])
        writer.writerow([t("org.export.rows"), "", t("org.export.rows_note")])
        writer.writerow([])
    writer.writerow([_cell(h, decimal) for h in (t("org.export.side"), *headings)])
    for row in rows:
        side = t(f"side.{row['side']}") if row["side"] in known else row["side"]
        cells = [side, *(row["answers"].get(i, "") for i in columns)]
        writer.writerow([_cell(c, decimal) for c in cells])
    return out.getvalue()


def responses_json(
    assessment: Assessment,
    rnd: Round,
    results: RoundResults,
    rows: list[dict],
    item_ids: tuple[str, ...],
    actions: tuple[AgreedAction, ...] = (),
) -> str:
    """The round's anonymous responses with the organisation's profile and the counts by side, and the
    assessment's follow-up actions (the organisers' commitments: statement, text, owner, due, status, note)."""
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "assessment": assessment_tag(assessment.id),
        "organisation": {
            "name": assessment.org_name,
            **assessment.profile.as_dict(),
        },
        "round": {"number": rnd.number, "label": rnd.label, "status": rnd.status},
        "scale": {"values": [1, 2, 3, 4, 5], "dont_know": 0, "agree": [4, 5]},
        "items": list(item_ids),
        "min_group_size": results.min_group_size,
        "counts_by_side": results.counts.sides,
        "reported_by_side": {s: results.shown(s) for s in results.counts.sides},
        "hidden_sides": [s for s in results.counts.sides if not results.visible(s)],
        "responses": rows,
        "actions": [
            {
                "item": a.item,
                "text": a.text,
                "owner": a.owner,
                "due": a.due.isoformat() if a.due else None,
                "status": a.status,
                "note": a.note,
                "round_number": a.round_number,
            }
            for a in actions
        ],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def invitations_csv(t, rows: list[tuple[str, str, str]]) -> str:
    """The invitation links to hand out, one per invitee: side, invitee (as pasted, or "IT 3"), link. In the
    language's spreadsheet dialect, formula-safe. The invitees' names exist only in this file."""
    delimiter, _ = csv_dialect(t.lang)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(
        [t("org.create.invitations_side"), t("org.create.invitations_invitee"), t("org.create.invitations_link")]
    )
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return out.getvalue()


def links_card(t, org_name: str, round_label: str, respondent_link: str, results_link: str) -> str:
    """The two links of a new assessment as a small plain-text card to keep (they are shown only once)."""
    lines = [
        t("org.card.title", org=org_name),
        t("org.card.round", round=round_label),
        "",
        t("org.create.respondent_link"),
        respondent_link,
        "",
        t("org.create.results_link"),
        results_link,
        "",
        t("org.card.keep"),
    ]
    return "\n".join(lines) + "\n"
