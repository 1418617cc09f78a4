"""The executive summary's rankings, on hand-built rounds."""

import pytest

from alignment.org.rounds import RoundCounts, gaps, round_results
from alignment.org.summary import frictions, largest_gaps, moves, strengths
from benchmark import figures_by_item


def results_for(shares, questionnaire):
    """shares: (side, item) -> agree out of 10; unspecified items agree 5 of 10."""
    sides, values = {"it": 10, "marketing": 10}, {}
    for side in sides:
        for item in questionnaire.item_ids:
            agree = shares.get((side, item), 5)
            values[(side, item, 4)] = agree
            values[(side, item, 2)] = 10 - agree
    return round_results(RoundCounts(sides, values), 5, questionnaire)


def test_frictions_and_strengths(questionnaire):
    results = results_for(
        {
            ("marketing", "collaboration_satisfactory"): 1,  # 10 % favourable: the largest friction
            ("it", "it_development_too_slow"): 8,  # friction agreed by 80 %: 20 % favourable
            ("marketing", "alignment_needed"): 10,  # 100 % against CMOs' 69 %: +31
            ("it", "relationship_improving"): 9,  # 90 % against CIOs' 50 %: +40, the first strength
        },
        questionnaire,
    )
    found = frictions(results, figures_by_item(), questionnaire)
    assert [(s.item, s.side) for s in found[:2]] == [
        ("collaboration_satisfactory", "marketing"),
        ("it_development_too_slow", "it"),
    ]
    assert found[0].favourable == pytest.approx(10.0)
    best = strengths(results, figures_by_item(), questionnaire)
    assert [(s.item, s.side) for s in best[:2]] == [("relationship_improving", "it"), ("alignment_needed", "marketing")]


def test_largest_gaps_and_moves(questionnaire):
    now = results_for({("it", "alignment_needed"): 9, ("marketing", "alignment_needed"): 2}, questionnaire)
    before = results_for({("it", "alignment_needed"): 3}, questionnaire)
    top = largest_gaps(gaps(now, figures_by_item(), questionnaire))
    assert top[0].item == "alignment_needed" and top[0].organisation == pytest.approx(70.0)
    changed = moves(now, before, questionnaire)
    assert (changed[0].item, changed[0].side, changed[0].points) == ("alignment_needed", "it", pytest.approx(60.0))


def test_each_statement_appears_once_in_the_executive_summary(questionnaire):
    from alignment.org.summary import executive

    # The case: marketing 100 % "IT development is too slow", IT 0 %: a gap, nothing else.
    results = results_for(
        {
            ("marketing", "it_development_too_slow"): 10,
            ("it", "it_development_too_slow"): 0,
            ("marketing", "collaboration_satisfactory"): 1,
            ("it", "collaboration_satisfactory"): 2,
            ("it", "relationship_improving"): 9,
            ("marketing", "relationship_improving"): 8,
        },
        questionnaire,
    )
    placed = executive(results, figures_by_item(), questionnaire, gaps(results, figures_by_item(), questionnaire))
    assert [g.item for g in placed.gaps] == ["it_development_too_slow"]
    assert placed.frictions[0].item == "collaboration_satisfactory"
    assert placed.strengths[0].item == "relationship_improving"
    listed = [g.item for g in placed.gaps] + [s.item for s in placed.frictions + placed.strengths]
    assert len(listed) == len(set(listed))


def test_a_split_statement_beyond_the_largest_gaps_is_neither_friction_nor_strength(questionnaire):
    from alignment.org.summary import executive

    # Four statements where IT and marketing stand on opposite sides: three are shown as the largest
    # gaps, and the fourth must not turn up as a strength or a friction of one side.
    split = ["alignment_needed", "siloed_tech_holds_back", "it_development_too_slow", "relationship_improving"]
    shares = {("it", item): 9 for item in split} | {("marketing", item): 1 for item in split}
    shares[("it", "relationship_improving")], shares[("marketing", "relationship_improving")] = 7, 3
    results = results_for(shares, questionnaire)
    placed = executive(results, figures_by_item(), questionnaire, gaps(results, figures_by_item(), questionnaire))
    assert len(placed.gaps) == 3 and "relationship_improving" not in [g.item for g in placed.gaps]
    assert not {s.item for s in placed.frictions + placed.strengths} & set(split)
