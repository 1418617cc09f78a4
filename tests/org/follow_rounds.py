"""Hand-built rounds with actions, for the follow-up's tests (domain, workbook, PDF)."""

from datetime import date, datetime

from alignment.core.questionnaire import Profile, load_questionnaire
from alignment.org.followup import AgreedAction, follow_up
from alignment.org.result import org_result
from alignment.org.rounds import Assessment, Round, RoundCounts
from benchmark import figures_by_item

ITEM, OTHER = "alignment_needed", "collaboration_satisfactory"


def counts(shares: dict, n: dict | int = 10) -> RoundCounts:
    """Counts where each (side, item) in shares agrees that many of n (half otherwise)."""
    q = load_questionnaire()
    sizes = n if isinstance(n, dict) else {"it": n, "marketing": n}
    values = {}
    for side, size in sizes.items():
        for item in q.item_ids:
            agree = shares.get((side, item), size // 2)
            values[(side, item, 4)] = agree
            values[(side, item, 2)] = size - agree
    return RoundCounts(dict(sizes), values)


def three_rounds(name="Acme", lang="en", texts=("One shared roadmap", "Monthly IT–marketing review")):
    """Three rounds of an assessment with two actions agreed in round 1; returns (result of round 3, follow-up,
    the rounds' counts). ITEM narrows 60 → 10 → 0 points (40 answers a side); OTHER, with an action, keeps
    its gap; 'it_development_too_slow' (no action) widens from 0 to 40 points."""
    q, figures = load_questionnaire(), figures_by_item()
    assessment = Assessment("a", name, lang, 5, Profile(), datetime(2026, 1, 1))
    rounds = [
        Round(n, "a", n, f"Round {n} «{n}»", "closed" if n < 3 else "open", datetime(2026, n, 1)) for n in (1, 2, 3)
    ]
    widening = "it_development_too_slow"
    per_round = [
        counts({("it", ITEM): 32, ("marketing", ITEM): 8, ("it", widening): 20, ("marketing", widening): 20}, 40),
        counts({("it", ITEM): 24, ("marketing", ITEM): 20, ("it", widening): 24, ("marketing", widening): 16}, 40),
        counts({("it", ITEM): 20, ("marketing", ITEM): 20, ("it", widening): 36, ("marketing", widening): 20}, 40),
    ]
    actions = [
        AgreedAction(1, ITEM, texts[0], "Head of CRM", date(2027, 3, 31), "under_way", "Kick-off done", 1),
        AgreedAction(2, OTHER, texts[1], "CIO", None, "planned", "", 1),
    ]
    pairs = list(zip(rounds, per_round, strict=True))
    follow = follow_up(rounds[2], pairs, actions, assessment.min_group_size, q, figures)
    result = org_result(assessment, rounds[2], per_round[2], q, figures, per_round[1], rounds[1].label, rounds[1])
    return result, follow, pairs
