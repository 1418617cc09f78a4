"""Which differences are real, on hand-computed cases."""

import pytest

from alignment.core.stats import newcombe, wilson
from alignment.org.rounds import SideShare
from alignment.org.significance import SURVEY_N_ASSUMED, Verdict, between_sides, versus_survey
from benchmark import figures_by_item


def share(agree: int, n: int, item: str = "collaboration_satisfactory", side: str = "marketing") -> SideShare:
    return SideShare(side, item, agree, 0, n, wilson(agree, n))


@pytest.mark.parametrize(
    ("k1", "n1", "k2", "n2", "low", "high"),
    [
        (56, 70, 48, 80, 5.24, 33.39),  # Newcombe (1998), Table II, example (a), method 10
        (9, 10, 3, 10, 17.05, 80.90),  # example (h)
        (6, 7, 2, 7, 5.82, 80.62),
    ],
)
def test_newcombe_interval(k1, n1, k2, n2, low, high):
    interval = newcombe(k1, n1, k2, n2)
    assert interval.low == pytest.approx(low, abs=0.01)
    assert interval.high == pytest.approx(high, abs=0.01)


def test_marketing_clearly_less_satisfied_than_cmos_were():
    # CMOs 2014: 23 %, taken as 126 of 550. 0 of 20 marketing respondents agree: Wilson upper bound
    # for 0/20 is 3.84 / 23.84 = 0.161, so the high end is -0.229 + sqrt(0.161^2 + 0.034^2) = -0.064.
    fig = figures_by_item()["collaboration_satisfactory"][("CMO", 2014)]
    difference = versus_survey(share(0, 20), fig)
    assert SURVEY_N_ASSUMED == 550
    assert difference.points == pytest.approx(-23.0)
    assert difference.interval.high < 0
    assert difference.interval.high == pytest.approx(-6.4, abs=0.2)
    assert difference.verdict is Verdict.LOWER
    # with 12 answers the same 0 % is not enough: the high end is -0.229 + 0.245 > 0
    assert versus_survey(share(0, 12), fig).verdict is Verdict.NO_CLEAR


def test_no_clear_difference_with_a_similar_share():
    fig = figures_by_item()["collaboration_satisfactory"][("CMO", 2014)]
    assert versus_survey(share(3, 12), fig).verdict is Verdict.NO_CLEAR  # 25 % against 23 %


def test_clearly_higher():
    fig = figures_by_item()["collaboration_satisfactory"][("CMO", 2014)]
    assert versus_survey(share(10, 12), fig).verdict is Verdict.HIGHER  # 83 % against 23 %


def test_too_few_answers_to_tell():
    fig = figures_by_item()["collaboration_satisfactory"][("CMO", 2014)]
    assert versus_survey(share(4, 4), fig).verdict is Verdict.TOO_FEW  # 100 %, but only 4 answers


def test_between_sides():
    it, marketing = share(9, 10, side="it"), share(3, 10)
    difference = between_sides(it, marketing)
    assert difference.verdict is Verdict.HIGHER
    assert difference.points == pytest.approx(60.0)
    assert between_sides(share(5, 10, side="it"), share(4, 10)).verdict is Verdict.NO_CLEAR
