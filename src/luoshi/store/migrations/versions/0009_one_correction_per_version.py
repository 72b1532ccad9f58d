"""one current version per correction chain: at most one progress report corrects a given one

A partial unique index on progress_updates(supersedes_id): two corrections of the same version
can no longer both be stored, even when they are made at the same moment (PostgreSQL's READ
COMMITTED lets both pass the service's check; the index refuses the second). Progress reports are
append-only (migration 0003), so a store that already holds such a pair cannot be repaired; the
index then leaves the rows written before it alone and guards every later one.

Revision ID: 0009
Revises: 0005
Create Date: 2026-12-01 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

INDEX = "uq_progress_updates_supersedes_id"


def upgrade() -> None:
    conn = op.get_bind()
    cutoff = conn.execute(
        sa.text(
            "SELECT MAX(id) FROM progress_updates WHERE supersedes_id IN ("
            " SELECT supersedes_id FROM progress_updates WHERE supersedes_id IS NOT NULL"
            " GROUP BY supersedes_id HAVING COUNT(*) > 1)"
        )
    ).scalar()
    where = "supersedes_id IS NOT NULL" + (f" AND id > {int(cutoff)}" if cutoff is not None else "")
    op.create_index(
        INDEX,
        "progress_updates",
        ["supersedes_id"],
        unique=True,
        sqlite_where=sa.text(where),
        postgresql_where=sa.text(where),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="progress_updates")
