"""Invitations by e-mail: the invitees' addresses (table invitees, erased when the round closes), the links
each e-mail carried (invitation_links, stored only as SHA-256 digests), the reminder runs, and on each
invitation its delivery and the last round it answered.

Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.add_column("invitations", sa.Column("delivery", sa.String(10)))
    op.add_column("invitations", sa.Column("failure", sa.String(12)))
    op.add_column("invitations", sa.Column("answered_round", sa.Integer()))
    op.create_table(
        "invitation_links",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("stop_hash", sa.String(64), nullable=False),
        sa.Column(
            "invitation_id",
            sa.Integer(),
            sa.ForeignKey("invitations.id", ondelete="CASCADE", name="fk_invitation_links_invitation_id"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code_hash", name="pk_invitation_links"),
        sa.UniqueConstraint("stop_hash", name="uq_invitation_links_stop_hash"),
    )
    op.create_index("ix_invitation_links_invitation", "invitation_links", ["invitation_id"])
    op.create_table(
        "invitees",
        sa.Column(
            "invitation_id",
            sa.Integer(),
            sa.ForeignKey("invitations.id", ondelete="CASCADE", name="fk_invitees_invitation_id"),
            nullable=False,
        ),
        sa.Column(
            "assessment_id",
            sa.String(36),
            sa.ForeignKey("assessments.id", ondelete="CASCADE", name="fk_invitees_assessment_id"),
            nullable=False,
        ),
        sa.Column("address", sa.String(254), nullable=False),
        sa.Column("stopped", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("reminded_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("invitation_id", name="pk_invitees"),
    )
    op.create_index("ix_invitees_assessment", "invitees", ["assessment_id"])
    op.create_table(
        "reminder_runs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "round_id",
            sa.Integer(),
            sa.ForeignKey("rounds.id", ondelete="CASCADE", name="fk_reminder_runs_round_id"),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reminded", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
    )
    op.create_index("ix_reminder_runs_round", "reminder_runs", ["round_id"])


def downgrade() -> None:
    op.drop_index("ix_reminder_runs_round", table_name="reminder_runs")
    op.drop_table("reminder_runs")
    op.drop_index("ix_invitees_assessment", table_name="invitees")
    op.drop_table("invitees")
    op.drop_index("ix_invitation_links_invitation", table_name="invitation_links")
    op.drop_table("invitation_links")
    with op.batch_alter_table("invitations") as batch:
        batch.drop_column("answered_round")
        batch.drop_column("failure")
        batch.drop_column("delivery")
