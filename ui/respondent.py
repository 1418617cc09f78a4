"""The respondent's side of an organisation assessment: who may answer, with which key, and the saving.

A respondent is known by a key, never by who they are: their invitation code (`/respond?i=…`, an
assessment by invitation), or in an open assessment a random key this browser keeps in a cookie and the
resume link carries (`/respond?a=…&r=…`). The gateway keeps one response per key and round, so the same
browser or code answering again resumes or finds its response, and never counts twice.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid

import streamlit as st

from alignment.core.context import CONTEXT_PREFIX
from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire, Submission
from storage import (
    UNAVAILABLE_ERRORS,
    AlreadySubmitted,
    InvalidData,
    NotInvited,
    RoundClosed,
    TooManyAttempts,
    well_formed,
)
from ui.address_draft import answers_in_address, clear_from_address, keep_in_address, merged
from ui.db import database
from ui.session import DraftState

COOKIE_DAYS = 180


def cookie_name(assessment_id: str) -> str:
    """The browser's key for one assessment (named by a digest: the cookie does not name the assessment)."""
    return "alignment_key_" + hashlib.sha256(assessment_id.encode()).hexdigest()[:16]


def _stop(show, message: str) -> None:
    show(message)
    st.stop()


def _find(t: Translator) -> dict:
    """The assessment, the side an invitation fixes, and the respondent's key; stops with a message."""
    invitation, open_code = st.query_params.get("i", ""), st.query_params.get("a", "")
    try:
        if invitation:
            found = database().find_invitation(invitation)
            assessment, side = found if found else (None, None)
            key = invitation
        else:
            assessment, side = database().find_by_respondent_code(open_code, st.context.ip_address), None
            key = None
    except UNAVAILABLE_ERRORS:
        _stop(st.error, t("org.db_unavailable"))
    except TooManyAttempts:  # a join code, not looked up: too many wrong ones from here lately
        _stop(st.warning, t("room.join.busy"))
    if assessment is None:
        _stop(st.error, t("org.bad_code"))
    if key is None and assessment.by_invitation:
        _stop(st.warning, t("org.respond.invitation_only"))
    if key is None:  # open link: the resume link's key, else this browser's, else a new one
        resume = st.query_params.get("r", "")
        key = next((k for k in (resume, st.context.cookies.get(cookie_name(assessment.id))) if well_formed(k)), None)
        key = key or secrets.token_urlsafe(24)
    return {"assessment": assessment, "side": side, "key": key, "code": invitation or open_code}


def respondent_context(t: Translator, q: Questionnaire) -> dict:
    """This session's respondent: looked up once per session and link, so a database outage later on does
    not take the questionnaire away; the open round is checked again on every run."""
    context_key = f"respond:{st.query_params.get('i', '')}:{st.query_params.get('a', '')}"
    context = st.session_state.get(context_key)
    if context is None:
        context = _find(t)
        try:
            context["round"] = database().current_round(context["assessment"].id)
            saved = database().load_draft(context["assessment"].id, context["key"])
        except UNAVAILABLE_ERRORS:
            _stop(st.error, t("org.db_unavailable"))
        if saved and saved.round_id != context["round"].id and saved.submitted:
            saved = None  # answered an earlier round: this one starts afresh
        context.update(
            response_id=saved.response_id if saved else str(uuid.uuid4()),
            saved=saved,
            unsaved=False,
            done="already" if saved and saved.submitted else None,
            pending=answers_in_address(q),  # answers an earlier session kept in the address
            remember=True,
        )
        st.session_state[context_key] = context
    elif not context["done"]:
        try:  # the open round may have changed (closed, reopened, a new round) since the page was opened
            if not _still_there(context):
                _stop(st.error, t("org.bad_code"))  # deleted meanwhile
            context["round"] = database().current_round(context["assessment"].id)
        except UNAVAILABLE_ERRORS:
            pass  # keep answering on what we know; saving says it waits for the database
    return context


def _still_there(context: dict) -> bool:
    """The assessment (and invitation) still exists. Not a new look-up of a join code: a respondent who has
    joined keeps answering whatever others type meanwhile, and after the code has expired."""
    if context["side"] is not None:
        return database().find_invitation(context["code"]) is not None
    return database().find_by_id(context["assessment"].id) is not None


def remember_in_browser(context: dict) -> None:
    """Keep an open assessment's key in this browser (a cookie), once per session: the same browser
    opening the link again, in another tab or after a restart, finds its response instead of a new one."""
    if context["side"] is not None or not context.pop("remember", False):
        return
    name, value = cookie_name(context["assessment"].id), context["key"]
    cookie = f"{name}={value}; Max-Age={COOKIE_DAYS * 86400}; Path=/; SameSite=Lax"
    st.html(f"<script>document.cookie = {json.dumps(cookie)};</script>", unsafe_allow_javascript=True)


def restore(t: Translator, q: Questionnaire, context: dict, draft: DraftState) -> None:
    """Fill the form, once, with the saved draft, then with what the address kept while the database was away."""
    saved = context.pop("saved", None)
    if saved is not None and not saved.submitted:
        answers = {k: v for k, v in saved.answers.items() if k in q.item_ids}
        context_answers = {k: v for k, v in saved.answers.items() if k.startswith(CONTEXT_PREFIX)}
        draft.replace(Submission(side=saved.side, answers=answers, context=context_answers))
        context.update(saved_values=dict(draft.values), stored=True)
        st.info(t("org.respond.resumed"))
    pending = context.pop("pending", None)
    if pending is not None:  # newer than anything saved: they were kept while the database was away
        draft.replace(merged(draft.submission()[0], pending))


def _write(context: dict, submission: Submission, submitting: bool):
    values = {**submission.answers, **submission.context}
    call = database().submit if submitting else database().save_draft
    return call(context["round"].id, context["response_id"], context["key"], submission.side, values)


def save(t: Translator, context: dict, draft: DraftState) -> None:
    """Keep the answers so far in the database; on failure they stay in the session and are retried."""
    try:
        _write(context, draft.submission()[0], submitting=False)
    except UNAVAILABLE_ERRORS:
        context["unsaved"] = True
        return
    except InvalidData as error:  # kept in the session; said on the page, never dropped silently
        context["unsaved"] = True
        st.error(t("org.invalid_data", what=t(f"org.invalid.{error.field}")))
        return
    except (RoundClosed, AlreadySubmitted, NotInvited):
        return
    context.update(stored=True, unsaved=False, saved_values=dict(draft.values))


def submit(t: Translator, context: dict, draft: DraftState, submission: Submission) -> None:
    """Submit once; a second submit of the same key is "already submitted", never an error."""
    try:
        counted = _write(context, submission, submitting=True)
    except RoundClosed:
        _stop(st.warning, t("org.respond.closed"))
    except NotInvited:
        _stop(st.error, t("org.bad_code"))
    except UNAVAILABLE_ERRORS:
        context["unsaved"] = True
        keep_in_address(draft.values)
        _stop(st.error, t("org.db_unavailable"))
    except InvalidData as error:
        _stop(st.error, t("org.invalid_data", what=t(f"org.invalid.{error.field}")))
    clear_from_address()
    context["done"] = "thanks" if counted else "already"
    st.session_state.pop(draft.name, None)
    st.rerun()
