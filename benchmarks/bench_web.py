"""Benchmark of the web app (run by hand, not in CI): ``python benchmarks/bench_web.py [--db postgres]``.

1. Builds its own database: 20 districts x 5 years x 200 targets (20,000) x 12 monthly updates
   (240,000 updates, each with its accepted 复核 row), by bulk insert, and logs every target's
   status once (as ``luoshi remind`` does each night), on a fresh SQLite file or a
   private PostgreSQL schema (``--db postgres``, URL from ``--postgres-url`` or
   LUOSHI_TEST_POSTGRES_URL).
2. Starts the real server (``luoshi serve --db URL --port P [--workers N]``) and, beside it, a bare
   FastAPI app on the same database served the same way (benchmarks/bare_app.py).
3. Prints medians: p50/p95 latency and server CPU per page of the overview, a target page, the
   targets list and the public scorecard, at 1 and at 8 concurrent clients (each beside the bare
   app's ``GET /hello``); single progress updates per second through the JSON API (beside the bare
   app's INSERT + COMMIT) and in batches through ``POST /api/updates``; ``/healthz`` p95 while one
   socket sends 100 pipelined scorecard requests and never reads the answers, while two loops
   post wrong passwords (throttling raised out of the way, so every try costs an argon2 check),
   and while two loops upload a 任务分解表 padded with a fake ``<dimension>`` and 100,000 empty
   rows (refused after the row cap).

Aims (issue 10, SQLite and PostgreSQL alike): server CPU per page <= 15 ms; p95 < 100 ms at 1
client and < 300 ms at 8; /healthz p95 < 50 ms under each of the three attacks; single updates >= 60% of the
bare INSERT + COMMIT; batches >= 3,000 updates/s; --workers 2 on PostgreSQL reads >= 1.6x.
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
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

import httpx
from sqlalchemy import insert
from sqlalchemy import text as sql_text

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
TODAY = "2024-09-30"  # the server's clock (LUOSHI_TODAY)
PASSWORD = "bench-password-1"
AREAS = ["稳住向好态势", "绿色低碳转型", "改革创新", "开放水平", "城市品质", "民生品质"]
INDICATORS = [
    "新建5G基站",
    "新增规模以上企业",
    "城镇新增就业",
    "技改投资增长",
    "新建充电桩",
    "改造老旧小区",
    "新增上市企业",
    "数字经济营业收入增长",
    "发放助企贷款",
    "新增绿地",
]


def load(settings: Settings, cold: bool = False) -> dict[str, int]:
    """Bulk-load the synthetic plans; returns row counts."""
    text = (files("luoshi") / "data" / "zhangdian-2024.txt").read_text(encoding="utf-8")
    store = open_store(settings)
    rng = random.Random(7)
    now = datetime(2024, 10, 1)
    counts = {"targets": 0, "updates": 0}
    with store.engine.begin() as conn:
        conn.execute(insert(Department), [{"id": i + 1, "name": f"区部门{i + 1:02d}"} for i in range(20)])
        conn.execute(
            insert(Jurisdiction),
            [{"id": 1, "name": "示例市"}]
            + [{"id": d + 2, "name": f"示例{d + 1:02d}区", "parent_id": 1} for d in range(DISTRICTS)],
        )
        report_id = area_id = target_id = update_id = 0
        for d in range(DISTRICTS):
            for y in range(YEARS):
                year = 2020 + y
                report_id += 1
                conn.execute(
                    insert(Report),
                    [
                        {
                            "id": report_id,
                            "jurisdiction_id": d + 2,
                            "year": year,
                            "source_name": "bench.txt",
                            "title": "政府工作报告",
                            "text": text,
                            "sha256": f"{report_id:064d}",
                            "imported_at": now,
                            "sample": True,
                        }
                    ],
                )
                areas = []
                for a, heading in enumerate(AREAS):
                    area_id += 1
                    areas.append(area_id)
                    conn.execute(
                        insert(Area),
                        [
                            {
                                "id": area_id,
                                "report_id": report_id,
                                "heading": "聚焦聚力" + heading,
                                "part": "plan",
                                "position": a,
                            }
                        ],
                    )
                targets, cos, updates, checks = [], [], [], []
                for i in range(TARGETS):
                    target_id += 1
                    goal = float(rng.choice([50, 100, 300, 1000, 3000]))
                    indicator = f"{rng.choice(INDICATORS)}{i}"
                    targets.append(
                        {
                            "id": target_id,
                            "report_id": report_id,
                            "area_id": areas[i % len(areas)],
                            "review_state": "accepted",
                            "origin": "extracted",
                            "position": i,
                            "title": f"{indicator}{goal:.0f}个以上",
                            "indicator": indicator,
                            "target_value": goal,
                            "unit": "个",
                            "comparator": ">=",
                            "kind": "count",
                            "lead_department_id": 1 + (i % 20),
                            "public": i % 3 != 0,
                            "cadence": "monthly",
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                    cos.append({"target_id": target_id, "department_id": 1 + ((i + 7) % 20)})
                    pace = rng.uniform(0.4, 1.3)
                    for m in range(1, MONTHS + 1):
                        update_id += 1
                        updates.append(
                            {
                                "id": update_id,
                                "target_id": target_id,
                                "period": date(year, m, 25),
                                "reported_value": round(goal * pace * m / 12, 1),
                                "narrative": f"{m}月进展",
                                "narrative_internal": False,
                                "author_name": "bench",
                                "created_at": now,
                            }
                        )
                        checks.append(
                            {
                                "update_id": update_id,
                                "decision": "accepted",
                                "comment": "",
                                "by_name": "bench",
                                "at": now,
                            }
                        )
                conn.execute(insert(Target), targets)
                conn.execute(insert(target_co_departments), cos)
                conn.execute(insert(ProgressUpdate), updates)
                conn.execute(insert(ProgressCheck), checks)
                counts["targets"] += len(targets)
                counts["updates"] += len(updates)
    if store.engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        with store.engine.begin() as conn:
            for table in ("departments", "jurisdictions", "reports", "areas", "targets", "progress_updates"):
                conn.execute(
                    sql_text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    from luoshi.accounts.users import create_user
    from luoshi.tracking.readmodel import rebuild

    with store.session() as s:
        create_user(s, "bench_admin", "admin", password=PASSWORD)
    with store.session() as s:
        # The bulk insert went round the write services: build the read model as a write would
        # have, and (unless --cold) keep the day's statuses as the daily `luoshi remind` does.
        rebuild(s, None if cold else replace(settings, today=TODAY))
    if not cold:
        from luoshi.notify.events import refresh_statuses

        with store.session() as s:  # a database in use has a status_log (every write, ``luoshi remind``)
            refresh_statuses(s, replace(settings, today=TODAY))
    # Planner statistics for the bulk-loaded tables, as autovacuum would gather them in time
    # (SQLite's planner keeps none by default; PostgreSQL's plans depend on them).
    with store.engine.connect() as conn:
        conn.execute(sql_text("ANALYZE"))
        conn.commit()
    store.dispose()
    return counts


def _tree(pid: int) -> list[int]:
    """``pid`` and its children (gunicorn workers)."""
    out = [pid]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    return out


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the server and its workers (Linux /proc), or NaN."""
    total = 0.0
    try:
        for p in _tree(pid):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")
    return total


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


@contextmanager
def process(cmd: list[str], base: str, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """Start a server and wait for ``base/healthz`` (or ``/hello``) to answer; stop it afterwards."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 90
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code in (200, 404):
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or proc.poll() is not None:
                raise SystemExit(f"server did not start: {proc.stdout.read() if proc.stdout else ''}")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def timed(client: httpx.Client, urls: list[str]) -> list[float]:
    out = []
    for url in urls:
        t0 = time.perf_counter()
        r = client.get(url)
        out.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code, r.text[:200])
    return out


def concurrent(make_client, urls: list[str], clients: int) -> tuple[list[float], float]:  # noqa: ANN001
    """Latencies (ms) of ``urls`` sent by ``clients`` keep-alive clients; and requests/s.

    Each client takes the next URL as soon as its last answer is in (one shared queue), as a load
    generator does. With ``--workers N`` the clients' connections are not split evenly among the
    workers (8 connections to 2 gunicorn workers, 40 trials: 4/4 in 15, 3/5 in 15, 2/6 in 8, 1/7
    in 2) and a connection stays with its worker; with a fixed share of URLs per client, the
    round ended only when the worker with more connections had worked off their shares alone,
    so it measured the split (at most 2/1.6/1.33/1.14 x one worker), not the server.
    """
    results: list[list[float]] = [[] for _ in range(clients)]
    queue = iter(urls)
    lock = threading.Lock()

    def work(k: int) -> None:
        with make_client() as c:
            while True:
                with lock:
                    url = next(queue, None)
                if url is None:
                    return
                results[k] += timed(c, [url])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    flat = [x for r in results for x in r]
    return flat, len(flat) / elapsed


def write_updates(
    base: str, token: str, target_ids: list[int], n: int, workers: int, batch: int = 1
) -> float:
    """Updates/s over ``n`` updates from ``workers`` concurrent keep-alive clients.

    ``batch`` 1: one ``POST /api/targets/{id}/updates`` per update; more: ``POST /api/updates`` lists.
    """
    per = max(1, n // workers // batch)
    errors: list[str] = []

    def work(k: int) -> None:
        rng = random.Random(k)
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
            for j in range(per):
                if batch == 1:
                    r = c.post(
                        f"/api/targets/{rng.choice(target_ids)}/updates",
                        json={"period": "2024-09-28", "value": j, "narrative": "bench"},
                    )
                else:
                    r = c.post(
                        "/api/updates",
                        json=[
                            {
                                "target_id": rng.choice(target_ids),
                                "period": "2024-09-28",
                                "value": j,
                                "narrative": "bench",
                            }
                            for _ in range(batch)
                        ],
                    )
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


def bare_inserts(base: str, n: int, workers: int) -> float:
    per = max(1, n // workers)

    def work(_k: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as c:
            for _ in range(per):
                assert c.post("/insert", json={"note": "bench"}).status_code == 201

    threads = [threading.Thread(target=work, args=(k,)) for k in range(workers)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return per * workers / (time.perf_counter() - t0)


def slow_reader(port: int, path: str, n: int = 100) -> socket.socket:
    """A socket with a tiny receive buffer that sends ``n`` pipelined GETs and never reads."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode() * n)
    return sock


def healthz_p95(base: str, n: int = 40) -> float:
    with httpx.Client(base_url=base, timeout=30) as c:
        return _pct(timed(c, ["/healthz"] * n), 95)


def _database(args: argparse.Namespace, folder: Path) -> Iterator[str]:
    if args.db == "sqlite":
        yield f"sqlite:///{folder / 'bench.db'}"
        return
    url = args.postgres_url or os.environ.get("LUOSHI_TEST_POSTGRES_URL")
    if not url:
        raise SystemExit("--db postgres needs --postgres-url or LUOSHI_TEST_POSTGRES_URL")
    from luoshi.store.testing import private_postgres_schema

    with private_postgres_schema(url) as schema_url:
        yield schema_url


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--postgres-url", default=None)
    ap.add_argument("--workers", type=int, default=1, help="server processes (luoshi serve --workers)")
    ap.add_argument("--requests", type=int, default=40, help="requests per page kind and client count")
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients of the second round")
    ap.add_argument("--updates", type=int, default=1000, help="progress updates to POST one by one")
    ap.add_argument("--batch", type=int, default=100, help="updates per POST /api/updates request")
    ap.add_argument(
        "--only",
        choices=("all", "pages", "updates"),
        default="all",
        help="run only the page rounds (with the slow reader) or only the update rounds",
    )
    ap.add_argument("--keep", action="store_true", help="keep the database folder")
    ap.add_argument(
        "--cold",
        action="store_true",
        help="keep no statuses for the day (as before the first write or `luoshi remind` of a day)",
    )
    args = ap.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="luoshi-bench-"))
    gen = _database(args, folder)
    url = next(gen)
    try:
        run(args, folder, url)
    finally:
        gen.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"kept {folder}")


def run(args: argparse.Namespace, folder: Path, url: str) -> None:
    settings = Settings(database_url=url, upload_dir=str(folder / "up"))
    t0 = time.perf_counter()
    counts = load(settings, args.cold)
    print(
        f"{args.db}: loaded {counts['targets']:,} targets and {counts['updates']:,} updates in "
        f"{time.perf_counter() - t0:.1f} s; server: --workers {args.workers}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before the run"
    )

    port, bare_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "LUOSHI_TODAY": TODAY,
        "LUOSHI_SECRET_KEY": "bench",
        "LUOSHI_UPLOAD_DIR": str(folder / "up"),
        # the failed-login round's worst case: no throttle delay, every try costs an argon2 check
        "LUOSHI_LOGIN_MAX_FAILURES": "1000000",
        "LUOSHI_LOGIN_ADDRESS_MAX_FAILURES": "1000000",
    }
    serve = [sys.executable, "-m", "luoshi", "serve", "--db", url, "--port", str(port)]
    if args.workers > 1:
        serve += ["--workers", str(args.workers)]
    bare = [
        sys.executable,
        str(Path(__file__).with_name("bare_app.py")),
        str(bare_port),
        url,
        str(args.workers),
    ]
    base, bare_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bare_port}"
    with process(serve, base, env) as server, process(bare, bare_base, env):
        with httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client:
            page = client.get("/login").text
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
            r = client.post(
                "/login", data={"username": "bench_admin", "password": PASSWORD, "csrf_token": token}
            )
            assert r.status_code == 200 and "退出" in r.text, r.text[:300]
            cookies = dict(client.cookies)
        rng = random.Random(1)
        n = args.requests
        reports = [rng.randint(1, DISTRICTS * YEARS) for _ in range(n * args.clients)]

        def place(report: int) -> str:
            d, y = (report - 1) // YEARS, 2020 + (report - 1) % YEARS
            return f"{quote(f'示例{d + 1:02d}区')}/{y}"

        kinds = {
            "overview": [f"/?report={r}" for r in reports],
            "target page": [f"/targets/{rng.randint(1, counts['targets'])}" for _ in reports],
            "targets list": [f"/targets?report={r}&department={1 + r % 20}" for r in reports],
            "public scorecard": [f"/public/{place(r)}" for r in reports],
        }

        def make_client() -> httpx.Client:
            return httpx.Client(base_url=base, timeout=60, cookies=cookies)

        def make_bare() -> httpx.Client:
            return httpx.Client(base_url=bare_base, timeout=60)

        if args.only != "updates":
            pages(args, base, port, kinds, make_client, make_bare, server.pid, place)
        if args.only != "pages":
            updates(args, base, bare_base, settings, server.pid)
    print(f"(load average after the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


def pages(
    args: argparse.Namespace,
    base: str,
    port: int,
    kinds: dict[str, list[str]],
    make_client,  # noqa: ANN001
    make_bare,
    pid: int,
    place,
) -> None:  # noqa: ANN001
    """Page latency and server CPU at 1 and ``--clients`` clients; /healthz under a slow reader."""
    n = args.requests
    # warm-up, with as many clients as the second round: every worker gets some of the connections
    concurrent(make_client, [u for urls in kinds.values() for u in urls[: args.clients]], args.clients)
    print(
        f"\n{'page':18s} {'clients':>7s} {'p50 ms':>8s} {'p95 ms':>8s} {'req/s':>7s} {'CPU ms/req':>10s}"
        f" {'client ms':>9s}   | bare /hello p50 {'p95':>5s} {'req/s':>7s}"
    )
    for clients in (1, args.clients):
        bare_ms, bare_rate = concurrent(make_bare, ["/hello"] * (n * clients), clients)
        for name, urls in kinds.items():
            cpu0, own0 = server_cpu(pid), time.process_time()
            ms, rate = concurrent(make_client, urls[: n * clients], clients)
            cpu = (server_cpu(pid) - cpu0) / len(ms) * 1000
            own = (time.process_time() - own0) / len(ms) * 1000  # this client's share of the 2 cores
            print(
                f"{name:18s} {clients:7d} {statistics.median(ms):8.1f} {_pct(ms, 95):8.1f} {rate:7.1f} "
                f"{cpu:10.1f} {own:9.1f}   | {statistics.median(bare_ms):15.1f} {_pct(bare_ms, 95):5.1f} "
                f"{bare_rate:7.0f}"
            )

    quiet = healthz_p95(base)
    attacker = slow_reader(port, "/public/" + place(1))
    try:
        time.sleep(1.0)
        attacked = healthz_p95(base)
    finally:
        attacker.close()
    print(
        f"\n/healthz p95: {quiet:.1f} ms quiet, {attacked:.1f} ms while one socket sends 100 pipelined "
        f"scorecard requests and reads nothing"
    )
    logins = under_load(base, make_client, failed_login)
    print(f"/healthz p95: {logins[0]:.1f} ms while two loops post wrong passwords ({logins[1]})")
    uploads = under_load(base, make_client, padded_upload(make_client))
    print(f"/healthz p95: {uploads[0]:.1f} ms while two loops upload a padded 任务分解表 ({uploads[1]})")


def failed_login(client: httpx.Client) -> int:
    """One wrong-password try (a fresh CSRF token each time, as a script would); its status."""
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return client.post(
        "/login", data={"username": "bench_admin", "password": "wrong-password", "csrf_token": token}
    ).status_code


def padded_upload(make_client):  # noqa: ANN001, ANN201
    """One upload of a real 任务分解表 (the server's own export) with a fake ``<dimension>`` and
    100,000 empty rows added at the XML level, as an attacker would; its status."""
    import io
    import zipfile

    with make_client() as c:
        sheet = c.get("/sheet.xlsx?report=1").content
    src, out = zipfile.ZipFile(io.BytesIO(sheet)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = re.sub(rb'<dimension ref="[^"]+"\s*/>', b'<dimension ref="A1:XFD1048576"/>', data)
                rows = "".join(f'<row r="{r}"><c r="A{r}" s="0"/></row>' for r in range(300, 100_300))
                data = xml.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
            z.writestr(info, data)
    body = out.getvalue()

    def upload(client: httpx.Client) -> int:
        page = client.get("/sheet").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
        files = {
            "sheet": ("rows.xlsx", body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        }
        return client.post("/sheet", data={"csrf_token": token}, files=files).status_code

    upload.size = len(body)  # type: ignore[attr-defined]
    return upload


def under_load(base: str, make_client, attack, loops: int = 2) -> tuple[float, str]:  # noqa: ANN001
    """/healthz p95 while ``loops`` threads run ``attack(client)`` back to back; what they did."""
    stop, done = threading.Event(), []

    def loop() -> None:
        with make_client() as c:
            while not stop.is_set():
                done.append(attack(c))

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(loops)]
    for t in threads:
        t.start()
    try:
        time.sleep(1.0)
        p95 = healthz_p95(base)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=120)
    codes = ", ".join(f"{n} x {code}" for code, n in sorted(Counter(done).items()))
    size = getattr(attack, "size", None)
    return p95, (f"{size // 1024} KB each; " if size else "") + f"answers: {codes or 'none yet'}"


def updates(args: argparse.Namespace, base: str, bare_base: str, settings: Settings, pid: int) -> None:
    """Single progress updates (beside the bare INSERT + COMMIT) and batches through /api/updates."""
    from luoshi.accounts.tokens import create_token
    from luoshi.accounts.users import get_user

    store = open_store(settings, upgrade=False)
    with store.session() as s:
        plain, _row = create_token(s, get_user(s, "bench_admin"), "bench")
    store.dispose()
    # updates dated 2024-09-28 belong to the 2024 plans (a report's date lies in its plan year):
    # report r holds targets (r-1)*TARGETS+1 .. r*TARGETS and is of year 2020 + (r-1) % YEARS
    ids = [
        tid
        for r in range(1, DISTRICTS * YEARS + 1)
        if 2020 + (r - 1) % YEARS == 2024
        for tid in range((r - 1) * TARGETS + 1, r * TARGETS + 1)
    ]
    bare_rate = bare_inserts(bare_base, args.updates, args.clients)
    cpu0 = server_cpu(pid)
    rate = write_updates(base, plain, ids, args.updates, args.clients)
    cpu = (server_cpu(pid) - cpu0) / args.updates * 1000
    print(
        f"\nsingle updates: {rate:,.0f}/s, server CPU {cpu:.2f} ms each ({args.updates} x POST "
        f"/api/targets/{{id}}/updates, {args.clients} clients) | bare INSERT + COMMIT {bare_rate:,.0f}/s "
        f"-> {rate / bare_rate:.0%}"
    )
    n_batch = args.updates * 10
    cpu0 = server_cpu(pid)
    rate = write_updates(base, plain, ids, n_batch, args.clients, batch=args.batch)
    cpu = (server_cpu(pid) - cpu0) / n_batch * 1000
    print(
        f"batch updates: {rate:,.0f}/s, server CPU {cpu:.2f} ms each ({n_batch} updates via POST "
        f"/api/updates in lists of {args.batch})"
    )


if __name__ == "__main__":
    main()
