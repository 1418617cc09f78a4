"""The conversation plan's PDF: the agenda with its times, then each segment with its gaps, question,
recommendations, and the facilitator's tick and note (escaped: a note is printed as typed)."""

from __future__ import annotations

from datetime import date

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire
from alignment.org.plan import (
    CLOSING,
    SESSION_MINUTES,
    Plan,
    PlanNote,
    basis_lines,
    clock,
    question_text,
    segment_lines,
    segment_time,
    segment_title,
)
from alignment.org.result import OrgResult
from alignment.render.pdf_kit import (
    TEXT_W,
    KeepTogether,
    Spacer,
    bullets,
    mm,
    para,
    placeholder_note,
    render,
    table,
)


def _tick(t: Translator, note: PlanNote) -> str:
    return t("plan.ticked") if note.done else t("plan.not_ticked")


def build_plan_pdf(
    result: OrgResult, plan: Plan, notes: dict[str, PlanNote], q: Questionnaire, t: Translator, today: date
) -> bytes:
    """The plan as PDF bytes, with the round's ticks and notes as they are stored."""
    assessment, rnd = result.assessment, result.round
    title = t("plan.pdf_title", org=assessment.org_name)
    every_note = [n.note for n in notes.values()]
    story: list = [
        para(title, "title"),
        para(t("plan.pdf_subtitle", round=rnd.label, date=t.date(today), minutes=SESSION_MINUTES), "subtitle"),
        *placeholder_note(t, assessment.org_name, rnd.label, *every_note),
        *[para(line) for line in basis_lines(t, result, plan)],
        para(t("plan.agenda"), "h2"),
    ]
    rows = [[t("plan.col_time"), t("plan.col_topic"), t("plan.col_done")]]
    for segment in plan.segments:
        rows.append(
            [
                t("plan.time", start=clock(segment.start), end=clock(segment.start + segment.minutes)),
                f"{segment_title(t, q, plan, segment)} ({t.plural('plan.minutes', segment.minutes)})",
                _tick(t, notes.get(segment.key, PlanNote())),
            ]
        )
    story.append(table(rows, [25 * mm, TEXT_W - 60 * mm, 35 * mm], header=True))
    for segment in plan.segments:
        note = notes.get(segment.key, PlanNote())
        block = [
            para(segment_title(t, q, plan, segment), "h2"),
            para(f"{segment_time(t, segment)} · {_tick(t, note)}", "small"),
            *[para(line) for line in segment_lines(t, q, result, plan, segment)],
        ]
        if segment.topic is not None:
            block += [para(t("plan.question"), "h3"), para(question_text(t, plan, segment.topic))]
        actions = segment.topic.actions if segment.topic is not None else ()
        if segment.key == CLOSING:
            actions = plan.closing_actions
        if actions:
            block.append(para(t("plan.actions"), "h3"))
            block += bullets(
                [t("summary.item", title=t(f"recs.theme.{a.theme}"), text=a.text[t.lang]) for a in actions]
            )
        block += [
            Spacer(1, 3),
            para(t("plan.note_line", note=note.note)) if note.note else para(t("plan.no_note"), "small"),
        ]
        story.append(KeepTogether([*block, Spacer(1, 6)]))
    return render(story, t, title, f"{title} · {rnd.label} · {t.date(today)}")
