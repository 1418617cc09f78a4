"""Secret codes: random, URL-safe, stored only as SHA-256 digests, compared in constant time."""

from __future__ import annotations

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
# 8 of them: 30**8 ≈ 6.6e11 codes (39 bits). Guessing is made useless by the gateway (a budget of failed
# look-ups kept in the database, JoinLimits, and each code expires); see Database.find_by_join_code.
JOIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
JOIN_LENGTH = 8


def new_join_code() -> str:
    """A random join code of JOIN_LENGTH symbols from JOIN_ALPHABET."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))


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


@dataclass(frozen=True)
class JoinLimits:
    """The budget of failed join-code look-ups, per window of `window_seconds`: `per_client` for one client
    address, `overall` for all clients together. A look-up spends one unit of each before the code is
    looked up, and gets them back if the code was right: only failures spend. Kept in the database
    (table join_budget), so it is atomic under concurrent guesses and shared by every app server.

    With 30**8 codes, `overall` failures a minute and a code living 12 hours, a guesser finds one of L live
    codes with probability at most overall × 60 × 12 × L / 30**8: 6.6e-7 × L (1,000 codes live at once:
    1 in 1,500). One client is held to `per_client`; it takes overall / per_client addresses flooding at
    once to spend the overall budget and refuse typed codes to everyone for the window.
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
