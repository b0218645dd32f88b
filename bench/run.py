"""ISA benchmarks: server time and SQL queries of the pages as the data grows.

    .venv/bin/python bench/run.py                       # SQLite, scales 1, 10 and 100
    .venv/bin/python bench/run.py --scales 1,10
    ISA_BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench
    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Every scale gets a fresh database: a SQLite file in a temporary directory or, on
PostgreSQL, a dedicated database ``isa_bench_<scale>`` created (and dropped at the end)
through the server named by the URL, which is only used to connect.  A first process
migrates it and fills it (``bench/generate/``); then, in each round, a fresh process per
scale signs in as the head of the first programme and requests every page N times with
``django.test.Client`` (the public gallery with a client that is not signed in, the
participant's space signed in as the measured file's person) — the journal and its
searches, the funders' report (published and draft) and the participant's space
included, and first the framework floor (``floor_urls``), which every page's median is
compared with — then
taps "present" N times on the register of today's session (each tap a new presence,
removed again untimed) and runs the admit/exit write path.  The
rounds visit the scales in turn, so a slow minute of a shared machine falls on every scale
alike; median and p95 are taken over all the requests.

The results are printed and written to ``docs/performance.md``, between the markers
``<!-- bench:start -->`` and ``<!-- bench:end -->``: one block per database vendor, so a
SQLite run and a PostgreSQL run each replace only their own.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
DOC = PROJECT_DIR / "docs" / "performance.md"
BENCH_DB = "isa_bench"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
BUDGET_P95_MS = 100.0
BUDGET_GROWTH = 2.0

#: The pages measured, in the order of the table.
PAGES = [
    ("floor", "framework floor (login-required view, tiny template)"),
    ("home", "home `/`"),
    ("programme", "programme page"),
    ("participant_list", "participant list (default view)"),
    ("participant_search", "participant list `?q=a&sort=name`"),
    ("participant_file", "participant file (with presence rates, heat-map)"),
    ("waiting_list", "waiting list"),
    ("audit_log", "audit log (page 1)"),
    ("audit_log_changes", "audit log `?action=update`"),
    ("register", "register of today's session"),
    ("presence_month", "month view, last month"),
    ("sheet_pdf", "monthly sheet PDF, last month"),
    ("sheet_xlsx", "monthly sheet XLSX, last month"),
    ("work_list", "works (page 1)"),
    ("work_detail", "work with its images"),
    ("portfolio", "portfolio of the richest creator"),
    ("participant_file_works", "participant file of that creator (works, evaluation panels)"),
    ("exhibition_detail", "exhibition (12 works)"),
    ("exhibition_catalogue", "exhibition catalogue PDF"),
    ("gallery", "public gallery (anonymous)"),
    ("evaluation_person", "a person's questionnaires (two rounds)"),
    ("evaluation_group", "group results (statistics, charts)"),
    ("journal_list", "journal (page 1)"),
    ("journal_search_common", "journal search, a common word (`atelier`)"),
    ("journal_search_rare", "journal search, a rare word (`accordeon`)"),
    ("journal_search_name", "journal search, a first name"),
    ("journal_about", "journal of one person (the file's, page 1)"),
    ("watch_board", "watch board"),
    ("audit_log_person", "audit log `?person=<a last name>`"),
    ("report_published", "funders' report, last year's published version"),
    ("report_draft", "funders' report, this year's draft (figures computed)"),
    ("portal_home", "participant's space: home (as the file's person)"),
    ("portal_days", "participant's space: days calendar, this month"),
    ("portal_works", "participant's space: works"),
    ("portal_journal", "participant's space: notes shared with them"),
]
#: The floor: what every page pays before its own work (see ``floor_urls``).
FLOOR = "floor"
#: Pages requested without signing in (public).
ANONYMOUS = {"gallery"}
#: Pages requested signed in as the measured file's person (their own space).
PORTAL = {"portal_home", "portal_days", "portal_works", "portal_journal"}
TAP = ("tap", "tap: mark present (`register_tap`)")
WRITE = ("write_admit_exit", "write: `participant_admit` + `participant_exit`")
MEASURES = [*PAGES, TAP, WRITE]
#: p95 budgets in ms (ARCHITECTURE.md): a tap ≤ 50 ms, the attendance sheets as the annual
#: report (≤ 2 s), every other page ≤ 100 ms; the write path has none of its own.
BUDGETS: dict[str, float | None] = {
    TAP[0]: 50.0,
    "sheet_pdf": 2000.0,
    "sheet_xlsx": 2000.0,
    "exhibition_catalogue": 2000.0,  # an export, as the sheets
    "report_draft": 2000.0,  # the annual report itself, computed on every view of a draft
    WRITE[0]: None,
}
#: Goal of issue 17: an interactive page's median within 3× the floor's.
FLOOR_GOAL = 3.0
#: Not interactive pages: exports (held to 2 s) and the write path.
NOT_INTERACTIVE = {
    "sheet_pdf",
    "sheet_xlsx",
    "exhibition_catalogue",
    "report_draft",
    WRITE[0],
    FLOOR,
}


# -- measuring (inside a worker process, after django.setup()) -------------------------------


class _QueryTimer:
    """A ``connection.execute_wrapper``: the duration of every SQL statement, precisely
    (Django's own capture rounds to the millisecond)."""

    def __init__(self) -> None:
        self.requests: list[list[tuple[str, float]]] = []
        self.recording = True

    def next_request(self) -> None:
        self.requests.append([])

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if self.recording:
                self.requests[-1].append((sql, time.perf_counter() - started))


def _measure(call: Any, n: int, reset: Any = None) -> dict[str, Any]:
    """Time ``call()`` n times after a warm-up; count its SQL queries before and after.
    ``reset()``, if given, runs after every call, neither timed nor counted (it puts back
    what a write changed, so that every timed call writes again)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reset = reset or (lambda: None)
    call()  # warm-up: templates, URL resolver, translations and connection ready
    reset()
    with CaptureQueriesContext(connection) as captured:
        call()
    reset()
    timer = _QueryTimer()
    wall, cpu = [], []
    with connection.execute_wrapper(timer):
        for _ in range(n):
            timer.next_request()
            cpu_started = time.process_time()
            started = time.perf_counter()
            call()
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
            timer.recording = False
            reset()
            timer.recording = True
    with CaptureQueriesContext(connection) as again:
        call()
    reset()
    # The median duration of each statement, by its place in the request.
    statements = None
    if len({len(r) for r in timer.requests}) == 1:
        statements = [
            (timer.requests[-1][i][0], statistics.median(r[i][1] for r in timer.requests))
            for i in range(len(timer.requests[0]))
        ]
    return {
        "wall": wall,
        "cpu": cpu,
        "sql_time": [sum(d for _, d in r) for r in timer.requests],
        "statements": statements,
        "queries": len(captured.captured_queries),
        "queries_after": len(again.captured_queries),
        "sql": [q["sql"] for q in captured.captured_queries],
    }


def _measure_page(client: Any, url: str, n: int) -> dict[str, Any]:
    def get() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")

    return {"url": url, **_measure(get, n)}


def _register_session(programme_id: int) -> Any:
    """Today's session of the programme, the one of this half-day when there are two (as
    ``register_today`` picks it); on a day without sessions, the last day with some."""
    from django.utils import timezone

    from isa.presence.models import Session
    from isa.presence.views.register import current_part

    held = Session.objects.of_programme(programme_id).held()
    day = held.filter(on__lte=timezone.localdate()).order_by("-on").values_list("on", flat=True)
    sessions = list(held.filter(on=day[0]).order_by("part", "pk"))
    return next((s for s in sessions if s.part == current_part()), sessions[0])


def _measure_tap(client: Any, url: str, session: Any, n: int) -> dict[str, Any]:
    """One tap "present" as the register's script sends it, each time for the next person
    of the programme not yet marked in the session; after each tap (not timed) the new
    presence is deleted again, so that every timed tap really creates one."""
    from isa.people.models import Participant
    from isa.presence.models import Presence

    candidates = list(
        Participant.objects.in_programme(session.workshop.programme_id)
        .occupying()
        .exclude(presences__session=session)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not candidates:
        raise RuntimeError(f"nobody left to mark in session {session.pk}")
    tapped: list[int] = []

    def tap() -> None:
        participant = candidates[len(tapped) % len(candidates)]
        tapped.append(participant)
        response = client.post(
            url,
            {"participant": participant, "action": "present", "expected": "1"},
            headers={"X-ISA-Tap": "1"},
        )
        if response.status_code != 200:
            raise RuntimeError(f"POST {url} answered {response.status_code}")

    def reset() -> None:
        deleted, _ = Presence.objects.filter(session=session, participant_id=tapped[-1]).delete()
        if not deleted:
            raise RuntimeError(f"the tap for participant {tapped[-1]} wrote no presence")

    return {"url": url, **_measure(tap, n, reset)}


def _measure_write(dataset: Any, n: int) -> dict[str, Any]:
    """Admit someone from the waiting list, then record their exit: the pair again and
    again on the same file (after the first time, each admission is a return)."""
    from django.utils import timezone

    from isa.core.actor import Actor
    from isa.core.models import User
    from isa.people import services
    from isa.people.models import ExitReason, Participant

    head = Actor.job("bench", user=User.objects.get(pk=dataset.head_id))
    participant = Participant.objects.get(pk=dataset.waiting_participant_id)
    today = timezone.localdate()

    def pair() -> None:
        services.participant_admit(participant=participant, on=today, actor=head)
        services.participant_exit(
            participant=participant, on=today, reason=ExitReason.OWN_CHOICE, actor=head
        )

    return {"url": "services", **_measure(pair, n)}


def _database_version() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def _database_size() -> int | None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return pages * cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    return None


def _setup(database_url: str, workdir: Path, static_root: Path) -> None:
    """Configure and start Django: settings are read once, so one database per process."""
    os.environ.pop("ISA_AUDIT_DATABASE_URL", None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "isa.settings",
            "ISA_DATABASE_URL": database_url,
            # As in production (DEBUG off, manifest static files), over plain HTTP.
            "ISA_DEBUG": "0",
            "ISA_HTTPS": "0",
            "ISA_REQUIRE_2FA": "0",
            "ISA_DEMO": "0",
            "ISA_SECRET_KEY": secrets.token_urlsafe(64),
            "ISA_ALLOWED_HOSTS": "testserver",
            "ISA_VAR_DIR": str(workdir),
            "ISA_STATIC_ROOT": str(static_root),
            "ISA_LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()


def worker_generate(scale: int, database_url: str, out: Path, static_root: Path) -> None:
    """First process of a scale: migrate the empty database and fill it."""
    _setup(database_url, out.parent, static_root)
    from dataclasses import asdict

    from django.core.management import call_command

    if not (static_root / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", interactive=False, verbosity=0)
    sys.path.insert(0, str(BENCH_DIR))
    from generate import generate

    dataset = generate(scale)
    print(
        f"  {scale}×: generated in {dataset.seconds:.1f} s: "
        + ", ".join(f"{v:,} {k}" for k, v in dataset.counts.items()),
        flush=True,
    )
    out.write_text(json.dumps(asdict(dataset)))


def page_urls(dataset: Any, session: Any = None) -> dict[str, str]:
    """The URL of every measured page of the dataset (inside a worker, after setup)."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    pid = dataset.programme_id
    session = session or _register_session(pid)
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    month = [pid, last_month.year, last_month.month]
    journal = reverse("journal_list", args=[pid])
    return {
        "floor": reverse("bench_floor"),
        "home": reverse("home"),
        "programme": reverse("programme", args=[pid]),
        "participant_list": reverse("participant_list", args=[pid]),
        "participant_search": reverse("participant_list", args=[pid]) + "?q=a&sort=name",
        "participant_file": reverse("participant", args=[pid, dataset.file_participant_id]),
        "waiting_list": reverse("waiting_list", args=[pid]),
        "audit_log": reverse("audit_log", args=[pid]),
        # Page 1 of the whole log shows mostly the reads this benchmark has just made;
        # filtered on changes, it has to reach back into the generated history.
        "audit_log_changes": reverse("audit_log", args=[pid]) + "?action=update",
        "register": reverse("register_session", args=[pid, session.pk]),
        "presence_month": reverse("presence_month", args=month),
        "sheet_pdf": reverse("presence_sheet", args=[*month, "pdf"]),
        "sheet_xlsx": reverse("presence_sheet", args=[*month, "xlsx"]),
        "work_list": reverse("work_list", args=[pid]),
        "work_detail": reverse("work_detail", args=[pid, dataset.work_id]),
        "portfolio": reverse("portfolio", args=[pid, dataset.portfolio_participant_id]),
        "participant_file_works": reverse(
            "participant", args=[pid, dataset.portfolio_participant_id]
        ),
        "exhibition_detail": reverse("exhibition_detail", args=[pid, dataset.exhibition_id]),
        "exhibition_catalogue": reverse("exhibition_catalogue", args=[pid, dataset.exhibition_id]),
        "gallery": reverse("gallery", args=[pid]),
        "evaluation_person": reverse(
            "evaluation_person", args=[pid, dataset.evaluation_participant_id]
        ),
        "evaluation_group": reverse("evaluation_group", args=[pid]),
        "journal_list": journal,
        "journal_search_common": journal + "?q=atelier",
        "journal_search_rare": journal + "?q=accordeon",
        "journal_search_name": journal + f"?q={dataset.file_first_name}",
        "journal_about": journal + f"?participant={dataset.file_participant_id}",
        "watch_board": reverse("watch_board", args=[pid]),
        "audit_log_person": reverse("audit_log", args=[pid]) + f"?person={dataset.file_last_name}",
        "report_published": reverse("report_version", args=[pid, dataset.report_published_id]),
        "report_draft": reverse("report_version", args=[pid, dataset.report_draft_id]),
        "portal_home": reverse("portal_home"),
        "portal_days": reverse("portal_days"),
        "portal_works": reverse("portal_works"),
        "portal_journal": reverse("portal_journal"),
    }


def worker_measure(
    dataset_file: Path, database_url: str, out: Path, n: int, static_root: Path
) -> None:
    """One round of one scale, in a fresh process as after a server start: the requests."""
    _setup(database_url, out.parent, static_root)
    from types import SimpleNamespace

    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    import isa
    from isa.core.models import User

    # The floor's URL on top of the app's (bench/floor_urls.py).
    sys.path.insert(0, str(BENCH_DIR))
    override_settings(ROOT_URLCONF="floor_urls").enable()
    dataset = SimpleNamespace(**json.loads(dataset_file.read_text()))
    client = Client()
    client.force_login(User.objects.get(pk=dataset.head_id))
    pid = dataset.programme_id
    session = _register_session(pid)
    urls = page_urls(dataset, session)
    anonymous = Client()  # the public gallery: no session, no sign-in
    portal = Client()  # the participant's own space, as the file's person
    portal.force_login(User.objects.get(pk=dataset.portal_user_id))
    results: dict[str, Any] = {}
    load = [os.getloadavg()[0]]
    wanted = set(filter(None, os.environ.get("ISA_BENCH_PAGES", "").split(",")))
    for key, _label in PAGES:
        if wanted and key not in wanted and key != FLOOR:
            continue
        who = anonymous if key in ANONYMOUS else portal if key in PORTAL else client
        results[key] = _measure_page(who, urls[key], n)
    if not wanted or TAP[0] in wanted:
        tap_url = reverse("register_tap", args=[pid, session.pk])
        results[TAP[0]] = _measure_tap(client, tap_url, session, n)
    if not wanted or WRITE[0] in wanted:
        results[WRITE[0]] = _measure_write(dataset, n)
    load.append(os.getloadavg()[0])
    out.write_text(
        json.dumps(
            {
                "scale": dataset.scale,
                "vendor": connection.vendor,
                "database": _database_version(),
                "database_bytes": _database_size(),
                "counts": dataset.counts,
                "generate_seconds": dataset.seconds,
                "n": n,
                "load": load,
                "code": _code_label(Path(isa.__file__).resolve().parent),
                "register_session": f"{session.on} {session.part}",
                "pages": results,
            }
        )
    )


# -- summarising -------------------------------------------------------------------------------


def _percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile: of 90 samples, p95 is the 86th smallest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _summarise(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """The rounds of one scale, pooled: every request counts once."""
    first = rounds[0]
    pages = {}
    for key, _label in MEASURES:
        if key not in first["pages"]:  # --pages: a subset
            continue
        raw = [r["pages"][key] for r in rounds]
        wall = [s for m in raw for s in m["wall"]]
        statements = [m["statements"] for m in raw]
        slowest = []
        if all(statements) and len({len(s) for s in statements}) == 1:
            for i, (sql, _) in enumerate(statements[0]):
                ms = statistics.median(s[i][1] for s in statements) * 1000
                slowest.append({"ms": ms, "sql": sql})
            slowest.sort(key=lambda q: q["ms"], reverse=True)
        counts = sorted({m["queries"] for m in raw} | {m["queries_after"] for m in raw})
        pages[key] = {
            "url": raw[0]["url"],
            "n": len(wall),
            "median_ms": statistics.median(wall) * 1000,
            "p95_ms": _percentile(wall, 0.95) * 1000,
            "min_ms": min(wall) * 1000,
            "max_ms": max(wall) * 1000,
            "cpu_median_ms": statistics.median(s for m in raw for s in m["cpu"]) * 1000,
            "sql_median_ms": statistics.median(s for m in raw for s in m["sql_time"]) * 1000,
            "queries": raw[0]["queries"],
            "query_counts": counts,
            "sql": raw[0]["sql"],
            "slowest": slowest[:3],
        }
    return {
        **{k: first[k] for k in ("scale", "vendor", "database", "counts", "generate_seconds")},
        **{k: first[k] for k in ("n", "code")},
        "register_sessions": sorted({r["register_session"] for r in rounds}),
        "database_bytes": rounds[-1]["database_bytes"],
        "rounds": len(rounds),
        "load": [x for r in rounds for x in r["load"]],
        "pages": pages,
    }


def _code_label(package_dir: Path) -> str:
    """Which code was measured: ISA_BENCH_CODE if set, else the git commit of the checkout."""
    if os.environ.get("ISA_BENCH_CODE"):
        return os.environ["ISA_BENCH_CODE"]

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(package_dir), *args], capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--", ".")
    except (OSError, subprocess.CalledProcessError):
        return f"code in {package_dir}"
    return f"commit {commit}" + (" with uncommitted changes" if dirty else "")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _django_version() -> str:
    try:
        from importlib.metadata import version

        return version("django")
    except Exception:  # pragma: no cover
        return "?"


def _fmt_ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def _floor_ratio(row: dict[str, Any], key: str) -> float:
    return row["pages"][key]["median_ms"] / row["pages"][FLOOR]["median_ms"]


def _verdict(rows: list[dict[str, Any]], key: str) -> str:
    """The budget of ARCHITECTURE.md: p95 ≤ 100 ms (a tap ≤ 50 ms, a sheet ≤ 2 s),
    constant queries, 100× ≤ 2× time."""
    cells = [row["pages"][key] for row in rows]
    problems = []
    budget = BUDGETS.get(key, BUDGET_P95_MS)
    if budget is not None and any(c["p95_ms"] > budget for c in cells):
        problems.append(f"p95 > {budget:,.0f} ms")
    if len({n for c in cells for n in c["query_counts"]}) > 1:
        problems.append("queries grow")
    growth = cells[-1]["median_ms"] / cells[0]["median_ms"]
    if len(cells) > 1 and growth > BUDGET_GROWTH:
        problems.append(f"time ×{growth:.1f}")
    if key not in NOT_INTERACTIVE and _floor_ratio(rows[-1], key) > FLOOR_GOAL:
        problems.append(f"median > {FLOOR_GOAL:.0f}× floor")
    return "; ".join(problems) or "ok"


def render_section(rows: list[dict[str, Any]]) -> str:
    """One vendor's block: the machine, the data sizes, the pages."""
    rows = sorted(rows, key=lambda r: r["scale"])
    scales = [r["scale"] for r in rows]
    first = rows[0]
    load = [x for r in rows for x in r["load"]]
    cpus = _cpus()
    register_sessions = sorted({d for r in rows for d in r["register_sessions"]})
    lines = [
        f"### {first['database']}",
        "",
        f"Run on {datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')} · {first['code']} · "
        f"{cpus} CPU{'s' if cpus > 1 else ''} (nproc) · {_cpu_model()} · "
        f"Python {platform.python_version()} · Django {_django_version()} · "
        f"{first['database']} · {first['rounds']} rounds × {first['n']} requests per page "
        f"and scale · load average (1 min) while measuring: {min(load):.1f}–{max(load):.1f} · "
        f"register and taps on the session of {', '.join(register_sessions)}.",
        "",
        "| data | " + " | ".join(f"{s}×" for s in scales) + " |",
        "|---|" + "---:|" * len(scales),
    ]
    for name in first["counts"]:
        lines.append(f"| {name} | " + " | ".join(f"{r['counts'][name]:,}" for r in rows) + " |")
    lines.append(
        "| database size | "
        + " | ".join(
            f"{r['database_bytes'] / 1e6:.0f} MB" if r["database_bytes"] else "?" for r in rows
        )
        + " |"
    )
    lines.append(
        "| generation time | " + " | ".join(f"{r['generate_seconds']:.1f} s" for r in rows) + " |"
    )
    lines += [
        "",
        "Each cell: **median** / p95 server time in ms · SQL queries per request · the "
        "median as a multiple of the framework floor's median at that scale (the first row: "
        "a login-required view through every middleware rendering a two-line template).",
        "",
        "| page | "
        + " | ".join(f"{s}×" for s in scales)
        + f" | {max(scales)}× / {min(scales)}× median | budget |",
        "|---|" + "---:|" * len(scales) + "---:|---|",
    ]
    measured = [(k, label) for k, label in MEASURES if all(k in r["pages"] for r in rows)]
    for key, label in measured:
        cells = []
        for r in rows:
            m = r["pages"][key]
            queries = "/".join(str(c) for c in m["query_counts"])
            cells.append(
                f"**{_fmt_ms(m['median_ms'])}** / {_fmt_ms(m['p95_ms'])} · {queries}"
                f" · ×{_floor_ratio(r, key):.1f}"
            )
        ratio = rows[-1]["pages"][key]["median_ms"] / rows[0]["pages"][key]["median_ms"]
        lines.append(
            f"| {label} | " + " | ".join(cells) + f" | ×{ratio:.2f} | {_verdict(rows, key)} |"
        )
    lines += [
        "",
        "Where the time goes: each cell is the median per request of the CPU time of the "
        "Django process / the time spent in SQL statements (ms); last, the slowest statement "
        f"at {max(scales)}× (its median).",
        "",
        "| page | " + " | ".join(f"{s}×" for s in scales) + " | slowest statement |",
        "|---|" + "---:|" * len(scales) + "---|",
    ]
    for key, label in measured:
        slowest = rows[-1]["pages"][key]["slowest"]
        statement = ""
        if slowest:
            sql = " ".join(slowest[0]["sql"].split())
            sql = sql if len(sql) <= 90 else sql[:87] + "…"
            statement = f"{slowest[0]['ms']:.2f} ms `{sql.replace('|', '¦')}`"
        lines.append(
            f"| {label} | "
            + " | ".join(
                f"{r['pages'][key]['cpu_median_ms']:.1f} / {r['pages'][key]['sql_median_ms']:.1f}"
                for r in rows
            )
            + f" | {statement} |"
        )
    return "\n".join(lines)


def write_doc(vendor: str, section: str, doc: Path = DOC) -> None:
    """Replace this vendor's block between the bench markers, keeping everything else."""
    text = doc.read_text() if doc.exists() else "# Performance\n"
    start, end = f"<!-- bench:{vendor}:start -->", f"<!-- bench:{vendor}:end -->"
    if START not in text or END not in text:
        text = text.rstrip("\n") + f"\n\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    inner, tail = rest.split(END, 1)
    blocks = {
        m.group(1): m.group(0)
        for m in re.finditer(
            r"<!-- bench:(\w+):start -->\n.*?\n<!-- bench:\1:end -->", inner, flags=re.DOTALL
        )
    }
    blocks[vendor] = f"{start}\n{section}\n{end}"
    order = ["sqlite", "postgresql"]
    ordered = [blocks[v] for v in order if v in blocks]
    ordered += [blocks[v] for v in sorted(blocks) if v not in order]
    doc.write_text(f"{head}{START}\n" + "\n\n".join(ordered) + f"\n{END}{tail}")


# -- orchestrating (the parent process) ------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _postgres(url: str, *statements: str) -> None:
    import psycopg

    parts = urlsplit(url)
    conninfo = urlunsplit(("postgresql", parts.netloc, parts.path or "/postgres", parts.query, ""))
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,100", help="comma-separated, e.g. 1,10")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("ISA_BENCH_DATABASE_URL", ""),
        help="postgres://… to connect through (default: SQLite in a temporary directory)",
    )
    parser.add_argument(
        "--db-name",
        default=BENCH_DB,
        help=f"PostgreSQL: the databases' name prefix (default {BENCH_DB}: {BENCH_DB}_<scale>)",
    )
    parser.add_argument("-n", "--requests", type=int, default=30, help="requests per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over the scales")
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/performance.md")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--pages",
        default="",
        help="only these pages (keys of PAGES, comma-separated; the floor always)",
    )
    parser.add_argument("--generate", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--static-root", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.generate:
        worker_generate(args.generate, args.database_url, args.out, args.static_root)
        return 0
    if args.measure:
        worker_measure(args.measure, args.database_url, args.out, args.requests, args.static_root)
        return 0

    scales = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    if args.pages:
        unknown = set(args.pages.split(",")) - {k for k, _ in MEASURES}
        if unknown:
            raise SystemExit(f"unknown pages: {', '.join(sorted(unknown))}")
        os.environ["ISA_BENCH_PAGES"] = args.pages  # read by the measuring processes
    url = args.database_url
    if url and urlsplit(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        raise SystemExit("--database-url must be a postgres:// URL (SQLite is the default)")
    if url and urlsplit(url).path.strip("/").startswith(args.db_name):
        raise SystemExit(f"give the URL of a database to connect through, not {args.db_name}_…")
    names = {scale: f"{args.db_name}_{scale}" for scale in scales}
    script = [sys.executable, str(Path(__file__).resolve())]
    started = time.perf_counter()
    rounds: dict[int, list[dict[str, Any]]] = {scale: [] for scale in scales}
    with tempfile.TemporaryDirectory(prefix="isa-bench-") as tmp:
        tmpdir = Path(tmp)
        db_urls = {
            scale: _with_database(url, names[scale])
            if url
            else f"sqlite:///{tmpdir / f'bench-{scale}.db'}"
            for scale in scales
        }

        def run(scale: int, *extra: str) -> None:
            common = ["--database-url", db_urls[scale], "--static-root", str(tmpdir / "static")]
            subprocess.run([*script, *extra, *common], check=True)

        try:
            for scale in scales:
                print(f"== {scale}× on {'PostgreSQL' if url else 'SQLite'}", flush=True)
                if url:
                    _postgres(
                        url,
                        f'DROP DATABASE IF EXISTS "{names[scale]}" WITH (FORCE)',
                        f'CREATE DATABASE "{names[scale]}"',
                    )
                run(scale, "--generate", str(scale), "--out", str(tmpdir / f"dataset-{scale}"))
            for r in range(args.rounds):
                order = scales[r % len(scales) :] + scales[: r % len(scales)]
                print(f"== round {r + 1} of {args.rounds}: {', '.join(f'{s}×' for s in order)}")
                for scale in order:
                    out = tmpdir / f"result-{scale}-{r}.json"
                    run(
                        scale,
                        "--measure",
                        str(tmpdir / f"dataset-{scale}"),
                        "--out",
                        str(out),
                        "--requests",
                        str(args.requests),
                    )
                    rounds[scale].append(json.loads(out.read_text()))
        finally:
            if url:
                _postgres(
                    url,
                    *(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in names.values()),
                )

    rows = [_summarise(rounds[scale]) for scale in scales]
    for row in rows:
        for key, _label in MEASURES:
            if key not in row["pages"]:
                continue
            m = row["pages"][key]
            print(
                f"  {row['scale']}×: {key:<20} median {m['median_ms']:6.1f} ms"
                f"  p95 {m['p95_ms']:6.1f} ms  {'/'.join(map(str, m['query_counts']))} queries"
            )
    print(f"== done in {time.perf_counter() - started:.0f} s\n")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1))
    section = render_section(rows)
    print(section)
    if not args.no_doc:
        write_doc(rows[0]["vendor"], section)
        print(f"\nWritten to {DOC.relative_to(PROJECT_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
