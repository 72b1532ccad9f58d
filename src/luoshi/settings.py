"""One registry of settings, with defaults and help (as datasette does).

Settings are read from the environment only at the edge (CLI / server start-up) through
:func:`from_env`; everything inside takes an explicit :class:`Settings` object.
Each setting ``name`` may be set by the environment variable ``LUOSHI_<NAME>``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

__all__ = ["SETTINGS_HELP", "Settings", "from_env"]


def _s(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    database_url: str = _s("sqlite:///luoshi.db", "SQLAlchemy URL of the store (SQLite file by default)")
    amber_gap: float = _s(10.0, "percentage points behind 序时进度 at which a target turns amber (欠进度)")
    red_gap: float = _s(30.0, "percentage points behind 序时进度 beyond which a target turns red (严重滞后)")
    report_due_day: int = _s(28, "day of the month on which a monthly progress report is due")
    secret_key: str = _s("", "key signing session cookies; random per process when empty")
    upload_dir: str = _s("luoshi-uploads", "folder where evidence files are stored")
    upload_max_bytes: int = _s(10 * 1024 * 1024, "largest evidence file accepted, in bytes")
    smtp_host: str = _s("", "SMTP server for e-mail digests; e-mail is off when empty")
    smtp_port: int = _s(25, "SMTP server port")
    smtp_sender: str = _s("luoshi@localhost", "From: address of e-mail digests")
    smtp_user: str = _s("", "SMTP login user (optional)")
    smtp_password: str = _s("", "SMTP login password (optional)")
    smtp_starttls: bool = _s(False, "use STARTTLS with the SMTP server")
    login_max_failures: int = _s(5, "failed logins per account or address before slowing down")
    login_lockout_seconds: int = _s(60, "base delay after too many failed logins, doubling each time")
    demo: bool = _s(False, "mark the UI as showing sample data")
    today: str = _s("", "date (YYYY-MM-DD) statuses are computed for; the real date when empty")
    review_tolerance: float = _s(0.05, "relative band of '~' (左右) targets and margin for 'exceeded' in the year-end review")
    remind_days_before: int = _s(3, "days before a progress report is due that departments are reminded")
    base_url: str = _s("http://127.0.0.1:8000", "address of the web app, used for links in e-mails")
    trusted_proxies: str = _s("", "reverse proxies (addresses or networks, comma-separated) whose "
                                  "X-Forwarded-For/-Proto `luoshi serve --proxy-headers` trusts; none when empty")

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


SETTINGS_HELP: dict[str, tuple[Any, str]] = {
    f.name: (f.default, f.metadata["help"]) for f in fields(Settings)
}


def _coerce(raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def from_env(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from ``LUOSHI_*`` variables, then explicit overrides (CLI options)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name, (default, _help) in SETTINGS_HELP.items():
        raw = env.get(f"LUOSHI_{name.upper()}")
        if raw is not None and raw != "":
            values[name] = _coerce(raw, default)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
