"""The conversation plan: the largest IT–marketing gaps first, timed to sixty minutes, and a plan still
when a side is hidden or IT and marketing agree."""

import pytest

from alignment.org.plan import (
    CLOSING,
    MAX_TOPICS,
    OPENING,
    OPENING_MINUTES,
    SESSION_MINUTES,
    _minutes,
    build_plan,
)
from tests.org.plan_rounds import result_for

GAPS = {
    ("it", "alignment_needed"): 9,
    ("marketing", "alignment_needed"): 1,  # +80: the largest
    ("it", "it_development_too_slow"): 1,
    ("marketing", "it_development_too_slow"): 8,  # −70
    ("it", "collaboration_satisfactory"): 8,
    ("marketing", "collaboration_satisfactory"): 2,  # +60
    ("it", "relationship_improving"): 7,
    ("marketing", "relationship_improving"): 3,  # +40: the fourth, left out
}


def test_topics_are_the_largest_gaps_in_order_with_their_context(questionnaire):
    result = result_for(questionnaire, GAPS)
    plan = build_plan(result, questionnaire)
    assert plan.basis == "organisation" and plan.hidden == ()
    assert [s.key for s in plan.segments] == [
        OPENING,
        "alignment_needed",
        "it_development_too_slow",
        "collaboration_satisfactory",
        CLOSING,
    ]
    first = plan.topics[0].topic
    assert first.organisation == pytest.approx(80.0)
    survey = next(g for g in result.gaps if g.item == "alignment_needed").survey
    assert first.survey == survey is not None  # the survey's own CIO − CMO gap, for context
    assert first.question == dict(result.questions)["alignment_needed"]  # a clear difference: the question
    # Each action is said once: with its statement's topic, or else at the closing.
    carried = [a.id for s in plan.topics for a in s.topic.actions] + [a.id for a in plan.closing_actions]
    assert sorted(carried) == sorted(a.id for a in result.actions)
    assert any(s.topic.actions for s in plan.topics)


def test_the_minutes_follow_each_other_and_add_up_to_sixty(questionnaire):
    for shares in (GAPS, {}, {("it", "alignment_needed"): 9, ("marketing", "alignment_needed"): 1}):
        plan = build_plan(result_for(questionnaire, shares), questionnaire)
        assert plan.total == SESSION_MINUTES
        assert plan.segments[0].start == 0 and plan.segments[0].minutes == OPENING_MINUTES
        for before, after in zip(plan.segments, plan.segments[1:], strict=False):
            assert after.start == before.start + before.minutes
        assert all(s.minutes >= 10 for s in plan.topics)
    plan = build_plan(result_for(questionnaire, GAPS), questionnaire)
    assert [s.minutes for s in plan.segments] == [5, 15, 15, 15, 10]
    assert [s.start for s in plan.segments] == [0, 5, 20, 35, 50]
    assert [sum(_minutes(n)) for n in range(1, 6)] == [45] * 5 and _minutes(2) == [23, 22]


def test_a_small_gap_is_not_a_topic(questionnaire):
    shares = {("it", "alignment_needed"): 9, ("marketing", "alignment_needed"): 1, ("it", "relationship_improving"): 6}
    plan = build_plan(result_for(questionnaire, shares), questionnaire)  # +80, and +10 % on one statement
    assert [s.key for s in plan.topics] == ["alignment_needed", "relationship_improving"]
    shares[("it", "relationship_improving")] = 5  # 0
    plan = build_plan(result_for(questionnaire, shares), questionnaire)
    assert [s.key for s in plan.topics] == ["alignment_needed"] and plan.topics[0].minutes == 45


def test_no_gap_falls_back_on_the_surveys_largest_gaps(questionnaire):
    result = result_for(questionnaire, {})  # IT and marketing answer alike
    plan = build_plan(result, questionnaire)
    assert plan.basis == "survey" and plan.hidden == ()
    assert len(plan.topics) == MAX_TOPICS and plan.total == SESSION_MINUTES
    survey_gaps = [abs(s.topic.survey) for s in plan.topics]
    assert survey_gaps == sorted(survey_gaps, reverse=True)
    assert survey_gaps[0] == max(abs(g.survey) for g in result.gaps if g.survey is not None)
    assert all(s.topic.question is None for s in plan.topics)


def test_a_hidden_side_is_named_and_the_plan_still_runs(questionnaire):
    result = result_for(questionnaire, GAPS, n=4)  # below the minimum of 5: both sides hidden
    plan = build_plan(result, questionnaire)
    assert plan.hidden == ("it", "marketing") and plan.basis == "survey"
    assert all(s.topic.organisation is None for s in plan.topics)  # nothing hidden leaks into the plan
    assert len(plan.topics) == MAX_TOPICS and plan.total == SESSION_MINUTES
    only_it = build_plan(result_for(questionnaire, GAPS, sides=("it",)), questionnaire)
    assert only_it.hidden == ("marketing",) and only_it.basis == "survey"
