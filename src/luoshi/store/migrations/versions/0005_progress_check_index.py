"""index progress_checks(update_id, id, decision): the latest 复核 decision per update from the index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 22:55:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_progress_checks_update_latest", "progress_checks", ["update_id", "id", "decision"])


def downgrade() -> None:
    op.drop_index("ix_progress_checks_update_latest", table_name="progress_checks")
