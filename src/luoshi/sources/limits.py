"""Caps on what a reader accepts, so one file cannot exhaust the server's memory or time.

One place for the input limits of every reader (reports here, the 任务分解表 in
``luoshi.tracking.sheet``): :class:`InputLimits` is built from the settings registry
(``LUOSHI_IMPORT_MAX_FILE_BYTES`` …); :func:`check_zip` inspects a docx/xlsx package's
directory BEFORE anything is unpacked. Python's zipfile never inflates a member beyond the size
its directory declares, so checking the declared sizes bounds the real work.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import IO

from luoshi.settings import Settings

__all__ = ["DEFAULT_LIMITS", "InputLimits", "LimitExceeded", "check_zip", "human_bytes"]

ZIP_MAX_MEMBERS = 10_000
_RATIO_FLOOR = 1024 * 1024  # small members may compress very well (empty XML parts); only large ones count


class LimitExceeded(ValueError):
    """A file over one of the caps; the message (Chinese first) names the cap and its setting."""


@dataclass(frozen=True)
class InputLimits:
    import_max_file_bytes: int
    import_max_text_chars: int
    report_max_items: int
    zip_max_uncompressed_bytes: int
    zip_max_ratio: int
    xlsx_max_rows: int
    xlsx_max_columns: int
    xlsx_max_cells: int

    @classmethod
    def from_settings(cls, settings: Settings) -> InputLimits:
        return cls(**{f.name: getattr(settings, f.name) for f in fields(cls)})


DEFAULT_LIMITS = InputLimits.from_settings(Settings())


def human_bytes(n: int) -> str:
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} B"


def check_zip(source: str | Path | IO[bytes], limits: InputLimits = DEFAULT_LIMITS) -> None:
    """Raise LimitExceeded for a package too large or too compressed to unpack; BadZipFile passes."""
    import zipfile  # only docx/xlsx need it: `luoshi extract` of a txt stays light

    with zipfile.ZipFile(source) as package:
        members = package.infolist()
        if len(members) > ZIP_MAX_MEMBERS:
            raise LimitExceeded(f"压缩包内文件过多（{len(members)} 个，上限 {ZIP_MAX_MEMBERS}）")
        total = 0
        for info in members:
            total += info.file_size
            if info.file_size > _RATIO_FLOOR and info.file_size > limits.zip_max_ratio * max(
                info.compress_size, 1
            ):
                ratio = info.file_size // max(info.compress_size, 1)
                raise LimitExceeded(
                    f"压缩比异常（{info.filename} 解压后 {human_bytes(info.file_size)}，压缩比 {ratio}:1，"
                    f"上限 {limits.zip_max_ratio}:1，疑似压缩炸弹；设置 LUOSHI_ZIP_MAX_RATIO）"
                )
        if total > limits.zip_max_uncompressed_bytes:
            raise LimitExceeded(
                f"解压后过大（{human_bytes(total)}，上限 {human_bytes(limits.zip_max_uncompressed_bytes)}；"
                f"设置 LUOSHI_ZIP_MAX_UNCOMPRESSED_BYTES）"
            )
    if not isinstance(source, str | Path):
        source.seek(0)
