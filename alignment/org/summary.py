"""The executive summary of an organisation's round: the few numbers that matter."""

from __future__ import annotations

from dataclasses import dataclass

from alignment.core.questionnaire import Questionnaire
from alignment.org.rounds import Gap, RoundResults


@dataclass(frozen=True)
class Standing:
    """One side on one statement: the share on the favourable side, and the survey's, in percent."""

    item: str
    side: str
    favourable: float
    survey_favourable: float | None


def standings(results: RoundResults, figures: dict, q: Questionnaire) -> list[Standing]:
    """Every visible IT or marketing side on every statement, as the share in the favourable position
    (agreeing with a positive statement, not agreeing with a friction)."""
    rows = []
    for item, side, share, figure in results.against_survey(q, figures):
        positive = item.polarity == "positive"
        rows.append(
            Standing(
                item.id,
                side,
                share.percent if positive else 100 - share.percent,
                None if figure is None else (figure.percent if positive else 100 - figure.percent),
            )
        )
    return rows


def frictions(results: RoundResults, figures: dict, q: Questionnaire, count: int = 3) -> list[Standing]:
    """The largest frictions: the lowest favourable shares, a majority on the friction side."""
    rows = [s for s in standings(results, figures, q) if s.favourable < 50]
    return sorted(rows, key=lambda s: s.favourable)[:count]


def strengths(results: RoundResults, figures: dict, q: Questionnaire, count: int = 3) -> list[Standing]:
    """The largest strengths: a majority on the favourable side, ahead of the survey population most."""
    rows = [s for s in standings(results, figures, q) if s.favourable >= 50]
    return sorted(rows, key=lambda s: -(s.favourable - (s.survey_favourable or 50)))[:count]


def largest_gaps(gap_list: list[Gap], count: int = 3) -> list[Gap]:
    return [g for g in gap_list if g.organisation is not None][:count]


@dataclass(frozen=True)
class Executive:
    """The executive summary's three lists; each statement appears in at most one of them."""

    frictions: list[Standing]
    strengths: list[Standing]
    gaps: list[Gap]


def executive(results: RoundResults, figures: dict, q: Questionnaire, gap_list: list[Gap], count: int = 3) -> Executive:
    """Each statement placed once, where it fits (a CIO would not read one finding three times):

    - a gap, when IT and marketing stand on opposite sides of it (one mostly favourable, the other
      not): the largest such gaps first;
    - otherwise a friction, when a side stands mostly on the unfavourable side (the lowest first);
    - otherwise a strength (the furthest ahead of the survey first).
    """
    rows = standings(results, figures, q)
    by_item: dict[str, list[Standing]] = {}
    for row in rows:
        by_item.setdefault(row.item, []).append(row)
    split = {
        item
        for item, pair in by_item.items()
        if len(pair) == 2 and (pair[0].favourable >= 50) != (pair[1].favourable >= 50)
    }
    gap_rows = [g for g in largest_gaps(gap_list, len(gap_list)) if g.item in split][:count]
    used = set(split)  # a split statement is a gap, even when it is not among the largest shown

    def first_per_item(candidates: list[Standing]) -> list[Standing]:
        chosen: list[Standing] = []
        for row in candidates:
            if row.item not in used and len(chosen) < count:
                chosen.append(row)
                used.add(row.item)
        return chosen

    found_frictions = first_per_item(frictions(results, figures, q, count=len(rows)))
    found_strengths = first_per_item(strengths(results, figures, q, count=len(rows)))
    return Executive(found_frictions, found_strengths, gap_rows)


@dataclass(frozen=True)
class Move:
    item: str
    side: str
    points: float


def moves(results: RoundResults, previous: RoundResults, q: Questionnaire, count: int = 3) -> list[Move]:
    """The largest changes in share agreeing since the previous round, for sides visible in both."""
    rows = []
    for item in q.item_ids:
        for side in results.visible_sides:
            now, before = results.share(side, item), previous.share(side, item)
            if now is not None and before is not None:
                rows.append(Move(item, side, now.percent - before.percent))
    return sorted(rows, key=lambda m: -abs(m.points))[:count]
