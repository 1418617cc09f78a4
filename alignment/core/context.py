"""Context questions from the editorial's themes (context.toml): answered like the statements, with no
published benchmark, and feeding the recommendations."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CONTEXT_PREFIX = "ctx_"


@dataclass(frozen=True)
class ContextQuestion:
    id: str
    text: dict[str, str]
    options: dict[str, list[str]]
    note: dict[str, str] | None

    @property
    def key(self) -> str:
        """The name of its answer beside the item answers: page address, database, exports."""
        return CONTEXT_PREFIX + self.id

    @property
    def codes(self) -> tuple[int, ...]:
        """1..n for the options, 0 for don't know."""
        return (*range(1, len(self.options["en"]) + 1), 0)


def answer_lines(lang: str, answers: dict[str, int], dont_know: str) -> list[tuple[str, str]]:
    """(question, answer) for every context question answered, in questionnaire order."""
    lines = []
    for question in context_questions():
        code = answers.get(question.key)
        if code is not None:
            label = dont_know if code == 0 else question.options[lang][code - 1]
            lines.append((question.text[lang], label))
    return lines


@cache
def context_questions() -> tuple[ContextQuestion, ...]:
    data = tomllib.loads((Path(__file__).with_name("context.toml")).read_text(encoding="utf-8"))
    return tuple(
        ContextQuestion(q["id"], {"en": q["en"], "fr": q["fr"]}, q["options"], q.get("note")) for q in data["questions"]
    )
