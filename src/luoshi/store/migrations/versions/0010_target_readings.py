"""target_readings: the maintained read model of each target's current readings (and status)

One row per target with progress reports: its accepted, current readings, the latest period
delivered (not returned), how many current reports await 复核 and how many were returned, and
the status as of one day (filled in later by writes and ``luoshi remind``). Pages read this row
instead of walking every progress report and 复核 decision (issue 10: 40-80 ms per page at
240,000 updates); luoshi.tracking.readmodel keeps it in step in the same transaction as each write.

The backfill walks every report once, in this file's own terms (a migration is frozen history:
it must not change when the application's code does); tests compare it with the application's
from-scratch computation.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 17:00:00
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLE = "target_readings"


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _backfill(conn: sa.Connection, table: sa.Table) -> None:
    rows = conn.execute(
        sa.text(
            "SELECT u.id, u.target_id, u.period, u.reported_value, u.supersedes_id, c.decision"
            " FROM progress_updates u LEFT JOIN progress_checks c ON c.update_id = u.id"
            " ORDER BY u.id, c.id"
        )
    )
    latest: dict[int, tuple[int, date, float | None, str | None]] = {}
    superseded: set[int] = set()
    for uid, tid, period, value, supersedes, decision in rows:
        latest[uid] = (tid, _as_date(period), value, decision)  # the last check of an update wins
        if supersedes is not None:
            superseded.add(supersedes)
    per_target: dict[int, list[tuple[date, int, float | None, str | None]]] = defaultdict(list)
    for uid, (tid, period, value, decision) in latest.items():
        if uid not in superseded:
            per_target[tid].append((period, uid, value, decision))
    out = []
    for tid, versions in per_target.items():
        versions.sort()
        delivered = [p for p, _, _, d in versions if d != "returned"]
        out.append(
            {
                "target_id": tid,
                "readings": [[p.isoformat(), v] for p, _, v, d in versions if d == "accepted"],
                "last_submitted": max(delivered) if delivered else None,
                "awaiting": sum(1 for *_, d in versions if d is None or d == "reopened"),
                "returned": sum(1 for *_, d in versions if d == "returned"),
            }
        )
    for start in range(0, len(out), 2000):
        conn.execute(sa.insert(table), out[start : start + 2000])


def upgrade() -> None:
    table = op.create_table(
        TABLE,
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("readings", sa.JSON(), nullable=False),
        sa.Column("last_submitted", sa.Date(), nullable=True),
        sa.Column("awaiting", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("returned", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("status_day", sa.Date(), nullable=True),
        sa.Column("status_key", sa.String(length=100), nullable=True),
        sa.Column("status", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["target_id"], ["targets.id"], name="fk_target_readings_target_id_targets", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("target_id", name="pk_target_readings"),
    )
    op.create_index("ix_target_readings_awaiting", TABLE, ["awaiting"])
    op.create_index("ix_target_readings_returned", TABLE, ["returned"])
    _backfill(op.get_bind(), table)


def downgrade() -> None:
    op.drop_index("ix_target_readings_returned", table_name=TABLE)
    op.drop_index("ix_target_readings_awaiting", table_name=TABLE)
    op.drop_table(TABLE)
