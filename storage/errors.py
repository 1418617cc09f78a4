"""What the gateway raises, and the failures that mean "the database cannot be reached"."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.exc import TimeoutError as PoolTimeout


class DatabaseTimeout(Exception):
    """A call to the database did not finish within its deadline (a hung or frozen server)."""


# Every way the database can fail a page: refused or lost connections, statement and lock timeouts
# (OperationalError), anything else the driver raises (DBAPIError: DataError, IntegrityError,
# InterfaceError...), an exhausted pool (PoolTimeout) and a call past its deadline. Pages turn them
# into the localised "database cannot be reached" message and keep the answers.
UNAVAILABLE_ERRORS = (DBAPIError, DisconnectionError, PoolTimeout, DatabaseTimeout)


class RoundClosed(Exception):
    """The round no longer takes answers."""


class AlreadySubmitted(Exception):
    """The response was submitted already; a draft can no longer change it."""


class NotInvited(Exception):
    """The assessment answers by invitation only, and this key is not one of its codes."""


class TooManyAttempts(Exception):
    """Too many wrong join codes lately (from this client, or from everyone): the code was not looked up."""
