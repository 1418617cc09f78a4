"""Results as JSON files, loaded back to compare: a saved quick check, or an organisation export.

Reading a file is reading user input: size, syntax and shape are checked, and the content goes
through the same validation as a page address (alignment.quick.address.decode).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from alignment.core.questionnaire import ANSWERS, Questionnaire, Submission
from alignment.core.text import clean_text
from alignment.org.export import EXPORT_FORMAT, assessment_tag
from alignment.org.followup import MAX_ACTION_NOTE, MAX_ACTION_TEXT, MAX_ACTIONS, MAX_OWNER, STATUSES, ActionDraft
from alignment.org.rounds import RoundCounts
from alignment.quick.address import MAX_VALUE_LEN, Problem, decode

FORMAT = "cio-cmo-alignment/quick-check"
VERSION = 1
MAX_BYTES = 100_000
MAX_ORG_BYTES = 20_000_000  # an export of some 10,000 responses
MAX_ENTRIES = 100  # a saved result holds some 20 answers and profile values
DOCUMENT_KEYS = frozenset({"format", "version", "saved_on", "side", "answers", "context", "profile"})
# An organisation export's keys (alignment.org.export.responses_json): any other is named when it is loaded.
ORG_DOCUMENT_KEYS = frozenset(
    {
        "format",
        "version",
        "assessment",
        "organisation",
        "round",
        "scale",
        "items",
        "min_group_size",
        "counts_by_side",
        "reported_by_side",
        "hidden_sides",
        "responses",
        "actions",
    }
)
ORG_ROW_KEYS = frozenset({"side", "answers"})
MAX_UNKNOWN_NAMED = 20  # enough to name a few and count the rest


class ImportRefused(ValueError):
    """The file cannot be used at all; code names why ("too_big", "not_json", "wrong_shape", "unreadable",
    "other_assessment"); details are the message's values (cleaned text from the file)."""

    def __init__(self, code: str, **details: str) -> None:
        super().__init__(code)
        self.code = code
        self.details = details


@dataclass(frozen=True)
class Imported:
    submission: Submission
    saved_on: date | None  # None when the file's date is missing or not a date
    problems: list[Problem]


def _load(data: bytes, max_bytes: int) -> object:
    """Parsed JSON, or ImportRefused for a file too large or not JSON."""
    if len(data) > max_bytes:
        raise ImportRefused("too_big")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError) as error:
        # ValueError covers bad UTF-8, bad syntax and an integer of more than 4,300 digits (Python's
        # int-to-str limit); RecursionError a document nested too deep.
        raise ImportRefused("not_json") from error


def to_json(submission: Submission, today: date) -> str:
    """The submission with its date, in a small documented JSON shape."""
    profile = {key: value for key, value in submission.profile.as_dict().items() if value}
    document = {
        "format": FORMAT,
        "version": VERSION,
        "saved_on": today.isoformat(),
        "side": submission.side,
        "answers": submission.answers,
        "context": submission.context,
        "profile": profile,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def from_json(data: bytes, questionnaire: Questionnaire) -> Imported:
    """Read a file saved by to_json; raise ImportRefused when it is not one."""
    document = _load(data, MAX_BYTES)
    if not isinstance(document, dict) or document.get("format") != FORMAT or document.get("version") != VERSION:
        raise ImportRefused("wrong_shape")
    parts = [document.get(k) for k in ("answers", "context", "profile")]
    if not all(isinstance(p, dict) for p in parts) or not isinstance(document.get("side"), str):
        raise ImportRefused("wrong_shape")
    if sum(len(p) for p in parts) > MAX_ENTRIES:
        raise ImportRefused("wrong_shape")
    params: dict[str, str] = {"side": document["side"]}
    for part in parts:
        params.update(
            {str(k): v if isinstance(v, str) else json.dumps(v)[: MAX_VALUE_LEN + 1] for k, v in part.items()}
        )
    submission, problems = decode(params, questionnaire)
    problems += [Problem("unknown_key", clean_text(str(k), 60)) for k in document if k not in DOCUMENT_KEYS]
    if not submission.is_complete(questionnaire):
        raise ImportRefused("wrong_shape")
    try:
        saved_on = date.fromisoformat(str(document.get("saved_on", "")))
    except ValueError:
        saved_on = None
    return Imported(submission, saved_on, problems)


@dataclass(frozen=True)
class OrganisationImport:
    """Counts rebuilt from an organisation export, its round label, and what was left out."""

    counts: RoundCounts
    label: str
    dropped_rows: int  # responses with no known side or no answer list
    dropped_values: int  # answers out of the scale
    actions: tuple[tuple[int, ActionDraft], ...] = ()  # the export's follow-up actions: (round number, action)
    dropped_actions: int = 0  # actions of an unknown statement or status, an empty or over-long text, a bad date
    unknown_keys: tuple[str, ...] = ()  # keys the export format does not have, ignored (as the quick check does)
    assessment_checked: bool = True  # False: an older export with no assessment tag, so not checked


def read_organisation_export(
    data: bytes, questionnaire: Questionnaire, assessment_id: str | None = None
) -> OrganisationImport:
    """Counts rebuilt from an organisation export (alignment.org.export.responses_json), and its round label.

    Only the sides present in the export come back (hidden sides were never exported); anything out of
    range is dropped and counted. Raises ImportRefused when the file is not such an export, or, given the
    assessment_id it is loaded into, when it is the export of another assessment ("other_assessment"). An
    older export carries no assessment tag: it is read, with assessment_checked False.
    """
    document = _load(data, MAX_ORG_BYTES)
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ImportRefused("wrong_shape")
    rows, round_info = document.get("responses"), document.get("round")
    if not isinstance(rows, list) or not isinstance(round_info, dict):
        raise ImportRefused("wrong_shape")
    checked = _same_assessment(document, assessment_id)
    sides: dict[str, int] = {}
    values: dict[tuple[str, str, int], int] = {}
    dropped_rows = dropped_values = 0
    unknown = [str(k) for k in document if k not in ORG_DOCUMENT_KEYS]
    for row in rows:
        if isinstance(row, dict) and len(unknown) < MAX_UNKNOWN_NAMED:
            unknown += [f"responses[].{k}" for k in row if k not in ORG_ROW_KEYS and f"responses[].{k}" not in unknown]
        answers = row.get("answers") if isinstance(row, dict) else None
        if not isinstance(answers, dict) or row.get("side") not in questionnaire.side_ids:
            dropped_rows += 1
            continue
        side = row["side"]
        sides[side] = sides.get(side, 0) + 1
        for item in questionnaire.item_ids:
            value = answers.get(item)
            if type(value) is int and value in ANSWERS:
                values[(side, item, value)] = values.get((side, item, value), 0) + 1
            elif value is not None:
                dropped_values += 1
    if not sides:
        raise ImportRefused("wrong_shape")
    label = clean_text(str(round_info.get("label", ""))[:1000], 80)
    actions, dropped_actions = _read_actions(document.get("actions", []), questionnaire)
    named = tuple(dict.fromkeys(clean_text(k[:200], 60) for k in unknown))
    return OrganisationImport(
        RoundCounts(sides=sides, values=values),
        label,
        dropped_rows,
        dropped_values,
        actions,
        dropped_actions,
        named,
        assessment_checked=checked,
    )


def _same_assessment(document: dict, assessment_id: str | None) -> bool:
    """Whether the export was checked to be of the assessment (alignment.org.export.assessment_tag): False
    for an older export without a tag (or no assessment given); ImportRefused("other_assessment", org=the
    organisation it names) when it is another's."""
    tag = document.get("assessment")
    if assessment_id is None or tag is None:
        return False
    if tag != assessment_tag(assessment_id):
        raise ImportRefused("other_assessment", org=_organisation_name(document))
    return True


def _organisation_name(document: dict) -> str:
    """The organisation an export names, cleaned for a message ("?" when it names none)."""
    organisation = document.get("organisation")
    name = organisation.get("name") if isinstance(organisation, dict) else None
    return (clean_text(name[:1000], 80) if isinstance(name, str) else "") or "?"


def _read_actions(entries: object, questionnaire: Questionnaire) -> tuple[tuple[tuple[int, ActionDraft], ...], int]:
    """The follow-up actions of an export, checked as the gateway would (storage.validation.check_action
    refuses them again when they are stored); anything malformed is dropped and counted."""
    if not isinstance(entries, list):
        return (), 1
    kept, dropped = [], 0
    for entry in entries[:MAX_ACTIONS]:
        try:
            kept.append(_read_action(entry, questionnaire))
        except ValueError:
            dropped += 1
    return tuple(kept), dropped + max(0, len(entries) - MAX_ACTIONS)


def _read_action(entry: object, questionnaire: Questionnaire) -> tuple[int, ActionDraft]:
    """One exported action and its round number; ValueError naming what is wrong with it."""
    if not isinstance(entry, dict) or entry.get("item") not in questionnaire.item_ids:
        raise ValueError("item")
    if entry.get("status") not in STATUSES:
        raise ValueError("status")
    texts = {}
    for key, limit in {"text": MAX_ACTION_TEXT, "owner": MAX_OWNER, "note": MAX_ACTION_NOTE}.items():
        value = entry.get(key) or ""
        if not isinstance(value, str) or len(clean_text(value[:1000], limit + 1)) > limit:
            raise ValueError(key)
        texts[key] = clean_text(value, limit)
    if not texts["text"]:
        raise ValueError("empty")
    due = entry.get("due")
    if due is not None:
        due = date.fromisoformat(due) if isinstance(due, str) and len(due) == 10 else _bad()
    number = entry.get("round_number", 1)
    if type(number) is not int or not 0 < number < 10_000:
        number = 1
    return number, ActionDraft(entry["item"], texts["text"], texts["owner"], due, entry["status"], texts["note"])


def _bad() -> None:
    raise ValueError("date")
