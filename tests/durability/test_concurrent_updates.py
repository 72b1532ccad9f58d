"""Many simultaneous progress updates all land: none lost, none duplicated.

1. Through the HTTP API: ``luoshi serve`` runs as a real server process on a free port; 8 client
   threads, each with its own user's Bearer token, POST 50 updates each (400) at the same time.
2. Through the store from several processes at once (4 processes x 50 updates, each in its own
   transaction), on the same database.
Both on a real SQLite file (WAL + busy timeout) and on PostgreSQL.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter

import httpx
import pytest
from sqlalchemy import func, select

from luoshi.accounts.tokens import create_token
from luoshi.accounts.users import create_user
from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import AuditLog, Department, Jurisdiction, ProgressUpdate, Report, Target

from .conftest import start_server, stop_server

pytestmark = pytest.mark.slow

CLIENTS, PER_CLIENT = 8, 50
PROCESSES, PER_PROCESS = 4, 50


def seed(url: str) -> tuple[list[int], list[str], str]:
    """Targets led by 区发改局, 8 reporters of it with tokens, and one outsider's token."""
    store = open_store(Settings(database_url=url))
    try:
        with store.session() as s:
            report = Report(jurisdiction=Jurisdiction(name="张店区"), year=2024, text="……", sha256="c" * 64)
            fagai, other = Department(name="区发改局"), Department(name="区民政局")
            s.add_all([report, fagai, other])
            s.flush()
            targets = [
                Target(
                    report=report,
                    title=f"目标{i}",
                    target_value=100,
                    unit="个",
                    kind="count",
                    review_state="accepted",
                    lead_department_id=fagai.id,
                )
                for i in range(4)
            ]
            s.add_all(targets)
            s.flush()
            tokens = []
            for c in range(CLIENTS):
                user = create_user(s, f"reporter{c}", "reporter", department=fagai, actor="test")
                tokens.append(create_token(s, user, "load")[0])
            outsider = create_user(s, "outsider", "reporter", department=other, actor="test")
            return [t.id for t in targets], tokens, create_token(s, outsider)[0]
    finally:
        store.dispose()


def count_updates(url: str) -> tuple[Counter[str], int]:
    store = open_store(Settings(database_url=url), upgrade=False)
    try:
        with store.session() as s:
            narratives = Counter(s.scalars(select(ProgressUpdate.narrative)))
            audits = s.scalar(
                select(func.count())
                .select_from(AuditLog)
                .where(AuditLog.object_type == "progress_update", AuditLog.action == "add")
            )
            return narratives, int(audits or 0)
    finally:
        store.dispose()


def test_parallel_api_updates_all_land(db_url, tmp_path):
    target_ids, tokens, outsider = seed(db_url)
    proc, base = start_server(db_url, tmp_path)
    errors: list[str] = []
    start = threading.Barrier(CLIENTS)

    def client(c: int) -> None:
        headers = {"Authorization": f"Bearer {tokens[c]}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            start.wait()
            for i in range(PER_CLIENT):
                tid = target_ids[(c + i) % len(target_ids)]
                r = http.post(
                    f"/api/targets/{tid}/updates",
                    json={"period": "2024-06-28", "value": i, "narrative": f"c{c}-u{i}"},
                )
                if r.status_code != 201:
                    errors.append(f"c{c}-u{i}: {r.status_code} {r.text[:200]}")

    try:
        denied = httpx.post(
            f"{base}/api/targets/{target_ids[0]}/updates",
            json={"period": "2024-06-28", "value": 1},
            headers={"Authorization": f"Bearer {outsider}"},
            timeout=30,
        )
        assert denied.status_code == 403
        anonymous = httpx.post(
            f"{base}/api/targets/{target_ids[0]}/updates",
            json={"period": "2024-06-28", "value": 1},
            timeout=30,
        )
        assert anonymous.status_code in (401, 403)
        t0 = time.perf_counter()
        threads = [threading.Thread(target=client, args=(c,)) for c in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - t0
    finally:
        stop_server(proc)
    assert errors == []
    narratives, audits = count_updates(db_url)
    expected = {f"c{c}-u{i}" for c in range(CLIENTS) for i in range(PER_CLIENT)}
    assert set(narratives) == expected  # none lost, none foreign (the refused ones did not land)
    assert all(n == 1 for n in narratives.values())  # none duplicated
    assert audits == CLIENTS * PER_CLIENT
    print(
        f"\n{db_url.split(':')[0]}: {CLIENTS * PER_CLIENT} API updates in {elapsed:.2f} s "
        f"({CLIENTS * PER_CLIENT / elapsed:.0f}/s)"
    )


WRITER = r"""
import sys
from datetime import date
from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.tracking import services

url, worker, n, ids = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), [int(x) for x in sys.argv[4].split(",")]
store = open_store(Settings(database_url=url), upgrade=False)
for i in range(n):
    with store.session() as s:  # one transaction per update, as a web request does
        services.add_update(s, ids[i % len(ids)], period=date(2024, 6, 28), value=float(i),
                            narrative=f"p{worker}-u{i}", actor=f"worker{worker}")
store.dispose()
"""


def test_parallel_processes_updates_all_land(db_url):
    target_ids, _tokens, _outsider = seed(db_url)
    ids = ",".join(map(str, target_ids))
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, db_url, str(w), str(PER_PROCESS), ids],
            stderr=subprocess.PIPE,
            text=True,
            env=os.environ.copy(),
        )
        for w in range(PROCESSES)
    ]
    failures = []
    for p in procs:
        _out, err = p.communicate(timeout=300)
        if p.returncode != 0:
            failures.append(err[-2000:])
    assert failures == []
    narratives, audits = count_updates(db_url)
    assert narratives == Counter({f"p{w}-u{i}": 1 for w in range(PROCESSES) for i in range(PER_PROCESS)})
    assert audits == PROCESSES * PER_PROCESS
    store = open_store(Settings(database_url=db_url), upgrade=False)
    with store.session() as s:
        per_target = dict(
            s.execute(select(ProgressUpdate.target_id, func.count()).group_by(ProgressUpdate.target_id)).all()
        )
    store.dispose()
    assert sum(per_target.values()) == PROCESSES * PER_PROCESS and set(per_target) == set(target_ids)
