"""Access modes, invitation codes, and stepped reporting.

- `assessments.access`: "open" (the respondent link, one response per browser and round) or
  "invitations" (single-use codes only); existing assessments are open.
- `invitations`: an assessment's codes, as SHA-256 digests, with the side each was given for.
- `responses.side_seq`: the rank of a submitted response in its round and side.
- `response_counts.reported`, `answer_counts.reported`: the counts as shown, which move only when a side
  reaches a multiple of the minimum group size, so that one new submission never changes what is shown.
  Existing submitted responses are ranked by submission time and the reported counts set from them.

Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

# Frozen copies of storage/steps.py's statements as they were at this revision (all rounds): a migration never
# imports live code, which may change after it has run.
NUMBER_SUBMITTED = (
    "UPDATE responses SET side_seq = numbered.base + numbered.rn FROM ("
    " SELECT r.id, ROW_NUMBER() OVER (PARTITION BY r.round_id, r.side ORDER BY r.submitted_at, r.id) AS rn,"
    " COALESCE((SELECT MAX(x.side_seq) FROM responses x WHERE x.round_id = r.round_id AND x.side = r.side), 0)"
    " AS base FROM responses r"
    " WHERE r.status = 'submitted' AND r.side IS NOT NULL AND r.side_seq IS NULL"
    ") AS numbered WHERE responses.id = numbered.id"
)
REPORT_STEPS = (
    "UPDATE response_counts SET reported = (response_counts.n / a.min_group_size) * a.min_group_size"
    " FROM rounds ro JOIN assessments a ON a.id = ro.assessment_id"
    " WHERE ro.id = response_counts.round_id",
    "UPDATE answer_counts SET reported = 0",
    "UPDATE answer_counts SET reported = g.k FROM ("
    " SELECT r.round_id, r.side, an.item, an.value, COUNT(*) AS k FROM responses r"
    " JOIN response_counts rc ON rc.round_id = r.round_id AND rc.side = r.side"
    " JOIN answers an ON an.response_id = r.id"
    " WHERE r.status = 'submitted' AND r.side_seq <= rc.reported"
    " GROUP BY r.round_id, r.side, an.item, an.value) AS g"
    " WHERE answer_counts.round_id = g.round_id AND answer_counts.side = g.side"
    " AND answer_counts.item = g.item AND answer_counts.value = g.value",
)

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    op.add_column("assessments", sa.Column("access", sa.String(12), nullable=False, server_default="open"))
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "assessment_id",
            sa.String(36),
            sa.ForeignKey("assessments.id", ondelete="CASCADE", name="fk_invitations_assessment_id"),
            nullable=False,
        ),
        sa.Column("side", sa.String(20), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("code_hash", name="uq_invitations_code_hash"),
    )
    op.create_index("ix_invitations_assessment_side", "invitations", ["assessment_id", "side"])
    op.add_column("responses", sa.Column("side_seq", sa.Integer()))
    op.create_index("ix_responses_round_side_seq", "responses", ["round_id", "side", "side_seq"])
    op.add_column("answer_counts", sa.Column("reported", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("response_counts", sa.Column("reported", sa.Integer(), nullable=False, server_default="0"))
    op.execute(NUMBER_SUBMITTED)
    for statement in REPORT_STEPS:
        op.execute(statement)


def downgrade() -> None:
    # Columns are dropped in place (ALTER TABLE … DROP COLUMN, SQLite 3.35+), never by a batch copy: on
    # SQLite a batch copy drops and re-creates the table, and with foreign keys on, dropping `assessments`
    # or `responses` would cascade to every round, response and answer.
    op.drop_column("response_counts", "reported")
    op.drop_column("answer_counts", "reported")
    op.drop_index("ix_responses_round_side_seq", table_name="responses")
    op.drop_column("responses", "side_seq")
    op.drop_index("ix_invitations_assessment_side", table_name="invitations")
    op.drop_table("invitations")
    op.drop_column("assessments", "access")
