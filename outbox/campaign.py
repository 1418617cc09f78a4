"""Sending an assessment's invitations and reminders: what the organisation page's buttons and the
scheduled command (`python -m outbox remind`) run.

Each message carries a fresh personal link and stop link, stored as digests before it leaves. What comes
back to the caller, and so to the organiser, is counts: how many were sent, how many failed and why (the
failure's class). Never an address, a link or which invitee a count is about.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from outbox.messages import invitation_message, respond_link, stop_link
from outbox.smtp import Mailer, SmtpSettings


@dataclass(frozen=True)
class Outcome:
    sent: int = 0
    failed: dict[str, int] = field(default_factory=dict)  # failure class -> count

    @property
    def failures(self) -> int:
        return sum(self.failed.values())


def _send(db, mailer: Mailer, settings: SmtpSettings | None, base_url: str, one, *, reminder: bool) -> str | None:
    code, stop = db.new_mail_link(one.invitation_id)
    message = invitation_message(
        one.lang,
        one.org_name,
        one.min_group_size,
        one.address,
        settings.sender if settings else "",
        respond_link(base_url, code),
        stop_link(base_url, stop),
        reminder=reminder,
    )
    return mailer.send(message)


def send_invitations(db, assessment_id: str, base_url: str, settings: SmtpSettings | None) -> Outcome:
    """Send every invitation of the assessment not sent yet or that failed (a retry is the same call)."""
    failed: Counter = Counter()
    sent = 0
    pending = db.mail_to_send(assessment_id)
    if settings is None:
        for one in pending:
            db.record_delivery(one.invitation_id, "config")
        return Outcome(0, {"config": len(pending)} if pending else {})
    with Mailer(settings) as mailer:
        for one in pending:
            reason = _send(db, mailer, settings, base_url, one, reminder=False)
            db.record_delivery(one.invitation_id, reason)
            if reason is None:
                sent += 1
            else:
                failed[reason] += 1
    return Outcome(sent, dict(failed))


def send_reminders(db, assessment_id: str, base_url: str, settings: SmtpSettings | None) -> Outcome:
    """Remind the invitees whose links have not submitted in the open round (storage.mailing.to_remind)."""
    round_id, targets = db.mail_to_remind(assessment_id)
    if round_id is None or not targets:
        return Outcome()
    failed: Counter = Counter()
    sent = 0
    with Mailer(settings) as mailer:
        for one in targets:
            reason = _send(db, mailer, settings, base_url, one, reminder=True)
            if reason is None:
                db.record_reminder(one.invitation_id)
                sent += 1
            else:
                failed[reason] += 1
    db.record_reminder_run(round_id, sent, sum(failed.values()))
    return Outcome(sent, dict(failed))


def remind_all(db, base_url: str, settings: SmtpSettings | None) -> tuple[int, Outcome]:
    """Reminders for every assessment by e-mail that keeps addresses: (assessments visited, total outcome)."""
    total: Counter = Counter()
    sent = 0
    visited = db.assessments_with_addresses()
    for assessment_id in visited:
        outcome = send_reminders(db, assessment_id, base_url, settings)
        sent += outcome.sent
        total.update(outcome.failed)
    return len(visited), Outcome(sent, dict(total))
