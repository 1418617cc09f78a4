"""Which differences are real: an organisation's side against the survey, and IT against marketing.

The survey did not publish how many CIOs and CMOs answered, so its figures get an assumed sample
size (SURVEY_N_ASSUMED, stated in the method); the organisation's shares use their own counts. A
difference counts as clear when its 95 % Newcombe interval leaves out zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alignment.core.stats import Interval, newcombe
from alignment.org.rounds import SideShare
from benchmark import Figure

# More than 1,100 executives, split between CIOs and CMOs in proportions Accenture did not publish:
# half each is the assumption, and it is stated wherever a margin for the survey is used.
SURVEY_N_ASSUMED = 550
MIN_TO_TELL = 5  # below this many answers a side's share says too little to compare


class Verdict(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    NO_CLEAR = "no_clear"
    TOO_FEW = "too_few"


@dataclass(frozen=True)
class Difference:
    """A difference in percentage points (first minus second), its interval and what it means."""

    verdict: Verdict
    points: float
    interval: Interval | None


def _judge(points: float, interval: Interval, n: int) -> Difference:
    if n < MIN_TO_TELL:
        return Difference(Verdict.TOO_FEW, points, interval)
    if interval.low > 0:
        return Difference(Verdict.HIGHER, points, interval)
    if interval.high < 0:
        return Difference(Verdict.LOWER, points, interval)
    return Difference(Verdict.NO_CLEAR, points, interval)


def versus_survey(share: SideShare, figure: Figure, survey_n: int = SURVEY_N_ASSUMED) -> Difference:
    """The side's share agreeing minus the survey population's, with both uncertainties."""
    survey_agree = round(figure.percent / 100 * survey_n)
    interval = newcombe(share.agree, share.n, survey_agree, survey_n)
    return _judge(share.percent - figure.percent, interval, share.n)


def between_sides(first: SideShare, second: SideShare) -> Difference:
    """One side's share agreeing minus another's, within the same organisation."""
    interval = newcombe(first.agree, first.n, second.agree, second.n)
    return _judge(first.percent - second.percent, interval, min(first.n, second.n))
