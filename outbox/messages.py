"""The invitation and reminder e-mails, in the assessment's language: plain text, one per invitee."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from alignment.core.i18n import Translator


def respond_link(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}/respond?i={code}"


def stop_link(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/stop?u={token}"


def invitation_message(
    lang: str,
    org: str,
    min_group: int,
    to: str,
    sender: str,
    link: str,
    stop: str,
    *,
    reminder: bool = False,
) -> EmailMessage:
    """One invitee's message: their personal link and their stop link, nothing about anyone else."""
    t = Translator(lang)
    kind = "reminder" if reminder else "invitation"
    message = EmailMessage()
    message["Subject"] = t(f"mail.{kind}_subject", org=org)
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message["Auto-Submitted"] = "auto-generated"
    message["List-Unsubscribe"] = f"<{stop}>"  # mail programs show it as "unsubscribe": it opens the stop page
    body = "\n\n".join(
        [
            t(f"mail.{kind}_body", org=org, min=min_group),
            link,
            t("mail.privacy", min=min_group),
            t("mail.stop_line", stop=stop),
        ]
    )
    message.set_content(body + "\n")
    message["Content-Language"] = lang  # after set_content, which replaces the Content-* headers
    return message
