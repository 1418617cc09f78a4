"""SMTP through Python's smtplib, configured by environment variables (docs/operations.md).

A send never raises for what a mail server does: it returns None (accepted) or a failure class
(FAILURES). The class is all that is kept or shown: an SMTP error's text names the address it refused,
so it never reaches a log line, a page or the database.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
# Why a message was not sent, as the organiser sees it (each has a text under mail.failure.* in locales/):
# the server could not be reached or dropped the connection; it refused our login; it refused the
# address; it refused the message (sender, content, size); e-mail is not configured on this server.
FAILURES = ("unreachable", "auth", "refused", "rejected", "config")


class MailConfigError(ValueError):
    """The SMTP_* variables are set but wrong; the message names the variable, never a value."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    security: str = "starttls"
    user: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 10.0
    ca_file: str = ""  # a private CA's certificates (PEM) to trust besides the system's

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """The settings from SMTP_HOST, SMTP_PORT, SMTP_SECURITY, SMTP_USER, SMTP_PASSWORD, SMTP_FROM,
        SMTP_TIMEOUT_SECONDS and SMTP_CA_FILE; None when SMTP_HOST is unset (e-mail is not configured)."""
        env = os.environ if environ is None else environ
        host = env.get("SMTP_HOST", "").strip()
        if not host:
            return None
        security = env.get("SMTP_SECURITY", "").strip().lower() or "starttls"
        if security not in SECURITY:
            raise MailConfigError(f"SMTP_SECURITY must be one of {', '.join(SECURITY)}")
        try:
            port = int(env.get("SMTP_PORT", "").strip() or DEFAULT_PORTS[security])
            timeout = float(env.get("SMTP_TIMEOUT_SECONDS", "").strip() or 10)
        except ValueError:
            raise MailConfigError("SMTP_PORT and SMTP_TIMEOUT_SECONDS must be numbers") from None
        if not 0 < port < 65536 or not 0 < timeout <= 300:
            raise MailConfigError("SMTP_PORT or SMTP_TIMEOUT_SECONDS is out of range")
        sender = env.get("SMTP_FROM", "").strip()
        if "@" not in parseaddr(sender)[1]:
            raise MailConfigError("SMTP_FROM must be an e-mail address (the invitations' sender)")
        user, password = env.get("SMTP_USER", ""), env.get("SMTP_PASSWORD", "")
        ca_file = env.get("SMTP_CA_FILE", "").strip()
        if ca_file and not os.path.isfile(ca_file):
            raise MailConfigError("SMTP_CA_FILE must name a readable file of certificates (PEM)")
        return cls(host, port, sender, security, user, password, timeout, ca_file)


def settings_or_none() -> SmtpSettings | None:
    """The settings, or None if e-mail is not configured or configured wrongly (the page says so)."""
    try:
        return SmtpSettings.from_env()
    except MailConfigError:
        return None


def _failure(error: BaseException) -> str:
    """The class of a failed send (one of FAILURES)."""
    if isinstance(error, smtplib.SMTPAuthenticationError | smtplib.SMTPNotSupportedError):
        return "auth"
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "refused"
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return "unreachable"
    if isinstance(error, smtplib.SMTPException):  # (a subclass of OSError: asked first)
        return "rejected"  # the sender, the data, or any other answer of the server
    return "unreachable"  # OSError: refused connection, timeout, TLS failure, name not found


class Mailer:
    """One SMTP connection for a batch of messages, opened on the first send and again after a drop.

    `with Mailer(settings) as mailer: reason = mailer.send(message)`; reason is None when the server took
    the message, else a class from FAILURES. Once the server cannot be reached, the rest of the batch fails
    as "unreachable" at once, without waiting for a timeout per message.
    """

    def __init__(self, settings: SmtpSettings | None) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._down: str | None = None if settings else "config"  # once set, every send fails with it

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        assert s is not None
        context = ssl.create_default_context(cafile=s.ca_file or None)  # certificates and host name checked
        if s.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(s.host, s.port, timeout=s.timeout, context=context)
        else:
            smtp = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if s.user:
                smtp.login(s.user, s.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(self, message: EmailMessage) -> str | None:
        """Send one message; None if the server took it, else its failure class. Never raises for SMTP."""
        if self._down:
            return self._down
        for attempt in (1, 2):  # a connection dropped since the last message (idle timeout) is opened again once
            fresh = self._smtp is None
            try:
                if self._smtp is None:
                    self._smtp = self._connect()
                self._smtp.send_message(message)
                return None
            except (smtplib.SMTPException, OSError) as error:
                reason = _failure(error)
                if reason in ("unreachable", "auth"):
                    self.close()
                    if fresh or attempt == 2:  # could not connect, or log in: the rest fails alike
                        self._down = reason
                        return reason
                    continue
                return reason  # this address or message only: smtplib has reset the transaction
        return "unreachable"  # not reached
