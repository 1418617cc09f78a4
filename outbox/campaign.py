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


BATCH = 50  # e-mails per database round trip: their links are stored before, their outcomes after


def _batches(items: list) -> list[list]:
    return [items[n : n + BATCH] for n in range(0, len(items), BATCH)]


def _send_batch(db, mailer: Mailer, settings: SmtpSettings, base_url: str, batch, *, reminder: bool):
    """Send one e-mail to each invitee of the batch; their (invitation id, failure class or None)."""
    links = db.new_mail_links([one.invitation_id for one in batch])
    outcomes = []
    for one, (code, stop) in zip(batch, links, strict=True):
        message = invitation_message(
            one.lang,
            one.org_name,
            one.min_group_size,
            one.address,
            settings.sender,
            respond_link(base_url, code),
            stop_link(base_url, stop),
            reminder=reminder,
        )
        outcomes.append((one.invitation_id, mailer.send(message)))
    return outcomes


def send_invitations(db, assessment_id: str, base_url: str, settings: SmtpSettings | None) -> Outcome:
    """Send every invitation of the assessment not sent yet or that failed (a retry is the same call).
    A crash midway loses nothing: what was not recorded as sent is sent again by the retry."""
    failed: Counter = Counter()
    sent = 0
    pending = db.mail_to_send(assessment_id)
    if settings is None:
        claimed = db.claim_mail(pending)
        db.record_deliveries([(one.invitation_id, "config") for one in claimed])
        return Outcome(0, {"config": len(claimed)} if claimed else {})
    with Mailer(settings) as mailer:
        for batch in _batches(pending):
            batch = db.claim_mail(batch)  # a retry clicked twice at once: each invitation goes once
            if not batch:
                continue
            outcomes = _send_batch(db, mailer, settings, base_url, batch, reminder=False)
            db.record_deliveries(outcomes)
            sent += sum(1 for _, reason in outcomes if reason is None)
            failed.update(reason for _, reason in outcomes if reason)
    return Outcome(sent, dict(failed))


def send_reminders(db, assessment_id: str, base_url: str, settings: SmtpSettings | None) -> Outcome:
    """Remind the invitees whose links have not submitted in the open round (storage.mailing.to_remind)."""
    if settings is None:
        return Outcome(0, {"config": len(db.mail_to_remind(assessment_id, claim=False)[1])})
    round_id, targets = db.mail_to_remind(assessment_id)  # claimed: a concurrent run gets none of them
    if round_id is None or not targets:
        return Outcome()
    failed: Counter = Counter()
    sent = 0
    with Mailer(settings) as mailer:
        for batch in _batches(targets):
            outcomes = _send_batch(db, mailer, settings, base_url, batch, reminder=True)
            db.release_reminders([invitation for invitation, reason in outcomes if reason is not None])
            sent += sum(1 for _, reason in outcomes if reason is None)
            failed.update(reason for _, reason in outcomes if reason)
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
