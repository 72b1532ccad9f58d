"""Helper of test_uploads_storage: ``luoshi backup`` run in-process through the real Typer app."""

from __future__ import annotations


def run_backup(out: str, db: str) -> tuple[int, str]:
    from typer.testing import CliRunner

    from luoshi.cli import app

    result = CliRunner().invoke(app, ["backup", out, "--db", db], env={"LUOSHI_UPLOAD_DIR": ""})
    return result.exit_code, result.output + (repr(result.exception) if result.exception else "")
