"""The follow-up's actions, tied to statements and kept with the assessment (table follow_up_actions).

Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_table(
        "follow_up_actions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "assessment_id",
            sa.String(36),
            sa.ForeignKey("assessments.id", ondelete="CASCADE", name="fk_follow_up_actions_assessment_id"),
            nullable=False,
        ),
        sa.Column("item", sa.String(60), nullable=False),
        sa.Column("text", sa.String(300), nullable=False),
        sa.Column("owner", sa.String(80), nullable=False, server_default=""),
        sa.Column("due", sa.Date()),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("note", sa.String(300), nullable=False, server_default=""),
        sa.Column("round_number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_follow_up_actions_assessment", "follow_up_actions", ["assessment_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_follow_up_actions_assessment", table_name="follow_up_actions")
    op.drop_table("follow_up_actions")
