"""Answers carry their round, indexed, so one round's counts read that round's rows only.

Before: counting a round joined every answer in the database to its response, and PostgreSQL chose a
sequential scan of the whole `answers` table once one organisation was large. Now `answers.round_id`
(copied from the response, kept equal to it by the gateway) leads a covering index, and a round's
counts are an index range scan of that round's answers.

Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.add_column("answers", sa.Column("round_id", sa.Integer(), nullable=True))
    # Carry the data over: every answer takes its response's round.
    op.execute(
        "UPDATE answers SET round_id = "
        "(SELECT responses.round_id FROM responses WHERE responses.id = answers.response_id)"
    )
    with op.batch_alter_table("answers") as batch:
        batch.alter_column("round_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key("fk_answers_round_id", "rounds", ["round_id"], ["id"], ondelete="CASCADE")
    op.create_index("ix_answers_round", "answers", ["round_id", "item", "value", "response_id"])


def downgrade() -> None:
    op.drop_index("ix_answers_round", table_name="answers")
    with op.batch_alter_table("answers") as batch:
        batch.drop_constraint("fk_answers_round_id", type_="foreignkey")
        batch.drop_column("round_id")
