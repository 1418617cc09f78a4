"""`Database`, the one way to the database: SQLAlchemy 2 Core, SQLite by default, PostgreSQL by DATABASE_URL.

Everything about an assessment lives in the database, so several app servers on one PostgreSQL serve the
same assessments. `Database` only composes the modules below, split by what changes together:

- storage/plumbing.py: the URL, the engine and its timeouts, SQLite's hooks, transactions, migrations, the
  dialect's INSERT (`Plumbing`, under every other part).
- storage/write_path.py: drafts, submission, counting, steps, recount, with their invariants (`WritePath`).
- storage/assessments.py: creation, codes, invitations, join codes, deletion (`AssessmentStore`).
- storage/access_keys.py: the room view's read-only keys and the join-code failure budget (`AccessKeys`).
- storage/round_admin.py: the organiser's rounds: list, close, reopen, start the next (`RoundAdmin`).
- storage/rehearsal.py: simulated answers in a round of their own (`RehearsalStore`, on the write path).
- storage/reporting.py: a round's counts and export rows (`Reporting`).
- storage/plan_notes.py: the conversation plan's ticks and notes (`PlanNoteStore`).
- storage/actions.py: the follow-up's agreed actions (`ActionStore`).
- storage/mailing.py: invitations by e-mail: the addresses, the e-mailed links, deliveries, reminders (`MailStore`).
"""

from __future__ import annotations

from storage.access_keys import AccessKeys
from storage.actions import ActionStore
from storage.assessments import AssessmentStore, Created
from storage.mailing import MailStore
from storage.plan_notes import PlanNoteStore
from storage.plumbing import DEFAULT_SQLITE_PATH, MIGRATIONS, database_timeout, database_url
from storage.rehearsal import RehearsalStore
from storage.reporting import Reporting, ResultsPage, round_count_queries
from storage.round_admin import RoundAdmin
from storage.write_path import Draft


class Database(
    AssessmentStore, AccessKeys, RoundAdmin, RehearsalStore, Reporting, PlanNoteStore, ActionStore, MailStore
):
    """A gateway to one database; create it once per process (st.cache_resource in the app)."""


__all__ = [
    "DEFAULT_SQLITE_PATH",
    "MIGRATIONS",
    "Created",
    "Database",
    "Draft",
    "ResultsPage",
    "database_timeout",
    "database_url",
    "round_count_queries",
]
