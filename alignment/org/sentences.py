"""Plain words on an organisation's round: which differences are real, per statement."""

from __future__ import annotations

from alignment.core.i18n import Translator
from alignment.org.rounds import SIDE_TO_POPULATION, RoundResults, SideShare
from alignment.org.significance import Verdict, between_sides, versus_survey
from alignment.quick.sentences import population
from benchmark import Figure


def side_sentences(
    t: Translator, results: RoundResults, item: str, figures: dict[tuple[str, int], Figure]
) -> list[str]:
    """For each visible IT or marketing side: against its survey population, clearly or not."""
    sentences = []
    for side, pop in SIDE_TO_POPULATION.items():
        share, figure = results.share(side, item), figures.get((pop, 2014))
        if share is None or figure is None:
            continue
        difference = versus_survey(share, figure)
        side_name, pop_name = t(f"org.side_short.{side}"), population(t, pop)
        if difference.verdict is Verdict.TOO_FEW:
            sentences.append(t.plural("sig.too_few", share.n, side=side_name, population=pop_name))
            continue
        sentences.append(
            t(
                f"sig.{difference.verdict.value}",
                side=side_name,
                population=pop_name,
                share=t.percent(round(share.percent)),
                survey=t.percent(figure.percent),
            )
        )
    return sentences


def gap_sentence(t: Translator, results: RoundResults, item: str) -> str:
    """IT against marketing in the same organisation, or '' when a side is hidden."""
    it, marketing = results.share("it", item), results.share("marketing", item)
    if it is None or marketing is None:
        return ""
    difference = between_sides(it, marketing)
    return t(
        f"sig.sides_{difference.verdict.value}",
        it=t.percent(round(it.percent)),
        marketing=t.percent(round(marketing.percent)),
    )


def share_line(t: Translator, results: RoundResults, side: str, item: str) -> str:
    """'Your IT: 45 % agreed (5 of 11; 95 % interval 21 % to 72 %)'."""
    return share_text(t, side, results.share(side, item))


def share_text(t: Translator, side: str, s: SideShare) -> str:
    """One side's share agreeing with its count and 95 % interval."""
    return t(
        "org.hover",
        side=t(f"org.side_short.{side}"),
        share=t.percent(round(s.percent)),
        agree=s.agree,
        n=s.n,
        low=t.percent(round(s.interval.low)),
        high=t.percent(round(s.interval.high)),
    )
