"""Invitations by e-mail: the SMTP settings and sending (outbox.smtp), the messages (outbox.messages), and
the sending of an assessment's invitations and reminders (outbox.campaign; `python -m outbox remind` for a
scheduler). Addresses and links never reach a log line: a failure is kept as its class, never its text."""
