"""The method-and-sources text, one source for the results pages and the PDF."""

from __future__ import annotations

from dataclasses import dataclass, field

from alignment.core.i18n import Translator
from alignment.core.questionnaire import load_questionnaire
from alignment.org.significance import MIN_TO_TELL, SURVEY_N_ASSUMED
from alignment.quick.sentences import population
from benchmark import load_figures, load_survey


@dataclass(frozen=True)
class Section:
    """A titled block of paragraphs and bullet points."""

    title: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)


def survey_line(t: Translator) -> str:
    """One sentence naming the benchmark, its year and sample, for the top of every results page."""
    survey = load_survey()
    return t(
        "results.benchmark",
        publisher=survey["publisher"],
        year=survey["year"],
        respondents=t.pick(survey["respondents"]["label"]),
        countries=len(survey["countries"]),
        fieldwork=t.pick(survey["fieldwork_short"]),
    )


def privacy_section(t: Translator) -> Section:
    """The threat model of an organisation assessment: what the organiser, a respondent and a leaked link
    can and cannot learn or do, and what the minimum group size does and does not promise."""
    # What is stored, what the organiser sees, then per way of answering what it promises and what it does not
    # (open link, invitations handed out, invitations by e-mail), what each link shows to whoever opens it, the
    # room view, join codes, the respondent, the minimum.
    keys = (
        "intro",
        "organiser",
        "mode_open",
        "mode_invitations",
        "email",
        "links",
        "room",
        "join",
        "respondent",
        "minimum",
    )
    return Section(t("privacy.title"), [t(f"privacy.{key}") for key in keys])


def method_sections(t: Translator, organisation: bool = False) -> list[Section]:
    """What is compared with what, what the survey was, what it cannot say, the discrepancies, the sources."""
    survey = load_survey()
    prev = survey["previous_edition"]
    titles = {item.id: item.short_in(t.lang) for item in load_questionnaire().items}
    return [
        Section(
            t("method.title"),
            [
                t("method.agreement_org" if organisation else "method.agreement"),
                t("method.comparison_org" if organisation else "method.comparison"),
                t("method.assumption", n=t.number(SURVEY_N_ASSUMED), min=MIN_TO_TELL),
            ],
        ),
        Section(
            t("method.survey_title"),
            bullets=[
                t("method.survey_publisher", publisher=survey["publisher"], title=survey["title"], year=survey["year"]),
                t(
                    "method.survey_sample",
                    respondents=t.pick(survey["respondents"]["label"]),
                    note=t.pick(survey["respondents"]["note"]),
                ),
                t("method.survey_fieldwork", fieldwork=t.pick(survey["fieldwork"]), mode=t.pick(survey["mode"])),
                t("method.survey_countries", countries=", ".join(t.pick(c) for c in survey["countries"])),
                t("method.survey_industries", industries=", ".join(t.pick(i) for i in survey["industries"]).lower()),
                t("method.survey_size", size=t.pick(survey["company_size"])),
                t(
                    "method.previous",
                    title=prev["title"],
                    fielded=t.pick(prev["fielded"]),
                    respondents=t.pick(prev["respondents"]),
                ),
            ],
        ),
        Section(t("method.cannot_title"), [t("method.cannot")]),
        Section(
            t("method.discrepancies_title"),
            bullets=[
                t(
                    "summary.item",
                    title=f"{titles[f.item]} ({population(t, f.population)} {f.year})",
                    text=f.note_in(t.lang),
                )
                for f in load_figures()
                if f.note_en
            ],
        ),
        Section(t("method.sources_title"), bullets=[t.pick(s) for s in survey["sources"]]),
        *([privacy_section(t)] if organisation else []),
    ]
