"""Where evidence files live: ONE function that the web app, ``luoshi backup`` and tests use.

``settings.upload_dir`` (``LUOSHI_UPLOAD_DIR``) when set; otherwise a folder BESIDE the
database: ``<database stem>-uploads`` next to the SQLite file (``luoshi.db`` -> ``luoshi-uploads``),
never relative to the directory a server happens to start in. A backup ``b1.db`` therefore
keeps its evidence in ``b1-uploads`` and a restore with ``--db b1.db`` finds it. PostgreSQL has
no file to sit beside: there the default is ``~/.local/share/luoshi/uploads``.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from luoshi.settings import Settings
from luoshi.store.engine import normalize_url

__all__ = ["uploads_beside", "upload_dir"]


def uploads_beside(database_file: str | Path) -> Path:
    """The default evidence folder of a SQLite database file."""
    path = Path(database_file).expanduser().resolve()
    return path.with_name(f"{path.stem}-uploads")


def upload_dir(settings: Settings) -> Path:
    """The absolute evidence folder for ``settings`` (not created here)."""
    if settings.upload_dir:
        return Path(settings.upload_dir).expanduser().resolve()
    url = make_url(normalize_url(settings.database_url))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return uploads_beside(url.database)
    return (Path.home() / ".local" / "share" / "luoshi" / "uploads").resolve()
