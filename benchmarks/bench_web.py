"""Benchmark of the web app (run by hand, not in CI): ``python benchmarks/bench_web.py``.

1. Loads 20 districts x 5 years x 200 targets x 12 monthly updates (240,000 updates, each with
   its accepted 复核 row) into a fresh SQLite file by bulk insert.
2. Starts the real server (``luoshi serve --db FILE --port P``) in a subprocess.
3. Reports median and p95 latency of the overview, the filtered target table and a target page
   (logged in as an admin, keep-alive), and progress updates written per second through the
   JSON API with a Bearer token (several concurrent clients): one update per request, and in
   batches through ``POST /api/updates``.

Aims (issue 3, SQLite): p95 < 150 ms per page, >= 1,000 updates/s.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path

import httpx
from sqlalchemy import insert

from luoshi.settings import Settings
from luoshi.store import open_store
from luoshi.store.models import (
    Area,
    Department,
    Jurisdiction,
    ProgressCheck,
    ProgressUpdate,
    Report,
    Target,
    target_co_departments,
)

DISTRICTS, YEARS, TARGETS, MONTHS = 20, 5, 200, 12
PASSWORD = "bench-password-1"
AREAS = ["稳住向好态势", "绿色低碳转型", "改革创新", "开放水平", "城市品质", "民生品质"]
INDICATORS = ["新建5G基站", "新增规模以上企业", "城镇新增就业", "技改投资增长", "新建充电桩", "改造老旧小区",
              "新增上市企业", "数字经济营业收入增长", "发放助企贷款", "新增绿地"]


def load(settings: Settings) -> dict[str, int]:
    """Bulk-load the synthetic plans; returns row counts."""
    text = (files("luoshi") / "data" / "zhangdian-2024.txt").read_text(encoding="utf-8")
    store = open_store(settings)
    rng = random.Random(7)
    now = datetime(2024, 10, 1)
    counts = {"targets": 0, "updates": 0}
    with store.engine.begin() as conn:
        conn.execute(insert(Department), [{"id": i + 1, "name": f"区部门{i + 1:02d}"} for i in range(20)])
        conn.execute(insert(Jurisdiction), [{"id": 1, "name": "示例市"}] + [
            {"id": d + 2, "name": f"示例{d + 1:02d}区", "parent_id": 1} for d in range(DISTRICTS)])
        report_id = area_id = target_id = update_id = 0
        for d in range(DISTRICTS):
            for y in range(YEARS):
                year = 2020 + y
                report_id += 1
                conn.execute(insert(Report), [{"id": report_id, "jurisdiction_id": d + 2, "year": year,
                                               "source_name": "bench.txt", "title": "政府工作报告", "text": text,
                                               "sha256": f"{report_id:064d}", "imported_at": now, "sample": True}])
                areas = []
                for a, heading in enumerate(AREAS):
                    area_id += 1
                    areas.append(area_id)
                    conn.execute(insert(Area), [{"id": area_id, "report_id": report_id, "heading": "聚焦聚力" + heading,
                                                 "part": "plan", "position": a}])
                targets, cos, updates, checks = [], [], [], []
                for i in range(TARGETS):
                    target_id += 1
                    goal = float(rng.choice([50, 100, 300, 1000, 3000]))
                    indicator = f"{rng.choice(INDICATORS)}{i}"
                    targets.append({
                        "id": target_id, "report_id": report_id, "area_id": areas[i % len(areas)],
                        "review_state": "accepted", "origin": "extracted", "position": i,
                        "title": f"{indicator}{goal:.0f}个以上", "indicator": indicator, "target_value": goal,
                        "unit": "个", "comparator": ">=", "kind": "count", "lead_department_id": 1 + (i % 20),
                        "public": i % 3 != 0, "cadence": "monthly", "created_at": now, "updated_at": now})
                    cos.append({"target_id": target_id, "department_id": 1 + ((i + 7) % 20)})
                    pace = rng.uniform(0.4, 1.3)
                    for m in range(1, MONTHS + 1):
                        update_id += 1
                        updates.append({"id": update_id, "target_id": target_id, "period": date(year, m, 25),
                                        "reported_value": round(goal * pace * m / 12, 1), "narrative": f"{m}月进展",
                                        "narrative_internal": False, "author_name": "bench", "created_at": now})
                        checks.append({"update_id": update_id, "decision": "accepted", "comment": "",
                                       "by_name": "bench", "at": now})
                conn.execute(insert(Target), targets)
                conn.execute(insert(target_co_departments), cos)
                conn.execute(insert(ProgressUpdate), updates)
                conn.execute(insert(ProgressCheck), checks)
                counts["targets"] += len(targets)
                counts["updates"] += len(updates)
    from luoshi.accounts.users import create_user

    with store.session() as s:
        create_user(s, "bench_admin", "admin", password=PASSWORD)
    store.dispose()
    return counts


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the server process (Linux /proc), or NaN."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed_gets(client: httpx.Client, urls: list[str]) -> list[float]:
    out = []
    for url in urls:
        t0 = time.perf_counter()
        r = client.get(url)
        out.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code, r.text[:200])
    return out


def write_updates(base: str, token: str, target_ids: list[int], n: int, workers: int, batch: int = 1) -> float:
    """Updates/s over ``n`` updates from ``workers`` concurrent keep-alive clients.

    ``batch`` 1: one ``POST /api/targets/{id}/updates`` per update; more: ``POST /api/updates`` lists.
    """
    per = n // workers // batch
    errors: list[str] = []

    def work(k: int) -> None:
        rng = random.Random(k)
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
            for j in range(per):
                if batch == 1:
                    r = c.post(f"/api/targets/{rng.choice(target_ids)}/updates",
                               json={"period": "2024-09-28", "value": j, "narrative": "bench"})
                else:
                    r = c.post("/api/updates", json=[
                        {"target_id": rng.choice(target_ids), "period": "2024-09-28", "value": j, "narrative": "bench"}
                        for _ in range(batch)])
                if r.status_code != 201:
                    errors.append(f"{r.status_code} {r.text[:100]}")

    threads = [threading.Thread(target=work, args=(k,)) for k in range(workers)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    assert not errors, errors[:3]
    return per * workers * batch / elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=60, help="requests per page kind")
    ap.add_argument("--updates", type=int, default=2000, help="progress updates to POST")
    ap.add_argument("--workers", type=int, default=8, help="concurrent API clients")
    ap.add_argument("--batch", type=int, default=100, help="updates per POST /api/updates request")
    ap.add_argument("--keep", action="store_true", help="keep the database folder")
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="luoshi-bench-"))
    db = folder / "bench.db"
    settings = Settings(database_url=f"sqlite:///{db}", upload_dir=str(folder / "up"))
    t0 = time.perf_counter()
    counts = load(settings)
    print(f"loaded {counts['targets']:,} targets and {counts['updates']:,} updates in "
          f"{time.perf_counter() - t0:.1f} s ({db.stat().st_size / 1e6:.0f} MB)")

    port = _free_port()
    env = {**os.environ, "LUOSHI_TODAY": "2024-09-30", "LUOSHI_SECRET_KEY": "bench",
           "LUOSHI_UPLOAD_DIR": str(folder / "up")}
    luoshi = shutil.which("luoshi") or sys.executable
    cmd = [luoshi] if luoshi != sys.executable else [sys.executable, "-m", "luoshi"]
    server = subprocess.Popen([*cmd, "serve", "--db", str(db), "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or server.poll() is not None:
                raise SystemExit(f"server did not start: {server.stdout.read() if server.stdout else ''}")
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
            page = client.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            r = client.post("/login", data={"username": "bench_admin", "password": PASSWORD, "csrf_token": token})
            assert r.status_code == 200 and "退出" in r.text, r.text[:300]
            rng = random.Random(1)
            n = args.requests
            reports = [rng.randint(1, DISTRICTS * YEARS) for _ in range(n)]
            kinds = {
                "overview": [f"/?report={r}" for r in reports],
                "target table (filtered)": [f"/targets?report={r}&status=behind&department={1 + r % 20}&q=新"
                                            for r in reports],
                "target page": [f"/targets/{rng.randint(1, counts['targets'])}" for _ in range(n)],
            }
            timed_gets(client, ["/", "/targets", "/targets/1"])  # warm-up
            print(f"\n{'page':28s} {'median ms':>10s} {'p95 ms':>10s} {'server CPU ms':>14s}  (n={n})")
            for name, urls in kinds.items():
                cpu0 = server_cpu(server.pid)
                ms = timed_gets(client, urls)
                cpu = (server_cpu(server.pid) - cpu0) / len(urls) * 1000
                print(f"{name:28s} {statistics.median(ms):10.1f} {_pct(ms, 95):10.1f} {cpu:14.1f}")

        from luoshi.accounts.tokens import create_token
        from luoshi.accounts.users import get_user

        store = open_store(settings, upgrade=False)
        from sqlalchemy import select

        from luoshi.store.models import Report, Target

        with store.session() as s:
            plain, _row = create_token(s, get_user(s, "bench_admin"), "bench")
            # updates dated 2024-09-28 belong to the 2024 plans (a report's date lies in its plan year)
            ids = list(s.scalars(select(Target.id).join(Report, Target.report_id == Report.id)
                                 .where(Report.year == 2024)))
        store.dispose()
        cpu0 = server_cpu(server.pid)
        rate = write_updates(base, plain, ids, args.updates, args.workers)
        per_cpu = args.updates / (server_cpu(server.pid) - cpu0)
        print(f"\nAPI writes, one update per request: {rate:,.0f} updates/s wall clock, "
              f"{per_cpu:,.0f} per server CPU-second "
              f"({args.updates} x POST /api/targets/{{id}}/updates, {args.workers} clients, Bearer token)")
        n = args.updates * 10
        cpu0 = server_cpu(server.pid)
        rate = write_updates(base, plain, ids, n, args.workers, batch=args.batch)
        per_cpu = n / (server_cpu(server.pid) - cpu0)
        print(f"API writes, batches of {args.batch}: {rate:,.0f} updates/s wall clock, "
              f"{per_cpu:,.0f} per server CPU-second ({n} updates via POST /api/updates, {args.workers} clients)")
        print(f"(load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"kept {folder}")


if __name__ == "__main__":
    main()
