"""A respondent answers for their organisation: saved as they go, resumable, submitted once."""

import secrets
import uuid

import streamlit as st

from alignment.core.context import CONTEXT_PREFIX
from alignment.core.questionnaire import Submission
from alignment.core.text import escape_markdown
from storage import UNAVAILABLE_ERRORS, AlreadySubmitted, InvalidData, RoundClosed
from ui.address_draft import answers_in_address, clear_from_address, keep_in_address, merged
from ui.db import base_url, database
from ui.questionnaire_form import questionnaire_form
from ui.session import DraftState, current_translator, leave_legacy_pages_mode, questionnaire

leave_legacy_pages_mode()
t = current_translator()
q = questionnaire()

st.title(t("org.respond.title"))
code = st.query_params.get("a", "")
context_key = f"respond:{code}"

# The assessment and its open round, looked up once per session and code, so a database outage
# later on does not take the questionnaire away.
context = st.session_state.get(context_key)
if context is None:
    try:
        assessment = database().find_by_respondent_code(code)
        rnd = database().current_round(assessment.id) if assessment else None
    except UNAVAILABLE_ERRORS:
        st.error(t("org.db_unavailable"))
        st.stop()
    if assessment is None:
        st.error(t("org.bad_code"))
        st.stop()
    context = st.session_state[context_key] = {
        "assessment": assessment,
        "round": rnd,
        "response_id": str(uuid.uuid4()),
        "resume_code": secrets.token_urlsafe(24),
        "saved": False,
        "unsaved": False,
        "done": None,
        "pending": answers_in_address(q),  # answers an earlier session kept in the address
    }
assessment = context["assessment"]
if not context["done"]:
    try:  # the open round may have changed (closed, reopened, a new round) since the page was opened
        current = database().find_by_respondent_code(code)
        if current is None:
            st.error(t("org.bad_code"))  # deleted meanwhile
            st.stop()
        context["round"] = database().current_round(assessment.id)
    except UNAVAILABLE_ERRORS:
        pass  # keep answering on what we know; saving says it waits for the database
rnd = context["round"]
draft = DraftState(f"org:{assessment.id}")

if context["done"]:
    st.success(t(f"org.respond.{context['done']}"))
    st.stop()
if not rnd.is_open:
    st.warning(t("org.respond.closed"))
    st.stop()

resume = st.query_params.get("r")
if resume and resume != context["resume_code"]:
    try:
        saved = database().load_draft(assessment.id, resume)
    except UNAVAILABLE_ERRORS:
        st.error(t("org.db_unavailable"))
        st.stop()
    if saved is None:
        st.warning(t("org.respond.bad_resume"))
        del st.query_params["r"]
    elif saved.submitted:
        context["done"] = "already"
        st.rerun()
    else:
        answers = {k: v for k, v in saved.answers.items() if k in q.item_ids}
        context_answers = {k: v for k, v in saved.answers.items() if k.startswith(CONTEXT_PREFIX)}
        draft.replace(Submission(side=saved.side, answers=answers, context=context_answers))
        context.update(response_id=saved.response_id, resume_code=resume, saved=True, saved_values=dict(draft.values))
        st.info(t("org.respond.resumed"))
pending = context.pop("pending", None)
if pending is not None:  # newer than anything saved: they were kept while the database was away
    draft.replace(merged(draft.submission()[0], pending))


def save() -> None:
    """Keep the answers so far in the database; on failure they stay in the session and are retried."""
    submission, _ = draft.submission()
    try:
        database().save_draft(
            rnd.id,
            context["response_id"],
            context["resume_code"],
            submission.side,
            {**submission.answers, **submission.context},
        )
    except UNAVAILABLE_ERRORS:
        context["unsaved"] = True
        return
    except InvalidData as error:  # kept in the session; said on the page, never dropped silently
        context["unsaved"] = True
        st.error(t("org.invalid_data", what=t(f"org.invalid.{error.field}")))
        return
    except (RoundClosed, AlreadySubmitted):
        return
    context.update(saved=True, unsaved=False, saved_values=dict(draft.values))


st.write(t("org.respond.intro", org=escape_markdown(assessment.org_name), min=assessment.min_group_size))
notice = st.container()  # filled after the form, once this run's answers are saved
submission = questionnaire_form(t, q, draft, with_profile=False, submit_label=t("org.respond.submit"))
if draft.values and draft.values != context.get("saved_values"):
    save()  # what changed since the last save, including anything kept while the database was away
with notice:
    if context["unsaved"]:
        keep_in_address(draft.values)  # outlives this session and the app server, until saved
        st.warning(t("org.respond.unsaved"))
    elif context["saved"]:
        clear_from_address()
        st.query_params["r"] = context["resume_code"]
        st.caption(t("org.respond.saved"))
        st.code(f"{base_url()}/respond?a={code}&r={context['resume_code']}", language=None, wrap_lines=True)
if submission:
    try:
        counted = database().submit(
            rnd.id,
            context["response_id"],
            context["resume_code"],
            submission.side,
            {**submission.answers, **submission.context},
        )
    except RoundClosed:
        st.warning(t("org.respond.closed"))
        st.stop()
    except UNAVAILABLE_ERRORS:
        context["unsaved"] = True
        keep_in_address(draft.values)
        st.error(t("org.db_unavailable"))
        st.stop()
    except InvalidData as error:
        st.error(t("org.invalid_data", what=t(f"org.invalid.{error.field}")))
        st.stop()
    clear_from_address()
    context["done"] = "thanks" if counted else "already"
    st.session_state.pop(draft.name, None)
    st.rerun()
