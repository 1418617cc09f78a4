"""Rehearsal rounds and room join codes.

- `rounds.rehearsal`: a round of simulated answers (number 0, at most one per assessment) for trying the
  room view before a session. The gateway never lists it among an assessment's rounds, so it is never
  counted, exported or compared; deleting it is one click.
- `join_codes`: short codes typed on a phone (or read from the room view's QR code) that stand for the
  respondent link until they expire; stored only as SHA-256 digests.

Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    op.add_column("rounds", sa.Column("rehearsal", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "join_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column(
            "assessment_id",
            sa.String(36),
            sa.ForeignKey("assessments.id", ondelete="CASCADE", name="fk_join_codes_assessment_id"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_join_codes_assessment", "join_codes", ["assessment_id"])


def downgrade() -> None:
    # Without the flag a rehearsal round would pass for a real one: its simulated answers go first.
    rehearsal_rounds = "(SELECT id FROM rounds WHERE rehearsal)"
    for table in ("answer_counts", "response_counts", "answers", "responses"):
        op.execute(f"DELETE FROM {table} WHERE round_id IN {rehearsal_rounds}")
    op.execute("DELETE FROM rounds WHERE rehearsal")
    op.drop_index("ix_join_codes_assessment", table_name="join_codes")
    op.drop_table("join_codes")
    # A plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35), not a batch copy: on SQLite, dropping the copied
    # rounds table would cascade to every response.
    op.drop_column("rounds", "rehearsal")
