"""scorecard_publications: a year-end scorecard is a draft until an admin publishes it (审定后发布)

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-01 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scorecard_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name=op.f("fk_scorecard_publications_report_id_reports")
        ),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_scorecard_publications_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scorecard_publications")),
        sa.UniqueConstraint("report_id", name="uq_scorecard_publications_report"),
    )


def downgrade() -> None:
    op.drop_table("scorecard_publications")
