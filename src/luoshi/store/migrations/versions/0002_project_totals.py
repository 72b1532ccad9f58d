"""project totals: reports.planned_projects/planned_investment, key_projects.project_count

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 21:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch_op:
        batch_op.add_column(sa.Column("planned_projects", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("planned_investment", sa.Float(), nullable=True))
    with op.batch_alter_table("key_projects") as batch_op:
        batch_op.add_column(sa.Column("project_count", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    with op.batch_alter_table("key_projects") as batch_op:
        batch_op.drop_column("project_count")
    with op.batch_alter_table("reports") as batch_op:
        batch_op.drop_column("planned_investment")
        batch_op.drop_column("planned_projects")
