"""The follow-up on the results page and the conversation plan: actions tied to statements (recorded,
edited, deleted), each checked in later rounds, the gaps that widened with no action, and the trend.

Everything typed is text: shown through escape_markdown, stored cleaned (storage.validation.check_action).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire
from alignment.core.text import clean_text, escape_markdown, too_long
from alignment.org.followup import (
    MAX_ACTION_NOTE,
    MAX_ACTION_TEXT,
    MAX_ACTIONS,
    MAX_OWNER,
    STATUSES,
    WIDENED_POINTS,
    ActionDraft,
    AgreedAction,
    FollowUp,
    GapCheck,
    action_meta,
    check_sentence,
    follow_up,
    side_change_text,
    status_text,
)
from alignment.org.gap_table import points
from alignment.org.rounds import Assessment, Round
from ui.errors import database_errors
from ui.org_cache import round_counts_keyed
from ui.results_code import Opened

FLASH = "followup:flash"


def load_follow_up(db, opened: Opened, rnd: Round, q: Questionnaire, figures: dict):
    """The follow-up of `rnd`, from the actions read with the page and each round's stepped counts (rounds up to
    it), read again only when a round's kept counts moved (ui/org_cache.py)."""
    pairs = [
        (r, round_counts_keyed(db, r, opened.versions.get(r.id, ()))) for r in opened.rounds if r.number <= rnd.number
    ]
    return follow_up(rnd, pairs, list(opened.actions), opened.assessment.min_group_size, q, figures)


def _title(q: Questionnaire, t: Translator, item: str) -> str:
    return f"{q.item_ids.index(item) + 1}. {q.item(item).short_in(t.lang)}"


def follow_up_section(t: Translator, q: Questionnaire, db, assessment: Assessment, follow: FollowUp) -> None:
    """The results page's follow-up: the actions with their check, a form to record one, the widened gaps,
    what this cannot prove, and the trend of one statement over the rounds."""
    st.header(t("followup.title"), anchor="follow-up")
    st.caption(t("followup.intro"))
    if message := st.session_state.pop(FLASH, None):
        st.success(message)
    if not follow.actions:
        st.info(t("followup.none"))
    for action in follow.actions:
        with st.container(border=True):
            _action_card(t, q, follow, action)
            with st.expander(t("followup.edit"), icon=":material/edit:"):
                _action_form(t, q, db, assessment, follow.round.number, action=action)
    with st.expander(t("followup.add_title"), icon=":material/add_task:", expanded=not follow.actions):
        _action_form(t, q, db, assessment, follow.round.number)
    st.subheader(t("followup.widened_title"))
    st.caption(t("followup.widened_intro", points=WIDENED_POINTS))
    if follow.widened:
        st.markdown(
            "\n".join(
                f"- **{escape_markdown(_title(q, t, c.item))}** — {escape_markdown(check_sentence(t, c))}"
                for c in follow.widened
            )
        )
    else:
        st.write(t("followup.widened_none"))
    st.caption(t("followup.cannot_prove"))
    trend_section(t, q, follow)


def _action_card(t: Translator, q: Questionnaire, follow: FollowUp, action: AgreedAction) -> None:
    st.markdown(f"**{escape_markdown(_title(q, t, action.item))}**")
    st.write(escape_markdown(action.text))
    st.caption(escape_markdown(action_meta(t, action)))
    if action.note:
        st.caption(escape_markdown(action.note))
    check = follow.checks.get(action.id)
    if check is not None:
        _check_lines(t, check)
    elif action.round_number > follow.round.number:
        st.caption(t("followup.later", number=action.round_number))
    else:
        st.caption(t("followup.not_yet"))


def _check_lines(t: Translator, check: GapCheck) -> None:
    st.markdown(
        "\n".join(
            f"- {escape_markdown(line)}"
            for line in (
                t("followup.rounds", before=check.before_round.label, after=check.after_round.label),
                side_change_text(t, "it", check.it_before, check.it_after),
                side_change_text(t, "marketing", check.marketing_before, check.marketing_after),
                t("followup.survey_scale", survey=points(t, check.survey)),
            )
        )
    )
    st.markdown(f"**{escape_markdown(check_sentence(t, check))}**")


def trend_section(t: Translator, q: Questionnaire, follow: FollowUp) -> None:
    """One statement's trend as a narrow table (round, each side, the gap): readable on a phone."""
    st.subheader(t("followup.trend_title"))
    if len(follow.history) < 2:
        st.write(t("followup.trend_one_round"))
        return
    st.caption(t("followup.trend_intro"))
    first = follow.items_with_actions[0] if follow.items_with_actions else q.item_ids[0]
    item = st.selectbox(
        t("followup.trend_pick"),
        q.item_ids,
        index=q.item_ids.index(first),
        format_func=lambda i: _title(q, t, i),
        key="followup:trend",
    )

    def share(s) -> str:
        return t.percent(round(s.percent)) if s is not None else t("followup.hidden_share")

    header = [
        t("followup.col_round"),
        t("org.side_short.it"),
        t("org.side_short.marketing"),
        t("followup.col_gap"),
    ]
    rows = [
        [f"{p.round.number} · {p.round.label}", share(p.it), share(p.marketing), points(t, p.gap)]
        for p in follow.trend(item)
    ]
    # st.table reads cells as Markdown: every cell is escaped (a round label is typed text).
    cells = [{escape_markdown(h): escape_markdown(c) for h, c in zip(header, row, strict=True)} for row in rows]
    st.table(cells, hide_index=True, border="horizontal")


def _action_form(
    t: Translator,
    q: Questionnaire,
    db,
    assessment: Assessment,
    round_number: int,
    action: AgreedAction | None = None,
    item: str | None = None,
) -> None:
    """Record a new action (on `item` when given: the plan's topic), or edit `action`. A refused text stays
    in its box with the reason beside it; no max_chars (a paste past it would empty the box)."""
    generation = st.session_state.get("followup:generation", 0)  # a new one empties the "record" form
    prefix = f"followup:{action.id}" if action else f"followup:new:{item or 'any'}:{generation}"
    draft = action.draft() if action else ActionDraft(item or q.item_ids[0], "")
    flash = FLASH if item is None else f"{FLASH}:{item}"
    with st.form(prefix, border=False):
        if item is None:
            chosen = st.selectbox(
                t("followup.statement"),
                q.item_ids,
                index=q.item_ids.index(draft.item),
                format_func=lambda i: _title(q, t, i),
                key=f"{prefix}:item",
            )
        else:
            chosen = item
        text = st.text_area(t("followup.text", max=MAX_ACTION_TEXT), value=draft.text, key=f"{prefix}:text", height=68)
        owner = st.text_input(
            t("followup.owner", max=MAX_OWNER), value=draft.owner, help=t("followup.owner_help"), key=f"{prefix}:owner"
        )
        left, right = st.columns(2)
        has_due = left.checkbox(t("followup.has_due"), value=draft.due is not None, key=f"{prefix}:has_due")
        due = left.date_input(
            t("followup.due"), value=draft.due or date.today(), key=f"{prefix}:due", format="YYYY-MM-DD"
        )
        status = right.selectbox(
            t("followup.status_label"),
            STATUSES,
            index=STATUSES.index(draft.status),
            format_func=lambda s: status_text(t, s),
            key=f"{prefix}:status",
        )
        note = st.text_input(t("followup.note", max=MAX_ACTION_NOTE), value=draft.note, key=f"{prefix}:note")
        saved = st.form_submit_button(t("followup.save"), type="primary")
    if action is not None and st.button(t("followup.delete"), key=f"{prefix}:delete", icon=":material/delete:"):
        with database_errors(t, stop=False) as outcome:
            db.delete_action(assessment.id, action.id)
        if not outcome.failed:
            st.session_state[flash] = t("followup.deleted")
            st.rerun()
    if not saved or _refused(t, text, owner, note):
        return
    new = ActionDraft(chosen, text, owner, due if has_due and isinstance(due, date) else None, status, note)
    with database_errors(t, stop=False) as outcome:
        if action is None:
            if len(db.actions(assessment.id)) >= MAX_ACTIONS:
                st.error(t("followup.too_many", max=MAX_ACTIONS))
                return
            db.add_action(assessment.id, round_number, new)
            stored = True
        else:
            stored = db.update_action(assessment.id, action.id, new) is not None
    if outcome.failed:
        return
    if not stored:
        st.error(t("followup.gone"))
        return
    if action is None:
        st.session_state["followup:generation"] = generation + 1
    st.session_state[flash] = t("followup.saved")
    st.rerun()


def _refused(t: Translator, text: str, owner: str, note: str) -> bool:
    """Say why the typed action cannot be stored (a text too long, or none), if it cannot."""
    for value, limit, label in (
        (text, MAX_ACTION_TEXT, t("workbook.action")),
        (owner, MAX_OWNER, t("workbook.owner")),
        (note, MAX_ACTION_NOTE, t("workbook.note")),
    ):
        if too_long(value, limit):
            st.error(t("followup.too_long", field=label, count=len(clean_text(value, len(value))), max=limit))
            return True
    if not clean_text(text):
        st.error(t("followup.empty"))
        return True
    return False


def plan_action_form(t: Translator, q: Questionnaire, db, assessment: Assessment, rnd: Round, item: str | None) -> None:
    """The conversation plan's "record an action": on a topic's statement, or (item None) on any."""
    if message := st.session_state.pop(FLASH if item is None else f"{FLASH}:{item}", None):
        st.success(message)
    with st.expander(t("followup.add_for" if item else "followup.add_title"), icon=":material/add_task:"):
        _action_form(t, q, db, assessment, rnd.number, item=item)


def import_actions(
    t: Translator,
    db,
    assessment: Assessment,
    rnd: Round,
    rounds: list[Round],
    actions: tuple[tuple[int, ActionDraft], ...],
) -> None:
    """An exported file's follow-up actions, added to this assessment on request (those it already has, by
    statement and text, are skipped). Each keeps its round when this assessment has it, else takes this one."""
    if not actions:
        return
    if not st.button(t.plural("followup.import", len(actions)), icon=":material/playlist_add:", key="followup:import"):
        return
    numbers = {r.number for r in rounds}
    added = 0
    with database_errors(t, stop=False):
        have = {(a.item, a.text) for a in db.actions(assessment.id)}
        for number, draft in actions:
            if (draft.item, draft.text) in have:
                continue
            db.add_action(assessment.id, number if number in numbers else rnd.number, draft)
            have.add((draft.item, draft.text))
            added += 1
    st.session_state[FLASH] = t.plural("followup.imported", added)
