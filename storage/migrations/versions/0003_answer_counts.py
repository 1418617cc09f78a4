"""Submitted responses and answers counted per round as they are submitted.

Migration 0002 made one round's answers an index range scan, but at 10,000 responses among 110,000
PostgreSQL still preferred a parallel sequential scan of `answers` to count a round (about 9 % of the
table). Now:
- `answer_counts` holds the submitted answers of each round counted per (side, item, value), filled
  here from the data and kept by the gateway in the transaction that submits, so a round's counts are
  a primary-key range scan of a few hundred rows at most, whatever the size of the database;
- `response_counts` holds the submitted responses of each round per side, kept the same way;
- `ix_responses_round_status` takes the side too, so recounting a round's responses per side reads the
  index alone.

Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
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
    op.create_table(
        "response_counts",
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("rounds.id", ondelete="CASCADE", name="fk_response_counts_round_id"),
            nullable=False,
        ),
        sa.Column("side", sa.String(20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("round_id", "side", name="pk_response_counts"),
    )
    # Carry the data over: the submitted responses and answers counted so far (with fresh statistics, so that PostgreSQL
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
    op.execute(
        "INSERT INTO response_counts (round_id, side, n) "
        "SELECT round_id, side, COUNT(*) FROM responses "
        "WHERE status = 'submitted' AND side IS NOT NULL GROUP BY round_id, side"
    )


def downgrade() -> None:
    op.drop_table("response_counts")
    op.drop_table("answer_counts")
    op.drop_index("ix_responses_round_status", table_name="responses")
    op.create_index("ix_responses_round_status", "responses", ["round_id", "status"])
