"""`python -m outbox remind`: remind, in every assessment by e-mail whose round is open, the invitees who
have not answered it (at most once every storage.mailing.REMIND_EVERY_HOURS hours each). For a scheduler
(cron); see docs/operations.md. It prints counts only, never an address or a link.

Needs DATABASE_URL (as the app), the SMTP_* variables, and PUBLIC_URL: the app's address as respondents
open it (the links in the e-mails start with it), or --url.
"""

from __future__ import annotations

import argparse
import os
import sys

from outbox.campaign import remind_all
from outbox.smtp import MailConfigError, SmtpSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m outbox", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["remind"])
    parser.add_argument("--url", default=os.environ.get("PUBLIC_URL", ""), help="the app's public address")
    args = parser.parse_args(argv)
    url = args.url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        print("PUBLIC_URL (or --url) must be the app's address, e.g. https://alignment.example.org", file=sys.stderr)
        return 2
    try:
        settings = SmtpSettings.from_env()
    except MailConfigError as error:
        print(f"e-mail is misconfigured: {error}", file=sys.stderr)
        return 2
    if settings is None:
        print("e-mail is not configured: set SMTP_HOST and SMTP_FROM (docs/operations.md)", file=sys.stderr)
        return 2
    from storage import Database  # after the checks: a wrong setting answers at once

    db = Database()
    try:
        db.migrate()
        visited, outcome = remind_all(db, url, settings)
    finally:
        db.dispose()
    failures = ", ".join(f"{n} {reason}" for reason, n in sorted(outcome.failed.items())) or "none"
    print(f"assessments with addresses: {visited}; reminded: {outcome.sent}; failed: {failures}")
    return 1 if outcome.failures and not outcome.sent else 0


if __name__ == "__main__":
    sys.exit(main())
