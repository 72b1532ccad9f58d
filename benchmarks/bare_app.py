"""The bare FastAPI baseline of bench_web.py: ``python benchmarks/bare_app.py PORT DB_URL [WORKERS]``.

``GET /hello`` answers a small JSON; ``POST /insert`` does one INSERT + COMMIT on its own table
of the same database. Served the way luoshi serves (uvicorn, or gunicorn with uvicorn workers).
"""

from __future__ import annotations

import sys
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert

metadata = MetaData()
rows = Table("bench_bare", metadata, Column("id", Integer, primary_key=True), Column("note", String(100)))


def make_app(url: str) -> FastAPI:
    connect_args: dict[str, Any] = (
        {"check_same_thread": False, "timeout": 10} if url.startswith("sqlite") else {}
    )
    engine = create_engine(url, connect_args=connect_args)
    metadata.create_all(engine)
    app = FastAPI()

    @app.get("/hello")
    def hello() -> dict[str, bool]:
        return {"ok": True}

    @app.post("/insert", status_code=201)
    def insert_row(body: dict[str, Any]) -> dict[str, bool]:
        with engine.begin() as conn:
            conn.execute(insert(rows).values(note=str(body.get("note", ""))[:100]))
        return {"ok": True}

    return app


def main() -> None:
    port, url = int(sys.argv[1]), sys.argv[2]
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    try:
        from luoshi.web.server import run
    except ImportError:  # an older luoshi (before/after runs): plain uvicorn, one process
        import uvicorn

        uvicorn.run(make_app(url), host="127.0.0.1", port=port, log_level="warning", access_log=False)
        return
    run(lambda: make_app(url), host="127.0.0.1", port=port, workers=workers)


if __name__ == "__main__":
    main()
