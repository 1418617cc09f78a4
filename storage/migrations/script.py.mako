## The revision's ids are the variables below, said once: no "Revision ID:"/"Revises:" lines to restate them
## (a copied one drifts), and branch_labels/depends_on only when given (alembic reads them as none otherwise).
"""${message}

Create Date: ${create_date}
"""

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
% if branch_labels:
branch_labels = ${repr(branch_labels)}
% endif
% if depends_on:
depends_on = ${repr(depends_on)}
% endif


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
