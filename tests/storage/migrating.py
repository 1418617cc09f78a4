"""Test helper: take a migrated database back down to an earlier Alembic revision."""

from alembic import command
from alembic.config import Config

from storage import MIGRATIONS


def downgrade(database, revision: str) -> None:
    """Run the migrations' downgrades to `revision`, in one transaction (as Database.migrate upgrades)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with database.transaction() as c:
        config.attributes["connection"] = c
        command.downgrade(config, revision)
