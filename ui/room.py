"""The room view's glue: projector styles, the join panel (QR code and short code), the bars filling up and,
once a side reaches the minimum, its strips and the gap table, refreshed by an st.fragment every few seconds.

The live part reads only the round's reported counts (Database.round_counts): by invitation a side's shares
move when it reaches the next multiple of the minimum group size, never with a single answer; with an open
link they appear once the round is closed (storage/steps.py). The page holds the room's own read-only key
(`v=` in its address), checked again at every refresh: revoked or expired, the view goes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

import plotly.graph_objects as go
import streamlit as st

from alignment.core.i18n import Translator, translator
from alignment.org.result import OrgResult
from alignment.org.room import MAX_EXPECTED, ROOM_SIDES, SideProgress, room_progress
from alignment.org.rounds import SAFE_MIN_GROUP, Assessment, Round, RoundCounts
from alignment.render.charts import COMPACT, PHONE, PROJECTOR, projector_figure
from alignment.render.palette import SIDE_COLOURS
from alignment.render.qr import qr_svg
from benchmark import figures_by_item
from storage import RoomJoin, show_join_code
from ui.db import base_url, database
from ui.errors import database_errors, run_guarded
from ui.figures import frozen
from ui.org_cache import org_view
from ui.org_sections import gap_table
from ui.session import questionnaire

REFRESH_SECONDS = 5
ROOM_KEY_PARAM = "v"
ROOM_GAPS = 6  # the largest gaps: what a room can read and discuss
# The strips are drawn once per kind of screen; STYLE shows the one for the screen's width and hides the others
# (display: none: their text has no box, and a measurement must look at the visible chart only).
FIGURE_STYLES = {"projector": PROJECTOR, "compact": COMPACT, "phone": PHONE}

STYLE = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] {display: none;}
[data-testid="stMainBlockContainer"] {max-width: 100%; padding: .8rem 2.5rem 2rem;}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td, [data-testid="stMain"] th,
  [data-testid="stMain"] label {font-size: 1.5rem;}
[data-testid="stMain"] h1 {font-size: 2.4rem; padding-bottom: .5rem;}
[data-testid="stMain"] h2 {font-size: 2rem;}
[data-testid="stMain"] h3 {font-size: 1.8rem;}
.room-code {font: 700 min(4.2rem, 3.4vw)/1.1 "DejaVu Sans Mono", monospace; letter-spacing: .12em; margin: .3rem 0;
  white-space: nowrap;}
/* A side's card: its name and count on one line, a bar, what it shows (note-short: the few words for 1280). */
.room-sides {display: flex; flex-direction: column; gap: 1.2rem;}
.room-side .head {display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between;
  gap: 0 .8rem;}
.room-side .label {font-size: 1.7rem; font-weight: 600;}
.room-side .count {font-size: 3rem; font-weight: 700; line-height: 1.1; font-variant-numeric: tabular-nums;}
.room-side .bar {height: .8rem; background: #e4e4e4; border-radius: .4rem; overflow: hidden;}
.room-side .fill {height: 100%; border-radius: .4rem;}
.room-side .note {font-size: 1.5rem; line-height: 1.35; margin-top: .3rem;}
.room-side .note-short {display: none;}
[data-testid="stTable"] td, [data-testid="stTable"] th {overflow-wrap: anywhere; hyphens: auto; line-height: 1.3;}
[data-stale="true"] {opacity: 1 !important; transition: none !important;}
/* The title and, in a rehearsal, its banner on one line: the title gives way (an ellipsis), never the banner. */
.st-key-room-head {flex-wrap: nowrap !important; align-items: center !important;}
.st-key-room-head > div:first-child {flex: 1 1 0 !important; min-width: 0 !important; width: auto !important;}
.st-key-room-head > div + div {flex: 0 0 auto !important; width: auto !important;}
[data-testid="stMain"] .st-key-room-head h1, [data-testid="stMain"] .st-key-room-head h1 > div {
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}
.room-banner {background: #7a1f00; color: #fff; font-size: 1.5rem; font-weight: 700; line-height: 1.3;
  padding: .2rem .8rem; border-radius: .4rem; white-space: nowrap;}
.room-tag {display: inline-block; background: #7a1f00; color: #fff; font-weight: 700; padding: 0 .5rem;
  border-radius: .3rem; font-size: 1.5rem;}
/* The strips' heading close to them: the ten statements fit a 1920 x 1080 screen. */
[data-testid="stMain"] .st-key-room-strips-heading h3 {font-size: 1.6rem; padding: 0;}
/* Below 1600 px the counts and the strips stack: 24 px statements need the width. */
@media (max-width: 1599px) {
  .st-key-room-live [data-testid="stHorizontalBlock"] {flex-direction: column !important; flex-wrap: nowrap !important;}
  .st-key-room-live [data-testid="stColumn"] {width: 100% !important; min-width: 100% !important;
    flex: 1 1 100% !important;}
}
/* The chart is drawn once per kind of screen (ui/room.py FIGURE_STYLES); the screen's width shows one. */
.st-key-room-strips-compact, .st-key-room-strips-phone {display: none !important;}
/* 1280 x 720 and the like: the whole chart under a one-line title and one line of counts (a side's name, its
   count, a thin bar and a few words), without scrolling; the join panel smaller (its QR code, on a projected
   1280 px image, is as large as 300 px at 1920). */
@media (min-width: 641px) and (max-width: 1599px) {
  [data-testid="stMainBlockContainer"] {padding: .4rem 1.6rem 1.5rem;}
  [data-testid="stMain"] [data-testid="stVerticalBlock"] {gap: .4rem;}
  [data-testid="stMain"] p, [data-testid="stMain"] label {font-size: 1.15rem;}
  [data-testid="stMain"] h1, [data-testid="stMain"] h1 > div {font-size: 1.8rem; padding: 0 0 .1rem;
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}
  [data-testid="stMain"] h2 {font-size: 1.5rem; padding: .2rem 0 .5rem;}
  .room-banner {font-size: 1.15rem;}
  [data-testid="stMain"] [data-testid="stImage"] img {max-width: 13rem;}
  .room-code {font-size: 2.4rem;}
  .room-sides {display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 0 1.2rem;}
  .room-side .head {flex-wrap: nowrap;}
  .room-side .label {font-size: 1.15rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;}
  .room-side .count {font-size: 1.5rem; line-height: 1.2;}
  .room-side .bar {height: .3rem;}
  .room-side .note {display: none;}
  .room-side .note-short {display: block; font-size: 1.15rem; line-height: 1.3; white-space: nowrap; overflow: hidden;
    text-overflow: ellipsis;}
  [data-testid="stMain"] .st-key-room-strips-heading h3 {font-size: 1.15rem; padding-bottom: .3rem;}
  .st-key-room-strips-projector {display: none !important;}
  .st-key-room-strips-compact {display: flex !important;}
}
/* A phone: the same page, in type that fits 390 px (the chart's text is sized in the figure, for a projector). */
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] {padding: .5rem .8rem 1.5rem;}
  [data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td, [data-testid="stMain"] th,
    [data-testid="stMain"] label {font-size: 1rem;}
  [data-testid="stMain"] h1 {font-size: 1.6rem;}
  [data-testid="stMain"] h2, [data-testid="stMain"] h3 {font-size: 1.3rem;}
  .st-key-room-head {flex-wrap: wrap !important;}
  [data-testid="stMain"] .st-key-room-head h1, [data-testid="stMain"] .st-key-room-head h1 > div {white-space: normal;}
  .room-banner {font-size: 1rem; white-space: normal;}
  .room-code {font-size: 2.4rem;}
  .room-side .note {font-size: 1rem;}
  .room-side .label {font-size: 1.2rem;}
  .room-side .count {font-size: 2rem;}
  .st-key-room-strips-projector {display: none !important;}
  .st-key-room-strips-phone {display: flex !important;}
}
</style>"""
BAR_COLOURS = SIDE_COLOURS  # the same colour for a side in its bar and on the strips


def projector_styles() -> None:
    st.html(STYLE)


OLD_JOIN_PARAMS = ("j", "l")  # the code and link an older room view kept in its address: derived now


def room_join(t: Translator) -> RoomJoin | None:
    """The room's short join code and join link, derived from the room's key (`v=`, Database.room_join): the
    same on every load of the address, on every server, so the address holds the key and the settings only.
    Kept in the session until they expire (then made again while the key lives); None once the key is not
    live (the live part then says so)."""
    key = st.query_params.get(ROOM_KEY_PARAM, "")
    kept = st.session_state.get("room:join")
    if kept is not None and kept[0] == key and kept[1].expires > datetime.now(UTC):
        return kept[1]
    with database_errors(t, stop=False, say=None):
        made = database().room_join(key)
        if made is not None:
            st.session_state["room:join"] = (key, made)
        return made
    return None  # the database away: the next refresh tries again


@st.cache_data(max_entries=32, show_spinner=False)
def _qr(link: str) -> str:
    return qr_svg(link)


def join_panel(t: Translator, assessment: Assessment, rehearsal: bool) -> None:
    """How to join, refreshed every REFRESH_SECONDS: the QR code of the join link and the short code to type;
    by invitation, where to answer; once the round is closed, that it is (no code: nothing to join)."""
    for param in OLD_JOIN_PARAMS:
        st.query_params.pop(param, None)
    _join_panel(t, assessment, rehearsal)


@st.fragment(run_every=REFRESH_SECONDS)
def _join_panel(t: Translator, assessment: Assessment, rehearsal: bool) -> None:
    run_guarded(lambda: _draw_join(t, assessment, rehearsal), t)  # a refresh runs outside app.py's guard


def _draw_join(t: Translator, assessment: Assessment, rehearsal: bool) -> None:
    """The QR code carries the long join link, which is not budgeted: a flood of wrong typed codes never holds
    back whoever scans it. The link itself is not printed: nobody types 192 bits.

    Drawn into four fixed slots, whatever is shown: a refresh that draws fewer elements than the one before
    left the old ones in place, marked stale (the room's style keeps stale elements opaque), until a later run
    cleared them; on a busy machine the closed round's panel kept the join code for 30 s and more (CI)."""
    heading, main, code, note = (st.empty() for _ in range(4))
    with database_errors(t, stop=False, say=None) as outcome:
        rounds = database().rounds(assessment.id)
    if outcome.failed or not rounds:
        return  # the live part says why
    if not rounds[-1].is_open and not rehearsal:
        heading.header(t("room.join_closed_heading"))
        main.warning(t("room.closed"))
        return
    heading.header(t("room.join_heading"))
    if assessment.by_invitation:
        main.info(t("room.by_invitation"))
        return
    join = room_join(t)
    if join is None:
        return
    main.image(_qr(f"{base_url()}/respond?a={join.link}"), width=420, alt=t("room.qr_alt"))  # st.html strips SVG
    code.html(
        f"<p>{escape(t('room.type_in', address=base_url().split('://', 1)[-1] + '/join'))}</p>"
        f'<div class="room-code" data-join-code="{join.code}">{show_join_code(join.code)}</div>'
    )
    if rehearsal:  # the code leads to the real round, even while rehearsing
        note.warning(t("room.rehearsal.join_note"))


def expected_headcount(t: Translator, assessment: Assessment) -> dict[str, int]:
    """Invited per side (invitation access), else what the facilitator types; kept in the address."""
    if assessment.by_invitation:
        with database_errors(t, stop=False, say=None):
            return database().invited_counts(assessment.id)
        return {}  # the database away: the facilitator sees the counts without the headcount
    expected = {}
    for column, side in zip(st.columns(len(ROOM_SIDES)), ROOM_SIDES, strict=True):
        key = f"room:expected:{side}"
        if key not in st.session_state:
            kept = st.query_params.get(f"e_{side}", "0")
            st.session_state[key] = min(int(kept), MAX_EXPECTED) if kept.isdigit() else 0
        n = column.number_input(
            t("room.settings.expected", side=t(f"side.{side}")),
            min_value=0,
            max_value=MAX_EXPECTED,
            step=1,
            key=key,
            help=t("room.settings.expected_help"),
        )
        expected[side] = n
        if n:
            st.query_params[f"e_{side}"] = str(n)
        else:
            st.query_params.pop(f"e_{side}", None)
    return expected


def rehearsal_switch(t: Translator) -> bool:
    """The rehearsal switch (kept in the address as mode=rehearsal): shows the simulated round instead of the
    real one. Adding and deleting simulated answers is done on the results page: this view changes nothing."""
    if "room:rehearsal" not in st.session_state:
        st.session_state["room:rehearsal"] = st.query_params.get("mode") == "rehearsal"
    on = st.toggle(t("room.rehearsal.toggle"), key="room:rehearsal", help=t("room.rehearsal.help_room"))
    if on:
        st.query_params["mode"] = "rehearsal"
    else:
        st.query_params.pop("mode", None)
    return on


def rehearsal_banner(t: Translator) -> None:
    """The rehearsal's one-line banner, beside the title (pages/room.py): the chart and the counts under it
    are simulated; it takes no line of its own, so the first screen keeps the whole chart."""
    st.html(f'<div class="room-banner">{escape(t("room.rehearsal.banner"))}</div>')


def _bars(t: Translator, progress: list[SideProgress], at_close: bool = False) -> str:
    """A card per side: its name, its count (against the headcount if known), a bar, and what it shows. The
    note comes twice, in full and short (`note-short`, a few words): STYLE shows the one for the screen."""
    cells = []
    for p in progress:
        count = t("room.count_of", count=p.count, expected=p.expected) if p.expected else t.number(p.count)
        if p.visible:
            note = t("room.shown", shown=p.shown, step=p.min_group_size)
            short = t("room.shown_short", shown=p.shown)
        elif at_close:
            note = short = t("room.at_close_note")
        else:
            note = t.plural("room.next_step", p.to_next_step)
            short = t.plural("room.next_step_short", p.to_next_step)
        cells.append(
            f'<div class="room-side" data-side="{p.side}" data-count="{p.count}" data-shown="{p.shown}">'
            f'<div class="head"><span class="label">{escape(t(f"org.side_short.{p.side}"))}</span> '
            f'<span class="count">{escape(count)}</span></div>'
            f'<div class="bar"><div class="fill" style="width:{p.fraction * 100:.1f}%;'
            f'background:{BAR_COLOURS[p.side]}"></div></div>'
            f'<div class="note">{escape(note)}</div><div class="note-short">{escape(short)}</div></div>'
        )
    return f'<div class="room-sides">{"".join(cells)}</div>'


@st.cache_resource(max_entries=64, show_spinner=False)
def room_view(
    assessment: Assessment, rnd: Round, counts: RoundCounts, lang: str
) -> tuple[OrgResult, dict[str, go.Figure]]:
    """The round's result (ui.org_cache.org_view) and its strips drawn for each screen (FIGURE_STYLES), kept
    per counts."""
    result, _ = org_view(assessment, rnd, counts, lang)
    t, q, figures = translator(lang), questionnaire(), figures_by_item()
    return result, {
        screen: frozen(projector_figure(t, q, figures, result.results, style))
        for screen, style in FIGURE_STYLES.items()
    }


@st.fragment(run_every=REFRESH_SECONDS)
def live_room(t: Translator, assessment: Assessment, expected: dict[str, int], rehearsal: bool) -> None:
    """Answers per side against the headcount, then strips and gaps: read again every REFRESH_SECONDS, in
    place (only this fragment reruns; the page is not reloaded)."""
    # A refresh runs this function alone, outside app.py's run_guarded: the same guard here, so the
    # projector never shows Streamlit's error box (the app's message and a reference instead).
    run_guarded(lambda: _live_room(t, assessment, expected, rehearsal), t)


def _notices(t: Translator, assessment: Assessment, at_close: bool, visible: bool) -> None:
    """Under the counts: the figures shown at close (an open link), or waiting for a side. (A closed round is
    said by the join panel, in place of the code.)"""
    if at_close:
        st.info(t("room.at_close", min=assessment.min_group_size))
    elif not visible:
        waiting = "room.waiting_small_groups" if assessment.small_groups else "room.waiting"
        st.info(t(waiting, min=assessment.min_group_size, usual=SAFE_MIN_GROUP))


def _live_room(t: Translator, assessment: Assessment, expected: dict[str, int], rehearsal: bool) -> None:
    db = database()
    with database_errors(t, stop=False, say=st.warning) as outcome:  # the next refresh tries again
        if db.find_by_room_key(st.query_params.get(ROOM_KEY_PARAM, "")) is None:
            st.rerun(scope="app")  # revoked or expired: the whole page says so
        real_rounds = db.rounds(assessment.id)  # none: the assessment was deleted while the room was open
        rnd = db.rehearsal_round(assessment.id) if rehearsal else (real_rounds[-1] if real_rounds else None)
        counts = db.round_counts(rnd.id) if rnd is not None else RoundCounts()
    if outcome.failed:
        return
    if not real_rounds:
        st.warning(t("room.gone"))
        return
    if rnd is None:  # a rehearsal with no simulated answers yet
        st.html(_bars(t, []))
        st.info(t("room.rehearsal.empty"))
        return
    result, figures = room_view(assessment, rnd, counts, t.lang)
    at_close = assessment.access == "open" and not rehearsal and rnd.is_open
    bars = _bars(t, room_progress(result.results, expected), at_close)
    shown = not at_close and bool(result.results.visible_sides)
    # With strips to show, the counts go beside them (stacked below 1600 px, by STYLE): the ten statements
    # then fit a 1920 x 1080 screen under the title, without scrolling.
    split = st.container(key="room-live")
    counts_column, strips_column = split.columns([1, 3], gap="medium") if shown else (split.container(), None)
    with counts_column:
        st.html(bars)
        _notices(t, assessment, at_close, bool(result.results.visible_sides))
    if strips_column is None:
        return
    tag = f'<span class="room-tag">{escape(t("room.rehearsal.tag"))}</span>' if rehearsal else ""
    with strips_column:  # no SIMULATED tag here: the banner beside the title says it, on the same screen
        with st.container(key="room-strips-heading"):
            st.subheader(t("room.strips_heading"))
        for screen, figure in figures.items():  # one shown, by the screen's width (STYLE)
            with st.container(key=f"room-strips-{screen}"):
                st.plotly_chart(figure, config={"displayModeBar": False, "staticPlot": True})
    st.subheader(t("room.gap_heading"))
    if tag:
        st.html(tag)
    gap_table(t, questionnaire(), result, limit=ROOM_GAPS)
    st.caption(t("room.every", seconds=REFRESH_SECONDS))
