"""A result in the page address: answers encoded as query parameters, decoded with every problem named.

The address is user input like any other: anything unknown, out of range or too long is dropped and
reported, never trusted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from alignment.core.context import context_questions
from alignment.core.questionnaire import ANSWERS, Profile, Questionnaire, Submission
from alignment.core.text import MAX_FREE_TEXT, clean_text
from benchmark import load_survey

PROFILE_KEYS = ("industry", "industry_other", "country", "country_other", "size")
OTHER = "other"
MAX_VALUE_LEN = 200
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
    profile = submission.profile
    for key in PROFILE_KEYS:
        value = getattr(profile, key)
        if value:
            params[key] = value
    return params


def _first(value: str | list[str]) -> str:
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


def decode(params: Mapping[str, str | list[str]], questionnaire: Questionnaire) -> tuple[Submission, list[Problem]]:
    """Read a submission back from query parameters; whatever cannot be used is listed as a problem."""
    problems: list[Problem] = []
    answers: dict[str, int] = {}
    side: str | None = None
    profile: dict[str, str | None] = {}
    codes = _profile_codes(questionnaire)
    context_codes = {c.key: c.codes for c in context_questions()}
    context: dict[str, int] = {}
    for raw_key, raw_value in params.items():
        key = clean_text(raw_key, 60)
        value = _first(raw_value)
        if raw_key in FOREIGN_KEYS:
            continue
        if len(value) > MAX_VALUE_LEN:
            problems.append(Problem("bad_profile" if raw_key in PROFILE_KEYS else "bad_answer", key))
            continue
        if raw_key == "side":
            if value in questionnaire.side_ids:
                side = value
            else:
                problems.append(Problem("bad_side", key))
        elif raw_key in questionnaire.item_ids:
            if value.strip().isdigit() and int(value) in ANSWERS:
                answers[raw_key] = int(value)
            else:
                problems.append(Problem("bad_answer", key))
        elif raw_key in context_codes:
            if value.strip().isdigit() and int(value) in context_codes[raw_key]:
                context[raw_key] = int(value)
            else:
                problems.append(Problem("bad_answer", key))
        elif raw_key in codes:
            if value in codes[raw_key]:
                profile[raw_key] = value
            else:
                problems.append(Problem("bad_profile", key))
        elif raw_key in ("industry_other", "country_other"):
            profile[raw_key] = clean_text(value, MAX_FREE_TEXT)
        else:
            problems.append(Problem("unknown_key", key))
    return Submission(side=side, answers=answers, profile=Profile(**profile), context=context), problems


def has_result(params: Mapping[str, str | list[str]], questionnaire: Questionnaire) -> bool:
    """Whether the address carries a result at all (a side or any answer)."""
    return "side" in params or any(k in params for k in questionnaire.item_ids)
