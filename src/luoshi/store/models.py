"""SQLAlchemy 2 models of the luoshi store. Schema changes go through Alembic (store/migrations).

Tables (every ``id`` is an integer primary key; times are naive UTC; spans are character
offsets into ``reports.text``):

- ``jurisdictions``: name (unique), parent (张店区 under 淄博市).
- ``reports``: jurisdiction, year, source_name, title, text, sha256 (unique per jurisdiction), imported_at.
- ``areas``: the report's sections: report, heading, part (review|plan|other), span, position.
- ``departments``: name (unique), short_name.
- ``targets``: report, area, review_state (proposed|accepted|rejected|merged), merged_into, split_from,
  title, indicator, surface, baseline, target_value, value_max, unit, comparator, direction,
  kind (count|rate|level|binary|milestone), deadline, aspirational, lead_department, public, span,
  sentence span, cadence (monthly|quarterly|yearly), due_day, amber_gap/red_gap overrides,
  status_override/status_override_note (a status set by hand).
- ``target_co_departments``: association target <-> department (责任单位).
- ``milestones``: target, title, due_date, done_date, position.
- ``key_projects``: report, name, category, planned_investment (元), stage, span, lead_department,
  project_count (a row may stand for a counted group). ``reports`` also keep the stated totals.
- ``project_progress``: APPEND-ONLY: project, period, completed_investment (cumulative, 元), stage.
- ``progress_updates``: APPEND-ONLY: target, period, reported_value, narrative, narrative_internal,
  evidence_path/evidence_name, author, created_at, supersedes (the version it corrects).
- ``progress_checks``: APPEND-ONLY 复核 decisions on an update: decision accepted|returned, comment, by, at.
- ``outcomes``: extracted review outcomes of a report (indicator, value, unit, ..., span).
- ``comments``: leader 批示 on a target.
- ``users``, ``api_tokens``, ``login_attempts``: accounts (issue 4); ``user_sessions``: server-side
  login sessions, ended on logout, password/role change, deactivation (issue 10).
- ``audit_log``: APPEND-ONLY: at, actor, action, object_type, object_id, before, after (JSON).
- ``notices``: in-app notices to a user, a department or a role.
- ``follows``: user follows target.
- ``status_log``: appended when a target's computed status changes.
- ``target_readings``: MAINTAINED read model, one row per target with progress reports, rewritten
  in the same transaction as every change to its reports, 复核 decisions, milestones or fields
  (luoshi.tracking.readmodel): accepted current readings, last submitted period, counts awaiting
  复核 and returned, and the status as of one day under one set of thresholds (migration 0010).
- ``reminder_log``: (day, recipient, kind) unique: makes ``luoshi remind`` idempotent per day.
- ``review_results``: year-end review verdicts (issue 5).
- ``supervision_orders``: 督办单 (issue 11): number (编号), target, department, matter, basis,
  report due date, time limit (办理时限), opened/closed (办结) dates.
- ``webhooks``: group-robot webhooks (wecom|dingtalk|feishu|json), of a department or the office.
- ``webhook_deliveries``: (webhook, notice) unique: what was pushed, attempts, last error.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

__all__ = [
    "ApiToken",
    "Area",
    "AuditLog",
    "Base",
    "Comment",
    "Department",
    "Follow",
    "Jurisdiction",
    "KeyProject",
    "LoginAttempt",
    "Milestone",
    "Notice",
    "Outcome",
    "ProgressCheck",
    "ProgressUpdate",
    "ProjectProgress",
    "ReminderLog",
    "Report",
    "ReviewResult",
    "ScorecardPublication",
    "StatusLog",
    "Target",
    "TargetReading",
    "SupervisionOrder",
    "User",
    "Webhook",
    "WebhookDelivery",
    "UserSession",
    "target_co_departments",
    "utcnow",
]

# Named constraints so Alembic batch migrations on SQLite can find them again.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Naive UTC now: the same on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Jurisdiction(Base):
    __tablename__ = "jurisdictions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("jurisdictions.id"))
    parent: Mapped[Jurisdiction | None] = relationship(remote_side=[id])


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("jurisdiction_id", "sha256", name="uq_reports_jurisdiction_sha256"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    jurisdiction_id: Mapped[int] = mapped_column(ForeignKey("jurisdictions.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    source_name: Mapped[str | None] = mapped_column(String(500))
    title: Mapped[str | None] = mapped_column(String(500))
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sample: Mapped[bool] = mapped_column(Boolean, default=False)
    # Totals the report states for its key projects ("222个重点项目…年度计划投资312.4亿元"), 元.
    planned_projects: Mapped[int | None] = mapped_column(Integer)
    planned_investment: Mapped[float | None] = mapped_column(Float)
    jurisdiction: Mapped[Jurisdiction] = relationship()
    areas: Mapped[list[Area]] = relationship(back_populates="report", order_by="Area.position")


class Area(Base):
    __tablename__ = "areas"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    heading: Mapped[str] = mapped_column(String(500))
    part: Mapped[str] = mapped_column(String(20), default="other")
    span_start: Mapped[int] = mapped_column(Integer, default=0)
    span_end: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[Report] = relationship(back_populates="areas")


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(100))


target_co_departments = Table(
    "target_co_departments",
    Base.metadata,
    Column("target_id", ForeignKey("targets.id"), primary_key=True),
    Column("department_id", ForeignKey("departments.id"), primary_key=True),
)


class Target(Base):
    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    review_state: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("targets.id"))
    split_from_id: Mapped[int | None] = mapped_column(ForeignKey("targets.id"))
    origin: Mapped[str] = mapped_column(String(20), default="extracted")  # extracted|manual|split
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)
    indicator: Mapped[str] = mapped_column(String(500), default="")
    surface: Mapped[str | None] = mapped_column(String(500))
    baseline: Mapped[float | None] = mapped_column(Float)
    target_value: Mapped[float | None] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(50), default="")
    comparator: Mapped[str] = mapped_column(String(10), default=">=")
    direction: Mapped[str | None] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20), default="count")
    deadline: Mapped[date | None] = mapped_column(Date)
    aspirational: Mapped[bool] = mapped_column(Boolean, default=False)
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    sentence_start: Mapped[int | None] = mapped_column(Integer)
    sentence_end: Mapped[int | None] = mapped_column(Integer)
    cadence: Mapped[str] = mapped_column(String(20), default="monthly")
    due_day: Mapped[int | None] = mapped_column(Integer)
    amber_gap: Mapped[float | None] = mapped_column(Float)
    red_gap: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # A status set by the office by hand (audited), shown instead of the computed one while set.
    status_override: Mapped[str | None] = mapped_column(String(20))
    status_override_note: Mapped[str | None] = mapped_column(Text)

    report: Mapped[Report] = relationship()
    area: Mapped[Area | None] = relationship()
    lead_department: Mapped[Department | None] = relationship()
    co_departments: Mapped[list[Department]] = relationship(
        secondary=target_co_departments, order_by="Department.name"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="target", order_by="Milestone.position", cascade="all, delete-orphan"
    )


class Milestone(Base):
    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    due_date: Mapped[date | None] = mapped_column(Date)
    done_date: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)
    target: Mapped[Target] = relationship(back_populates="milestones")


class KeyProject(Base):
    __tablename__ = "key_projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    category: Mapped[str | None] = mapped_column(String(100))
    planned_investment: Mapped[float | None] = mapped_column(Float)  # 元
    stage: Mapped[str | None] = mapped_column(String(100))
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    lead_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    sample: Mapped[bool] = mapped_column(Boolean, default=False)
    # A row may stand for a group of projects the report only counts ("工业项目23个").
    project_count: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    lead_department: Mapped[Department | None] = relationship()
    report: Mapped[Report] = relationship()


class ProjectProgress(Base):
    __tablename__ = "project_progress"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("key_projects.id"), index=True)
    period: Mapped[date] = mapped_column(Date)
    completed_investment: Mapped[float] = mapped_column(Float)  # cumulative, 元
    stage: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ProgressUpdate(Base):
    __tablename__ = "progress_updates"
    # One current version per chain: a report is corrected at most once (migration 0009).
    __table_args__ = (
        Index(
            "uq_progress_updates_supersedes_id",
            "supersedes_id",
            unique=True,
            sqlite_where=sql_text("supersedes_id IS NOT NULL"),
            postgresql_where=sql_text("supersedes_id IS NOT NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    period: Mapped[date] = mapped_column(Date)
    reported_value: Mapped[float | None] = mapped_column(Float)
    narrative: Mapped[str] = mapped_column(Text, default="")
    narrative_internal: Mapped[bool] = mapped_column(Boolean, default=False)
    evidence_path: Mapped[str | None] = mapped_column(String(500))
    evidence_name: Mapped[str | None] = mapped_column(String(500))
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("milestones.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("progress_updates.id"), index=True)
    checks: Mapped[list[ProgressCheck]] = relationship(order_by="ProgressCheck.id")


class ProgressCheck(Base):
    __tablename__ = "progress_checks"
    # Latest decision per update (status of every target) read from the index alone.
    __table_args__ = (Index("ix_progress_checks_update_latest", "update_id", "id", "decision"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    update_id: Mapped[int] = mapped_column(ForeignKey("progress_updates.id"), index=True)
    decision: Mapped[str] = mapped_column(String(20))  # accepted|returned
    comment: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by_name: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Outcome(Base):
    __tablename__ = "outcomes"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    indicator: Mapped[str] = mapped_column(String(500), default="")
    surface: Mapped[str | None] = mapped_column(String(500))
    value: Mapped[float | None] = mapped_column(Float)
    value_max: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(50), default="")
    comparator: Mapped[str] = mapped_column(String(10), default="=")
    direction: Mapped[str | None] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20), default="count")
    deadline: Mapped[int | None] = mapped_column(Integer)
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    sentence_start: Mapped[int | None] = mapped_column(Integer)
    sentence_end: Mapped[int | None] = mapped_column(Integer)
    report: Mapped[Report] = relationship()
    area: Mapped[Area | None] = relationship()


class Comment(Base):
    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="viewer")  # admin|leader|reporter|viewer
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    password_hash: Mapped[str | None] = mapped_column(String(500))
    email: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    department: Mapped[Department | None] = relationship()


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(100), index=True, default="")
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean, default=False)
    cleared_at: Mapped[datetime | None] = mapped_column(DateTime)  # throttle lifted by the office


class UserSession(Base):
    """A login session (server side): the cookie carries a random key, this row its SHA-256."""

    __tablename__ = "user_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    address: Mapped[str] = mapped_column(String(100), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    end_reason: Mapped[str | None] = mapped_column(String(50))


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(200), default="system")
    action: Mapped[str] = mapped_column(String(100))
    object_type: Mapped[str] = mapped_column(String(100))
    object_id: Mapped[str | None] = mapped_column(String(100))
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)


class Notice(Base):
    __tablename__ = "notices"
    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    recipient_department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    recipient_role: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(50))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("targets.id"))
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # each write's duplicate check reads one target's recent notices (migration 0011)
    __table_args__ = (Index("ix_notices_target_created", "target_id", "created_at"),)


class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "target_id", name="uq_follows_user_target"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class StatusLog(Base):
    __tablename__ = "status_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    previous: Mapped[str | None] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class TargetReading(Base):
    """What pages read instead of walking every progress report (see luoshi.tracking.readmodel)."""

    __tablename__ = "target_readings"
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), primary_key=True)
    readings: Mapped[list[Any]] = mapped_column(JSON)  # [[period ISO, value or null], ...] by period
    last_submitted: Mapped[date | None] = mapped_column(Date)
    awaiting: Mapped[int] = mapped_column(Integer, default=0, index=True)  # current reports awaiting 复核
    returned: Mapped[int] = mapped_column(Integer, default=0, index=True)  # current reports returned
    status_day: Mapped[date | None] = mapped_column(Date)  # the day ``status`` was computed for
    status_key: Mapped[str | None] = mapped_column(String(100))  # the thresholds it was computed with
    status: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ReminderLog(Base):
    __tablename__ = "reminder_log"
    __table_args__ = (
        UniqueConstraint("day", "recipient", "kind", name="uq_reminder_log_day_recipient_kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(100))
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ReviewResult(Base):
    __tablename__ = "review_results"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    outcome_report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcomes.id"))
    verdict: Mapped[str] = mapped_column(String(20))
    ratio: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="")
    candidates: Mapped[Any | None] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(20), default="auto")  # auto|confirmed|overridden
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SupervisionOrder(Base):
    """督办单: a numbered supervision notice, escalated from a 催办 (see luoshi.supervision.orders)."""

    __tablename__ = "supervision_orders"
    __table_args__ = (UniqueConstraint("year", "seq", name="uq_supervision_orders_year_seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(100), unique=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    matter: Mapped[str] = mapped_column(Text)
    basis: Mapped[str] = mapped_column(Text)
    report_due: Mapped[date] = mapped_column(Date)
    time_limit: Mapped[date] = mapped_column(Date)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    target: Mapped[Target] = relationship()
    department: Mapped[Department | None] = relationship()


class Webhook(Base):
    __tablename__ = "webhooks"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # wecom|dingtalk|feishu|json
    url: Mapped[str] = mapped_column(String(1000))
    secret: Mapped[str | None] = mapped_column(String(500))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))  # None: the office
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    department: Mapped[Department | None] = relationship()


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("webhook_id", "notice_id", name="uq_webhook_deliveries_webhook_notice"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id"), index=True)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default="pending")  # sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ScorecardPublication(Base):
    """A year-end scorecard published by an admin (审定后发布); without a row it is a draft."""

    __tablename__ = "scorecard_publications"
    __table_args__ = (UniqueConstraint("report_id", name="uq_scorecard_publications_report"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"))
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    by_name: Mapped[str | None] = mapped_column(String(200))
