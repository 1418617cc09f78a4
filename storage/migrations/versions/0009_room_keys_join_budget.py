"""Issue 16: the room view's own keys, the join-code failure budget in the database, the holder of an
invitation's draft, and open-link results shown only once a round is closed.

- `room_keys`: read-only keys of the room view (SHA-256 digests), each expiring, revocable.
- `join_budget`: failed join-code look-ups per time slot, per client digest and overall, shared by every
  app server on the database (rows older than the previous slot are deleted on the way).
- `responses.holder_hash`: digest of the browser key that holds an invitation's draft; the invitation
  link alone no longer opens the draft.
- Open-link assessments: what is reported of a real round is nothing while it is open and everything once
  it is closed (was: steps of the minimum group size).

Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"

# The reported counts under the rule of this revision (frozen here: storage/steps.py may move on).
REPORT = (
    "UPDATE response_counts SET reported = CASE WHEN a.access = 'open' AND NOT ro.rehearsal"
    " THEN (CASE WHEN ro.status = 'closed' THEN response_counts.n ELSE 0 END)"
    " ELSE (response_counts.n / a.min_group_size) * a.min_group_size END"
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
# The rule before this revision (steps for every assessment), for the downgrade.
STEPPED = (
    "UPDATE response_counts SET reported = (response_counts.n / a.min_group_size) * a.min_group_size"
    " FROM rounds ro JOIN assessments a ON a.id = ro.assessment_id"
    " WHERE ro.id = response_counts.round_id",
    *REPORT[1:],
)


def upgrade() -> None:
    op.create_table(
        "room_keys",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column(
            "assessment_id",
            sa.String(36),
            sa.ForeignKey("assessments.id", ondelete="CASCADE", name="fk_room_keys_assessment_id"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_room_keys_assessment", "room_keys", ["assessment_id"])
    op.create_table(
        "join_budget",
        sa.Column("scope", sa.String(80), nullable=False),
        sa.Column("slot", sa.BigInteger(), nullable=False),
        sa.Column("spent", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "slot", name="pk_join_budget"),
    )
    op.add_column("responses", sa.Column("holder_hash", sa.String(64)))
    for statement in REPORT:
        op.execute(statement)


def downgrade() -> None:
    for statement in STEPPED:
        op.execute(statement)
    # Dropped in place, never by a batch copy (see 0004's downgrade).
    op.drop_column("responses", "holder_hash")
    op.drop_table("join_budget")
    op.drop_index("ix_room_keys_assessment", table_name="room_keys")
    op.drop_table("room_keys")
