"""Secret codes: random, URL-safe, stored only as SHA-256 digests, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

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
