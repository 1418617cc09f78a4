"""An organisation's results, reached with the results code: counts, strips, gaps, exports, management."""

import streamlit as st

from alignment.core.text import escape_markdown
from alignment.core.transfer import MAX_ORG_BYTES, ImportError_, read_organisation_export
from benchmark import figures_by_item
from ui.db import database
from ui.errors import database_errors
from ui.followup_view import follow_up_section, import_actions, load_follow_up
from ui.org_admin import round_administration
from ui.org_downloads import org_view
from ui.org_sections import counts_section, downloads, results_sections
from ui.plan_view import plan_link
from ui.room_access import room_access
from ui.session import current_translator, leave_legacy_pages_mode, questionnaire

leave_legacy_pages_mode()
t = current_translator()
q = questionnaire()
figures = figures_by_item()

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

with database_errors(t):
    assessment = database().find_by_results_code(code)
if assessment is None:
    st.title(t("org.nav_results"))
    st.error(t("org.bad_code"))
    st.stop()

st.title(t("org.results.title", org=escape_markdown(assessment.org_name)))
room_access(t, assessment)  # the room view has its own read-only key: the results code stays here
with database_errors(t):
    rounds = database().rounds(assessment.id)
rnd = st.selectbox(
    t("org.results.round"),
    rounds[::-1],
    format_func=lambda r: f"{r.number} · {r.label} ({t(f'org.results.round_status_{r.status}')})",
    key=f"organisation:round:{assessment.id}:{len(rounds)}:{rounds[-1].status}",  # a new list, a new widget
)
previous_round = next((r for r in rounds if r.number == rnd.number - 1), None)
with database_errors(t):
    counts = database().round_counts(rnd.id)
    invited = tuple(sorted(database().invited_counts(assessment.id).items())) if assessment.by_invitation else ()
# The comparison is offered only when this round has something to show beside the previous one.
compare = (
    previous_round is not None
    and any(n >= assessment.min_group_size for n in counts.sides.values())
    and st.toggle(t("org.results.compare_previous", label=escape_markdown(previous_round.label)), value=True)
)
with database_errors(t):
    previous_counts = database().round_counts(previous_round.id) if compare else None
previous_label = previous_round.label if compare else ""
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
        previous_counts, compare = imported.counts, False
        previous_label = t("org.import.label", label=imported.label or t("org.import.unnamed"))
        st.success(t("org.import.loaded", label=escape_markdown(previous_label)))
        dropped = [
            t.plural(f"org.import.dropped_{kind}", n)
            for kind, n in (
                ("rows", imported.dropped_rows),
                ("values", imported.dropped_values),
                ("actions", imported.dropped_actions),
            )
            if n
        ]
        if dropped:
            st.info(t("transfer.dropped", details=t.join(dropped)))
        import_actions(t, database(), assessment, rnd, rounds, imported.actions)
result, figure = org_view(
    assessment, rnd, counts, t.lang, previous_counts, previous_label, previous_round if compare else None, invited
)

counts_section(t, q, result)
results_sections(t, q, figures, result, figure)
db = database()
with database_errors(t):
    follow = load_follow_up(db, assessment, rnd, rounds, q, figures)
follow_up_section(t, q, db, assessment, follow)
downloads(t, result, lambda: db.export_rows(rnd.id, result.results.visible_sides), follow)
plan_link(t, code, rnd.number)
round_administration(t, assessment, rnd, rounds)
