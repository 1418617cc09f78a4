"""Assessments, rounds, responses and answers.

Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("org_name", sa.String(200), nullable=False),
        sa.Column("industry", sa.String(40)),
        sa.Column("industry_other", sa.String(80), nullable=False, server_default=""),
        sa.Column("country", sa.String(10)),
        sa.Column("country_other", sa.String(80), nullable=False, server_default=""),
        sa.Column("size", sa.String(20)),
        sa.Column("lang", sa.String(2), nullable=False),
        sa.Column("min_group_size", sa.Integer, nullable=False),
        sa.Column("respondent_code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("results_code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("assessment_id", sa.String(36), sa.ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("label", sa.String(80), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("assessment_id", "number", name="uq_rounds_assessment_number"),
    )
    op.create_table(
        "responses",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("rounds.id", ondelete="CASCADE"), nullable=False),
        sa.Column("side", sa.String(20)),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("resume_code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_responses_round_status", "responses", ["round_id", "status"])
    op.create_table(
        "answers",
        sa.Column("response_id", sa.String(36), sa.ForeignKey("responses.id", ondelete="CASCADE"), nullable=False),
        sa.Column("item", sa.String(60), nullable=False),
        sa.Column("value", sa.SmallInteger, nullable=False),
        sa.PrimaryKeyConstraint("response_id", "item", name="pk_answers"),
    )


def downgrade() -> None:
    op.drop_table("answers")
    op.drop_index("ix_responses_round_status", table_name="responses")
    op.drop_table("responses")
    op.drop_table("rounds")
    op.drop_table("assessments")
