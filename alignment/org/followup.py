"""Follow-up: the actions IT and marketing agreed, tied to statements, checked against later rounds.

Pure: storage returns the actions and each round's counts; the results page, the PDF and the workbook read
what is computed here. Every figure comes from each round's stepped counts through round_results, so a
side below the minimum group size in a round has no percentage in that round, here as everywhere.

An action belongs to the assessment and is recorded from a round (its `round_number`): that round is its
"before"; the round being looked at, when later, is its "after". A change in a gap after an action is not
caused by it (other things changed, and the same people may or may not have answered): the texts say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire
from alignment.core.stats import Interval, newcombe
from alignment.org.rounds import Round, RoundCounts, RoundResults, SideShare, round_results
from alignment.org.significance import MIN_TO_TELL

STATUSES = ("planned", "under_way", "done", "dropped")
MAX_ACTION_TEXT = 300  # characters, after clean_text; longer is refused with a message, never cut
MAX_OWNER = 80
MAX_ACTION_NOTE = 300
MAX_ACTIONS = 200  # per assessment: a plan of work, not a database
WIDENED_POINTS = 10  # a gap that grew by this many points (or clearly) is pointed out when no action covers it


@dataclass(frozen=True)
class ActionDraft:
    """What the organiser typed: the statement, the action, an owner, a due date, a status and a note."""

    item: str
    text: str
    owner: str = ""
    due: date | None = None
    status: str = "planned"
    note: str = ""


@dataclass(frozen=True)
class AgreedAction:
    """A stored action: the draft's fields, its id, and the round it was agreed from (its "before")."""

    id: int
    item: str
    text: str
    owner: str
    due: date | None
    status: str
    note: str
    round_number: int
    created_at: datetime | None = field(default=None, compare=False)

    def draft(self) -> ActionDraft:
        return ActionDraft(self.item, self.text, self.owner, self.due, self.status, self.note)


class Change(StrEnum):
    """How an IT–marketing gap moved between two rounds."""

    NARROWED = "narrowed"
    WIDENED = "widened"
    REVERSED = "reversed"  # the other side now agrees more
    SAME = "same"


class Certainty(StrEnum):
    CLEAR = "clear"
    NOT_CLEAR = "not_clear"
    TOO_FEW = "too_few"  # a side has fewer than MIN_TO_TELL answers in one of the rounds
    HIDDEN = "hidden"  # a side is below the minimum group size (or absent) in one of the rounds


@dataclass(frozen=True)
class GapCheck:
    """One statement between two rounds: each side's share and the gap, before and after, and the verdict."""

    item: str
    before_round: Round
    after_round: Round
    it_before: SideShare | None
    it_after: SideShare | None
    marketing_before: SideShare | None
    marketing_after: SideShare | None
    survey: int | None  # the survey's CIO − CMO gap, for scale
    certainty: Certainty
    change: Change | None  # None when hidden
    interval: Interval | None  # 95 % interval of the change of the gap (after − before), in points

    @property
    def before(self) -> float | None:
        return _gap(self.it_before, self.marketing_before)

    @property
    def after(self) -> float | None:
        return _gap(self.it_after, self.marketing_after)

    @property
    def grew_by(self) -> float:
        """How many points the gap's size grew (negative when it shrank); 0 when hidden."""
        if self.before is None or self.after is None:
            return 0.0
        return abs(self.after) - abs(self.before)


@dataclass(frozen=True)
class TrendPoint:
    """One statement in one round: each visible side's share and the gap (None when a side is hidden)."""

    round: Round
    it: SideShare | None
    marketing: SideShare | None
    it_count: int
    marketing_count: int

    @property
    def gap(self) -> float | None:
        return _gap(self.it, self.marketing)


@dataclass(frozen=True)
class FollowUp:
    """Everything the follow-up section, page of the PDF and sheets of the workbook show for one round."""

    round: Round  # the round looked at: the "after" of the actions agreed before it
    actions: tuple[AgreedAction, ...]
    checks: dict[int, GapCheck]  # action id -> its check, for actions agreed in an earlier round
    widened: tuple[GapCheck, ...]  # statements no action covers whose gap widened since the previous round
    history: tuple[tuple[Round, RoundResults], ...]  # every round up to the one looked at, oldest first
    survey_gaps: dict[str, int | None] = field(default_factory=dict)

    def trend(self, item: str) -> list[TrendPoint]:
        return [
            TrendPoint(
                rnd,
                results.share("it", item),
                results.share("marketing", item),
                results.count("it"),
                results.count("marketing"),
            )
            for rnd, results in self.history
        ]

    @property
    def items_with_actions(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for action in self.actions:
            seen.setdefault(action.item, None)
        return tuple(seen)


def _gap(it: SideShare | None, marketing: SideShare | None) -> float | None:
    return it.percent - marketing.percent if it and marketing else None


def change_interval(before: tuple[SideShare, SideShare], after: tuple[SideShare, SideShare]) -> Interval:
    """95 % interval of (IT − marketing after) − (IT − marketing before), in points.

    The two gaps' Newcombe intervals combined by the same square-root rule Newcombe's method uses for two
    Wilson intervals (MOVER, Zou and Donner 2008); the rounds are treated as independent samples.
    """
    (it1, mk1), (it2, mk2) = before, after
    g1, g2 = it1.percent - mk1.percent, it2.percent - mk2.percent
    i1 = newcombe(it1.agree, it1.n, mk1.agree, mk1.n)
    i2 = newcombe(it2.agree, it2.n, mk2.agree, mk2.n)
    d = g2 - g1
    low = d - math.sqrt((g2 - i2.low) ** 2 + (i1.high - g1) ** 2)
    high = d + math.sqrt((i2.high - g2) ** 2 + (g1 - i1.low) ** 2)
    return Interval(low, high)


def check_gap(
    item: str, before_round: Round, before: RoundResults, after_round: Round, after: RoundResults, survey: int | None
) -> GapCheck:
    """The statement's gap in `before` against `after`, with how sure the change is."""
    it1, mk1 = before.share("it", item), before.share("marketing", item)
    it2, mk2 = after.share("it", item), after.share("marketing", item)
    base = {
        "item": item,
        "before_round": before_round,
        "after_round": after_round,
        "it_before": it1,
        "it_after": it2,
        "marketing_before": mk1,
        "marketing_after": mk2,
        "survey": survey,
    }
    if not (it1 and mk1 and it2 and mk2):
        return GapCheck(**base, certainty=Certainty.HIDDEN, change=None, interval=None)
    g1, g2 = it1.percent - mk1.percent, it2.percent - mk2.percent
    if round(g1) != 0 and round(g2) != 0 and (g1 > 0) != (g2 > 0):
        change = Change.REVERSED
    elif round(abs(g2)) < round(abs(g1)):
        change = Change.NARROWED
    elif round(abs(g2)) > round(abs(g1)):
        change = Change.WIDENED
    else:
        change = Change.SAME
    interval = change_interval((it1, mk1), (it2, mk2))
    if min(it1.n, mk1.n, it2.n, mk2.n) < MIN_TO_TELL:
        certainty = Certainty.TOO_FEW
    elif interval.low > 0 or interval.high < 0:
        certainty = Certainty.CLEAR
    else:
        certainty = Certainty.NOT_CLEAR
    return GapCheck(**base, certainty=certainty, change=change, interval=interval)


def follow_up(
    rnd: Round,
    rounds_counts: list[tuple[Round, RoundCounts]],
    actions: list[AgreedAction],
    min_group_size: int,
    q: Questionnaire,
    figures: dict,
) -> FollowUp:
    """The follow-up of the round `rnd`: each action agreed in an earlier round checked against it, the
    statements no action covers whose gap widened since the previous round, and the history up to it.

    `rounds_counts` holds the assessment's rounds (any order) with their stepped counts."""
    history = tuple(
        (r, round_results(c, min_group_size, q))
        for r, c in sorted(rounds_counts, key=lambda rc: rc[0].number)
        if r.number <= rnd.number
    )
    by_number = {r.number: results for r, results in history}
    rounds_by_number = {r.number: r for r, _ in history}
    after = by_number.get(rnd.number)
    survey_gaps = {item: _survey_gap(figures, item) for item in q.item_ids}
    checks: dict[int, GapCheck] = {}
    for action in actions:
        before = by_number.get(action.round_number)
        if after is None or before is None or action.round_number >= rnd.number:
            continue
        checks[action.id] = check_gap(
            action.item, rounds_by_number[action.round_number], before, rnd, after, survey_gaps[action.item]
        )
    widened: list[GapCheck] = []
    previous = by_number.get(rnd.number - 1)
    covered = {a.item for a in actions if a.status != "dropped"}
    if after is not None and previous is not None:
        for item in q.item_ids:
            if item in covered:
                continue
            check = check_gap(item, rounds_by_number[rnd.number - 1], previous, rnd, after, survey_gaps[item])
            if check.change in (Change.WIDENED, Change.REVERSED) and (
                check.grew_by >= WIDENED_POINTS or check.certainty is Certainty.CLEAR
            ):
                widened.append(check)
    widened.sort(key=lambda c: -c.grew_by)
    return FollowUp(rnd, tuple(actions), checks, tuple(widened), history, survey_gaps)


def _survey_gap(figures: dict, item: str) -> int | None:
    cio, cmo = figures.get(item, {}).get(("CIO", 2014)), figures.get(item, {}).get(("CMO", 2014))
    return cio.percent - cmo.percent if cio and cmo else None


# --- the texts, shared by the page, the PDF and the workbook ------------------------------------------


def points_text(t: Translator, value: float | None) -> str:
    """'12 points' (a size, no sign)."""
    if value is None:
        return t("org.results.gap_none")
    return t.plural("followup.size", abs(round(value)))


def leader(t: Translator, gap: float) -> str:
    """Which side agrees more: 'IT ahead' / 'marketing ahead'."""
    return t("followup.ahead_it" if gap > 0 else "followup.ahead_marketing")


def check_sentence(t: Translator, check: GapCheck) -> str:
    """'Narrowed from 30 to 12 points; the change is clear.' / '…; too few answers to tell.'"""
    if check.certainty is Certainty.HIDDEN:
        return t("followup.hidden", before=check.before_round.label, after=check.after_round.label)
    before, after = check.before, check.after
    assert before is not None and after is not None and check.change is not None
    if check.change is Change.REVERSED:
        movement = t(
            "followup.change.reversed",
            before=points_text(t, before),
            before_side=leader(t, before),
            after=points_text(t, after),
            after_side=leader(t, after),
        )
    elif check.change is Change.SAME:
        movement = t("followup.change.same", after=points_text(t, after))
    else:
        movement = t(
            f"followup.change.{check.change.value}", before=points_text(t, before), after=points_text(t, after)
        )
    return t("followup.sentence", movement=movement, certainty=t(f"followup.certainty.{check.certainty.value}"))


def side_change_text(t: Translator, side: str, before: SideShare | None, after: SideShare | None) -> str:
    """'Your IT: 60 % → 45 %' (a hidden side's percentage is never shown: 'hidden')."""

    def one(share: SideShare | None) -> str:
        return t.percent(round(share.percent)) if share is not None else t("followup.hidden_share")

    return t("followup.side_change", side=t(f"org.side_short.{side}"), before=one(before), after=one(after))


def status_text(t: Translator, status: str) -> str:
    return t(f"followup.status.{status}")


def action_meta(t: Translator, action: AgreedAction) -> str:
    """'Owner: Head of CRM · due 30 June 2027 · under way · agreed in round 1'."""
    parts = []
    if action.owner:
        parts.append(t("followup.owner_is", owner=action.owner))
    if action.due:
        parts.append(t("followup.due_is", due=t.date(action.due)))
    parts.append(status_text(t, action.status))
    parts.append(t("followup.agreed_in", number=action.round_number))
    return " · ".join(parts)
