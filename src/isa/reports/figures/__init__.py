"""The report's figures: a read module over the lower apps (people, presence, works,
evaluation).  :func:`report_build` is the one entry point."""

from isa.reports.figures.build import report_build
from isa.reports.figures.period import Period, check_period

__all__ = ["Period", "check_period", "report_build"]
