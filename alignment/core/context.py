"""Context questions from the editorial's themes (context.toml): answered like the statements, with no
published benchmark, and feeding the recommendations."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CONTEXT_PREFIX = "ctx_"


@dataclass(frozen=True)
class Option:
    """One answer to a context question: its stored value, the stable code rules use, its labels."""

    value: int
    code: str
    text: dict[str, str]


@dataclass(frozen=True)
class ContextQuestion:
    id: str
    text: dict[str, str]
    options: tuple[Option, ...]
    note: dict[str, str] | None

    @property
    def key(self) -> str:
        """The name of its answer beside the item answers: page address, database, exports."""
        return CONTEXT_PREFIX + self.id

    @property
    def codes(self) -> tuple[int, ...]:
        """The stored values of the options, then 0 for don't know."""
        return (*(o.value for o in self.options), 0)

    def labels(self, lang: str, dont_know: str) -> dict[int, str]:
        """Stored value -> label in `lang`, don't know last."""
        return {o.value: o.text[lang] for o in self.options} | {0: dont_know}

    def value_of(self, code: str) -> int:
        """The stored value of the option with this code (a KeyError names a code that does not exist)."""
        return {o.code: o.value for o in self.options}[code]


def answer_lines(lang: str, answers: dict[str, int], dont_know: str) -> list[tuple[str, str]]:
    """(question, answer) for every context question answered, in questionnaire order."""
    lines = []
    for question in context_questions():
        code = answers.get(question.key)
        if code is not None:
            lines.append((question.text[lang], question.labels(lang, dont_know)[code]))
    return lines


@cache
def context_questions() -> tuple[ContextQuestion, ...]:
    data = tomllib.loads((Path(__file__).with_name("context.toml")).read_text(encoding="utf-8"))
    return tuple(
        ContextQuestion(
            q["id"],
            {"en": q["en"], "fr": q["fr"]},
            tuple(Option(o["value"], o["code"], {"en": o["en"], "fr": o["fr"]}) for o in q["options"]),
            q.get("note"),
        )
        for q in data["questions"]
    )
