"""Small-cell protection, in one place: primary and secondary suppression, and its audit.

A published report is made of *tables* of counts of people (cells, row and column totals,
a grand total) and of *statistics* computed on a number of people (a median, a rate).
OUTWARD.md, "Small cells", is the requirement:

- **primary**: a count of 1 to K−1 people (K = ``settings.ISA_MIN_CELL_SIZE``) is hidden and
  shown "< K"; zeros are shown.  A statistic computed on fewer than K people is hidden;
- **secondary**: further cells are hidden until no hidden value can be recomputed from what
  is published: the totals of its row and column, the other cells of its line, a total
  repeated in another table of the same report (:class:`Link`);
- **the audit** (:func:`audit`), as τ-ARGUS and sdcTable do (Hundepool et al., *Statistical
  Disclosure Control*, 2012, ch. 4): for every hidden cell, the smallest and the largest
  value it can take in a non-negative table that matches everything published is computed
  by linear programming (scipy's ``linprog``, HiGHS); the range must be at least K wide.

Secondary suppression here is driven by the audit itself: hide the smallest cell that
shares a line (or a link) with a cell the audit finds too narrow, audit again, until the
audit finds nothing.  It may hide more than an optimal solver would; it never publishes a
recomputable cell, since the loop only ends when the audit passes (or when everything in
the tables concerned is hidden).

Percentages are never stored: :meth:`Table.share` computes them from the protected table
and gives None when the cell or its total is hidden.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from scipy.optimize import linprog

#: A reference to one published number of a table:
#: ("cell", row, column) | ("row_total", row) | ("column_total", column) | ("total",)
Ref = tuple[Any, ...]


def min_cell_size() -> int:
    return int(settings.ISA_MIN_CELL_SIZE)


def is_sensitive(value: int | None, k: int) -> bool:
    """A count of 1 to K−1 people (zeros are shown)."""
    return value is not None and 0 < value < k


@dataclass
class Table:
    """A table of counts of people.  ``cells[i][j]`` is the count in row i, column j.
    With ``row_totals`` each row has a total (across columns), with ``column_totals`` each
    column has one (across rows); with both, a grand total.  ``hidden`` holds the refs that
    are suppressed (filled by :func:`protect`)."""

    key: str
    title: str
    row_labels: list[str]
    column_labels: list[str]
    cells: list[list[int]]
    row_totals: bool = False
    column_totals: bool = True
    note: str = ""
    hidden: set[Ref] = field(default_factory=set)
    primary: set[Ref] = field(default_factory=set)

    # -- values ---------------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.row_labels), len(self.column_labels)

    def refs(self) -> list[Ref]:
        rows, columns = self.shape
        refs: list[Ref] = [("cell", i, j) for i in range(rows) for j in range(columns)]
        if self.row_totals:
            refs += [("row_total", i) for i in range(rows)]
        if self.column_totals:
            refs += [("column_total", j) for j in range(columns)]
        if self.row_totals and self.column_totals:
            refs.append(("total",))
        return refs

    def value(self, ref: Ref) -> int:
        kind = ref[0]
        if kind == "cell":
            return int(self.cells[ref[1]][ref[2]])
        if kind == "row_total":
            return int(sum(self.cells[ref[1]]))
        if kind == "column_total":
            return int(sum(row[ref[1]] for row in self.cells))
        return int(sum(sum(row) for row in self.cells))

    def shown(self, ref: Ref) -> int | None:
        """The published value, None when hidden."""
        return None if ref in self.hidden else self.value(ref)

    def share(self, i: int, j: int) -> float | None:
        """The cell's share of its column total, None when either is hidden (a percentage
        of a hidden cell, or over a hidden total, would give it away)."""
        cell = self.shown(("cell", i, j))
        total = (
            self.shown(("column_total", j))
            if self.column_totals
            else sum(row[j] for row in self.cells)
        )
        if cell is None or total is None or total == 0:
            return None
        return cell / total

    def lines(self) -> list[list[Ref]]:
        """The additive relations: each line's parts and its total (the total last)."""
        rows, columns = self.shape
        lines: list[list[Ref]] = []
        if self.row_totals:
            for i in range(rows):
                lines.append([*(("cell", i, j) for j in range(columns)), ("row_total", i)])
        if self.column_totals:
            for j in range(columns):
                lines.append([*(("cell", i, j) for i in range(rows)), ("column_total", j)])
        if self.row_totals and self.column_totals:
            lines.append([*(("column_total", j) for j in range(columns)), ("total",)])
            lines.append([*(("row_total", i) for i in range(rows)), ("total",)])
        return lines

    # -- JSON -----------------------------------------------------------------------------

    def as_json(self, *, protected: bool) -> dict[str, Any]:
        rows, columns = self.shape

        def out(ref: Ref) -> int | None:
            return self.shown(ref) if protected else self.value(ref)

        data: dict[str, Any] = {
            "key": self.key,
            "title": self.title,
            "note": self.note,
            "row_labels": list(self.row_labels),
            "column_labels": list(self.column_labels),
            "cells": [[out(("cell", i, j)) for j in range(columns)] for i in range(rows)],
            "row_totals": [out(("row_total", i)) for i in range(rows)] if self.row_totals else None,
            "column_totals": [out(("column_total", j)) for j in range(columns)]
            if self.column_totals
            else None,
            "total": out(("total",)) if self.row_totals and self.column_totals else None,
            "hidden": sorted([list(r) for r in self.hidden]) if protected else [],
            "protected": protected,
        }
        return data


@dataclass(frozen=True)
class Link:
    """Two published numbers that are equal by definition (a total repeated in another
    table): ``(table key, ref)`` each."""

    a: tuple[str, Ref]
    b: tuple[str, Ref]


# -- the audit ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    table: str
    ref: Ref
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low


class _Program:
    """The linear constraints of a group of tables: one variable per published or hidden
    number, the lines and links as equalities, hidden numbers free (≥ 0)."""

    def __init__(self, tables: Sequence[Table], links: Iterable[Link]) -> None:
        self.index: dict[tuple[str, Ref], int] = {}
        self.bounds: list[tuple[float, float | None]] = []
        for table in tables:
            for ref in table.refs():
                self.index[(table.key, ref)] = len(self.bounds)
                if ref in table.hidden:
                    self.bounds.append((0.0, None))
                else:
                    v = float(table.value(ref))
                    self.bounds.append((v, v))
        n = len(self.bounds)
        equations: list[np.ndarray] = []
        for table in tables:
            for line in table.lines():
                row = np.zeros(n)
                for ref in line[:-1]:
                    row[self.index[(table.key, ref)]] += 1
                row[self.index[(table.key, line[-1])]] -= 1
                equations.append(row)
        for link in links:
            if link.a in self.index and link.b in self.index:
                row = np.zeros(n)
                row[self.index[link.a]] += 1
                row[self.index[link.b]] -= 1
                equations.append(row)
        self.a_eq = np.array(equations) if equations else None
        self.b_eq = np.zeros(len(equations)) if equations else None
        self.constrained = set()
        if self.a_eq is not None:
            self.constrained = set(np.nonzero(np.abs(self.a_eq).sum(axis=0))[0].tolist())

    def range_of(self, table: Table, ref: Ref) -> Finding:
        k = self.index[(table.key, ref)]
        if k not in self.constrained:  # in no line and no link: anything ≥ 0
            return Finding(table.key, ref, 0.0, math.inf)
        c = np.zeros(len(self.bounds))
        c[k] = 1.0
        low_result = linprog(c, A_eq=self.a_eq, b_eq=self.b_eq, bounds=self.bounds, method="highs")
        high_result = linprog(
            -c, A_eq=self.a_eq, b_eq=self.b_eq, bounds=self.bounds, method="highs"
        )
        low = float(low_result.fun) if low_result.status == 0 else 0.0
        if high_result.status == 3:  # unbounded
            high = math.inf
        elif high_result.status == 0:
            high = -float(high_result.fun)
        else:  # pragma: no cover - the true table is always feasible
            raise RuntimeError(f"the audit's linear program failed: {high_result.message}")
        return Finding(table.key, ref, low, high)


def feasible_ranges(tables: Sequence[Table], links: Iterable[Link] = ()) -> list[Finding]:
    """For every hidden number of ``tables``, the smallest and largest value it can take in
    any non-negative set of tables matching every published number, every line and every
    link: two linear programs each (HiGHS).  ``high`` is ``inf`` when nothing bounds it."""
    program = _Program(tables, links)
    return [program.range_of(t, ref) for t in tables for ref in sorted(t.hidden)]


def audit(
    tables: Sequence[Table], links: Iterable[Link] = (), *, k: int | None = None
) -> list[Finding]:
    """The hidden numbers that could be recomputed too closely: those whose feasible range
    is narrower than K.  An empty list: the tables are safe to publish."""
    k = min_cell_size() if k is None else k
    return [f for f in feasible_ranges(tables, links) if f.width < k - 1e-9]


def _first_finding(tables: Sequence[Table], links: Sequence[Link], k: int) -> Finding | None:
    program = _Program(tables, links)
    for table in tables:
        for ref in sorted(table.hidden):
            finding = program.range_of(table, ref)
            if finding.width < k - 1e-9:
                return finding
    return None


def _components(tables: Sequence[Table], links: Sequence[Link]) -> list[list[Table]]:
    """Groups of tables tied by links: each is protected and audited on its own."""
    group = {t.key: t.key for t in tables}

    def root(key: str) -> str:
        while group[key] != key:
            key = group[key]
        return key

    for link in links:
        if link.a[0] in group and link.b[0] in group:
            group[root(link.a[0])] = root(link.b[0])
    found: dict[str, list[Table]] = {}
    for table in tables:
        found.setdefault(root(table.key), []).append(table)
    return list(found.values())


# -- suppression -------------------------------------------------------------------------------


def _primary(table: Table, k: int) -> None:
    table.primary = {ref for ref in table.refs() if is_sensitive(table.value(ref), k)}
    table.hidden |= table.primary


def _singleton_lines(table: Table) -> list[list[Ref]]:
    """Lines with exactly one hidden number: its total minus the others gives it away."""
    return [line for line in table.lines() if sum(r in table.hidden for r in line) == 1]


def _candidates(table: Table, ref: Ref) -> list[Ref]:
    """Published numbers to hide next: those of the lines that give a hidden number away
    on their own, else those sharing a line with ``ref``."""
    lines = _singleton_lines(table) or [line for line in table.lines() if ref in line]
    return list({r for line in lines for r in line if r not in table.hidden})


def _pick(table: Table, refs: Iterable[Ref]) -> Ref | None:
    """The number to hide among ``refs``: never a zero when a count will do (a zero
    partner protects nothing), then one that closes several give-away lines at once (a
    rectangle protects with four cells where a chain needs many), then the smallest, inner
    cells before totals."""
    order = {"cell": 0, "row_total": 1, "column_total": 1, "total": 2}
    singles = _singleton_lines(table)

    def closes(ref: Ref) -> int:
        return sum(ref in line for line in singles)

    options = sorted(
        refs,
        key=lambda r: (table.value(r) == 0, -closes(r), order[r[0]], table.value(r), r),
    )
    return options[0] if options else None


def protect(tables: Sequence[Table], links: Iterable[Link] = (), *, k: int | None = None) -> None:
    """Hide, in place, every small count and enough others that the audit passes."""
    k = min_cell_size() if k is None else k
    links = list(links)
    for table in tables:
        table.hidden = set()
        _primary(table, k)
    for component in _components(tables, links):
        keys = {t.key for t in component}
        _protect_component(component, [li for li in links if li.a[0] in keys], k)


def _sync_links(by_key: dict[str, Table], links: Sequence[Link]) -> None:
    """A number hidden in one place is hidden wherever it is repeated."""
    for link in links:
        ta, ra = by_key[link.a[0]], link.a[1]
        tb, rb = by_key[link.b[0]], link.b[1]
        if ra in ta.hidden and rb not in tb.hidden:
            tb.hidden.add(rb)
        elif rb in tb.hidden and ra not in ta.hidden:
            ta.hidden.add(ra)


def _protect_component(tables: list[Table], links: list[Link], k: int) -> None:
    by_key = {t.key: t for t in tables}
    links = [li for li in links if li.a[0] in by_key and li.b[0] in by_key]
    for _round in range(100_000):
        _sync_links(by_key, links)
        # first, without a linear program: a line with one hidden number gives it away
        single = next((t for t in tables if _singleton_lines(t)), None)
        if single is not None:
            choice = _pick(single, _candidates(single, ("total",)))
            if choice is not None:
                single.hidden.add(choice)
                continue
        finding = _first_finding(tables, links, k)
        if finding is None:
            return
        table = by_key[finding.table]
        choice = _pick(table, _candidates(table, finding.ref))
        if choice is None:
            choice = _pick(table, [r for r in table.refs() if r not in table.hidden])
        if choice is None:
            # everything in this table is hidden: a linked table gives it away; hide the
            # smallest published number of the linked tables
            partners = {
                other[0]
                for link in links
                for mine, other in ((link.a, link.b), (link.b, link.a))
                if mine[0] == table.key
            }
            found = None
            for key in sorted(partners):
                other = by_key[key]
                ref = _pick(other, [r for r in other.refs() if r not in other.hidden])
                if ref is not None:
                    found = (other, ref)
                    break
            if found is None:
                return  # pragma: no cover - nothing left to hide
            table, choice = found
        table.hidden.add(choice)


# -- statistics on a few people ----------------------------------------------------------------


def statistic(value: float | None, n: int, *, k: int | None = None) -> dict[str, Any]:
    """A statistic computed on ``n`` people, as published: hidden below K people."""
    k = min_cell_size() if k is None else k
    hidden = 0 < n < k
    return {"value": None if hidden else value, "n": n, "hidden": hidden}
