"""Secret codes: random, URL-safe, stored only as SHA-256 digests, compared in constant time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass

# What a code looks like; anything else is refused before the database is asked.
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{20,64}")


def new_code() -> str:
    """A secret code: 24 random bytes (192 bits), URL-safe."""
    return secrets.token_urlsafe(24)


def hash_code(code: str) -> str:
    """The SHA-256 hex digest stored in place of a code."""
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def well_formed(code: object) -> bool:
    """True if `code` could be a code this app made (a string matching CODE_PATTERN)."""
    return isinstance(code, str) and CODE_PATTERN.fullmatch(code) is not None


def same_digest(stored: str, digest: str) -> bool:
    """Compare two digests in constant time."""
    return hmac.compare_digest(stored, digest)


# Join codes: short enough to type on a phone from a projector. No 0/O, 1/I/L, nor U (read as V): 30 symbols,
# 8 of them, always at least one digit and one letter (`mixed`: the log's scrubber tells a code from a word or a
# number by that, ui/logs.py): 30**8 - 22**8 - 8**8 ≈ 6.0e11 codes (39 bits). Guessing is made useless by the
# gateway (a budget of failed look-ups kept in the database, JoinLimits, and each code expires); see
# Database.find_by_join_code.
JOIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
JOIN_LENGTH = 8


def mixed(code: str) -> bool:
    """Whether `code` holds a digit and a letter, as every join code made here does (a word or a number does not)."""
    return any(c.isdigit() for c in code) and any(c.isalpha() for c in code)


def new_join_code() -> str:
    """A random join code of JOIN_LENGTH symbols from JOIN_ALPHABET, `mixed` (about 1 draw in 11 is not: drawn
    again)."""
    while True:
        code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))
        if mixed(code):
            return code


def room_join_codes(room_key: str) -> tuple[str, str]:
    """The short join code and the join link (192 bits) of a room-view key: HMAC-SHA256 keyed by the room key,
    so every load of `/room?v=…`, on any app server, shows the same code and QR code, and whoever sees them
    (the room, a photo of the screen) cannot work the room key back out of them."""
    key = room_key.encode("utf-8")
    label = b"alignment room join code v1"
    while not mixed(code := _derived_code(key, label)):  # about 1 key in 11: derived again, under another label
        label += b"+"
    link = hmac.new(key, b"alignment room join link v1", hashlib.sha256).digest()[:24]
    return code, base64.urlsafe_b64encode(link).decode("ascii")


def _derived_code(key: bytes, label: bytes) -> str:
    number = int.from_bytes(hmac.new(key, label, hashlib.sha256).digest(), "big")
    symbols = []
    for _ in range(JOIN_LENGTH):  # 256 bits reduced 8 times by 30: no measurable bias
        number, index = divmod(number, len(JOIN_ALPHABET))
        symbols.append(JOIN_ALPHABET[index])
    return "".join(symbols)


def normalise_join_code(typed: object) -> str | None:
    """The join code a person typed, in any case, with any spaces or dashes; None if it cannot be one."""
    if not isinstance(typed, str) or len(typed) > 40:
        return None
    code = re.sub(r"[\s\-·.]", "", typed).upper()
    if len(code) != JOIN_LENGTH or any(ch not in JOIN_ALPHABET for ch in code):
        return None
    return code


def show_join_code(code: str) -> str:
    """A join code as shown, in two groups of four: 'K7M2 QX9P'."""
    return f"{code[:4]} {code[4:]}"


# The join budget's key when the app gives none (the process's own, like Streamlit's cookie secret when
# server.cookieSecret is unset): app servers that share a database should share one (deploy/demo.sh does,
# STREAMLIT_SERVER_COOKIE_SECRET), else each counts a network's failures apart.
_PROCESS_SECRET = secrets.token_bytes(32)


def budget_key(secret: str | bytes | None) -> bytes:
    """The join budget's HMAC key, derived from the servers' secret (never the secret itself: it also signs
    Streamlit's cookies); the process's own random one if none is given."""
    if secret is None or secret == "":
        return _PROCESS_SECRET
    raw = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hmac.new(raw, b"alignment join budget v1", hashlib.sha256).digest()


def network_scope(key: bytes, salt: str, network: str) -> str:
    """A client network's join-budget row: "c:" + HMAC-SHA256 under `key` of the slot's salt and the network.
    Whoever reads the database has the salt, not the key: trying every address gives nothing; once the
    slot's salt is deleted, neither has the servers' secret."""
    return "c:" + hmac.new(key, f"{salt}:{network}".encode(), hashlib.sha256).hexdigest()[:40]


@dataclass(frozen=True)
class JoinLimits:
    """The budget of failed join-code look-ups, per window of `window_seconds`: `per_client` for one client
    address, `overall` for all clients together. A look-up spends one unit of each before the code is
    looked up, and gets them back if the code was right: only failures spend. Kept in the database
    (table join_budget), so it is atomic under concurrent guesses and shared by every app server.

    With 30**8 codes, `overall` failures a minute and a code living 12 hours, a guesser finds one of L live
    codes with probability at most overall × 60 × 12 × L / 30**8: 6.6e-7 × L (1,000 codes live at once:
    1 in 1,500). One client network is held to `per_client`; it takes overall / per_client networks flooding
    at once to spend the overall budget and refuse typed codes to everyone for the window. The room's QR
    code carries a long join link instead, which is not budgeted (it cannot be guessed): whoever scans it
    joins whatever is typed elsewhere.
    """

    window_seconds: float = 60.0
    per_client: int = 20
    overall: int = 600

    @classmethod
    def from_env(cls) -> JoinLimits:
        """JOIN_WINDOW_SECONDS, JOIN_FAILURES_PER_CLIENT and JOIN_FAILURES_OVERALL if set, else the defaults."""

        def read(name: str, default: float) -> str:
            return os.environ.get(name, "").strip() or str(default)

        return cls(
            float(read("JOIN_WINDOW_SECONDS", cls.window_seconds)),
            int(read("JOIN_FAILURES_PER_CLIENT", cls.per_client)),
            int(read("JOIN_FAILURES_OVERALL", cls.overall)),
        )
