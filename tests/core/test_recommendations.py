"""Recommendations follow the answers: hand-built cases for every rule kind."""

import pytest

from alignment.core.recommendations import for_organisation, for_respondent, majority_context, unfavourable_items
from alignment.org.rounds import RoundCounts, round_results
from alignment.quick.compare import compare
from benchmark import figures_by_item

# The six statements worded as a friction: disagreeing with them (1) is the favourable answer.
FRICTIONS = (
    "siloed_tech_holds_back",
    "no_single_crosschannel_platform",
    "it_misses_data_urgency",
    "it_development_too_slow",
    "marketing_priorities_change_too_often",
    "marketing_misses_channel_requirements",
)
NO_FRICTION = dict.fromkeys(FRICTIONS, 1)


def ids(actions):
    """Every action id, merged ones (same theme, "a+b") included."""
    return [i for a in actions for i in a.id.split("+")]


def test_different_answers_give_different_recommendations(make_submission, questionnaire):
    slow = make_submission("marketing", default=4, **{**NO_FRICTION, "it_development_too_slow": 5})
    silos = make_submission("it", default=4, **{**NO_FRICTION, "siloed_tech_holds_back": 5})
    a = ids(for_respondent(compare(slow, questionnaire, figures_by_item()), "marketing", {}))
    b = ids(for_respondent(compare(silos, questionnaire, figures_by_item()), "it", {}))
    assert a == ["delivery_agile"]
    assert b == ["data_platform"]


def test_all_favourable_gives_no_item_action(make_submission, questionnaire):
    sub = make_submission("it", default=5, **NO_FRICTION)
    assert for_respondent(compare(sub, questionnaire, figures_by_item()), "it", {}) == []


def test_side_specific_action_only_for_that_side(make_submission, questionnaire):
    base = dict(
        default=5,
        **NO_FRICTION,
        collaboration_satisfactory=1,
    )
    marketing = for_respondent(
        compare(make_submission("marketing", **base), questionnaire, figures_by_item()), "marketing", {}
    )
    it = for_respondent(compare(make_submission("it", **base), questionnaire, figures_by_item()), "it", {})
    assert ids(marketing) == ["collaboration_governance", "collaboration_bridge"]
    assert ids(it) == ["collaboration_governance"]


def test_context_answers_add_their_actions(make_submission, questionnaire):
    summary = compare(make_submission("other", default=0), questionnaire, figures_by_item())
    context = {
        "ctx_crm_owner": 4,
        "ctx_saas_without_it": 1,
        "ctx_buffer_role": 4,
        "ctx_lead_time": 4,
        "ctx_budget_overruns": 1,
        "ctx_digital_spend_marketing": 4,
    }
    assert ids(for_respondent(summary, "other", context)) == [
        "crm_joint",
        "saas_governance",
        "bridge_role",
        "lead_time_delivery",
        "martech_budget",
        "digital_spend_governance",
    ]
    calm = {
        "ctx_crm_owner": 3,
        "ctx_saas_without_it": 3,
        "ctx_buffer_role": 1,
        "ctx_lead_time": 1,
        "ctx_budget_overruns": 3,
        "ctx_digital_spend_marketing": 1,
    }
    assert for_respondent(summary, "other", calm) == []


def counts(shares: dict[tuple[str, str], tuple[int, int]], extra=None) -> RoundCounts:
    """(side, item) -> (agree, n); the rest of each side answers 2 (disagree)."""
    sides: dict[str, int] = {}
    values: dict = dict(extra or {})
    for (side, item), (agree, n) in shares.items():
        sides[side] = n
        values[(side, item, 4)] = agree
        values[(side, item, 2)] = n - agree
    return RoundCounts(sides, values)


def test_organisation_frictions_and_workshop(questionnaire):
    items = questionnaire.item_ids
    shares = {("it", i): (8, 10) for i in items} | {("marketing", i): (8, 10) for i in items}
    shares[("marketing", "it_development_too_slow")] = (9, 10)  # a friction most of marketing reports
    shares[("it", "it_development_too_slow")] = (1, 10)  # ... and IT does not: a clear IT-marketing gap
    results = round_results(counts(shares), 5, questionnaire)
    found = unfavourable_items(results, figures_by_item(), questionnaire)
    assert ("it_development_too_slow", "marketing") in found
    assert ("it_development_too_slow", "it") not in found
    actions, questions = for_organisation(results, figures_by_item(), questionnaire)
    assert "delivery_agile" in ids(actions)
    assert [item for item, _ in questions] == ["it_development_too_slow"]


def test_majority_context():
    values = {("it", "ctx_crm_owner", 1): 3, ("marketing", "ctx_crm_owner", 4): 4, ("it", "ctx_lead_time", 0): 9}
    assert majority_context(RoundCounts({"it": 3, "marketing": 4}, values)) == {"ctx_crm_owner": 4}


def _item_rules():
    import tomllib

    from tests.conftest import ROOT

    data = tomllib.loads((ROOT / "alignment" / "core" / "recommendations.toml").read_text())
    return data["actions"]


@pytest.mark.parametrize("rule", _item_rules(), ids=lambda r: r["id"])
def test_every_item_rule_fires_on_its_own_friction_only(rule, make_submission, questionnaire):
    favourable = {i.id: (5 if i.polarity == "positive" else 1) for i in questionnaire.items}
    item = questionnaire.item(rule["item"])
    unfavourable = 1 if item.polarity == "positive" else 5
    side = "marketing" if rule["side"] == "any" else rule["side"]
    sub = make_submission(side, **{**favourable, rule["item"]: unfavourable})
    fired = ids(for_respondent(compare(sub, questionnaire, figures_by_item()), side, {}))
    assert rule["id"] in fired
    assert all(a in {r["id"] for r in _item_rules() if r["item"] == rule["item"]} for a in fired)
    calm = make_submission(side, **favourable)
    assert rule["id"] not in ids(for_respondent(compare(calm, questionnaire, figures_by_item()), side, {}))


def test_recommendations_come_once_per_theme(questionnaire):
    unfavourable = {i.id: (2, 10) if i.polarity == "positive" else (8, 10) for i in questionnaire.items}
    shares = {(side, i): share for i, share in unfavourable.items() for side in ("it", "marketing")}
    results = round_results(counts(shares), 5, questionnaire)
    actions, _ = for_organisation(results, figures_by_item(), questionnaire)
    themes = [a.theme for a in actions]
    assert len(themes) == len(set(themes))
    data = next(a for a in actions if a.theme == "data")
    assert data.id == "data_platform+crosschannel_platform+data_urgency"  # said once, with all it asks


def test_no_workshop_question_with_too_few_answers(questionnaire):
    shares = {("it", i): (3, 3) for i in questionnaire.item_ids} | {
        ("marketing", i): (0, 3) for i in questionnaire.item_ids
    }
    results = round_results(counts(shares), 1, questionnaire)
    _, questions = for_organisation(results, figures_by_item(), questionnaire)
    assert questions == []  # 100 points apart, but three answers a side cannot tell
