"""督办单 (supervision_orders), group-robot webhooks and their deliveries (issue 11)

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "supervision_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("matter", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("report_due", sa.Date(), nullable=False),
        sa.Column("time_limit", sa.Date(), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["target_id"], ["targets.id"], name="fk_supervision_orders_target_id_targets"
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name="fk_supervision_orders_department_id_departments"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_supervision_orders"),
        sa.UniqueConstraint("number", name="uq_supervision_orders_number"),
        sa.UniqueConstraint("year", "seq", name="uq_supervision_orders_year_seq"),
    )
    op.create_index("ix_supervision_orders_target_id", "supervision_orders", ["target_id"])
    op.create_index("ix_supervision_orders_department_id", "supervision_orders", ["department_id"])
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("secret", sa.String(length=500), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name="fk_webhooks_department_id_departments"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_webhooks"),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("notice_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["webhook_id"], ["webhooks.id"], name="fk_webhook_deliveries_webhook_id_webhooks"
        ),
        sa.ForeignKeyConstraint(
            ["notice_id"], ["notices.id"], name="fk_webhook_deliveries_notice_id_notices"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_webhook_deliveries"),
        sa.UniqueConstraint("webhook_id", "notice_id", name="uq_webhook_deliveries_webhook_notice"),
    )
    op.create_index("ix_webhook_deliveries_webhook_id", "webhook_deliveries", ["webhook_id"])
    op.create_index("ix_webhook_deliveries_notice_id", "webhook_deliveries", ["notice_id"])


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_notice_id", table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_webhook_id", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhooks")
    op.drop_index("ix_supervision_orders_department_id", table_name="supervision_orders")
    op.drop_index("ix_supervision_orders_target_id", table_name="supervision_orders")
    op.drop_table("supervision_orders")
