"""Wilson intervals and organisation aggregates, on hand-computed cases."""

import pytest

from alignment.core.stats import wilson
from alignment.org.rounds import RoundCounts, gaps, round_results
from benchmark import figures_by_item


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # p = 3/10, z = 1.96: centre = (0.3 + 0.19208) / 1.38415 = 0.35551; half = 1.96 * sqrt(0.021 + 0.0096) / 1.38415
        (3, 10, 10.779, 60.322),
        (0, 5, 0.0, 43.448),  # p = 0: [0, z^2/(n+z^2)] = 3.8415 / 8.8415
        (5, 5, 56.552, 100.0),
        (50, 100, 40.383, 59.617),
        (1, 1, 20.654, 100.0),
    ],
)
def test_wilson_interval(k, n, low, high):
    interval = wilson(k, n)
    assert interval.low == pytest.approx(low, abs=1e-3)
    assert interval.high == pytest.approx(high, abs=1e-3)


def test_wilson_rejects_impossible_counts():
    with pytest.raises(ValueError):
        wilson(1, 0)
    with pytest.raises(ValueError):
        wilson(6, 5)


def counts_for(side_values: dict[str, list[int]], item="collaboration_satisfactory") -> RoundCounts:
    values: dict = {}
    for side, answers in side_values.items():
        for v in answers:
            values[(side, item, v)] = values.get((side, item, v), 0) + 1
    return RoundCounts(sides={s: len(a) for s, a in side_values.items()}, values=values)


def test_share_counts_agree_over_all_respondents_of_the_side(questionnaire):
    counts = counts_for({"it": [5, 4, 4, 3, 0, 1], "marketing": [2, 2, 2, 2, 4]})
    results = round_results(counts, 5, questionnaire)
    it = results.share("it", "collaboration_satisfactory")
    assert (it.agree, it.dont_know, it.n) == (3, 1, 6)
    assert it.percent == pytest.approx(50.0)
    assert it.interval == wilson(3, 6)
    assert results.share("marketing", "collaboration_satisfactory").percent == pytest.approx(20.0)


def test_sides_below_the_minimum_are_hidden_but_counted(questionnaire):
    counts = counts_for({"it": [4] * 5, "marketing": [4] * 4, "digital": [4]})
    results = round_results(counts, 5, questionnaire)
    assert results.visible_sides == ("it",)
    assert results.share("marketing", "collaboration_satisfactory") is None
    assert (results.count("marketing"), results.count("digital"), results.count("other")) == (4, 1, 0)
    assert round_results(counts, 1, questionnaire).visible_sides == ("it", "marketing", "digital")


def test_gap_table_beside_the_survey_gap(questionnaire):
    values = {}
    sides = {"it": 10, "marketing": 10}
    for item in questionnaire.item_ids:
        values[("it", item, 4)] = 8  # IT agrees 80 %
        values[("marketing", item, 4)] = 3  # marketing 30 %
    values[("marketing", "alignment_needed", 4)] = 8  # no gap on this one
    results = round_results(RoundCounts(sides, values), 5, questionnaire)
    rows = {g.item: g for g in gaps(results, figures_by_item(), questionnaire)}
    assert rows["collaboration_satisfactory"].organisation == pytest.approx(50.0)
    assert rows["collaboration_satisfactory"].survey is None  # only the CMO figure was published
    assert rows["alignment_needed"].organisation == pytest.approx(0.0)
    assert rows["alignment_needed"].survey == 83 - 69
    assert rows["relationship_improving"].survey == 50 - 43
    ordered = gaps(results, figures_by_item(), questionnaire)
    assert ordered[-1].item == "alignment_needed"


def test_no_gap_when_a_side_is_hidden(questionnaire):
    results = round_results(counts_for({"it": [4] * 6, "marketing": [4] * 2}), 5, questionnaire)
    assert all(g.organisation is None for g in gaps(results, figures_by_item(), questionnaire))
