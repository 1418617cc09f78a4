"""What the gateway stores is checked first: known sides, known questions, answers in range, bounded
texts. A refusal is an InvalidData naming what was wrong (`field`), never a silent drop."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cache

from sqlalchemy import Table

from alignment.core.context import context_questions
from alignment.core.i18n import LANGS
from alignment.core.questionnaire import ANSWERS, load_questionnaire
from alignment.core.text import clean_text
from alignment.org.addresses import valid_address
from alignment.org.followup import MAX_ACTION_NOTE, MAX_ACTION_TEXT, MAX_OWNER, STATUSES, ActionDraft
from alignment.org.plan import MAX_PLAN_NOTE, segment_keys
from alignment.org.rounds import ACCESS_MODES, MAX_INVITATIONS_PER_SIDE, MIN_GROUP_RANGE, NewAssessment

# What InvalidData.field can be; each has a localised text under org.invalid.* in locales/.
FIELDS = ("side", "item", "value", "text", "setting", "rejected")


class InvalidData(ValueError):
    """The gateway refused a value. `field` says which kind (one of FIELDS); `detail` is for the log."""

    def __init__(self, field: str, detail: str = "") -> None:
        super().__init__(f"{field}: {detail}" if detail else field)
        self.field = field
        self.detail = detail


@cache
def allowed_answers() -> dict[str, frozenset[int]]:
    """Every question id the gateway stores an answer for, with its allowed values."""
    allowed = dict.fromkeys(load_questionnaire().item_ids, frozenset(ANSWERS))
    for question in context_questions():
        allowed[question.key] = frozenset(question.codes)
    return allowed


@cache
def known_sides() -> frozenset[str]:
    return frozenset(load_questionnaire().side_ids)


def check_response(side: object, values: object, *, submitting: bool) -> None:
    """A response's side (None only for a draft) and answers: known ids, values in their range."""
    if side is None:
        if submitting:
            raise InvalidData("side", "a submitted response needs a side")
    elif not isinstance(side, str) or side not in known_sides():
        raise InvalidData("side", _short(side))
    allowed = allowed_answers()
    if not isinstance(values, Mapping) or len(values) > len(allowed):
        raise InvalidData("item", f"{len(values) if isinstance(values, Mapping) else type(values).__name__} answers")
    for item, value in values.items():
        if item not in allowed:
            raise InvalidData("item", _short(item))
        if type(value) is not int or value not in allowed[item]:  # not bool, not a string of digits
            raise InvalidData("value", f"{item}={_short(value)}")


def check_assessment(new: NewAssessment) -> None:
    """A new assessment's settings and texts, then who it invites."""
    check_settings(new.lang, new.min_group_size)
    if not isinstance(new.org_name, str) or not new.org_name.strip():
        raise InvalidData("text", "an organisation needs a name")
    check_label(new.round_label)
    check_invitees(new.access, new.invited, new.addresses)


def check_settings(lang: object, min_group_size: object) -> None:
    """A known language and a minimum group size in MIN_GROUP_RANGE."""
    if lang not in LANGS:
        raise InvalidData("setting", f"lang={_short(lang)}")
    low, high = MIN_GROUP_RANGE
    if type(min_group_size) is not int or not low <= min_group_size <= high:
        raise InvalidData("setting", f"min_group_size={_short(min_group_size)}")


def check_invitees(access: object, invited: Mapping[str, object], addresses: object) -> None:
    """A known access mode and who it invites: per known side, 0 to MAX_INVITATIONS_PER_SIDE handed-out
    invitations (some, by invitation); addresses only, and some, by e-mail (check_addresses)."""
    if access not in ACCESS_MODES:
        raise InvalidData("setting", f"access={_short(access)}")
    for side, n in invited.items():
        if side not in known_sides():
            raise InvalidData("side", _short(side))
        if type(n) is not int or not 0 <= n <= MAX_INVITATIONS_PER_SIDE:
            raise InvalidData("setting", f"invited={_short(n)}")
    if access == "invitations" and not any(invited.values()):
        raise InvalidData("setting", "an assessment by invitation needs invitees")
    if access != "email" and addresses:
        raise InvalidData("setting", "addresses are for an assessment by e-mail")
    if access == "email":
        check_addresses(addresses)


def check_addresses(addresses: object) -> None:
    """Invitations by e-mail: per known side, at most MAX_INVITATIONS_PER_SIDE valid addresses, each once."""
    if not isinstance(addresses, Mapping) or not any(addresses.values()):
        raise InvalidData("setting", "an assessment by e-mail needs addresses")
    seen: set[str] = set()
    for side, listed in addresses.items():
        if side not in known_sides():
            raise InvalidData("side", _short(side))
        if not isinstance(listed, tuple | list) or len(listed) > MAX_INVITATIONS_PER_SIDE:
            raise InvalidData("setting", "too many addresses")
        for address in listed:
            if not valid_address(address) or address.lower() in seen:
                raise InvalidData("text", "an address that is not valid, or given twice")  # never the address
            seen.add(address.lower())


def check_label(label: object) -> None:
    if not isinstance(label, str) or not label.strip():
        raise InvalidData("text", "a round needs a label")


def check_lengths(table: Table, values: Mapping[str, object]) -> None:
    """Every text fits its column (PostgreSQL would refuse it; SQLite would store it whole)."""
    for name, value in values.items():
        length = getattr(table.c[name].type, "length", None)
        if value is not None and length and not isinstance(value, str):
            raise InvalidData("text", f"{table.name}.{name} is not text")
        if isinstance(value, str) and length and len(value) > length:
            raise InvalidData("text", f"{table.name}.{name} is longer than {length} characters")


def check_plan_note(key: object, done: object, note: object) -> str:
    """A conversation-plan note: a known segment, a tick that is a bool, a note of at most MAX_PLAN_NOTE
    characters once cleaned. Returns the note as stored (cleaned); a longer one is refused, never cut."""
    if not isinstance(key, str) or key not in segment_keys(load_questionnaire()):
        raise InvalidData("item", _short(key))
    if type(done) is not bool:
        raise InvalidData("value", f"done={_short(done)}")
    if not isinstance(note, str):
        raise InvalidData("text", "a note is text")
    cleaned = clean_text(note, MAX_PLAN_NOTE + 1)
    if len(cleaned) > MAX_PLAN_NOTE:
        raise InvalidData("text", f"a note is longer than {MAX_PLAN_NOTE} characters")
    return cleaned


def check_action(draft: ActionDraft) -> ActionDraft:
    """A follow-up action: a known statement, a non-empty action, texts within their limits once cleaned
    (longer is refused, never cut), a date or none, a known status. Returns the draft as stored (cleaned)."""
    if not isinstance(draft.item, str) or draft.item not in load_questionnaire().item_ids:
        raise InvalidData("item", _short(draft.item))
    if draft.status not in STATUSES:
        raise InvalidData("value", f"status={_short(draft.status)}")
    if draft.due is not None and (type(draft.due) is not date):
        raise InvalidData("value", f"due={_short(draft.due)}")
    cleaned = {}
    for name, limit in (("text", MAX_ACTION_TEXT), ("owner", MAX_OWNER), ("note", MAX_ACTION_NOTE)):
        value = getattr(draft, name)
        if not isinstance(value, str):
            raise InvalidData("text", f"{name} is not text")
        cleaned[name] = clean_text(value, limit + 1)
        if len(cleaned[name]) > limit:
            raise InvalidData("text", f"{name} is longer than {limit} characters")
    if not cleaned["text"]:
        raise InvalidData("text", "an action needs a text")
    return ActionDraft(draft.item, cleaned["text"], cleaned["owner"], draft.due, draft.status, cleaned["note"])


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."
