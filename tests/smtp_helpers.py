"""A real SMTP server on loopback for the tests (aiosmtpd), that keeps what it is given.

It speaks SMTP like any server (EHLO, optional AUTH PLAIN without TLS, MAIL, RCPT, DATA); the
tests tell it to refuse some addresses or every message, and read the delivered messages back.
"""

from __future__ import annotations

import email
import email.policy
import re
import shutil
import ssl
import subprocess
import threading
from email.message import EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.conftest import free_port, skip_or_fail

LINK = re.compile(r"https?://\S+/respond\?i=([A-Za-z0-9_-]+)")
STOP = re.compile(r"https?://\S+/stop\?u=([A-Za-z0-9_-]+)")


def make_certificate(folder: Path) -> Path:
    """A self-signed certificate for 127.0.0.1 (and its key beside it, .key), made by the openssl program;
    it is its own CA: SMTP_CA_FILE names it. Returns the certificate's path."""
    if shutil.which("openssl") is None:
        skip_or_fail("openssl is missing: run tests/ensure_system_tools.sh")
    certificate, key = folder / "smtp.pem", folder / "smtp.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return certificate


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

    def __init__(self, user: str = "", password: str = "", tls: str = "", certificate: Path | None = None) -> None:
        """`tls`: "starttls" (offered and required before AUTH and MAIL) or "tls" (from the first byte),
        with `certificate` (make_certificate) as the server's."""
        self.port = free_port()
        self.tls = tls
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
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(certificate, certificate.with_suffix(".key"))
            if tls == "starttls":  # AUTH and MAIL only after STARTTLS
                options |= {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
            else:  # TLS from the first byte (aiosmtpd does not count it as "TLS" for auth_require_tls)
                options["ssl_context"] = context
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
        env = {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.port),
            "SMTP_SECURITY": self.tls or "none",
            "SMTP_FROM": sender,
        }
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
