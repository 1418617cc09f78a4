"""The quick check's result: everything the results page, its chart and its PDF show, computed once."""

from __future__ import annotations

from dataclasses import dataclass

from alignment.core.context import answer_lines
from alignment.core.questionnaire import Questionnaire, Submission
from alignment.core.recommendations import Action, for_respondent
from alignment.quick.compare import Summary, compare


@dataclass(frozen=True)
class QuickResult:
    """A complete submission against the survey: the comparison, the actions, the context answers."""

    submission: Submission
    summary: Summary
    actions: tuple[Action, ...]
    context_lines: tuple[tuple[str, str], ...]
    lang: str


def quick_result(
    submission: Submission, questionnaire: Questionnaire, figures: dict, lang: str, dont_know: str
) -> QuickResult:
    """Build the result of a complete submission in one language (`dont_know` labels context answers of 0)."""
    summary = compare(submission, questionnaire, figures)
    return QuickResult(
        submission=submission,
        summary=summary,
        actions=tuple(for_respondent(summary, submission.side, submission.context)),
        context_lines=tuple(answer_lines(lang, submission.context, dont_know)),
        lang=lang,
    )
