"""Hand-built rounds and their OrgResult, for the conversation plan's tests (domain, PDF)."""

from datetime import datetime

from alignment.core.questionnaire import Profile
from alignment.org.result import org_result
from alignment.org.rounds import Assessment, Round, RoundCounts
from benchmark import figures_by_item


def result_for(questionnaire, shares, n=10, sides=("it", "marketing"), lang="en", name="Acme", label="R1", number=1):
    """An OrgResult where each (side, item) in shares agrees that many of n (5 of n otherwise)."""
    values = {}
    for side in sides:
        for item in questionnaire.item_ids:
            agree = shares.get((side, item), n // 2)
            values[(side, item, 4)] = agree
            values[(side, item, 2)] = n - agree
    counts = RoundCounts(dict.fromkeys(sides, n), values)
    assessment = Assessment("a", name, lang, 5, Profile(), datetime(2026, 1, 1))
    rnd = Round(number, "a", number, label, "open", datetime(2026, 1, 1))
    return org_result(assessment, rnd, counts, questionnaire, figures_by_item())
