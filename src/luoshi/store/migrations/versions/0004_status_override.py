"""targets.status_override and status_override_note (a status set by hand by the office)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 21:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("targets") as batch_op:
        batch_op.add_column(sa.Column("status_override", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("status_override_note", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("targets") as batch_op:
        batch_op.drop_column("status_override_note")
        batch_op.drop_column("status_override")
