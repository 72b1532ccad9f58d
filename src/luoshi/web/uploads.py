"""Evidence files: size cap, type allow-list (by extension AND content), generated stored names.

The stored name is random (never the uploader's), so no name can reach outside
``settings.upload_dir``; the original name is kept only for display, reduced to its last part.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from fastapi import UploadFile

from luoshi.errors import InputError, NotFoundError

__all__ = ["ALLOWED", "clean_name", "resolve_stored", "save_upload"]

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


def save_upload(upload: UploadFile, folder: Path, max_bytes: int) -> tuple[str, str]:
    """Check and store an upload; returns (stored name, display name). Raises InputError."""
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
    stored = secrets.token_hex(16) + ext
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / stored
    with open(path, "xb") as out:  # "x": never overwrite
        out.write(data)
    return stored, display


def resolve_stored(folder: Path, stored: str | None) -> tuple[Path, str]:
    """Path and media type of a stored file; only generated names are accepted."""
    if not stored or not _STORED.match(stored):
        raise NotFoundError("没有这个附件")
    path = folder / stored
    if not path.is_file():
        raise NotFoundError("附件文件已不存在")
    return path, ALLOWED[path.suffix.lower()][0]
