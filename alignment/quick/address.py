"""A result in the page address: answers encoded as query parameters, decoded with every problem named.

The address is user input like any other: anything unknown, out of range or too long is dropped and
reported, never trusted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from alignment.core.context import context_questions
from alignment.core.i18n import Translator
from alignment.core.questionnaire import ANSWERS, PROFILE_FIELDS, PROFILE_FREE_TEXT, Profile, Questionnaire, Submission
from alignment.core.text import MAX_FREE_TEXT, clean_text
from benchmark import load_survey

OTHER = "other"
MAX_VALUE_LEN = 200
# The whole address is checked before any of it is read: a result needs 1 side + 10 answers + 6 context
# answers + 5 profile values, so anything much larger is not one of ours.
MAX_ADDRESS_CHARS = 4_000
MAX_ADDRESS_KEYS = 40
NAMES_SHOWN = 5  # a message names the first few keys of a kind, then says how many more
# Parameters Streamlit itself may add to an address; never ours to judge.
FOREIGN_KEYS = frozenset({"embed", "embed_options"})


@dataclass(frozen=True)
class Problem:
    """Something in the address that was ignored: code names the kind, key the parameter (cleaned)."""

    code: str  # "unknown_key", "bad_answer", "bad_side", "bad_profile"
    key: str


def encode(submission: Submission) -> dict[str, str]:
    """Query parameters for a submission: side, one parameter per answered item, the profile given."""
    params = {"side": submission.side} if submission.side else {}
    params.update({item: str(value) for item, value in submission.answers.items()})
    params.update({key: str(value) for key, value in submission.context.items()})
    params.update({key: value for key, value in submission.profile.as_dict().items() if value})
    return params


def _last(value: str | list[str]) -> str:
    """A repeated parameter's last value, as Streamlit's st.query_params reads it ("" for none)."""
    if isinstance(value, list):
        return value[-1] if value else ""
    return value


def _profile_codes(questionnaire: Questionnaire) -> dict[str, set[str]]:
    survey = load_survey()
    return {
        "industry": {i["code"] for i in survey["industries"]} | {OTHER},
        "country": {c["code"] for c in survey["countries"]} | {OTHER},
        "size": {b["code"] for b in questionnaire.size_bands},
    }


def _whole_number(value: str, allowed) -> int | None:
    """The value as an int if it is one of `allowed`, else None."""
    return int(value) if value.strip().isdigit() and int(value) in allowed else None


class _Decoded:
    """What decode keeps of an address, one parameter at a time: each reader stores what it can use and
    returns the kind of problem it found, or None."""

    def __init__(self, questionnaire: Questionnaire) -> None:
        self.side: str | None = None
        self.answers: dict[str, int] = {}
        self.context: dict[str, int] = {}
        self.profile: dict[str, str | None] = {}
        self.sides = questionnaire.side_ids
        self.codes = _profile_codes(questionnaire)
        self.numbers = {item: (self.answers, ANSWERS) for item in questionnaire.item_ids}
        self.numbers.update({c.key: (self.context, c.codes) for c in context_questions()})

    def read(self, key: str, value: str) -> str | None:
        if len(value) > MAX_VALUE_LEN:
            return "bad_profile" if key in PROFILE_FIELDS else "bad_answer"
        if key == "side":
            self.side = value if value in self.sides else self.side
            return None if value in self.sides else "bad_side"
        if key in self.numbers:
            found, allowed = self.numbers[key]
            number = _whole_number(value, allowed)
            if number is not None:
                found[key] = number
            return None if number is not None else "bad_answer"
        if key in self.codes:
            if value in self.codes[key]:
                self.profile[key] = value
            return None if value in self.codes[key] else "bad_profile"
        if key in PROFILE_FREE_TEXT:
            self.profile[key] = clean_text(value, MAX_FREE_TEXT)
            return None
        return "unknown_key"

    def submission(self) -> Submission:
        return Submission(side=self.side, answers=self.answers, profile=Profile(**self.profile), context=self.context)


def decode(params: Mapping[str, str | list[str]], questionnaire: Questionnaire) -> tuple[Submission, list[Problem]]:
    """Read a submission back from query parameters; whatever cannot be used is listed as a problem."""
    decoded, problems = _Decoded(questionnaire), []
    for raw_key, raw_value in params.items():
        if raw_key in FOREIGN_KEYS:
            continue
        problem = decoded.read(raw_key, _last(raw_value))
        if problem:
            problems.append(Problem(problem, clean_text(raw_key, 60)))
    return decoded.submission(), problems


def has_result(params: Mapping[str, str | list[str]], questionnaire: Questionnaire) -> bool:
    """Whether the address carries a result at all (a side or any answer)."""
    return "side" in params or any(k in params for k in questionnaire.item_ids)


def address_size(params: Mapping[str, str | list[str]]) -> tuple[int, int]:
    """The address's size in characters (keys and values) and its number of keys."""
    values = [v for value in params.values() for v in (value if isinstance(value, list) else [value])]
    return sum(len(k) for k in params) + sum(len(v) for v in values), len(params)


def address_acceptable(params: Mapping[str, str | list[str]]) -> bool:
    """Whether the whole address is small enough to be read at all (checked before anything else)."""
    chars, keys = address_size(params)
    return chars <= MAX_ADDRESS_CHARS and keys <= MAX_ADDRESS_KEYS


def problems_line(t: Translator, problems: list[Problem], name: Callable[[str], str] = lambda key: key) -> str:
    """Every problem in one line, grouped by kind, naming the first few keys of each kind and counting
    the rest ("unknown parameters “a”, “b” and 298 more; unusable answer for “Statement 3: …”").
    Plain text: the caller escapes it for its renderer."""
    by_code: dict[str, list[str]] = {}
    for problem in problems:
        by_code.setdefault(problem.code, []).append(problem.key)
    parts = []
    for code, keys in by_code.items():
        shown = [t("share.quoted", key=name(key)) for key in keys[:NAMES_SHOWN]]
        if len(keys) > NAMES_SHOWN:
            shown.append(t.plural("share.more", len(keys) - NAMES_SHOWN))
        parts.append(t.plural(f"share.problem.{code}", len(keys), keys=t.join(shown)))
    return t("share.separator").join(parts)


def key_name(t: Translator, questionnaire: Questionnaire, key: str) -> str:
    """What the user knows a key as: a statement's number and title, a context question, a profile
    field's label; anything else (unknown) as it came. Never an internal id like ctx_crm_owner."""
    if key in questionnaire.item_ids:
        number = questionnaire.item_ids.index(key) + 1
        return t("questionnaire.missing_item", number=number, title=questionnaire.item(key).short_in(t.lang))
    for question in context_questions():
        if key == question.key:
            return question.text[t.lang]
    if key in ("industry", "country", "size", "side"):
        return t(f"profile.{key}")
    if key in PROFILE_FREE_TEXT:
        return t(f"questionnaire.{key}")
    return key
