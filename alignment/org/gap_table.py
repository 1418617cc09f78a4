"""The gap table as text, and the points it speaks in: the organisation page, its PDF and the follow-up
read them. Pure: no drawing, so opening the page loads no PDF library."""

from __future__ import annotations

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire
from alignment.org.rounds import Gap


def points(t: Translator, value: float | None) -> str:
    """'+12 pts', '−5 pts', '+1 pt' ('0 pt' in French), with a true minus sign; or 'not available'."""
    if value is None:
        return t("org.results.gap_none")
    return t.plural("org.points", abs(round(value)), value=t.signed(value))


def gap_rows(t: Translator, q: Questionnaire, gap_list: list[Gap]) -> list[list[str]]:
    """The gap table as text: statement, the organisation's IT-marketing gap, the survey's CIO-CMO gap."""

    header = [t("org.results.gap_statement"), t("org.results.gap_org"), t("org.results.gap_survey")]
    return [header] + [
        [
            f"{q.item_ids.index(g.item) + 1}. {q.item(g.item).short_in(t.lang)}",
            points(t, g.organisation),
            points(t, g.survey),
        ]
        for g in gap_list
    ]
