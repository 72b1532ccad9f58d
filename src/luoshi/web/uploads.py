"""Evidence files: size cap, type allow-list (by extension AND content), generated stored names.

Order (nothing is written for a form that fails): :func:`check_upload` validates in memory,
the route validates the rest of the form and flushes its row, then :func:`store_upload` writes
the file and removes it again if the transaction rolls back.

The stored name is random (never the uploader's), so no name can reach outside
the evidence folder (``luoshi.store.files.upload_dir``); the original name is kept only for display, reduced to its last part.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from fastapi import UploadFile
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from luoshi.errors import InputError, NotFoundError

__all__ = ["ALLOWED", "CheckedUpload", "check_upload", "clean_name", "resolve_stored", "store_upload"]

# extension -> (media type, accepted leading bytes)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}
_STORED = re.compile(r"^[0-9a-f]{32}\.(pdf|jpe?g|png|docx|xlsx)$")


def clean_name(raw: str | None) -> str:
    """The display name: last path component, no control characters, at most 200 characters."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip().lstrip(".")
    return name[:200] or "附件"


@dataclass(frozen=True)
class CheckedUpload:
    """An evidence file that passed every check, held in memory: nothing is on disk yet."""

    data: bytes
    display: str  # the uploader's name, for display only
    stored: str  # the generated name it will be stored under


def check_upload(upload: UploadFile, max_bytes: int) -> CheckedUpload:
    """Check an upload (type by extension AND content, size, not empty); raises InputError. Writes nothing."""
    display = clean_name(upload.filename)
    ext = Path(display).suffix.lower()
    if ext not in ALLOWED:
        raise InputError(f"不支持的文件类型 {ext or '(无扩展名)'}：只接受 {', '.join(sorted(ALLOWED))}")
    data = upload.file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"文件 {display} 超过大小上限 {max_bytes // 1024} KB")
    if not data:
        raise InputError(f"文件 {display} 是空的")
    if not data.startswith(ALLOWED[ext][1]):
        raise InputError(f"文件 {display} 的内容与扩展名 {ext} 不符")
    return CheckedUpload(data, display, secrets.token_hex(16) + ext)


def store_upload(checked: CheckedUpload, folder: Path, session: Session) -> str:
    """Write a checked file under its generated name; it lives only if ``session`` commits.

    Call it after the row that refers to it has been validated and flushed: a rollback of the
    transaction (a later error, a failed commit) removes the file again, so no orphan stays.
    ``session`` must be inside that transaction already (the flush of the row begins it).
    """
    stored = checked.stored
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / stored
    with open(path, "xb") as out:  # "x": never overwrite
        out.write(checked.data)
    state = {"committed": False, "decided": False}

    def _kept(_session: Session) -> None:
        state["committed"] = True

    def _ended(_session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is not None or state["decided"]:
            return  # a savepoint or subtransaction: the outer one decides, once
        state["decided"] = True
        if not state["committed"]:  # rolled back, or closed without a commit
            path.unlink(missing_ok=True)

    event.listen(session, "after_commit", _kept, once=True)
    event.listen(session, "after_transaction_end", _ended)
    return stored


def resolve_stored(folder: Path, stored: str | None) -> tuple[Path, str]:
    """Path and media type of a stored file; only generated names are accepted."""
    if not stored or not _STORED.match(stored):
        raise NotFoundError("没有这个附件")
    path = folder / stored
    if not path.is_file():
        raise NotFoundError("附件文件已不存在")
    return path, ALLOWED[path.suffix.lower()][0]
