"""The quick-check PDF: the respondent's answers against the survey, a tagged PDF (alignment/render/pdf_kit.py)."""

from __future__ import annotations

from datetime import date

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire, Submission
from alignment.core.recommendations import FIRST_FRICTIONS
from alignment.quick.compare import Stance, Summary
from alignment.quick.result import QuickResult
from alignment.quick.sentences import (
    answer_label,
    frictions_heading,
    previous_edition,
    profile_rows,
    unpublished,
    verdict,
)
from alignment.render.palette import YOU_COLOUR
from alignment.render.pdf_kit import (
    TEXT_W,
    KeepTogether,
    Mark,
    Spacer,
    bullets,
    context_flowables,
    labelled,
    legend_drawing,
    method_flowables,
    mm,
    para,
    placeholder_note,
    recommendation_flowables,
    render,
    strip_drawing,
    table,
)


def _you(c, t: Translator) -> list[Mark]:
    if c.stance is Stance.DONT_KNOW:
        return []
    return [Mark(100.0 if c.stance is Stance.AGREE else 0.0, YOU_COLOUR, t("chart.you"))]


def _summary_flowables(summary: Summary, t: Translator) -> list:
    flow: list = [para(t("summary.title"), "h2")]
    if summary.all_dont_know:
        return [*flow, para(t("summary.all_dont_know"))]
    flow.append(para(t("summary.strengths"), "h3"))
    if summary.strengths:
        flow += bullets(
            [t("summary.item", title=c.item.short_in(t.lang), text=verdict(t, c)) for c in summary.strengths]
        )
    else:
        flow.append(para(t("summary.no_strengths")))
    listed = summary.frictions[:FIRST_FRICTIONS]
    flow.append(para(frictions_heading(t, len(listed)), "h3"))
    if listed:
        flow += bullets([t("summary.item", title=c.item.short_in(t.lang), text=verdict(t, c)) for c in listed])
    else:
        flow.append(para(t("summary.no_frictions")))
    if summary.dont_know_count:
        flow.append(para(t.plural("summary.dont_know", summary.dont_know_count), "small"))
    return flow


def _statement_flowables(summary: Summary, submission: Submission, questionnaire: Questionnaire, t: Translator) -> list:
    wording = questionnaire.side(submission.side).wording
    legend = legend_drawing(t, [(t("pdf.legend_you"), YOU_COLOUR, False)])
    flow: list = []
    heading = [para(t("pdf.statements"), "h2"), para(t("results.agree_definition"), "small"), legend]
    for n, c in enumerate(summary.comparisons, start=1):
        block = [
            *(heading if n == 1 else []),  # the section heading stays with its first statement
            para(f"{n}. {c.item.short_in(t.lang)}", "h3"),
            para(c.item.text_for(wording, t.lang)),
            labelled(t("results.your_answer"), answer_label(t, c.answer)),
            para(verdict(t, c)),
            strip_drawing(t, c.figures, _you(c, t)),
        ]
        for extra in (previous_edition(t, c), unpublished(t, c)):
            if extra:
                block.append(para(extra, "small"))
        for fig in c.figures.values():
            if fig.note_in(t.lang):
                block.append(para(f"{t('results.discrepancy')} {fig.note_in(t.lang)}", "small"))
        flow.append(KeepTogether([*block, Spacer(1, 4)]))
    return flow


def build_pdf(result: QuickResult, questionnaire: Questionnaire, t: Translator, today: date) -> bytes:
    """The whole quick-check summary as PDF bytes, from the result the page shows."""
    return render(*quick_story(result, questionnaire, t, today))


def build_html(result: QuickResult, questionnaire: Questionnaire, t: Translator, today: date) -> bytes:
    """The same summary as one self-contained, accessible HTML file (UTF-8 bytes)."""
    from alignment.render.html_report import render_html

    return render_html(*quick_story(result, questionnaire, t, today))


def quick_story(
    result: QuickResult, questionnaire: Questionnaire, t: Translator, today: date
) -> tuple[list, Translator, str, str]:
    """The summary's blocks, translator, title and running header, for either renderer."""
    summary, submission = result.summary, result.submission
    story = [
        para(t("pdf.title"), "title"),
        para(t("pdf.subtitle", date=t.date(today)), "subtitle"),
        *placeholder_note(t, submission.profile.industry_other or "", submission.profile.country_other or ""),
        para(t("pdf.respondent"), "h2"),
        table([list(row) for row in profile_rows(submission, questionnaire, t)], [45 * mm, TEXT_W - 45 * mm]),
        *_summary_flowables(summary, t),
        *recommendation_flowables(t, list(result.actions)),
        *context_flowables(t, submission.context),
        *_statement_flowables(summary, submission, questionnaire, t),
        *method_flowables(t),
    ]
    return story, t, t("pdf.title"), f"{t('pdf.title')} · {t.date(today)}"
