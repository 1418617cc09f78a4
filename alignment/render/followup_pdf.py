"""The organisation PDF's follow-up page: the actions and their result, the gaps that widened with no
action, what this cannot prove, and the trend of every statement over the rounds."""

from __future__ import annotations

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire
from alignment.org.followup import (
    WIDENED_POINTS,
    FollowUp,
    GapCheck,
    TrendPoint,
    action_meta,
    check_sentence,
    side_change_text,
)
from alignment.org.gap_table import points
from alignment.render.pdf_kit import (
    TEXT_W,
    KeepTogether,
    PageBreak,
    Spacer,
    bullets,
    mm,
    para,
    table,
)

MAX_TREND_ROUNDS = 4  # the latest rounds that fit across an A4 page beside the statement


def _check_lines(t: Translator, check: GapCheck) -> list[str]:
    return [
        t("followup.rounds", before=check.before_round.label, after=check.after_round.label),
        side_change_text(t, "it", check.it_before, check.it_after),
        side_change_text(t, "marketing", check.marketing_before, check.marketing_after),
        t("followup.survey_scale", survey=points(t, check.survey)),
    ]


def _title(q: Questionnaire, t: Translator, item: str) -> str:
    return f"{q.item_ids.index(item) + 1}. {q.item(item).short_in(t.lang)}"


def _trend_cell(t: Translator, point: TrendPoint) -> str:
    def one(share) -> str:
        return t.percent(round(share.percent)) if share is not None else t("followup.hidden_share")

    nbsp = "\u00a0"  # each figure stays whole when the narrow cell wraps
    gap = points(t, point.gap).replace(" ", nbsp)
    return t("followup.pdf_trend_cell", it=one(point.it), marketing=one(point.marketing), gap=gap)


def follow_up_flowables(t: Translator, q: Questionnaire, follow: FollowUp) -> list:
    """The follow-up page (a page break before and after)."""
    flow: list = [PageBreak(), para(t("followup.pdf_title"), "h2"), para(t("followup.intro"), "small")]
    if not follow.actions:
        flow.append(para(t("followup.pdf_none")))
    for action in follow.actions:
        block = [para(_title(q, t, action.item), "h3"), para(action.text), para(action_meta(t, action), "small")]
        if action.note:
            block.append(para(action.note, "small"))
        check = follow.checks.get(action.id)
        if check is not None:
            block += bullets(_check_lines(t, check))
            block.append(para(check_sentence(t, check)))
        elif action.round_number > follow.round.number:
            block.append(para(t("followup.later", number=action.round_number), "small"))
        else:
            block.append(para(t("followup.not_yet"), "small"))
        flow.append(KeepTogether([*block, Spacer(1, 4)]))
    flow += [para(t("followup.widened_title"), "h3"), para(t("followup.widened_intro", points=WIDENED_POINTS), "small")]
    if follow.widened:
        flow += bullets([f"{_title(q, t, c.item)} — {check_sentence(t, c)}" for c in follow.widened])
    else:
        flow.append(para(t("followup.widened_none")))
    flow.append(para(t("followup.cannot_prove"), "small"))
    flow.append(para(t("followup.pdf_trend"), "h3"))
    if len(follow.history) < 2:
        flow.append(para(t("followup.trend_one_round")))
    else:
        flow.append(para(t("followup.trend_intro"), "small"))
        shown = follow.history[-MAX_TREND_ROUNDS:]
        header = [t("followup.trend_pick"), *(rnd.label for rnd, _ in shown)]
        rows = [
            [_title(q, t, item), *(_trend_cell(t, p) for p in follow.trend(item)[-MAX_TREND_ROUNDS:])]
            for item in q.item_ids
        ]
        first = 52 * mm
        rest = (TEXT_W - first) / len(shown)
        flow.append(table([header, *rows], [first, *[rest] * len(shown)], header=True))
    return [*flow, PageBreak()]
