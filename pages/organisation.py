"""An organisation's results, reached with the results code: counts, strips, gaps, exports, management."""

from datetime import date

import streamlit as st

from alignment.charts import organisation_figure
from alignment.org_narrative import gap_sentence, share_line, side_sentences
from alignment.org_report import gap_rows
from alignment.organisation import MAX_ROUND_LABEL, SAFE_MIN_GROUP, gaps, round_results
from alignment.recommendations import for_organisation
from alignment.significance import MIN_TO_TELL, SURVEY_N_ASSUMED
from alignment.text import clean_text, escape_markdown, too_long
from alignment.transfer import MAX_ORG_BYTES, ImportError_, read_organisation_export
from benchmark import figures_by_item
from storage import UNAVAILABLE_ERRORS
from ui.db import database
from ui.org_downloads import exports, org_pdf
from ui.session import current_translator, leave_legacy_pages_mode, questionnaire

leave_legacy_pages_mode()
t = current_translator()
q = questionnaire()
figures = figures_by_item()


def unavailable() -> None:
    st.error(t("org.db_unavailable"))
    st.stop()


code = st.query_params.get("k", "")
if not code:
    st.title(t("org.nav_results"))
    if st.session_state.pop("organisation:deleted", False):
        st.success(t("org.results.deleted"))
    with st.form("organisation:code"):
        typed = st.text_input(t("org.results.code_label"), help=t("org.results.code_help"), max_chars=100)
        if st.form_submit_button(t("org.results.open")):
            st.query_params["k"] = typed.strip()
            st.rerun()
    st.stop()

try:
    assessment = database().find_by_results_code(code)
except UNAVAILABLE_ERRORS:
    unavailable()
if assessment is None:
    st.title(t("org.nav_results"))
    st.error(t("org.bad_code"))
    st.stop()

st.title(t("org.results.title", org=escape_markdown(assessment.org_name)))
try:
    rounds = database().rounds(assessment.id)
except UNAVAILABLE_ERRORS:
    unavailable()
rnd = st.selectbox(
    t("org.results.round"),
    rounds[::-1],
    format_func=lambda r: f"{r.number} · {r.label} ({t(f'org.results.round_status_{r.status}')})",
    key=f"organisation:round:{assessment.id}:{len(rounds)}:{rounds[-1].status}",  # a new list, a new widget
)
previous_round = next((r for r in rounds if r.number == rnd.number - 1), None)
try:
    counts = database().round_counts(rnd.id)
except UNAVAILABLE_ERRORS:
    unavailable()
results = round_results(counts, assessment.min_group_size, q)
# The comparison is offered only when this round has something to show beside the previous one.
compare = (
    previous_round is not None
    and bool(results.visible_sides)
    and st.toggle(t("org.results.compare_previous", label=escape_markdown(previous_round.label)), value=True)
)
try:
    previous_counts = database().round_counts(previous_round.id) if compare else None
except UNAVAILABLE_ERRORS:
    unavailable()
previous = round_results(previous_counts, assessment.min_group_size, q) if previous_counts else None
previous_label = previous_round.label if previous_round else ""
upload = st.file_uploader(
    t("org.import.upload"),
    type=["json"],
    help=t("org.import.help"),
    key=f"organisation:import:{assessment.id}",
    max_upload_size=MAX_ORG_BYTES // 1_000_000,
)
if upload is not None:
    try:
        imported = read_organisation_export(upload.getvalue(), q)
    except ImportError_ as error:
        st.error(t(f"org.import.error.{error.code}"))
    except Exception:  # whatever else a hostile file provokes: a named refusal, never a traceback
        st.error(t("org.import.error.unreadable"))
    else:
        previous = round_results(imported.counts, assessment.min_group_size, q)
        previous_label = t("org.import.label", label=imported.label or t("org.import.unnamed"))
        st.success(t("org.import.loaded", label=escape_markdown(previous_label)))
        dropped = [
            t.plural(f"org.import.dropped_{kind}", n)
            for kind, n in (("rows", imported.dropped_rows), ("values", imported.dropped_values))
            if n
        ]
        if dropped:
            st.info(t("transfer.dropped", details=t.join(dropped)))

st.header(t("org.results.counts"))
for column, side in zip(st.columns(len(q.side_ids)), q.side_ids, strict=True):
    column.metric(t(f"org.side_short.{side}"), results.count(side), help=t(f"side.{side}"))  # short: never cut
st.caption(t("org.results.min_note", min=assessment.min_group_size))
if assessment.min_group_size < SAFE_MIN_GROUP:
    st.warning(t("org.results.min_small", min=assessment.min_group_size))
for side in q.side_ids:
    if 0 < results.count(side) < assessment.min_group_size:
        st.caption(
            t.plural("org.results.hidden", results.count(side), side=t(f"side.{side}"), min=assessment.min_group_size)
        )

if not results.visible_sides:
    st.info(t("org.results.nothing_visible"))
else:
    st.header(t("org.results.chart_title"))
    st.plotly_chart(
        organisation_figure(t, q, figures, results, previous, previous_label),
        config={"displayModeBar": False},
    )
    st.caption(t("org.results.chart_caption"))
    st.header(t("org.results.gap_title"))
    st.caption(t("org.results.gap_caption"))
    if results.visible("it") and results.visible("marketing"):
        header, *rows = gap_rows(t, q, gaps(results, figures, q))
        # A wrapping table keeps both gap columns in view on a phone (a data grid scrolls them away).
        # st.table reads its cells as Markdown ("10. …" would become a numbered list): cells are escaped.
        cells = [{escape_markdown(h): escape_markdown(c) for h, c in zip(header, row, strict=True)} for row in rows]
        st.table(cells, hide_index=True, border="horizontal")
    else:
        st.info(t("org.results.gap_needs_both", min=assessment.min_group_size))
    actions, questions = for_organisation(results, figures, q)
    st.header(t("recs.title"))
    if actions:
        st.caption(t("recs.intro"))
        st.markdown("\n".join(f"- **{t(f'recs.theme.{a.theme}')}** — {a.text[t.lang]}" for a in actions))
    else:
        st.write(t("recs.none"))
    st.subheader(t("recs.workshop"))
    st.caption(t("recs.workshop_intro"))
    if questions:
        st.markdown("\n".join(f"- **{q.item(item).short_in(t.lang)}** — {text[t.lang]}" for item, text in questions))
    else:
        st.write(t("recs.workshop_none"))
    st.header(t("results.details"))
    st.caption(t("method.assumption", n=t.number(SURVEY_N_ASSUMED), min=MIN_TO_TELL))
    for n, item in enumerate(q.items, start=1):
        with st.container(border=True):
            st.markdown(f"**{n}. {item.short_in(t.lang)}**")
            for side in results.visible_sides:
                st.write(share_line(t, results, side, item.id))
            for sentence in [
                *side_sentences(t, results, item.id, figures.get(item.id, {})),
                gap_sentence(t, results, item.id),
            ]:
                if sentence:
                    st.caption(sentence)

try:
    export_rows = database().export_rows(rnd.id, results.visible_sides)
except UNAVAILABLE_ERRORS:
    unavailable()
csv_text, json_text = exports(assessment, rnd, counts, export_rows)
stem = f"alignment-{rnd.number}-{date.today().isoformat()}"
left, middle, right = st.columns(3)
left.download_button(
    t("org.results.pdf"),
    data=org_pdf(
        assessment, rnd, counts, previous_round if compare else None, previous_counts, assessment.lang, date.today()
    ),
    file_name=f"{stem}.pdf",
    mime="application/pdf",
    type="primary",
    on_click="ignore",
    key="organisation:pdf",
)
middle.download_button(
    t("org.results.csv"),
    data=csv_text.encode("utf-8-sig"),
    file_name=f"{stem}.csv",
    mime="text/csv",
    on_click="ignore",
    key="organisation:csv",
)
right.download_button(
    t("org.results.json"),
    data=json_text.encode("utf-8"),
    file_name=f"{stem}.json",
    mime="application/json",
    on_click="ignore",
    key="organisation:json",
)

with st.expander(t("org.results.manage")):
    st.caption(t("org.results.respondent_link_note"))
    if rnd.is_open:
        if st.button(t("org.results.close"), key="organisation:close"):
            database().set_round_open(rnd.id, False)
            st.rerun()
    elif rnd.number == rounds[-1].number and st.button(t("org.results.reopen"), key="organisation:reopen"):
        database().set_round_open(rnd.id, True)
        st.rerun()
    st.markdown(f"**{t('org.results.new_round')}**")
    # Not clear_on_submit: a label refused as too long stays in its field; it is emptied once used.
    with st.form("organisation:new_round"):
        label = st.text_input(t("org.results.new_round_label"), key="organisation:new_round_label")
        if st.form_submit_button(t("org.results.new_round_submit")):
            if not clean_text(label):
                st.error(t("org.create.missing_round"))
            elif too_long(label, MAX_ROUND_LABEL):
                field, length = t("org.results.new_round_label"), len(clean_text(label, len(label)))
                st.error(t("org.create.too_long", field=field, length=length, max=MAX_ROUND_LABEL))
            else:
                database().start_new_round(assessment.id, clean_text(label, MAX_ROUND_LABEL))
                st.session_state.pop("organisation:new_round_label", None)
                st.rerun()
    st.markdown(f"**{t('org.results.delete')}**")
    st.caption(t("org.results.delete_warning"))
    with st.form("organisation:delete"):
        typed = st.text_input(t("org.results.delete_confirm"), key="organisation:delete_name")
        if st.form_submit_button(t("org.results.delete_submit")):
            # The stored name went through clean_text at creation: the typed one does too, so the name
            # as typed then (double spaces, joined emoji, decomposed accents) matches.
            if clean_text(typed, len(typed)) == assessment.org_name:
                database().delete_assessment(assessment.id)
                st.session_state["organisation:deleted"] = True
                del st.query_params["k"]
                st.rerun()
            else:
                st.error(t("org.results.delete_mismatch"))
