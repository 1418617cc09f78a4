"""A quick-check result as a JSON file, to keep it and load it back beside a new one.

Reading a file is reading user input: size, syntax and shape are checked, and the content goes
through the same validation as a page address (alignment.share.decode).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from alignment.questionnaire import Questionnaire, Submission
from alignment.share import PROFILE_KEYS, Problem, decode
from alignment.text import clean_text

FORMAT = "cio-cmo-alignment/quick-check"
VERSION = 1
MAX_BYTES = 100_000


class ImportError_(ValueError):
    """The file cannot be used at all; code names why ("too_big", "not_json", "wrong_shape")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Imported:
    submission: Submission
    saved_on: str
    problems: list[Problem]


def to_json(submission: Submission, today: date) -> str:
    """The submission with its date, in a small documented JSON shape."""
    profile = {key: getattr(submission.profile, key) for key in PROFILE_KEYS if getattr(submission.profile, key)}
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
    """Read a file saved by to_json; raise ImportError_ when it is not one."""
    if len(data) > MAX_BYTES:
        raise ImportError_("too_big")
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ImportError_("not_json") from error
    if not isinstance(document, dict) or document.get("format") != FORMAT or document.get("version") != VERSION:
        raise ImportError_("wrong_shape")
    parts = [document.get(k) for k in ("answers", "context", "profile")]
    if not all(isinstance(p, dict) for p in parts) or not isinstance(document.get("side"), str):
        raise ImportError_("wrong_shape")
    params: dict[str, str] = {"side": document["side"]}
    for part in parts:
        params.update({str(k): str(v) for k, v in part.items()})
    submission, problems = decode(params, questionnaire)
    if not submission.is_complete(questionnaire):
        raise ImportError_("wrong_shape")
    return Imported(submission, clean_text(str(document.get("saved_on", "")), 10), problems)
