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

from luoshi.errors import InputError

__all__ = ["SETTINGS_HELP", "Settings", "SettingsError", "from_env"]


def _s(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    database_url: str = _s("sqlite:///luoshi.db", "SQLAlchemy URL of the store (SQLite file by default)")
    amber_gap: float = _s(10.0, "percentage points behind 序时进度 at which a target turns amber (欠进度)")
    red_gap: float = _s(30.0, "percentage points behind 序时进度 beyond which a target turns red (严重滞后)")
    report_due_day: int = _s(28, "day of the month on which a monthly progress report is due")
    secret_key: str = _s("", "key signing session cookies; random per process when empty")
    upload_dir: str = _s(
        "", "folder where evidence files are stored; empty: <database name>-uploads beside the SQLite file"
    )
    upload_max_bytes: int = _s(10 * 1024 * 1024, "largest evidence file accepted, in bytes")
    smtp_host: str = _s("", "SMTP server for e-mail digests; e-mail is off when empty")
    smtp_port: int = _s(25, "SMTP server port")
    smtp_sender: str = _s("luoshi@localhost", "From: address of e-mail digests")
    smtp_user: str = _s("", "SMTP login user (optional)")
    smtp_password: str = _s("", "SMTP login password (optional)")
    smtp_starttls: bool = _s(False, "use STARTTLS with the SMTP server")
    login_max_failures: int = _s(5, "failed logins of one account from one address before slowing down")
    login_address_max_failures: int = _s(
        20, "failed logins from one address (any accounts, last hour) before slowing it down"
    )
    trusted_proxies: str = _s(
        "",
        "reverse proxies (addresses or networks, comma-separated) whose "
        "X-Forwarded-For/-Proto `luoshi serve --proxy-headers` trusts; none when empty",
    )
    login_lockout_seconds: int = _s(60, "base delay after too many failed logins, doubling each time")
    import_max_file_bytes: int = _s(
        30 * 1024 * 1024, "largest report file (txt, docx, html, pdf) read, in bytes"
    )
    import_max_text_chars: int = _s(
        1_000_000, "longest report text accepted, in characters (a long report has ~60,000)"
    )
    report_max_items: int = _s(
        5_000, "most targets + outcomes extracted from one report before the import is refused"
    )
    zip_max_uncompressed_bytes: int = _s(
        100 * 1024 * 1024, "largest total unpacked size of a docx/xlsx package, in bytes"
    )
    zip_max_ratio: int = _s(
        100, "highest compression ratio of a large docx/xlsx member (zip bombs exceed it)"
    )
    xlsx_max_rows: int = _s(20_000, "most rows read from an uploaded 任务分解表 worksheet")
    xlsx_max_columns: int = _s(200, "most columns read from an uploaded 任务分解表 worksheet")
    xlsx_max_cells: int = _s(1_000_000, "most non-empty cells read from an uploaded 任务分解表 workbook")
    demo: bool = _s(False, "mark the UI as showing sample data")
    today: str = _s("", "date (YYYY-MM-DD) statuses are computed for; the real date when empty")
    review_tolerance: float = _s(
        0.05, "relative band of '~' (左右) targets and margin for 'exceeded' in the year-end review"
    )
    remind_days_before: int = _s(3, "days before a progress report is due that departments are reminded")
    base_url: str = _s("http://127.0.0.1:8000", "address of the web app, used for links in e-mails")
    escalate_after_days: int = _s(
        10, "days a progress report may be missing past its due date before the 催办 becomes a 督办单"
    )
    order_time_limit_days: int = _s(5, "days a department has to answer a 督办单 (办理时限)")
    scoring_rules: str = _s(
        "", "TOML file of the 考核打分 rule; the bundled luoshi/data/scoring.toml when empty"
    )
    webhook_attempts: int = _s(
        3, "tries per webhook message in one delivery pass before it is logged as failed"
    )
    webhook_timeout: float = _s(10.0, "seconds to wait for a webhook server to answer")
    server_keep_alive_s: float = _s(5.0, "seconds an idle keep-alive connection stays open (luoshi serve)")
    server_header_timeout_s: float = _s(
        10.0, "seconds a client has to send a request head before it is cut off"
    )
    server_body_timeout_s: float = _s(
        60.0, "seconds a client has to send a request body (a 10 MB evidence file at 2 Mbit/s fits)"
    )
    server_write_timeout_s: float = _s(
        30.0, "seconds a client may read none of its answers before it is dropped"
    )
    server_max_pipelined: int = _s(16, "pipelined requests in a row on one connection before it is closed")

    def __post_init__(self) -> None:
        for name in _POSITIVE:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise SettingsError(f"设置 {name}（LUOSHI_{name.upper()}）须为正数：{value!r}")

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)


# settings that must be > 0 (a zero or negative time limit would cut off every client)
_POSITIVE = (
    "server_keep_alive_s",
    "server_header_timeout_s",
    "server_body_timeout_s",
    "server_write_timeout_s",
    "server_max_pipelined",
)


class SettingsError(InputError):
    """A setting (from the environment or an option) that cannot be used; the message names it."""


SETTINGS_HELP: dict[str, tuple[Any, str]] = {
    f.name: (f.default, f.metadata["help"]) for f in fields(Settings)
}


def _coerce(name: str, raw: str, default: Any) -> Any:
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    try:
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
    except ValueError:
        kind = "整数" if isinstance(default, int) else "数字"
        raise SettingsError(f"环境变量 LUOSHI_{name.upper()} 须为{kind}：{raw!r}") from None
    return raw


def from_env(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from ``LUOSHI_*`` variables, then explicit overrides (CLI options).

    A value that is not of the setting's type, or out of its range, raises :class:`SettingsError`
    naming the variable (the CLI prints it as one line)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for name, (default, _help) in SETTINGS_HELP.items():
        raw = env.get(f"LUOSHI_{name.upper()}")
        if raw is not None and raw != "":
            values[name] = _coerce(name, raw, default)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
