"""CPU per request of one page, and where it goes: the steady figure on a shared machine.

    .venv/bin/python bench/profile_page.py /tmp/isa-prof                  # the richest file
    .venv/bin/python bench/profile_page.py /tmp/isa-prof --page journal_list -n 50
    .venv/bin/python bench/profile_page.py /tmp/isa-prof --profile 25     # + cProfile, top 25

The first call generates a scale-1 SQLite database in the folder (``--scale``, or
``--database-url postgres://…/<an empty database of yours>``) and keeps it, with the
dataset's description, so that later calls measure the same data.  Each call is a fresh
process signed in as the head of the first programme (as the file's person for the
participant's space): one warm-up request, then N requests
of the page, each timed with ``time.process_time`` (CPU of this process: what the page
costs, whatever the other processes of the machine do) and ``time.perf_counter`` (wall).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import run  # noqa: E402  (bench/run.py: setup, generation, the pages' URLs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where the database and dataset are kept")
    parser.add_argument("--page", default="participant_file", help="a key of bench/run.py PAGES")
    parser.add_argument("-n", "--requests", type=int, default=30)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--profile", type=int, default=0, help="print the top N of cProfile")
    parser.add_argument("--dump", type=Path, help="also write the cProfile data to this file")
    parser.add_argument(
        "--templates", action="store_true", help="count the templates one request renders"
    )
    args = parser.parse_args(argv)

    folder = args.folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    dataset_file = folder / "dataset.json"
    static_root = folder / "static"
    if not dataset_file.exists():
        subprocess.run(
            [
                sys.executable,
                str(BENCH_DIR / "run.py"),
                "--generate",
                str(args.scale),
                "--database-url",
                url,
                "--out",
                str(dataset_file),
                "--static-root",
                str(static_root),
            ],
            check=True,
        )
    run._setup(url, folder, static_root)
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from isa.core.models import User

    override_settings(ROOT_URLCONF="floor_urls").enable()
    from dataclasses import MISSING, fields

    from generate import Dataset

    # A dataset written by an older generator lacks the newer fields: their defaults.
    defaults = {f.name: f.default for f in fields(Dataset) if f.default is not MISSING}
    dataset = SimpleNamespace(**{**defaults, **json.loads(dataset_file.read_text())})
    client = Client()
    signed_in = dataset.portal_user_id if args.page in run.PORTAL else dataset.head_id
    client.force_login(User.objects.get(pk=signed_in))
    target = run.page_urls(dataset)[args.page]

    def get() -> None:
        response = client.get(target)
        if response.status_code != 200:
            raise RuntimeError(f"GET {target} answered {response.status_code}")

    from django.db import connection

    get()
    if args.templates:
        _count_templates(get)
    with CaptureQueriesContext(connection) as captured:
        get()
    queries = len(captured.captured_queries)  # now: the next request clears the log
    cpu, wall = [], []
    profiler = cProfile.Profile() if args.profile else None
    for _ in range(args.requests):
        if profiler:
            profiler.enable()
        c0, w0 = time.process_time(), time.perf_counter()
        get()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
        if profiler:
            profiler.disable()
    print(
        f"{args.page}: {target}\n  {queries} queries; "
        f"CPU per request median {statistics.median(cpu) * 1000:.1f} ms "
        f"(min {min(cpu) * 1000:.1f}); wall median {statistics.median(wall) * 1000:.1f} ms"
        f"{' (under cProfile)' if profiler else ''}"
    )
    if profiler:
        stats = pstats.Stats(profiler)
        if args.dump:
            stats.dump_stats(args.dump)
        stats.sort_stats("cumulative").print_stats(args.profile)
        stats.sort_stats("tottime").print_stats(args.profile)
    return 0


def _count_templates(get: Callable[[], None]) -> None:
    """Print how many times one request renders each template (includes, widgets…)."""
    from collections import Counter

    from django.template.base import Template

    counts: Counter[str] = Counter()
    render = Template._render

    def counting(self: Template, context: Any) -> Any:
        counts[str(self.origin.template_name or self.name)] += 1
        return render(self, context)

    Template._render = counting  # type: ignore[method-assign]
    try:
        get()
    finally:
        Template._render = render  # type: ignore[method-assign]
    print(f"  templates rendered by one request: {sum(counts.values())}")
    for name, count in counts.most_common():
        print(f"  {count:5d}  {name}")


if __name__ == "__main__":
    sys.exit(main())
