"""Developer tool: write a new Alembic migration from the models' changes.

    python -m luoshi.store.revision "add a column to targets"

It upgrades a scratch SQLite database to the current head, autogenerates the difference between
it and the models into src/luoshi/store/migrations/versions/, and prints the file name. Review the
generated file (and test it on PostgreSQL too) before committing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

__all__ = ["new_revision"]


def new_revision(message: str) -> list[str]:
    from alembic import command
    from alembic.script import ScriptDirectory

    from luoshi.store.database import alembic_config, upgrade_database
    from luoshi.store.engine import create_engine_for

    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine_for(Path(tmp) / "scratch.db")
        try:
            upgrade_database(engine)
            cfg = alembic_config()
            heads = ScriptDirectory.from_config(cfg).get_heads()
            next_id = f"{int(heads[0]) + 1:04d}" if heads and heads[0].isdigit() else None
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                scripts = command.revision(cfg, message=message, autogenerate=True, rev_id=next_id)
        finally:
            engine.dispose()
    items = scripts if isinstance(scripts, list) else [scripts]
    return [s.path for s in items if s is not None]


if __name__ == "__main__":  # pragma: no cover - developer tool
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for path in new_revision(sys.argv[1]):
        print(path)
