"""The organisation PDF: counts, each visible side against the survey, the IT-marketing gaps, the method."""

from __future__ import annotations

from datetime import date

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire
from alignment.org import summary as org_summary
from alignment.org.followup import FollowUp
from alignment.org.gap_table import gap_rows, points
from alignment.org.result import OrgResult
from alignment.org.rounds import SIDE_TO_POPULATION, Gap, Round, RoundResults
from alignment.org.sentences import gap_sentence, share_line, side_sentences
from alignment.quick.compare import ItemComparison
from alignment.quick.sentences import population, previous_edition, survey_agreed, unpublished
from alignment.render.followup_pdf import follow_up_flowables
from alignment.render.palette import PLACEMENT, SIDE_COLOURS
from alignment.render.pdf_kit import (
    TEXT_W,
    KeepTogether,
    Mark,
    PageBreak,
    Spacer,
    bullets,
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

LIFT = {side: 8.5 * PLACEMENT[side] for side in SIDE_COLOURS}  # points: your IT beside the CIOs, marketing the CMOs


def _standing_line(t: Translator, q: Questionnaire, results: RoundResults, figures: dict, s) -> str:
    share = results.share(s.side, s.item)
    pop = SIDE_TO_POPULATION[s.side]
    figure = figures.get(s.item, {}).get((pop, 2014))
    survey = (
        t("org.summary.survey", population=population(t, pop), share=t.percent(figure.percent))
        if figure
        else t("org.summary.no_survey")
    )
    return t(
        "org.summary.line",
        title=q.item(s.item).short_in(t.lang),
        side=t(f"org.side_short.{s.side}"),
        share=t.percent(round(share.percent)),
        survey=survey,
    )


def executive_summary(
    t: Translator,
    q: Questionnaire,
    results: RoundResults,
    gap_list: list[Gap],
    figures: dict,
    previous: RoundResults | None,
    previous_round: Round | None,
) -> list:
    """One page: answers by side, the three largest frictions and strengths, the largest gaps, the moves."""
    counts = ", ".join(f"{t(f'side.{side}')} {results.count(side)}" for side in q.side_ids)
    flow: list = [
        para(t("org.summary.title"), "h2"),
        para(t("org.summary.numbers", counts=counts, min=results.min_group_size)),
    ]

    def section(title: str, lines: list[str]) -> None:
        flow.append(para(title, "h3"))
        flow.extend(bullets(lines) if lines else [para(t("org.summary.none"))])

    placed = org_summary.executive(results, figures, q, gap_list)
    # Headings count what they list: "The largest friction", "The two strengths".
    section(
        t(f"org.summary.frictions.{min(len(placed.frictions), 3)}"),
        [_standing_line(t, q, results, figures, s) for s in placed.frictions],
    )
    section(
        t(f"org.summary.strengths.{min(len(placed.strengths), 3)}"),
        [_standing_line(t, q, results, figures, s) for s in placed.strengths],
    )
    section(
        t("org.summary.gaps"),
        [
            t(
                "org.summary.gap",
                title=q.item(g.item).short_in(t.lang),
                org=points(t, g.organisation),
                survey=points(t, g.survey),
            )
            for g in placed.gaps
        ],
    )
    if previous is not None and previous_round is not None:
        section(
            t("org.summary.moves", label=previous_round.label),
            [
                t(
                    "org.summary.move",
                    title=q.item(m.item).short_in(t.lang),
                    side=t(f"org.side_short.{m.side}"),
                    points=points(t, m.points),
                )
                for m in org_summary.moves(results, previous, q)
            ],
        )
    return [*flow, PageBreak()]


def _rate(t: Translator, result: OrgResult, side: str) -> str:
    rate = result.response_rate(side)
    return t("org.results.rate", invited=result.invited[side], rate=t.percent(rate)) if rate is not None else ""


def build_org_pdf(
    result: OrgResult, figures: dict, q: Questionnaire, t: Translator, today: date, follow: FollowUp | None = None
) -> bytes:
    """The organisation's round as PDF bytes, from the result the page shows; hidden sides appear only as counts.
    With `follow`, a follow-up page: the actions and their result, and the trend over the rounds."""
    return render(*org_story(result, figures, q, t, today, follow))


def build_org_html(
    result: OrgResult, figures: dict, q: Questionnaire, t: Translator, today: date, follow: FollowUp | None = None
) -> bytes:
    """The same report as one self-contained, accessible HTML file (UTF-8 bytes)."""
    from alignment.render.html_report import render_html

    return render_html(*org_story(result, figures, q, t, today, follow))


def org_story(
    result: OrgResult, figures: dict, q: Questionnaire, t: Translator, today: date, follow: FollowUp | None = None
) -> tuple[list, Translator, str, str]:
    """The report's blocks, translator, title and running header, for either renderer."""
    assessment, rnd, results, gap_list = result.assessment, result.round, result.results, list(result.gaps)
    previous, previous_round = result.previous, result.previous_round
    title = t("org.pdf.title", org=assessment.org_name)
    story: list = [
        para(title, "title"),
        para(t("org.pdf.subtitle", round=rnd.label, date=t.date(today)), "subtitle"),
        *placeholder_note(t, assessment.org_name, rnd.label, previous_round.label if previous_round else ""),
        *(
            executive_summary(t, q, results, gap_list, figures, previous, previous_round)
            if results.visible_sides
            else []
        ),
        para(t("org.results.counts"), "h2"),
        table(
            [
                [
                    t(f"side.{side}"),
                    t.number(results.count(side)),
                    t("org.pdf.hidden", min=results.min_group_size)
                    if 0 < results.count(side) < results.min_group_size
                    else _rate(t, result, side),
                ]
                for side in q.side_ids
            ],
            [70 * mm, 20 * mm, TEXT_W - 90 * mm],
        ),
        para(t(f"org.results.access_{result.assessment.access}"), "small"),
        para(t("org.results.min_note", min=results.min_group_size), "small"),
        para(t("org.results.steps_note", min=results.min_group_size), "small"),
    ]
    if not results.visible_sides:
        story.append(para(t("org.results.nothing_visible")))
    else:
        story += [para(t("org.results.gap_title"), "h2"), para(t("org.results.gap_caption"), "small")]
        story.append(table(gap_rows(t, q, gap_list), [85 * mm, 45 * mm, TEXT_W - 130 * mm], header=True))
        story += recommendation_flowables(t, list(result.actions), list(result.questions))
        legend = [(t(f"org.side_short.{s}"), SIDE_COLOURS[s], False) for s in results.visible_sides]
        if previous is not None and previous_round is not None:
            legend += [
                (f"{t(f'org.side_short.{s}')} · {previous_round.label}", SIDE_COLOURS[s], True)
                for s in previous.visible_sides
            ]
        heading = [
            para(t("pdf.statements"), "h2"),
            para(t("results.agree_definition"), "small"),
            legend_drawing(t, legend),
        ]
        for n, item in enumerate(q.items, start=1):
            marks = []
            if previous is not None:
                marks += [
                    Mark(
                        previous.share(s, item.id).percent,
                        SIDE_COLOURS[s],
                        hollow=True,
                        lift=LIFT.get(s, 0),
                        name=f"{t(f'org.side_short.{s}')} · {previous_round.label}" if previous_round else "",
                    )
                    for s in previous.visible_sides
                ]
            marks += [
                Mark(
                    sh.percent,
                    SIDE_COLOURS[s],
                    low=sh.interval.low,
                    high=sh.interval.high,
                    lift=LIFT.get(s, 0),
                    name=t(f"org.side_short.{s}"),
                )
                for s in results.visible_sides
                if (sh := results.share(s, item.id))
            ]
            block = [*(heading if n == 1 else []), para(f"{n}. {item.short_in(t.lang)}", "h3")]
            block.append(para(item.text_for("neutral", t.lang)))
            lines = [share_line(t, results, s, item.id) for s in results.visible_sides]
            if previous is not None and previous_round is not None:
                lines += [
                    t("org.pdf.previous_line", round=previous_round.label, text=share_line(t, previous, s, item.id))
                    for s in previous.visible_sides
                ]
            block += bullets(lines)
            sentences = [
                *side_sentences(t, results, item.id, figures.get(item.id, {})),
                gap_sentence(t, results, item.id),
            ]
            block += [para(sentence) for sentence in sentences if sentence]
            block.append(strip_drawing(t, figures.get(item.id, {}), marks))
            ref = ItemComparison(item=item, answer=0, peers=(), figures=figures.get(item.id, {}))
            survey = [line for line in (survey_agreed(t, ref), previous_edition(t, ref), unpublished(t, ref)) if line]
            block += [para(line, "small") for line in survey]
            story.append(KeepTogether([*block, Spacer(1, 4)]))
    if results.visible_sides:
        story.append(para(t("org.pdf.interval_note"), "small"))
    if follow is not None:
        story += follow_up_flowables(t, q, follow)
    story += method_flowables(t, organisation=True)
    return story, t, title, f"{title} · {rnd.label} · {t.date(today)}"
