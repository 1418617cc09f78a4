"""A response keeps no time (privacy review 2): `responses.created_at`, `updated_at` and `submitted_at`
are dropped, so no copy of the database ties anyone's answers to when they were given. The submission
order that stepped reporting needs is the rank `side_seq`, given in the submitting transaction.

Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"

COLUMNS = ("created_at", "updated_at", "submitted_at")


def upgrade() -> None:
    # Dropped in place, never by a batch copy (see 0004's downgrade): no column here is indexed or keyed.
    for column in COLUMNS:
        op.drop_column("responses", column)


def downgrade() -> None:
    # The times are gone for good: an older schema gets the moment of the downgrade, for every response.
    for column in COLUMNS:
        op.add_column("responses", sa.Column(column, sa.DateTime(timezone=True)))
    op.execute("UPDATE responses SET created_at = CURRENT_TIMESTAMP, updated_at = CURRENT_TIMESTAMP")
    op.execute("UPDATE responses SET submitted_at = CURRENT_TIMESTAMP WHERE status = 'submitted'")
