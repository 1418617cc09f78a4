"""Plain sentences about a comparison, shared by the results page and the PDF."""

from __future__ import annotations

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire, Submission
from alignment.quick.compare import ItemComparison
from benchmark import POPULATIONS, load_survey

PREVIOUS_YEAR = 2012


def population(t: Translator, code: str) -> str:
    """'CIOs' / 'DSI'."""
    return t(f"population.{code}")


def _join(t: Translator, parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {t('narrative.and')} {parts[-1]}"


def _shares(t: Translator, c: ItemComparison, populations: tuple[str, ...], year: int) -> list[str]:
    return [
        t("narrative.share_of", share=t.percent(fig.percent), population=population(t, pop))
        for pop in populations
        if (fig := c.figure(pop, year)) is not None
    ]


def answer_label(t: Translator, answer: int) -> str:
    """'Agree', 'Don't know', ..."""
    return t(f"scale.{answer}")


def frictions_heading(t: Translator, listed: int) -> str:
    """The heading over the frictions listed (three at most), counting them as the organisation's summary does:
    "The largest friction", "The two largest frictions", "The three largest frictions"."""
    return t(f"org.summary.frictions.{min(listed, 3)}")


def verdict(t: Translator, c: ItemComparison) -> str:
    """Where the respondent stands against the survey on one statement, in one or two sentences."""
    stance = c.stance.value
    primary = [p for p in c.peers if c.figure(p) is not None]
    sentences: list[str] = []
    if primary:
        pop = primary[0]
        sentences.append(
            t(f"narrative.like.{stance}", share=t.percent(c.figure(pop).percent), population=population(t, pop))
        )
        others = tuple(p for p in POPULATIONS if p != pop)
    else:
        sentences.append(t(f"narrative.plain.{stance}"))
        sentences += [t("narrative.no_figure", population=population(t, p)) for p in c.unpublished_peers]
        others = POPULATIONS
    shares = _shares(t, c, others, 2014)
    if shares:
        sentences.append(t("narrative.also_agreed" if primary else "narrative.others_agreed", shares=_join(t, shares)))
    return " ".join(sentences)


def previous_edition(t: Translator, c: ItemComparison) -> str:
    """The previous edition's figures for this statement, or '' where none were published."""
    shares = _shares(t, c, POPULATIONS, PREVIOUS_YEAR)
    return t("narrative.previous", shares=_join(t, shares)) if shares else ""


def survey_agreed(t: Translator, c: ItemComparison) -> str:
    """'In 2014, 83 % of CIOs and 69 % of CMOs agreed.' for every published 2014 figure, or ''."""
    shares = _shares(t, c, POPULATIONS, 2014)
    return t("narrative.others_agreed", shares=_join(t, shares)) if shares else ""


def unpublished(t: Translator, c: ItemComparison) -> str:
    """A note naming the populations with no published figure here, or '' (the verdict names the peers')."""
    missing = [population(t, p) for p in POPULATIONS if c.figure(p) is None and p not in c.unpublished_peers]
    return t("narrative.unpublished", populations=_join(t, missing)) if missing else ""


def profile_rows(submission: Submission, questionnaire: Questionnaire, t: Translator) -> list[tuple[str, str]]:
    """(label, value) pairs for the side and the profile; free text is returned as typed (escape it to show)."""
    survey = load_survey()
    prof = submission.profile

    def label(options, code: str | None, other: str) -> str:
        if code == "other":
            return t("profile.with_text", label=t("profile.other"), text=other) if other else t("profile.other")
        return next((t.pick(o) for o in options if o["code"] == code), t("profile.not_given"))

    return [
        (t("profile.side"), t(f"side.{submission.side}")),
        (t("profile.industry"), label(survey["industries"], prof.industry, prof.industry_other)),
        (t("profile.country"), label(survey["countries"], prof.country, prof.country_other)),
        (t("profile.size"), label(questionnaire.size_bands, prof.size, "")),
    ]
