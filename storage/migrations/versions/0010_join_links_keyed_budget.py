"""Issue 16, item 6 and the review: the room's QR code carries a long join link, and the join budget's
network digest is keyed.

- `join_codes.link_hash`: the SHA-256 digest of a 192-bit join link made with the short code, living and
  going with it (same row: same expiry, deleted with it). Looking it up is not budgeted: it cannot be
  guessed, so a flood of wrong short codes never holds back someone who scans the QR code.
- `join_salts`: one random salt per time slot of the join budget; a client's budget row is an HMAC of its
  network under the salt and a server secret, and both the salts and the rows of past slots are deleted
  on a timer, so that after the window nothing in the database can be turned back into an address.
- The budget rows of before (unsalted SHA-256 digests of addresses) are deleted.

Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.add_column("join_codes", sa.Column("link_hash", sa.String(64)))
    op.create_index("ix_join_codes_link", "join_codes", ["link_hash"], unique=True)
    op.create_table(
        "join_salts",
        sa.Column("slot", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("salt", sa.String(64), nullable=False),
    )
    op.execute("DELETE FROM join_budget")


def downgrade() -> None:
    op.execute("DELETE FROM join_budget")
    op.drop_table("join_salts")
    op.drop_index("ix_join_codes_link", table_name="join_codes")
    # Dropped in place, never by a batch copy (see 0004's downgrade).
    op.drop_column("join_codes", "link_hash")
