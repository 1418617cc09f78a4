"""An invitation e-mail's send is claimed before it leaves: two "Retry" clicks at once (two tabs, two
servers) each read the same failed invitations; each batch is now claimed by one conditional UPDATE …
RETURNING (`invitations.claimed_at`), so each invitee gets one invitation. A claim older than
CLAIM_MINUTES (storage/mailing.py: a run that crashed midway) no longer holds the invitation back.

Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.add_column("invitations", sa.Column("claimed_at", sa.DateTime(timezone=True)))


def downgrade() -> None:
    # Dropped in place, never by a batch copy (see 0004's downgrade).
    op.drop_column("invitations", "claimed_at")
