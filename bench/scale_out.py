"""Scale-out check: two app servers, one PostgreSQL, one media folder, a mixed load.

    .venv/bin/python bench/scale_out.py --database-url postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python bench/scale_out.py --database-url … --seconds 60 --clients 4 --ports 8104,8105

What it does, on the loopback interface only and for a bounded time:

1. creates a fresh database (``--db-name``, default ``isa_scale_out``; dropped at the end),
   migrates it and fills it with the benchmark's data at scale 1 (``bench/generate``);
2. starts two gunicorn servers (``isa.wsgi``, ``-c python:isa.gunicorn_conf`` as in
   production, two workers each) on two ports, with the same secret key, the same database
   and the same media folder — two machines behind a load balancer, on one machine;
3. signs in once (a session written to the database, as a sign-in would) and sends that
   one session cookie to both servers: each client thread sends every request to the other
   server than its previous one;
4. drives ``--clients`` threads for ``--seconds`` seconds (at most ``--max-requests``):
   reads (home, programme, participant list, the richest file, journal search, register)
   and taps (present / undo on today's register; each thread owns its own people, so it
   knows what the register must hold at the end);
5. checks: no error (every answer 200), no lost or duplicated presence (the register holds
   exactly the people whose last tap was "present", once each, and every tap that changed
   something has its audit event), the session valid on both servers to the end; prints
   latencies per kind of request and the workers' memory after boot and after the load.

It exits with 1 when a check fails.  docs/operations.md gives the procedure and
docs/performance.md the figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from run import _postgres, _with_database  # noqa: E402


def _env(database_url: str, workdir: Path, secret: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ISA_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "isa.settings",
            "ISA_DATABASE_URL": database_url,
            "ISA_DEBUG": "0",
            "ISA_HTTPS": "0",
            "ISA_REQUIRE_2FA": "0",
            "ISA_DEMO": "0",
            "ISA_SECRET_KEY": secret,
            "ISA_ALLOWED_HOSTS": "127.0.0.1",
            "ISA_VAR_DIR": str(workdir),
            "ISA_MEDIA_ROOT": str(workdir / "media"),  # shared by both servers
            "ISA_STATIC_ROOT": str(workdir / "static"),
            "ISA_LOG_LEVEL": "WARNING",
        }
    )
    return env


_PREPARE = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
sys.path.insert(0, sys.argv[1])
call_command("migrate", interactive=False, verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from generate import generate
from isa.core.models import User
from isa.people.models import Participant
from isa.presence.models import Session
dataset = generate(int(sys.argv[2]))
head = User.objects.get(pk=dataset.head_id)
# A signed-in session, as the sign-in page would write it.
session = SessionStore()
session[SESSION_KEY] = str(head.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = head.get_session_auth_hash()
session.create()
from run import _register_session
register = _register_session(dataset.programme_id)  # today's, as the benchmark's taps
people = list(
    Participant.objects.in_programme(dataset.programme_id).occupying()
    .exclude(presences__session=register).order_by("pk").values_list("pk", flat=True)
)
print(json.dumps({
    "cookie": settings.SESSION_COOKIE_NAME, "session": session.session_key,
    "programme": dataset.programme_id, "file": dataset.file_participant_id,
    "register": register.pk, "people": people, "report": dataset.report_published_id,
}))
"""

_CHECK = """
import json, sys
import django
django.setup()
from django.db.models import Count
from isa.core.models import AuditEvent
from isa.presence.models import Presence
register, expected = int(sys.argv[1]), set(json.loads(sys.argv[2]))
rows = list(Presence.objects.filter(session_id=register).values_list("participant_id", flat=True))
duplicates = (
    Presence.objects.filter(session_id=register).values("participant_id")
    .annotate(n=Count("pk")).filter(n__gt=1).count()
)
events = AuditEvent.objects.filter(object_type="presence.presence", detail__session=register)
print(json.dumps({
    "present": sorted(set(rows) & expected), "missing": sorted(expected - set(rows)),
    "unexpected": sorted((set(rows) & set(json.loads(sys.argv[3]))) - expected),
    "duplicates": duplicates,
    "creates": events.filter(action="create").count(),
    "deletes": events.filter(action="delete").count(),
}))
"""


def _python(code: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def _memory(ports: list[int], servers: list[Any]) -> dict[int, list[float]]:
    """Each server's workers' resident memory (MB)."""
    return {
        port: [_rss_mb(worker) for worker in _workers(server.pid)]
        for port, server in zip(ports, servers, strict=True)
    }


def _wait_ready(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"the server on port {port} did not start")


class Client:
    """One thread's HTTP/1.1 connections, one per server, the shared session cookie."""

    def __init__(self, ports: list[int], cookie: str) -> None:
        self.connections = {
            port: http.client.HTTPConnection("127.0.0.1", port, timeout=30) for port in ports
        }
        self.ports = ports
        self.turn = 0
        self.cookie = cookie
        self.csrf = ""
        self.csrf_cookie = ""

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple:
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        cookies = "; ".join(c for c in (self.cookie, self.csrf_cookie) if c)
        headers = {"Host": "127.0.0.1", "Cookie": cookies}
        data = None
        if body is not None:
            data = urlencode(body)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-CSRFToken": self.csrf,
                    "X-ISA-Tap": "1",
                    "Referer": f"http://127.0.0.1:{port}{path}",
                }
            )
        started = time.perf_counter()
        connection = self.connections[port]
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                if name == "csrftoken":
                    self.csrf_cookie = f"csrftoken={rest.split(';', 1)[0]}"
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            return port, 0, time.perf_counter() - started, str(exc).encode()
        return port, response.status, time.perf_counter() - started, content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("ISA_BENCH_DATABASE_URL", ""))
    parser.add_argument("--db-name", default="isa_scale_out")
    parser.add_argument("--ports", default="8104,8105")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--tap-share", type=float, default=0.3)
    parser.add_argument("--scale", type=int, default=1, help="bench/generate scale (1, 10, 100)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if urlsplit(args.database_url).scheme not in {"postgres", "postgresql"}:
        raise SystemExit("--database-url postgres://… (a server to connect through) is required")
    ports = [int(p) for p in args.ports.split(",")]
    database_url = _with_database(args.database_url, args.db_name)
    secret = secrets.token_urlsafe(64)
    servers: list[subprocess.Popen[bytes]] = []
    _postgres(
        args.database_url,
        f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)',
        f'CREATE DATABASE "{args.db_name}"',
    )
    try:
        with tempfile.TemporaryDirectory(prefix="isa-scale-out-") as tmp:
            workdir = Path(tmp)
            env = _env(database_url, workdir, secret)
            print(f"== preparing the database (migrate, scale-{args.scale} data)", flush=True)
            setup = _python(_PREPARE, env, str(BENCH_DIR), str(args.scale))
            gunicorn = str(Path(sys.executable).with_name("gunicorn"))
            for port in ports:
                servers.append(
                    subprocess.Popen(
                        [
                            gunicorn,
                            "isa.wsgi",
                            "-c",
                            "python:isa.gunicorn_conf",
                            "--bind",
                            f"127.0.0.1:{port}",
                            "--workers",
                            str(args.workers),
                            "--timeout",
                            "60",
                        ],
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
            deadline = time.monotonic() + 120
            for port in ports:
                _wait_ready(port, deadline)
            time.sleep(1.0)
            booted = _memory(ports, servers)
            report = _drive(args, ports, setup)
            loaded = _memory(ports, servers)
            check = _python(
                _CHECK,
                env,
                str(setup["register"]),
                json.dumps(report["expected_present"]),
                json.dumps(report["tapped"]),
            )
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        _postgres(args.database_url, f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')
    return _report(args, report, check, booted, loaded)


READS = [
    ("home", "/"),
    ("programme", "/p/{programme}/"),
    ("participant list", "/p/{programme}/people/"),
    ("participant file", "/p/{programme}/people/{file}/"),
    ("journal search", "/p/{programme}/journal/?q=atelier"),
    ("register", "/p/{programme}/register/{register}/"),
    ("waiting list", "/p/{programme}/waiting/"),
    ("journal", "/p/{programme}/journal/"),
    ("watch board", "/p/{programme}/watch/"),
    ("audit log", "/p/{programme}/audit/"),
    ("funders' report (published)", "/p/{programme}/reports/{report}/"),
]
#: The page whose form gives each client its CSRF token.
REGISTER = "/p/{programme}/register/{register}/"


def _drive(args: argparse.Namespace, ports: list[int], setup: dict[str, Any]) -> dict[str, Any]:
    cookie = f"{setup['cookie']}={setup['session']}"
    people = setup["people"]
    tap_path = f"/p/{setup['programme']}/register/{setup['register']}/tap/"
    stop = time.monotonic() + args.seconds
    lock = threading.Lock()
    timings: dict[str, list[float]] = {}
    by_port: dict[int, int] = dict.fromkeys(ports, 0)
    errors: list[str] = []
    state: dict[int, bool] = {}  # participant -> present after its last successful tap
    changes = {"create": 0, "delete": 0}
    sent = [0]

    def worker(index: int) -> None:
        rng = random.Random(index)
        mine = people[index :: args.clients]
        client = Client(ports, cookie)
        _port, status, _s, content = client.request("GET", REGISTER.format(**setup))
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        if status != 200 or not match:
            with lock:
                errors.append(f"register page for the CSRF token: {status}")
            return
        client.csrf = match.group(1).decode()  # with the csrftoken cookie set by the page
        local_state = dict.fromkeys(mine, False)
        while time.monotonic() < stop:
            with lock:
                if sent[0] >= args.max_requests:
                    return
                sent[0] += 1
            if mine and rng.random() < args.tap_share:
                person = rng.choice(mine)
                action = "clear" if local_state[person] else "present"
                kind = f"tap {action}"
                port, status, seconds, content = client.request(
                    "POST", tap_path, {"participant": person, "action": action, "expected": "1"}
                )
                if status == 200:
                    local_state[person] = action == "present"
                    with lock:
                        changes["create" if action == "present" else "delete"] += 1
            else:
                kind, path = rng.choice(READS)
                port, status, seconds, content = client.request("GET", path.format(**setup))
            with lock:
                timings.setdefault(kind, []).append(seconds)
                by_port[port] += 1
                if status != 200:
                    errors.append(f"{kind} on port {port}: {status} {content[:200]!r}")
        with lock:
            state.update(local_state)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.clients)]
    load_before = os.getloadavg()
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    # The session is still valid on both servers after the load.
    final = Client(ports, cookie)
    still = [final.request("GET", "/")[1] for _ in ports]
    return {
        "elapsed": elapsed,
        "timings": timings,
        "by_port": by_port,
        "errors": errors,
        "expected_present": sorted(p for p, here in state.items() if here),
        "tapped": sorted(state),
        "changes": changes,
        "session_after": still,
        "load": [load_before, os.getloadavg()],
    }


def _report(
    args: argparse.Namespace,
    report: dict[str, Any],
    check: dict[str, Any],
    booted: dict[int, list[float]],
    loaded: dict[int, list[float]],
) -> int:
    total = sum(len(v) for v in report["timings"].values())
    print(
        f"\n{total:,} requests in {report['elapsed']:.0f} s ({total / report['elapsed']:.0f}/s)"
        f" by {args.clients} clients through ports "
        + ", ".join(f"{p} ({n:,})" for p, n in report["by_port"].items())
    )
    print(
        "load average (1, 5, 15 min) before: "
        + ", ".join(f"{x:.2f}" for x in report["load"][0])
        + "; after: "
        + ", ".join(f"{x:.2f}" for x in report["load"][1])
    )
    print("| request | n | median ms | p95 ms |\n|---|---:|---:|---:|")
    for kind, values in sorted(report["timings"].items()):
        ordered = sorted(values)
        p95 = ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]
        print(
            f"| {kind} | {len(values):,} | {statistics.median(values) * 1000:.1f} "
            f"| {p95 * 1000:.1f} |"
        )
    for label, memory in (("after boot", booted), ("after the load", loaded)):
        print(
            f"workers' memory {label} (RSS, MB): "
            + "; ".join(
                f"port {p}: " + ", ".join(f"{m:.0f}" for m in ms) for p, ms in memory.items()
            )
        )
    problems = []
    if report["errors"]:
        problems.append(f"{len(report['errors'])} errors, first: {report['errors'][:3]}")
    if check["missing"] or check["unexpected"] or check["duplicates"]:
        problems.append(f"presences wrong: {check}")
    if (check["creates"], check["deletes"]) != (
        report["changes"]["create"],
        report["changes"]["delete"],
    ):
        problems.append(f"audit events {check} for taps {report['changes']}")
    if report["session_after"] != [200] * len(report["session_after"]):
        problems.append(f"session after the load: {report['session_after']}")
    print(
        f"errors: {len(report['errors'])} · presences: {len(check['present'])} present as "
        f"expected, {len(check['missing'])} lost, {len(check['unexpected'])} unexpected, "
        f"{check['duplicates']} duplicated · taps that changed the register: "
        f"{report['changes']['create']} present, {report['changes']['delete']} undone; audit "
        f"events {check['creates']} + {check['deletes']} · session valid on both servers "
        f"after the load: {report['session_after'] == [200] * len(report['session_after'])}"
    )
    if args.json:
        args.json.write_text(
            json.dumps({"report": report, "check": check, "booted": booted, "loaded": loaded})
        )
    if problems:
        print("FAILED: " + "; ".join(problems))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
