"""The conversation plan: a 60-minute IT–marketing session built from one round's result.

Pure: it reads the OrgResult the results page shows (gaps, workshop questions, actions) and orders the
statements where IT and marketing differ most into timed topics, between an opening and a closing on
actions. Nothing is recomputed: a hidden side stays hidden, and the shares are the reported ones.
When there is no IT–marketing gap to discuss (a side hidden, or no gap as large as MIN_GAP_POINTS),
the topics are the survey's own largest CIO–CMO gaps, to test in the room, and the plan says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire
from alignment.core.recommendations import Action, action_ids_for
from alignment.org.result import OrgResult
from alignment.org.rounds import SIDE_TO_POPULATION

SESSION_MINUTES = 60
OPENING_MINUTES = 5
CLOSING_MINUTES = 10
MAX_TOPICS = 3
MIN_GAP_POINTS = 10  # a smaller IT–marketing gap is not worth a slot of the session
OPENING, CLOSING = "opening", "closing"
MAX_PLAN_NOTE = 500  # characters of a facilitator's note, after clean_text; longer is refused, never cut


@dataclass(frozen=True)
class PlanNote:
    """What the facilitator kept of one segment: ticked off or not, and a short note."""

    done: bool = False
    note: str = ""


@dataclass(frozen=True)
class Topic:
    """One statement to discuss: the organisation's IT − marketing gap (None when not shown), the
    survey's CIO − CMO gap, the workshop question (where IT and marketing clearly differ), the actions."""

    item: str
    organisation: float | None
    survey: int | None
    question: dict[str, str] | None
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Segment:
    """A slot of the session: the opening, a topic (key = its statement's id) or the closing."""

    key: str
    start: int  # minutes from the start of the session
    minutes: int
    topic: Topic | None = None


@dataclass(frozen=True)
class Plan:
    segments: tuple[Segment, ...]
    basis: str  # "organisation": this round's IT–marketing gaps; "survey": the survey's CIO–CMO gaps
    hidden: tuple[str, ...]  # IT and/or marketing, below the minimum group size (with answers or none)
    closing_actions: tuple[Action, ...]  # the actions no topic carries, for the closing

    @property
    def topics(self) -> tuple[Segment, ...]:
        return tuple(s for s in self.segments if s.topic is not None)

    @property
    def total(self) -> int:
        return sum(s.minutes for s in self.segments)


def segment_keys(q: Questionnaire) -> frozenset[str]:
    """Every key a note may be stored under: the opening, the closing and each statement."""
    return frozenset({OPENING, CLOSING, *q.item_ids})


def _minutes(n_topics: int) -> list[int]:
    """The topics share what the opening and the closing leave, the first ones taking any odd minute."""
    room = SESSION_MINUTES - OPENING_MINUTES - CLOSING_MINUTES
    if n_topics == 0:
        return []
    base, extra = divmod(room, n_topics)
    return [base + (1 if n < extra else 0) for n in range(n_topics)]


def build_plan(result: OrgResult, q: Questionnaire) -> Plan:
    """The session's segments in order, with their minutes adding up to SESSION_MINUTES."""
    results = result.results
    hidden = tuple(side for side in SIDE_TO_POPULATION if not results.visible(side))
    questions = dict(result.questions)
    chosen = [g for g in result.gaps if g.organisation is not None and abs(g.organisation) >= MIN_GAP_POINTS]
    basis = "organisation"
    if not chosen:
        basis = "survey"
        order = {item: n for n, item in enumerate(q.item_ids)}
        with_survey = [g for g in result.gaps if g.survey is not None]
        chosen = sorted(with_survey, key=lambda g: (-abs(g.survey), order[g.item]))
    chosen = chosen[:MAX_TOPICS]
    topics = []
    used: set[str] = set()
    for gap in chosen:
        ids = action_ids_for(gap.item)
        actions = tuple(a for a in result.actions if ids & set(a.id.split("+")) and a.id not in used)
        used |= {a.id for a in actions}
        topics.append(Topic(gap.item, gap.organisation, gap.survey, questions.get(gap.item), actions))
    segments = [Segment(OPENING, 0, OPENING_MINUTES)]
    start = OPENING_MINUTES
    for topic, minutes in zip(topics, _minutes(len(topics)), strict=True):
        segments.append(Segment(topic.item, start, minutes, topic))
        start += minutes
    closing = SESSION_MINUTES - start  # the closing takes the rest: the minutes always add up to 60
    segments.append(Segment(CLOSING, start, closing))
    closing_actions = tuple(a for a in result.actions if a.id not in used)
    return Plan(tuple(segments), basis, hidden, closing_actions)


# --- the plan's texts, shared by the page and the PDF ------------------------------------------------


def clock(minutes: int) -> str:
    """Minutes from the start of the session as h:mm ('0:05', '1:00')."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def _points(t: Translator, value: float | None) -> str:
    if value is None:
        return t("org.results.gap_none")
    return t.plural("org.points", abs(round(value)), value=t.signed(value))


def segment_title(t: Translator, q: Questionnaire, plan: Plan, segment: Segment) -> str:
    """'Opening', '2. Collaboration is satisfactory' (numbered in the plan's order), 'Closing: actions'."""
    if segment.topic is None:
        return t(f"plan.{segment.key}")
    n = plan.topics.index(segment) + 1
    return t("plan.topic", n=n, title=q.item(segment.key).short_in(t.lang))


def segment_time(t: Translator, segment: Segment) -> str:
    """'0:05–0:20 · 15 min'."""
    span = t("plan.time", start=clock(segment.start), end=clock(segment.start + segment.minutes))
    return f"{span} · {t.plural('plan.minutes', segment.minutes)}"


def basis_lines(t: Translator, result: OrgResult, plan: Plan) -> list[str]:
    """What the topics are, and why: this round's gaps, or the survey's when a side is hidden or IT and
    marketing agree (said plainly, with the hidden sides' counts)."""
    if plan.basis == "organisation":
        return [t("plan.basis_organisation", min_gap=MIN_GAP_POINTS)]
    if plan.hidden:
        results = result.results
        sides = [
            t.plural("plan.hidden", results.count(side), side=t(f"org.side_short.{side}"), min=results.min_group_size)
            for side in plan.hidden
        ]
        return [t("plan.basis_hidden", sides=" ".join(sides))]
    return [t("plan.basis_no_gap", min_gap=MIN_GAP_POINTS)]


def counts_text(t: Translator, q: Questionnaire, result: OrgResult) -> str:
    """'Your IT: 12 · Your marketing: 9 · …': the answers by side, as the results page counts them."""
    return " · ".join(
        t("plan.count", side=t(f"org.side_short.{side}"), count=result.results.count(side)) for side in q.side_ids
    )


def segment_lines(t: Translator, q: Questionnaire, result: OrgResult, plan: Plan, segment: Segment) -> list[str]:
    """The body of a segment before its question and actions: the opening's and the closing's purpose,
    a topic's statement and its two gaps."""
    if segment.key == OPENING:
        return [t("plan.opening_text", counts=counts_text(t, q, result))]
    if segment.topic is None:
        return [t("plan.closing_text" if plan.closing_actions else "plan.closing_none")]
    topic = segment.topic
    statement = q.item(topic.item).text_for("neutral", t.lang)
    if topic.organisation is None:
        gap = t("plan.gap_survey_only", survey=_points(t, topic.survey))
    else:
        gap = t("plan.gap", org=_points(t, topic.organisation), survey=_points(t, topic.survey))
    return [statement, gap]


def question_text(t: Translator, plan: Plan, topic: Topic) -> str:
    """The workshop question where IT and marketing clearly differ; otherwise what to ask the room."""
    if topic.question is not None:
        return topic.question[t.lang]
    return t("plan.question_survey" if plan.basis == "survey" else "plan.question_unsure")
