"""A real SMTP server on loopback for the tests (aiosmtpd), that keeps what it is given.

It speaks SMTP like any server (EHLO, optional AUTH PLAIN without TLS, MAIL, RCPT, DATA); the
tests tell it to refuse some addresses or every message, and read the delivered messages back.
"""

from __future__ import annotations

import email
import email.policy
import re
import threading
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.conftest import free_port

LINK = re.compile(r"https?://\S+/respond\?i=([A-Za-z0-9_-]+)")
STOP = re.compile(r"https?://\S+/stop\?u=([A-Za-z0-9_-]+)")


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.sink.refuse_addresses:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.sink.refuse_data:
            return "554 5.7.1 message refused"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.sink.lock:
            self.sink.messages.append((tuple(envelope.rcpt_tos), message))
        return "250 Message accepted"


class SmtpSink:
    """`with SmtpSink() as sink:` a server on 127.0.0.1:sink.port; sink.messages holds (recipients, message)."""

    def __init__(self, user: str = "", password: str = "") -> None:
        self.port = free_port()
        self.messages: list[tuple[tuple[str, ...], EmailMessage]] = []
        self.lock = threading.Lock()
        self.refuse_addresses: set[str] = set()
        self.refuse_data = False
        self.user, self.password = user, password
        options = {}
        if user:
            options = {
                "authenticator": self._authenticate,
                "auth_required": True,
                "auth_require_tls": False,  # loopback only; the app's TLS settings are smtplib's own
                "auth_exclude_mechanism": ["LOGIN"],  # PLAIN only: one round trip, the way smtplib tries first
            }
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, **options)

    def _authenticate(self, server, session, envelope, mechanism, data):
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            self.user.encode(),
            self.password.encode(),
        )
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop listening (the server is down: connections are refused); safe to call twice."""
        if getattr(self.controller, "_thread", None) is not None:
            self.controller.stop()

    def env(self, sender: str = "alignment@example.org") -> dict[str, str]:
        """The SMTP_* variables that point the app at this server."""
        env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(self.port), "SMTP_SECURITY": "none", "SMTP_FROM": sender}
        if self.user:
            env |= {"SMTP_USER": self.user, "SMTP_PASSWORD": self.password}
        return env

    def delivered(self) -> list[tuple[str, EmailMessage]]:
        """(recipient, message) for each message taken, in order."""
        with self.lock:
            return [(to, message) for tos, message in self.messages for to in tos]

    def links(self) -> dict[str, list[str]]:
        """Per recipient (in lower case), the personal link codes of the messages they were sent, oldest first."""
        found: dict[str, list[str]] = {}
        for to, message in self.delivered():
            found.setdefault(to.lower(), []).extend(LINK.findall(message.get_content()))
        return found

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()
