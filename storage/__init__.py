"""The only way to the database. This module only re-exports; see the modules below.

- `storage.gateway`: the Database gateway (SQLAlchemy 2 Core; SQLite by default, PostgreSQL by DATABASE_URL).
- `storage.codes`: secret codes (192 random bits, stored as SHA-256 digests, compared in constant time).
- `storage.errors`: what the gateway raises, and the failures that mean "the database cannot be reached".
- `storage.validation`: what the gateway checks before it stores (InvalidData names what was refused).
- `storage.deadline`: the gateway behind a deadline, for pages (a frozen server cannot hang a page).
- `storage.schema`: the tables; `storage/migrations/`: the Alembic migrations that create them.
"""

from storage.assessments import RoomJoin
from storage.codes import (
    CODE_PATTERN,
    JoinLimits,
    hash_code,
    new_code,
    normalise_join_code,
    same_digest,
    show_join_code,
    well_formed,
)
from storage.deadline import Deadlined
from storage.errors import (
    UNAVAILABLE_ERRORS,
    AlreadySubmitted,
    DatabaseTimeout,
    NotInvited,
    RoundClosed,
    TooManyAttempts,
)
from storage.gateway import (
    DEFAULT_SQLITE_PATH,
    MIGRATIONS,
    Created,
    Database,
    Draft,
    ResultsPage,
    database_timeout,
    database_url,
)
from storage.validation import InvalidData

__all__ = [
    "CODE_PATTERN",
    "DEFAULT_SQLITE_PATH",
    "MIGRATIONS",
    "UNAVAILABLE_ERRORS",
    "AlreadySubmitted",
    "Created",
    "Database",
    "DatabaseTimeout",
    "Deadlined",
    "Draft",
    "InvalidData",
    "JoinLimits",
    "NotInvited",
    "ResultsPage",
    "RoomJoin",
    "RoundClosed",
    "TooManyAttempts",
    "database_timeout",
    "database_url",
    "hash_code",
    "new_code",
    "normalise_join_code",
    "same_digest",
    "show_join_code",
    "well_formed",
]
