"""Organisation assessments: their records, and the aggregation of many answers into shares and gaps.

Pure: storage returns these records and counts; pages and the PDF read the aggregates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from alignment.core.questionnaire import AGREE, DONT_KNOW, Item, Profile, Questionnaire
from alignment.core.stats import Interval, wilson

if TYPE_CHECKING:
    from benchmark import Figure

DEFAULT_MIN_GROUP = 5
MIN_GROUP_RANGE = (1, 20)
SAFE_MIN_GROUP = 5  # below this, small groups can be identified
SIDE_TO_POPULATION = {"it": "CIO", "marketing": "CMO"}
MAX_ORG_NAME = 200  # characters, after clean_text; longer is refused with a message, never cut
MAX_ROUND_LABEL = 80
# "open": one respondent link for everyone; "invitations": one link per invitee, handed out by the organiser;
# "email": one link per invitee, e-mailed by the app, so the organiser never holds one.
ACCESS_MODES = ("open", "invitations", "email")
MAX_INVITATIONS_PER_SIDE = 2000


@dataclass(frozen=True)
class NewAssessment:
    """What the creation form gives."""

    org_name: str
    round_label: str
    lang: str
    min_group_size: int = DEFAULT_MIN_GROUP
    access: str = "open"  # see ACCESS_MODES
    invited: dict[str, int] = field(default_factory=dict)  # invitations: codes to make per side
    addresses: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)  # email: per side, never logged
    profile: Profile = field(default_factory=Profile)


@dataclass(frozen=True)
class Assessment:
    """A stored organisation assessment (without its codes, which are never stored in clear)."""

    id: str
    org_name: str
    lang: str
    min_group_size: int
    profile: Profile
    created_at: datetime
    access: str = "open"

    @property
    def small_groups(self) -> bool:
        """The minimum group is below SAFE_MIN_GROUP (the organiser's choice, warned): a group this small can let
        someone's answers be recognised, so no text may promise otherwise."""
        return self.min_group_size < SAFE_MIN_GROUP

    @property
    def by_invitation(self) -> bool:
        """Only personal links answer (handed out by the organiser, or e-mailed by the app)."""
        return self.access in ("invitations", "email")

    @property
    def by_email(self) -> bool:
        """The app e-mails the personal links: the organiser never holds one."""
        return self.access == "email"


@dataclass(frozen=True)
class Round:
    id: int
    assessment_id: str
    number: int
    label: str
    status: str  # "open" or "closed"
    created_at: datetime
    rehearsal: bool = False  # simulated answers, for trying the room view: never a real result

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class RoundCounts:
    """Submitted responses of one round: how many per side, and how many gave each value per side and item.

    Stepped reporting: `reported` is how many of each side's responses are shown, the first
    (n // minimum) × minimum; `values` counts the answers of those only. So one new submission changes
    `sides` (the count of answers, always shown) but never a share. None (an imported export, which holds
    reported counts already) means every response is reported.
    """

    sides: dict[str, int] = field(default_factory=dict)
    values: dict[tuple[str, str, int], int] = field(default_factory=dict)  # (side, item, value) -> count
    reported: dict[str, int] | None = None

    def shown(self, side: str) -> int:
        """How many of the side's responses its shares are computed on."""
        return self.sides.get(side, 0) if self.reported is None else self.reported.get(side, 0)


@dataclass(frozen=True)
class SideShare:
    """One side's agreement with one statement."""

    side: str
    item: str
    agree: int
    dont_know: int
    n: int  # respondents of the side (the denominator, like the survey's "share of CMOs")
    interval: Interval

    @property
    def percent(self) -> float:
        return 100 * self.agree / self.n


@dataclass(frozen=True)
class RoundResults:
    """What an organisation may see of a round: counts always, shares only for sides at or above the minimum."""

    counts: RoundCounts
    min_group_size: int
    shares: dict[tuple[str, str], SideShare]  # (side, item) -> share, visible sides only

    def count(self, side: str) -> int:
        return self.counts.sides.get(side, 0)

    def visible(self, side: str) -> bool:
        return self.shown(side) >= self.min_group_size

    def shown(self, side: str) -> int:
        """How many responses the side's shares are computed on (a multiple of the minimum, or 0)."""
        return self.counts.shown(side)

    @property
    def held_back(self) -> int:
        """Submitted responses of visible sides not yet in the shares (fewer than a step each)."""
        return sum(self.count(s) - self.shown(s) for s in self.visible_sides)

    @property
    def visible_sides(self) -> tuple[str, ...]:
        return tuple(s for s in self.counts.sides if self.visible(s))

    def share(self, side: str, item: str) -> SideShare | None:
        return self.shares.get((side, item))

    def against_survey(self, q: Questionnaire, figures: dict) -> Iterator[tuple[Item, str, SideShare, Figure | None]]:
        """Every visible IT or marketing side on every statement: (statement, side, its share, its survey
        population's 2014 figure or None). `figures`: statement id -> (population, year) -> Figure."""
        for item in q.items:
            for side, pop in SIDE_TO_POPULATION.items():
                share = self.share(side, item.id)
                if share is not None:
                    yield item, side, share, figures.get(item.id, {}).get((pop, 2014))


def round_results(counts: RoundCounts, min_group_size: int, questionnaire: Questionnaire) -> RoundResults:
    """Shares agreeing with 95 % Wilson intervals, for each side that reaches the minimum group size."""
    shares = {}
    for side in counts.sides:
        n = counts.shown(side)
        if n < min_group_size or n == 0:
            continue
        for item in questionnaire.item_ids:
            agree = sum(counts.values.get((side, item, v), 0) for v in AGREE)
            dont_know = counts.values.get((side, item, DONT_KNOW), 0)
            shares[(side, item)] = SideShare(side, item, agree, dont_know, n, wilson(agree, n))
    return RoundResults(counts=counts, min_group_size=min_group_size, shares=shares)


@dataclass(frozen=True)
class Gap:
    """IT minus marketing on one statement, beside the survey's CIO minus CMO."""

    item: str
    organisation: float | None  # percentage points; None when a side is hidden or absent
    survey: int | None  # None when the survey did not publish both figures

    @property
    def size(self) -> float:
        return abs(self.organisation) if self.organisation is not None else -1


def gaps(results: RoundResults, figures: dict, questionnaire: Questionnaire) -> list[Gap]:
    """The IT-marketing gap per statement, largest first; statements without an organisation gap last."""
    rows = []
    for item in questionnaire.item_ids:
        it, mk = results.share("it", item), results.share("marketing", item)
        org = it.percent - mk.percent if it and mk else None
        cio, cmo = figures.get(item, {}).get(("CIO", 2014)), figures.get(item, {}).get(("CMO", 2014))
        survey = cio.percent - cmo.percent if cio and cmo else None
        rows.append(Gap(item, org, survey))
    order = {item: n for n, item in enumerate(questionnaire.item_ids)}
    return sorted(rows, key=lambda g: (-g.size, order[g.item]))
