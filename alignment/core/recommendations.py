"""Recommendations and workshop questions that follow from the answers (recommendations.toml)."""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alignment.core.context import CONTEXT_PREFIX, context_questions
from alignment.core.questionnaire import Questionnaire
from alignment.org.rounds import RoundCounts, RoundResults
from alignment.org.significance import Verdict, between_sides, versus_survey
from alignment.quick.compare import Summary

HERE = Path(__file__).parent
FIRST_FRICTIONS = 3  # the summary's "frictions to look at first": the actions follow the same three


@dataclass(frozen=True)
class Action:
    id: str
    theme: str
    text: dict[str, str]


@dataclass(frozen=True)
class _Rule:
    action: Action
    item: str | None = None
    side: str = "any"
    question: str | None = None
    answers: tuple[int, ...] = ()


@cache
def _rules() -> tuple[tuple[_Rule, ...], dict[str, dict[str, str]]]:
    data = tomllib.loads((HERE / "recommendations.toml").read_text(encoding="utf-8"))
    questions = {q.id: q for q in context_questions()}
    rules = [
        _Rule(Action(a["id"], a["theme"], {"en": a["en"], "fr": a["fr"]}), item=a["item"], side=a["side"])
        for a in data["actions"]
    ]
    rules += [
        _Rule(
            Action(a["id"], a["theme"], {"en": a["en"], "fr": a["fr"]}),
            question=a["question"],
            answers=tuple(questions[a["question"]].value_of(code) for code in a["answers"]),
        )
        for a in data["context_actions"]
    ]
    workshop = {w["item"]: {"en": w["en"], "fr": w["fr"]} for w in data["workshop"]}
    return tuple(rules), workshop


def _item_actions(items_by_side: list[tuple[str, str]]) -> list[Action]:
    rules, _ = _rules()
    chosen: dict[str, Action] = {}
    for item, side in items_by_side:
        for rule in rules:
            if rule.item == item and rule.side in ("any", side):
                chosen.setdefault(rule.action.id, rule.action)
    return list(chosen.values())


def _context_actions(context: dict[str, int]) -> list[Action]:
    rules, _ = _rules()
    return [r.action for r in rules if r.question and context.get(CONTEXT_PREFIX + r.question) in r.answers]


def by_theme(actions: list[Action]) -> list[Action]:
    """One action per theme, in first-seen order: actions of the same theme are merged into one text,
    so "Customer data on one platform" is said once, with everything it asks for."""
    merged: dict[str, Action] = {}
    for action in actions:
        first = merged.get(action.theme)
        if first is None:
            merged[action.theme] = action
        elif action.id not in first.id.split("+"):
            texts = {lang: f"{first.text[lang]} {action.text[lang]}" for lang in first.text}
            merged[action.theme] = Action(f"{first.id}+{action.id}", action.theme, texts)
    return list(merged.values())


def for_respondent(summary: Summary, side: str, context: dict[str, int]) -> list[Action]:
    """Actions for this respondent's three frictions to look at first, then for their context, one per theme."""
    actions = _item_actions([(c.item.id, side) for c in summary.frictions[:FIRST_FRICTIONS]])
    return by_theme(actions + [a for a in _context_actions(context) if a not in actions])


def unfavourable_items(results: RoundResults, figures: dict, q: Questionnaire) -> list[tuple[str, str]]:
    """(item, side) where a visible IT or marketing side stands on the friction side of a statement:
    most of it, or clearly more than its survey population did."""
    found = []
    for item, side, share, figure in results.against_survey(q, figures):
        friction = item.polarity == "friction"
        majority = share.percent >= 50 if friction else share.percent < 50
        worse = False
        if figure is not None:
            verdict = versus_survey(share, figure).verdict
            worse = verdict is (Verdict.HIGHER if friction else Verdict.LOWER)
        if majority or worse:
            found.append((item.id, side))
    return found


def majority_context(counts: RoundCounts) -> dict[str, int]:
    """The most frequent answer to each context question across the round (don't know aside)."""
    tallies: dict[str, Counter] = {}
    for (_side, item, value), n in counts.values.items():
        if item.startswith(CONTEXT_PREFIX) and value != 0:
            tallies.setdefault(item, Counter())[value] += n
    return {item: tally.most_common(1)[0][0] for item, tally in tallies.items()}


def for_organisation(
    results: RoundResults, figures: dict, q: Questionnaire
) -> tuple[list[Action], list[tuple[str, dict[str, str]]]]:
    """Actions for the organisation's frictions and context (one per theme), and workshop questions
    only where IT and marketing clearly differ: the 95 % interval of the difference leaves out zero,
    which needs at least MIN_TO_TELL answers on each side. A large gap between a handful of answers
    is not evidence enough to put to a workshop."""
    actions = _item_actions(unfavourable_items(results, figures, q))
    actions = by_theme(actions + [a for a in _context_actions(majority_context(results.counts)) if a not in actions])
    _, workshop = _rules()
    questions = []
    for item in q.item_ids:
        it, marketing = results.share("it", item), results.share("marketing", item)
        if it is None or marketing is None:
            continue
        difference = between_sides(it, marketing)
        if difference.verdict in (Verdict.HIGHER, Verdict.LOWER):
            questions.append((item, workshop[item]))
    return actions, questions


def action_ids_for(item: str) -> frozenset[str]:
    """The ids of the actions that answer a statement (whichever side reports it)."""
    rules, _ = _rules()
    return frozenset(rule.action.id for rule in rules if rule.item == item)
