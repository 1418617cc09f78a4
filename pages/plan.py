"""The conversation plan of a round, reached from its results (results code `k=`, round number `r=`)."""

import streamlit as st

from alignment.core.text import escape_markdown
from alignment.org.plan import SESSION_MINUTES, build_plan
from ui.db import database
from ui.errors import database_errors
from ui.followup_view import plan_action_form
from ui.org_cache import org_view
from ui.plan_view import plan_body, plan_download
from ui.results_code import open_by_results_code
from ui.session import current_translator, questionnaire

t = current_translator()
q = questionnaire()

opened = open_by_results_code(t, title=t("plan.nav"), back_to_results=True)
assessment, code = opened.assessment, opened.code
wanted = st.query_params.get("r", "")
rnd = next((r for r in opened.rounds if str(r.number) == wanted), opened.rounds[-1])
counts = opened.counts(t, rnd)
with database_errors(t):
    notes = database().plan_notes(rnd.id)
result, _ = org_view(assessment, rnd, counts, t.lang)
plan = build_plan(result, q)

st.page_link("pages/organisation.py", label=t("plan.back"), icon=":material/arrow_back:", query_params={"k": code})
st.title(t("plan.title", org=escape_markdown(assessment.org_name)))
st.caption(t("plan.subtitle", round=escape_markdown(rnd.label), minutes=SESSION_MINUTES))
st.write(t("plan.intro"))
db = database()
plan_download(result, plan, q, lambda: db.plan_notes(rnd.id))
plan_body(
    t,
    q,
    result,
    plan,
    notes,
    lambda key, done, note: db.save_plan_note(rnd.id, key, done, note),
    lambda item: plan_action_form(t, q, db, assessment, rnd, item),
)
