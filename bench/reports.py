"""Time the funders' report on generated data: one programme's report as figures, HTML page
data, PDF and XLSX, and the cross-programme report over every programme.

    .venv/bin/python bench/reports.py --scale 10
    .venv/bin/python bench/reports.py --scale 100 --database-url postgres://postgres@127.0.0.1:5432/isa_bench_reports

The database named by ``--database-url`` (a temporary SQLite file by default) is migrated
and filled with ``bench/generate`` at the given scale (one programme per scale unit), then
each step is run a few times; the median, the maximum and the SQL queries of one run are
printed.  Budgets (issue 12): 2 s per format for one programme, 10 s for 50 programmes
together.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--cross",
        type=int,
        default=0,
        help="programmes in the cross-programme report (default: every generated programme)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the data already in the database instead of generating it again",
    )
    parser.add_argument(
        "--profile",
        default="",
        help="run this step once under cProfile (PDF, XLSX, cross, figures) and print the top",
    )
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="isa-bench-reports-")
    os.environ["ISA_DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/bench.db"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isa.settings")
    import django

    django.setup()
    from bench.generate import generate
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from isa.core.models import Programme
    from isa.reports import documents, present
    from isa.reports.figures import Period, report_build

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    if args.reuse and Programme.objects.exists():
        programme = Programme.objects.order_by("pk").first()
        assert programme is not None
        args.scale = Programme.objects.count()
        print(f"reusing {args.scale} programmes")
    else:
        dataset = generate(args.scale)
        programme = Programme.objects.get(pk=dataset.programme_id)
        print(f"generated scale {args.scale} in {time.perf_counter() - started:.0f} s")
    everything = list(Programme.objects.order_by("pk"))
    if args.cross:
        everything = everything[: args.cross]
    period = Period.year(timezone.localdate().year - 1)
    figures = report_build(programme, period, "fr")

    steps = [
        ("figures (protected)", lambda: report_build(programme, period, "fr")),
        ("HTML page data", lambda: present.sections(report_build(programme, period, "fr"))),
        ("PDF", lambda: documents.report_pdf(report_build(programme, period, "fr"), number=1)),
        ("XLSX", lambda: documents.report_xlsx(report_build(programme, period, "fr"), number=1)),
        (f"cross-programme ({len(everything)})", lambda: report_build(everything, period, "fr")),
    ]
    if args.profile:
        import cProfile
        import pstats

        chosen = [step for name, step in steps if name.lower().startswith(args.profile.lower())]
        profiler = cProfile.Profile()
        profiler.runcall(chosen[0])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return 0
    print(f"{connection.vendor}, scale {args.scale}, {figures['tables']['people']['cells'][0]}")
    worst = 0.0
    for name, step in steps:
        with CaptureQueriesContext(connection) as queries:
            step()
        times, cpu = [], []
        for _ in range(args.repeat):
            started, started_cpu = time.perf_counter(), time.process_time()
            step()
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        worst = max(worst, max(times)) if not name.startswith("cross") else worst
        # CPU: this process only (Python), not the database server's; on a loaded machine
        # the wall time is the CPU time plus the wait for a core.
        print(
            f"{name:32s} median {statistics.median(times):6.2f} s  max {max(times):6.2f} s  "
            f"CPU median {statistics.median(cpu):6.2f} s  "
            f"{len(queries.captured_queries):4d} queries"
        )
    print(f"budget 2 s per format: {'OK' if worst <= 2 else 'OVER'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
