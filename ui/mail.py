"""Invitations by e-mail in the pages: the addresses at creation, the sending, the organiser's counts and
buttons (retry, remind, erase), and the hand-out-links warning. Counts only ever reach a page: never an
address, a link, or which invitee a count is about."""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from alignment.core.i18n import Translator
from alignment.core.questionnaire import Questionnaire
from alignment.core.text import escape_markdown
from alignment.org.addresses import MAX_LINES, parse_addresses
from alignment.org.rounds import MAX_INVITATIONS_PER_SIDE, Assessment, Round
from outbox.campaign import Outcome, send_invitations, send_reminders
from outbox.smtp import settings_or_none
from storage.mailing import MailCounts
from ui.db import base_url, database
from ui.errors import database_errors
from ui.widgets import upload_instructions

MAX_UPLOAD_MB = 1
FLASH = "mail:flash"  # what a button did, shown once after the rerun


def public_url() -> str:
    """The app's address as respondents open it: PUBLIC_URL if set, else the organiser's browser's."""
    return os.environ.get("PUBLIC_URL", "").strip().rstrip("/") or base_url()


def handout_warning(t: Translator, where: str) -> None:
    """The hand-out-links mode: the organiser holds every link and can learn who answered."""
    st.warning(t(f"mail.{where}.handout_warning"), icon=":material/visibility:")


def address_inputs(t: Translator, q: Questionnaire) -> dict[str, tuple[str, object]]:
    """Per side, the pasted text and the uploaded file (read when the form is submitted)."""
    st.caption(t("mail.create.intro"))
    st.caption(t("mail.create.limits"))
    given = {}
    for side in q.side_ids:
        text_column, file_column = st.columns([3, 2])
        pasted = text_column.text_area(
            t("mail.create.list", side=t(f"org.side_short.{side}")), height=100, key=f"new_assessment:addresses:{side}"
        )
        upload_instructions(t, f"new_assessment-addresses_file-{side}", MAX_UPLOAD_MB, "TXT, CSV")
        upload = file_column.file_uploader(
            t("mail.create.upload"),
            type=["txt", "csv"],
            key=f"new_assessment:addresses_file:{side}",
            max_upload_size=MAX_UPLOAD_MB,
        )
        given[side] = (pasted, upload)
    return given


@dataclass(frozen=True)
class Checked:
    addresses: dict[str, tuple[str, ...]]
    problems: list[str]  # each names the side and the lines; nothing is stored while there is one
    notes: list[str]


def _read_side(t: Translator, label: str, pasted: str, upload) -> tuple[dict[str, None], list[str], list[str]]:
    """One side's addresses from its pasted text and uploaded file, and the problems and notes on them."""
    problems, notes = [], []
    sources = [(label, pasted or "")]
    if upload is not None:
        file_label = f"{label} ({escape_markdown(upload.name)})"
        try:
            sources.append((file_label, upload.getvalue().decode("utf-8-sig")))
        except UnicodeDecodeError:
            problems.append(t("mail.create.bad_upload", side=file_label))
    found: dict[str, None] = {}
    for where, text in sources:
        parsed = parse_addresses(text)
        if parsed.too_many_lines:
            problems.append(t("mail.create.too_many_lines", side=where, max=t.number(MAX_LINES)))
            continue
        if parsed.bad_lines:
            lines = t.join([str(n) for n in parsed.bad_lines[:20]] + (["…"] if len(parsed.bad_lines) > 20 else []))
            problems.append(t.plural("mail.create.bad_lines", len(parsed.bad_lines), side=where, lines=lines))
        repeated = parsed.repeated + sum(1 for a in parsed.addresses if a in found)
        if repeated:
            notes.append(t.plural("mail.create.repeated", repeated, side=where))
        found.update(dict.fromkeys(parsed.addresses))
    if len(found) > MAX_INVITATIONS_PER_SIDE:
        problems.append(t("org.create.too_many_invitees", sides=label, max=MAX_INVITATIONS_PER_SIDE))
    return found, problems, notes


def check_addresses(t: Translator, given: dict[str, tuple[str, object]]) -> Checked:
    """The addresses per side, or the problems that name each bad line (and nothing is lost: the text and
    file stay in their fields). An address on two sides, too many, none at all, or no mail server: named."""
    problems, notes, addresses = [], [], {}
    sides_of: dict[str, list[str]] = {}
    for side, (pasted, upload) in given.items():
        label = t(f"org.side_short.{side}")
        found, side_problems, side_notes = _read_side(t, label, pasted, upload)
        problems += side_problems
        notes += side_notes
        if found:
            addresses[side] = tuple(found)
        for address in found:
            sides_of.setdefault(address.lower(), []).append(label)
    twice = sorted({side for sides in sides_of.values() if len(sides) > 1 for side in sides})
    if twice:
        problems.append(t("mail.create.twice", sides=t.join(twice)))
    if not addresses and not problems:
        problems.append(t("mail.create.none"))
    if settings_or_none() is None:
        problems.append(t("mail.create.not_configured"))
    return Checked(addresses, problems, notes)


def send(t: Translator, assessment_id: str) -> Outcome | None:
    """Send the assessment's invitations not sent yet (at creation, and the retry button); None if the
    database could not be reached (the page has said so; nothing is lost, the retry sends them)."""
    with st.spinner(t("mail.results.sending")), database_errors(t, stop=False) as failed:
        outcome = send_invitations(database(), assessment_id, public_url(), settings_or_none())
    return None if failed.failed else outcome


def outcome_lines(t: Translator, outcome: Outcome) -> str:
    return t("mail.results.retried", sent=outcome.sent, failed=_reasons(t, outcome.failed) or "0")


def _reasons(t: Translator, failed: dict[str, int]) -> str:
    return t.join(
        [t("mail.results.failed_reason", count=n, reason=t(f"mail.failure.{r}")) for r, n in sorted(failed.items())]
    )


def _counts(t: Translator, q: Questionnaire, counts: MailCounts) -> None:
    """The table of counts per side, the failures by class, the last reminder run."""
    sides = [side for side in q.side_ids if side in counts.sides]
    figures = {
        "invited": lambda c: c.invited,
        "sent": lambda c: c.sent,
        "waiting": lambda c: c.pending,
        "failed": lambda c: sum(c.failed.values()),
        "answered": lambda c: c.answered,
    }
    rows = {t("mail.results.col_side"): [t(f"org.side_short.{side}") for side in sides]}
    for column, figure in figures.items():
        rows[t(f"mail.results.col_{column}")] = [t.number(figure(counts.sides[side])) for side in sides]
    st.table(rows)
    for side in sides:
        if counts.sides[side].failed:
            reasons = _reasons(t, counts.sides[side].failed)
            st.caption(t("mail.results.failed_detail", side=t(f"org.side_short.{side}"), reasons=reasons))
    if counts.last_reminder:
        at, reminded, failed = counts.last_reminder
        st.caption(t("mail.results.last_reminder", date=t.date(at.date()), reminded=reminded, failed=failed))


def _buttons(t: Translator, assessment: Assessment, counts: MailCounts, configured: bool) -> None:
    """Retry what was not sent, remind who has not answered, erase the addresses: each says what it did."""
    left, middle, right = st.columns(3)
    retry = counts.to_retry and left.button(
        t("mail.results.retry", count=counts.to_retry), disabled=not configured, key="mail:retry"
    )
    if retry and (outcome := send(t, assessment.id)) is not None:
        st.session_state[FLASH] = outcome_lines(t, outcome)
        st.rerun()
    if middle.button(
        t("mail.results.remind"), help=t("mail.results.remind_help"), disabled=not configured, key="mail:remind"
    ):
        with st.spinner(t("mail.results.sending")), database_errors(t):
            outcome = send_reminders(database(), assessment.id, public_url(), settings_or_none())
        message = t.plural("mail.results.reminded", outcome.sent)
        st.session_state[FLASH] = f"{message} {outcome_lines(t, outcome)}" if outcome.failed else message
        st.rerun()
    if right.button(t("mail.results.erase"), help=t("mail.results.erase_help"), key="mail:erase"):
        with database_errors(t):
            database().erase_addresses(assessment.id)
        st.session_state[FLASH] = t("mail.results.erase_done")
        st.rerun()


def mail_section(t: Translator, q: Questionnaire, assessment: Assessment, rnd: Round, current: Round) -> None:
    """The organiser's view of invitations by e-mail: counts per side, and the retry, remind and erase buttons."""
    st.subheader(t("mail.results.heading"))
    st.caption(t("mail.results.intro"))
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.info(flash)
    with database_errors(t):
        counts = database().mail_counts(assessment.id, rnd.id)
    _counts(t, q, counts)
    if not counts.addresses_kept:
        st.caption(t("mail.results.erased"))
        return
    st.caption(t("mail.results.kept"))
    configured = settings_or_none() is not None
    if not configured:
        st.warning(t("mail.results.not_configured"))
    if current.is_open:
        _buttons(t, assessment, counts, configured)
