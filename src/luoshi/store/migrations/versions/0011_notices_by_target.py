"""index notices(target_id, created_at): every write's duplicate-notice check reads one target's
recent notices; without the index it scanned the whole table, which grows with every write

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 18:25:00
"""

from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_notices_target_created", "notices", ["target_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_notices_target_created", table_name="notices")
