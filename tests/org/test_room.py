"""The room view's bars and the rehearsal's simulated answers (pure)."""

from alignment.org.rehearsal import simulated_responses
from alignment.org.room import room_progress
from alignment.org.rounds import RoundCounts, round_results


def test_bars_fill_against_the_headcount_and_say_how_far_the_next_step_is(questionnaire):
    counts = RoundCounts(sides={"it": 7, "marketing": 4, "other": 1}, values={}, reported={"it": 5, "marketing": 0})
    progress = {p.side: p for p in room_progress(round_results(counts, 5, questionnaire), {"it": 14, "digital": 3})}
    assert list(progress) == ["it", "marketing", "digital", "other"]  # digital: expected; other: has an answer
    it, marketing = progress["it"], progress["marketing"]
    assert (it.count, it.expected, it.shown, it.visible, it.to_next_step) == (7, 14, 5, True, 3)
    assert it.fraction == 0.5
    assert (marketing.visible, marketing.to_next_step, marketing.fraction) == (False, 1, 0.8)  # against the minimum
    assert progress["digital"].fraction == 0


def test_simulated_answers_are_complete_reproducible_and_lean_apart(questionnaire):
    one, again = simulated_responses(questionnaire, 60, seed=4), simulated_responses(questionnaire, 60, seed=4)
    assert one == again and len(one) == 60
    assert all(set(values) == set(questionnaire.item_ids) for _, values in one)
    assert {side for side, _ in one} <= set(questionnaire.side_ids)
    assert {"it", "marketing"} <= {side for side, _ in one}
