"""The respondent's side of an organisation assessment, for pages/respond.py: who answers, and the saving.

Which key a respondent answers with, and which saved response they take up, are the domain's rules
(alignment/org/respondent.py). Here: reading them from the address and the browser's cookie, keeping the
`Respondent` in the session, filling the form from what was saved, and saving and submitting through the
gateway, which keeps one response per key and round.

A link shows answers only to the person who gave them (issue 16). An open link's key is this browser's own
(its cookie, or the resume link shown on its screen). An invitation link may have been held by others (the
organiser hands them out): its draft is held by the browser that wrote it (`holder`, its cookie), and the
invitation link opened anywhere else shows an empty form, never the invitee's answers. The link to finish
later, shown on the respondent's own screen, carries the holder key and brings the draft to another device.
"""

from __future__ import annotations

import hashlib
import html
import uuid
from dataclasses import dataclass

import streamlit as st

from alignment.core.context import CONTEXT_PREFIX
from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire, Submission
from alignment.core.text import escape_markdown
from alignment.org.respondent import already_submitted, respondent_key, response_to_take_up
from alignment.org.rounds import SAFE_MIN_GROUP, Assessment, Round
from storage import AlreadySubmitted, Draft, NotInvited, RoundClosed, TooManyAttempts, new_code, well_formed
from ui.address_draft import answers_in_address, clear_from_address, keep_in_address, merged
from ui.db import base_url, database
from ui.errors import database_errors, rerun_whole_page
from ui.server import REMEMBER_PATH
from ui.session import DraftState, drawn_elsewhere

COOKIE_DAYS = 180
RECONNECT_MARKER_SECONDS = 3600  # below JavaScript's setInterval limit (24.8 days), which would run it at once


@dataclass
class Respondent:
    """This session's respondent: who they answer as, and where their answers stand."""

    assessment: Assessment
    round: Round  # the open round, read again on every run
    key: str  # the invitation code, or an open link's resume key
    holder: str | None  # by invitation: this browser's key, which holds the draft; None on an open link
    side: str | None  # the side an invitation fixes; None on an open link (the respondent chooses)
    code: str  # the code in the address: the invitation's, or the open link's
    response_id: str
    done: str | None = None  # "thanks" once submitted here, "already" if submitted before: no form
    unsaved: bool = False  # the last save failed: the answers wait in the session and the address
    stored: bool = False  # something of this response is in the database
    saved_values: dict[str, str] | None = None  # the form's values as last saved: unchanged, no save
    to_restore: Draft | None = None  # the stored draft to fill the form with, once
    from_address: Submission | None = None  # answers an earlier session kept in the address, once
    to_remember: bool = True  # the key is still to be put in this browser's cookie (open links)
    bad_resume: bool = False  # the address held a resume key that cannot be one: said once, then a fresh start
    notice: tuple[bool, bool] | None = None  # (stored, unsaved) as the saving notice on screen says them;
    # None while a whole page run is under way (it draws the notice below the form)

    @property
    def open_link(self) -> bool:
        return self.side is None


def cookie_name(assessment_id: str) -> str:
    """The browser's key for one assessment (named by a digest: the cookie does not name the assessment)."""
    return "alignment_key_" + hashlib.sha256(assessment_id.encode()).hexdigest()[:16]


def find_respondent(t: Translator, q: Questionnaire) -> Respondent:
    """This session's respondent: looked up once per session and link, so a database outage later on does
    not take the questionnaire away; the open round is read again on every run. Stops with a message on a
    bad link or an unreachable database."""
    session_key = f"respond:{st.query_params.get('i', '')}:{st.query_params.get('a', '')}"
    respondent = st.session_state.get(session_key)
    if respondent is None:
        respondent = st.session_state[session_key] = _look_up(t, q)
    elif not respondent.done:
        _read_round_again(t, respondent)
    respondent.notice = None  # a whole page run: it draws the saving notice (save_as_answered)
    return respondent


def joined_key(code: str) -> str:
    """Where /join keeps, in the session, the assessment a typed code was found for: the questionnaire it
    opens then takes it by id, without a second budgeted look-up that a flood could refuse meanwhile."""
    return f"joined:{code}"


def _look_up(t: Translator, q: Questionnaire) -> Respondent:
    invitation, open_code = st.query_params.get("i", ""), st.query_params.get("a", "")
    joined = st.session_state.get(joined_key(open_code)) if open_code and not invitation else None
    try:
        with database_errors(t):
            if invitation:
                assessment, side = database().find_invitation(invitation) or (None, None)
            elif joined:
                assessment, side = database().find_by_id(joined), None
            else:
                assessment, side = database().find_by_respondent_code(open_code, st.context.ip_address), None
    except TooManyAttempts:  # a join code, not looked up: too many wrong ones from this network lately
        st.warning(t("room.join.busy"))
        st.stop()
    if assessment is None:
        st.error(t("org.bad_code"))
        st.stop()
    if not invitation and assessment.by_invitation:
        st.warning(t("org.respond.invitation_only"))
        st.stop()
    cookie = st.context.cookies.get(cookie_name(assessment.id))
    resume = st.query_params.get("r", "")
    key = respondent_key(invitation, resume, cookie, well_formed=well_formed, new_key=new_code)
    # A handed-out invitation's draft is held by the browser's own key (the link to finish later's, this
    # browser's, or new): the organiser held that link too. An e-mailed link only its invitee ever saw.
    handed_out = bool(invitation) and assessment.access == "invitations"
    holder = respondent_key("", resume, cookie, well_formed=well_formed, new_key=new_code) if handed_out else None
    with database_errors(t):
        rnd = database().current_round(assessment.id)
        saved = response_to_take_up(database().load_draft(assessment.id, key, holder), rnd.id)
    return Respondent(
        assessment=assessment,
        round=rnd,
        key=key,
        holder=holder,
        side=side,
        code=invitation or open_code,
        response_id=saved.response_id if saved else str(uuid.uuid4()),
        done="already" if already_submitted(saved) else None,
        to_restore=saved,
        from_address=answers_in_address(q),
        bad_resume=bool(resume) and not invitation and not well_formed(resume),
    )


def _read_round_again(t: Translator, respondent: Respondent) -> None:
    """The open round may have changed (closed, reopened, a new round) since the page was opened; with the
    database away, answering goes on with what is known (saving says it waits for the database)."""
    with database_errors(t, stop=False, say=None):
        if respondent.open_link:  # by id, not a new look-up of the code: a respondent who joined with a join
            # code keeps answering whatever others type meanwhile, and after the code has expired
            still_there = database().find_by_id(respondent.assessment.id) is not None
        else:
            still_there = database().find_invitation(respondent.code) is not None
        if not still_there:  # deleted meanwhile
            st.error(t("org.bad_code"))
            st.stop()
        respondent.round = database().current_round(respondent.assessment.id)


def stop_unless_answering(t: Translator, respondent: Respondent) -> None:
    """Submitted (now or before) or the round closed: say so, and no form."""
    if respondent.done:
        st.success(t(f"org.respond.{respondent.done}"))
        st.stop()
    if not respondent.round.is_open:
        st.warning(t("org.respond.closed"))
        st.stop()


def remember_in_browser(respondent: Respondent) -> None:
    """Keep this browser's key (an open link's key, or the holder key of an invitation's draft) in a cookie,
    once per session: the same browser opening the link again, in another tab or after a restart, finds its
    response instead of a new one."""
    if not respondent.to_remember or not (respondent.open_link or respondent.holder):
        return  # an e-mailed link: its code stays out of the cookie
    respondent.to_remember = False
    name, value = cookie_name(respondent.assessment.id), respondent.holder or respondent.key
    cookie = f"{name}={value}; Max-Age={COOKIE_DAYS * 86400}; Path=/; SameSite=Lax"
    # A script file, not an inline script: the Content-Security-Policy allows no inline script (ui/server.py).
    tag = f'<script src="{REMEMBER_PATH}" data-cookie="{html.escape(cookie)}"></script>'
    st.html(tag, unsafe_allow_javascript=True)


def restore(t: Translator, q: Questionnaire, respondent: Respondent, draft: DraftState) -> None:
    """Fill the form, once, with the saved draft, then with what the address kept while the database was away."""
    saved, respondent.to_restore = respondent.to_restore, None
    if respondent.bad_resume and not respondent.stored:  # a cut or mistyped resume link: said, until answered
        st.warning(t("org.respond.bad_resume"))
    if saved is not None and not saved.submitted and not saved.withheld:  # withheld: another browser's draft
        answers = {k: v for k, v in saved.answers.items() if k in q.item_ids}
        context_answers = {k: v for k, v in saved.answers.items() if k.startswith(CONTEXT_PREFIX)}
        draft.replace(Submission(side=saved.side, answers=answers, context=context_answers))
        respondent.saved_values, respondent.stored = dict(draft.values), True
        if not any(key.startswith(f"w:{draft.name}:") for key in drawn_elsewhere()):
            st.info(t("org.respond.resumed"))
        # else: the form on screen came from another app server (a failover): the respondent goes on
        # answering it as it is, their last click included (ui/session.py), and is told nothing.
    kept, respondent.from_address = respondent.from_address, None
    if kept is not None:  # newer than anything saved: they were kept while the database was away
        draft.replace(merged(draft.submission()[0], kept))


@st.fragment(run_every=RECONNECT_MARKER_SECONDS)
def rerun_on_reconnect() -> None:
    """Draws nothing. Streamlit's page asks for a whole run when its WebSocket reconnects only if it has a
    self-refreshing fragment (or its last run was a fragment's, or still running): this one makes it ask
    always, so a respondent whose app server was lost (a failover behind the proxy, a restart) has the form
    run again on the server they reach, with what their page shows, their latest click included, before
    they click again (ui/session.py: drawn_elsewhere). It refreshes itself once an hour, for nothing."""


def introduction(t: Translator, assessment: Assessment) -> None:
    """What the assessment asks, and what it can promise: with small groups (Assessment.small_groups) the
    respondent is told that her answers may be recognisable, not promised that no single answer can be
    picked out."""
    intro = "org.respond.intro_small_group" if assessment.small_groups else "org.respond.intro"
    st.write(t(intro, org=escape_markdown(assessment.org_name), min=assessment.min_group_size, usual=SAFE_MIN_GROUP))
    st.caption(t(f"org.respond.access_{assessment.access}", min=assessment.min_group_size))


def _write(t: Translator, respondent: Respondent, submission: Submission, submitting: bool):
    """Save or submit into the round read last. The form is a fragment (pages/respond.py): its clicks do
    not read the round again, so a write that finds it closed or replaced (a new round) reads it then:
    into the new open round it is written again; closed, the whole page reruns and says so."""
    values = {**submission.answers, **submission.context}
    call = database().submit if submitting else database().save_draft
    ids = (respondent.response_id, respondent.key, submission.side, values)
    try:
        return call(respondent.round.id, *ids, holder=respondent.holder)
    except RoundClosed:
        before = respondent.round.id
        _read_round_again(t, respondent)
        if respondent.round.id == before or not respondent.round.is_open:
            if not submitting:
                st.rerun(scope="app")  # the page says the round is closed, and shows no form
            raise
        return call(respondent.round.id, *ids, holder=respondent.holder)


def save_if_changed(t: Translator, respondent: Respondent, draft: DraftState) -> None:
    """Keep the answers so far in the database, if they changed since the last save (including anything
    kept while the database was away); on failure they stay in the session and are retried."""
    if not draft.values or draft.values == respondent.saved_values:
        return
    if not respondent.open_link and set(draft.values) <= {"side"}:
        return  # an invitation fixes the side: merely opening the link must not take its draft over
    with database_errors(t, stop=False, say=None) as outcome:  # invalid data is said, never dropped silently
        try:
            _write(t, respondent, draft.submission()[0], submitting=False)
        except (RoundClosed, AlreadySubmitted, NotInvited):
            return
    if outcome.failed:
        respondent.unsaved = True
        return
    respondent.stored, respondent.unsaved, respondent.saved_values = True, False, dict(draft.values)


def save_as_answered(t: Translator, respondent: Respondent, draft: DraftState) -> None:
    """The saving, for a part of the form that reruns alone (an st.fragment, pages/respond.py): save what
    changed (save_if_changed); while the database is away, keep the answers in the address, click after
    click; and when what the saving notice says changes (first saved, unsaved, saved again), run the whole
    page, once, so that the notice below the form, outside the part, says it."""
    save_if_changed(t, respondent, draft)
    said = respondent.notice
    if said is None:  # a whole page run: its saving notice, after the form, says it and keeps the address
        return
    if respondent.unsaved:
        keep_in_address(draft.values)
    if said != (respondent.stored, respondent.unsaved):
        respondent.notice = None  # asked for once
        rerun_whole_page()


def saving_notice(t: Translator, respondent: Respondent, draft: DraftState) -> None:
    """Unsaved (the answers go to the address, which outlives the session and the app server), or saved
    (an open link shows its resume link). Below the form: above it, it would push the form down mid-tap."""
    respondent.notice = (respondent.stored, respondent.unsaved)
    if respondent.unsaved:
        keep_in_address(draft.values)
        st.warning(t("org.respond.unsaved"))
    elif respondent.stored:
        clear_from_address()
        if not respondent.open_link and not respondent.holder:  # an e-mailed link: only its invitee has it
            st.caption(t("org.respond.saved_invitation"))
            return
        # The key that resumes on another device: an open link's own key, or the holder of a handed-out
        # invitation's draft (the invitation link alone no longer opens it). Shown on this screen only.
        param, resume = ("a", respondent.key) if respondent.open_link else ("i", respondent.holder)
        if st.query_params.get("r") != resume:  # set once: setting it sends the browser a message each time
            st.query_params["r"] = resume
        # One element, the words and the link (inline code: no syntax highlighter loaded, as st.code would on
        # phones, and no link to click). Each element a click sends costs the server CPU (perf/).
        saved = t("org.respond.saved" if respondent.open_link else "org.respond.saved_handed_out")
        st.caption(f"{saved}  \n`{base_url()}/respond?{param}={respondent.code}&r={resume}`")


def submit(t: Translator, respondent: Respondent, draft: DraftState, submission: Submission) -> None:
    """Submit once; a second submit of the same key is "already submitted", never an error."""
    with database_errors(t, stop=False) as outcome:
        try:
            counted = _write(t, respondent, submission, submitting=True)
        except RoundClosed:
            st.warning(t("org.respond.closed"))
            st.stop()
        except NotInvited:
            st.error(t("org.bad_code"))
            st.stop()
    if outcome.unavailable:  # kept, and saved by the next run that reaches the database
        respondent.unsaved = True
        keep_in_address(draft.values)
    if outcome.failed:
        st.stop()
    clear_from_address()
    respondent.done = "thanks" if counted else "already"
    st.session_state.pop(draft.name, None)
    st.rerun()
