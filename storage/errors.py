"""What the gateway raises, and the failures that mean "the database cannot be reached"."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError

# Raised when the database cannot be reached; pages turn it into a message and keep the answers.
UNAVAILABLE_ERRORS = (OperationalError, DBAPIError)


class RoundClosed(Exception):
    """The round no longer takes answers."""


class AlreadySubmitted(Exception):
    """The response was submitted already; a draft can no longer change it."""
