"""A round's cost follows that round: answers carry their round, and submitted answers are counted.

Before: counting a round joined every answer in the database to its response, and PostgreSQL chose a
sequential scan of the whole `answers` table once one organisation was large. Now:
- `answers.round_id` (copied from the response, kept equal to it by the gateway) leads the index
  `ix_answers_round`, so reading one round's answers (exports, a recount) is an index range scan;
- `answer_counts` holds the submitted answers of each round counted per (side, item, value), filled
  here from the data and kept by the gateway as responses are submitted, so a round's counts are a
  primary-key range scan of a few hundred rows at most;
- `ix_responses_round_status` takes the side too, so counting a round's responses per side reads the
  index only.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


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
    # A round's responses per side: an index-only count (the side joins the index).
    op.drop_index("ix_responses_round_status", table_name="responses")
    op.create_index("ix_responses_round_status", "responses", ["round_id", "status", "side"])
    op.create_table(
        "answer_counts",
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("rounds.id", ondelete="CASCADE", name="fk_answer_counts_round_id"),
            nullable=False,
        ),
        sa.Column("side", sa.String(20), nullable=False),
        sa.Column("item", sa.String(60), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("round_id", "side", "item", "value", name="pk_answer_counts"),
    )
    # Carry the data over: the submitted answers counted so far (with fresh statistics, so that PostgreSQL
    # joins with a hash, not a nested loop guessed from stale ones).
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE responses")
        op.execute("ANALYZE answers")
    op.execute(
        "INSERT INTO answer_counts (round_id, side, item, value, n) "
        "SELECT responses.round_id, responses.side, answers.item, answers.value, COUNT(*) "
        "FROM answers JOIN responses ON responses.id = answers.response_id "
        "WHERE responses.status = 'submitted' AND responses.side IS NOT NULL "
        "GROUP BY responses.round_id, responses.side, answers.item, answers.value"
    )


def downgrade() -> None:
    op.drop_table("answer_counts")
    op.drop_index("ix_responses_round_status", table_name="responses")
    op.create_index("ix_responses_round_status", "responses", ["round_id", "status"])
    op.drop_index("ix_answers_round", table_name="answers")
    with op.batch_alter_table("answers") as batch:
        batch.drop_constraint("fk_answers_round_id", type_="foreignkey")
        batch.drop_column("round_id")
