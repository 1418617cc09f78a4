"""An organisation's results, reached with the results code: counts, strips, gaps, exports, management."""

import streamlit as st

from alignment.core.text import code_in, escape_markdown
from alignment.core.transfer import MAX_ORG_BYTES
from alignment.quick.address import Problem, problems_line
from benchmark import figures_by_item
from ui.db import database
from ui.errors import database_errors
from ui.followup_view import follow_up_section, import_actions, load_follow_up
from ui.mail import handout_warning, mail_section
from ui.org_admin import round_administration
from ui.org_cache import org_view, org_view_keyed
from ui.org_sections import counts_section, downloads, results_sections
from ui.plan_view import plan_link
from ui.previous_upload import read_previous_round
from ui.results_code import open_by_results_code
from ui.room_access import room_access
from ui.session import current_translator, questionnaire
from ui.widgets import upload_instructions, upload_limit_message

MAX_CODE_TYPED = 100  # a results code is far shorter: anything longer is not one

t = current_translator()
q = questionnaire()
figures = figures_by_item()

code = st.query_params.get("k", "")
if not code:
    st.title(t("org.nav_results"))
    if st.session_state.pop("organisation:deleted", False):
        st.success(t("org.results.deleted"))
    # No max_chars: Streamlit's input empties itself when a paste goes past it. The full results link is
    # accepted too: the code is taken out of it.
    with st.form("organisation:code"):
        typed = st.text_input(t("org.results.code_label"), help=t("org.results.code_help"))
        if st.form_submit_button(t("org.results.open")):
            typed_code = code_in(typed, ("k",))
            if not typed_code or len(typed_code) > MAX_CODE_TYPED:
                st.error(t("org.bad_code"))
            else:
                st.query_params["k"] = typed_code
                st.rerun()
    st.stop()

opened = open_by_results_code(t, title=t("org.nav_results"))  # one query: assessment, rounds, counts per side
assessment, rounds = opened.assessment, opened.rounds
db = database()

st.title(t("org.results.title", org=escape_markdown(assessment.org_name)))
room_access(t, assessment, opened.room_keys_live)  # the room view's own read-only key: the results code stays here
rnd = st.selectbox(
    t("org.results.round"),
    rounds[::-1],
    format_func=lambda r: f"{r.number} · {r.label} ({t(f'org.results.round_status_{r.status}')})",
    key=f"organisation:round:{assessment.id}:{len(rounds)}:{rounds[-1].status}",  # a new list, a new widget
)
previous_round = next((r for r in rounds if r.number == rnd.number - 1), None)
version = opened.versions.get(rnd.id, ())
if assessment.by_invitation:  # the invitations per side (a response rate): they may change, so in the key
    with database_errors(t):
        invited = tuple(sorted(db.invited_counts(assessment.id).items()))
else:
    invited = ()
# The comparison is offered only when this round has something to show beside the previous one.
compare = (
    previous_round is not None
    and any(n >= assessment.min_group_size for _, n, _ in version)
    and st.toggle(t("org.results.compare_previous", label=escape_markdown(previous_round.label)), value=True)
)
previous_label = previous_round.label if compare else ""
upload_limit_message("organisation-import", t("org.import.error.too_big"))  # Streamlit's refusal over the limit
upload_instructions(t, "organisation-import", MAX_ORG_BYTES // 1_000_000, "JSON")
with st.container(key="organisation-import"):
    upload = st.file_uploader(
        t("org.import.upload"),
        type=["json"],
        help=t("org.import.help"),
        key=f"organisation:import:{assessment.id}",
        max_upload_size=MAX_ORG_BYTES // 1_000_000,
    )
imported = read_previous_round(t, q, assessment.id, upload)  # parsed once per upload, refused if not ours
if imported is not None:
    compare = False
    previous_label = t("org.import.label", label=imported.label or t("org.import.unnamed"))
    st.success(t("org.import.loaded", label=escape_markdown(previous_label)))
    if not imported.assessment_checked:  # an export made before exports named their assessment
        st.caption(t("org.import.unchecked"))
    dropped = [
        t.plural(f"org.import.dropped_{kind}", n)
        for kind, n in (
            ("rows", imported.dropped_rows),
            ("values", imported.dropped_values),
            ("actions", imported.dropped_actions),
        )
        if n
    ]
    details = [t.join(dropped)] if dropped else []
    if imported.unknown_keys:  # named, like the quick check's: a file from a newer or edited export
        details.append(problems_line(t, [Problem("unknown_key", key) for key in imported.unknown_keys]))
    if details:
        st.info(escape_markdown(t("transfer.dropped", details=t("share.separator").join(details))))
    import_actions(t, db, assessment, rnd, rounds, imported.actions)


def build():
    """The round's counts (and the compared round's) read and the result built: only when the key below is
    new."""
    counts = db.round_counts(rnd.id)
    previous_counts = imported.counts if imported else db.round_counts(previous_round.id) if compare else None
    return org_view(
        assessment, rnd, counts, t.lang, previous_counts, previous_label, previous_round if compare else None, invited
    )


# Everything the result depends on, as a short string: the assessment and round as stored, the kept counts
# per side of this round and of the compared one (they move with every submission and every step), the
# language, the invitations, and an imported file by its upload id.
key = repr(
    (
        assessment,
        rnd,
        version,
        t.lang,
        (previous_round, opened.versions.get(previous_round.id, ())) if compare else None,
        (upload.file_id, previous_label) if imported else None,
        invited,
    )
)
with database_errors(t):
    result, figure = org_view_keyed(key, build)

counts_section(t, q, result)
if assessment.by_email:  # counts per side, retry, remind, erase: never an address or a link
    mail_section(t, q, assessment, rnd, rounds[-1])
elif assessment.by_invitation:  # links handed out: the organiser holds them all
    handout_warning(t, "results")
results_sections(t, q, figures, result, figure)
with database_errors(t):
    follow = load_follow_up(db, opened, rnd, q, figures)
follow_up_section(t, q, db, assessment, follow)
downloads(t, result, lambda: db.export_rows(rnd.id, result.results.visible_sides), follow)
plan_link(t, code, rnd.number)
round_administration(t, assessment, rnd, rounds)
