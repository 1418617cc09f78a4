"""An organisation round's result: everything its page, chart, PDF and exports show, computed once."""

from __future__ import annotations

from dataclasses import dataclass, field

from alignment.core.questionnaire import Questionnaire
from alignment.core.recommendations import Action, for_organisation
from alignment.org.rounds import Assessment, Gap, Round, RoundCounts, RoundResults, gaps, round_results


@dataclass(frozen=True)
class OrgResult:
    """One round against the survey (hidden sides as counts only), and what it is compared with."""

    assessment: Assessment
    round: Round
    results: RoundResults
    gaps: tuple[Gap, ...]
    actions: tuple[Action, ...]
    questions: tuple[tuple[str, dict[str, str]], ...]
    previous: RoundResults | None = None
    previous_label: str = ""
    previous_round: Round | None = None  # set when `previous` is the round before this one
    invited: dict[str, int] = field(default_factory=dict)  # invitation codes per side (by invitation only)

    def response_rate(self, side: str) -> float | None:
        """Submitted against invited, in percent (None when the side was not invited)."""
        invited = self.invited.get(side, 0)
        return 100 * self.results.count(side) / invited if invited else None


def org_result(
    assessment: Assessment,
    rnd: Round,
    counts: RoundCounts,
    q: Questionnaire,
    figures: dict,
    previous_counts: RoundCounts | None = None,
    previous_label: str = "",
    previous_round: Round | None = None,
    invited: dict[str, int] | None = None,
) -> OrgResult:
    """Shares, intervals, gaps, actions and workshop questions of a round, and the compared round's shares."""
    results = round_results(counts, assessment.min_group_size, q)
    actions, questions = for_organisation(results, figures, q)
    previous = round_results(previous_counts, assessment.min_group_size, q) if previous_counts else None
    return OrgResult(
        assessment=assessment,
        round=rnd,
        results=results,
        gaps=tuple(gaps(results, figures, q)),
        actions=tuple(actions),
        questions=tuple(questions),
        previous=previous,
        previous_label=previous_label,
        previous_round=previous_round if previous else None,
        invited=dict(invited or {}),
    )
