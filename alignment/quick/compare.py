"""Place one respondent's answers against the survey's published CIO and CMO figures.

The survey publishes only the share of each population agreeing with each statement, so the
comparison says which side of that split the respondent is on, and nothing finer: no score,
no percentile.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alignment.core.questionnaire import AGREE, DISAGREE, DONT_KNOW, Item, Questionnaire, Submission
from benchmark import CURRENT_YEAR, POPULATIONS, Figure


class Stance(StrEnum):
    """An answer on the five-point scale, folded the way the survey counts it."""

    AGREE = "agree"
    NEUTRAL = "neutral"
    DISAGREE = "disagree"
    DONT_KNOW = "dont_know"


def stance_of(answer: int) -> Stance:
    """Agree = the top two points of the scale, disagree = the bottom two."""
    if answer in AGREE:
        return Stance.AGREE
    if answer in DISAGREE:
        return Stance.DISAGREE
    if answer == DONT_KNOW:
        return Stance.DONT_KNOW
    return Stance.NEUTRAL


@dataclass(frozen=True)
class ItemComparison:
    """One statement: the answer, the published figures, and what can honestly be said about them."""

    item: Item
    answer: int
    peers: tuple[str, ...]  # survey populations the respondent's side is compared with; () = both, none primary
    figures: dict[tuple[str, int], Figure]

    @property
    def stance(self) -> Stance:
        return stance_of(self.answer)

    @property
    def favourable(self) -> bool | None:
        """True when the answer is the good one for alignment, False for a friction, None if neutral or unknown."""
        if self.stance in (Stance.NEUTRAL, Stance.DONT_KNOW):
            return None
        agrees = self.stance is Stance.AGREE
        return agrees if self.item.polarity == "positive" else not agrees

    def figure(self, population: str, year: int = CURRENT_YEAR) -> Figure | None:
        return self.figures.get((population, year))

    @property
    def compared_populations(self) -> tuple[str, ...]:
        """The populations the answer is judged against: the side's peers, or both for a neutral side."""
        return self.peers or POPULATIONS

    @property
    def compared_figures(self) -> tuple[Figure, ...]:
        """The current-year figures of the compared populations that were published."""
        found = (self.figure(p) for p in self.compared_populations)
        return tuple(f for f in found if f is not None)

    @property
    def unpublished_peers(self) -> tuple[str, ...]:
        """Peer populations for which the survey published no current-year figure."""
        return tuple(p for p in self.peers if self.figure(p) is None)

    @property
    def more_favourable_than_most(self) -> bool:
        """The answer is favourable while most of every compared population was not.

        Positive statement: the respondent agrees and fewer than half of the peers did.
        Friction statement: the respondent disagrees and more than half of the peers agreed.
        """
        figures = self.compared_figures
        if not self.favourable or not figures:
            return False
        if self.item.polarity == "positive":
            return all(f.percent < 50 for f in figures)
        return all(f.percent > 50 for f in figures)

    @property
    def peers_in_same_position(self) -> int | None:
        """For an unfavourable answer: the smallest share of compared peers who answered the same way, if known."""
        if self.favourable is not False or not self.compared_figures:
            return None
        if self.item.polarity == "friction":  # the respondent agrees with a friction, like p % of peers
            return min(f.percent for f in self.compared_figures)
        return min(100 - f.percent for f in self.compared_figures)  # did not agree with a positive statement

    @property
    def strong(self) -> bool:
        """The unfavourable answer is at the end of the scale (strongly)."""
        return self.answer in (1, 5)


@dataclass(frozen=True)
class Summary:
    """What the results page and the PDF open with."""

    comparisons: tuple[ItemComparison, ...]

    @property
    def strengths(self) -> tuple[ItemComparison, ...]:
        """Statements where the respondent stands more favourably than most surveyed peers."""
        return tuple(c for c in self.comparisons if c.more_favourable_than_most)

    @property
    def frictions(self) -> tuple[ItemComparison, ...]:
        """Unfavourable answers, the ones to look at first on top.

        Order: "strongly" before plain, then the rarer among peers first (an unusual friction says
        more about this organisation than a common one), then questionnaire order.
        """
        order = {c.item.id: n for n, c in enumerate(self.comparisons)}
        unfavourable = [c for c in self.comparisons if c.favourable is False]
        return tuple(
            sorted(
                unfavourable,
                key=lambda c: (
                    not c.strong,
                    101 if c.peers_in_same_position is None else c.peers_in_same_position,
                    order[c.item.id],
                ),
            )
        )

    @property
    def dont_know_count(self) -> int:
        return sum(c.stance is Stance.DONT_KNOW for c in self.comparisons)

    @property
    def all_dont_know(self) -> bool:
        return self.dont_know_count == len(self.comparisons)


def compare(
    submission: Submission,
    questionnaire: Questionnaire,
    figures: dict[str, dict[tuple[str, int], Figure]],
) -> Summary:
    """Compare a complete submission with the published figures, statement by statement."""
    if not submission.is_complete(questionnaire):
        raise ValueError(f"incomplete submission: {submission.missing(questionnaire)}")
    peers = questionnaire.side(submission.side).peers
    return Summary(
        tuple(
            ItemComparison(
                item=item,
                answer=submission.answers[item.id],
                peers=peers,
                figures=figures.get(item.id, {}),
            )
            for item in questionnaire.items
        )
    )
