"""Small-cell protection: the audit catches a naive suppression, and never finds a
recomputable cell in what :func:`protect` publishes (property tests on random tables)."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isa.reports.disclosure import Link, Table, audit, feasible_ranges, protect, statistic

K = 5


def table(cells, *, rows=True, columns=True, key="t") -> Table:
    return Table(
        key,
        key,
        [f"r{i}" for i in range(len(cells))],
        [f"c{j}" for j in range(len(cells[0]))],
        [list(r) for r in cells],
        row_totals=rows,
        column_totals=columns,
    )


def test_the_audit_catches_a_naive_suppression():
    # Hide the small cell, keep the totals: 3 = 10 - 7, recomputed exactly.
    t = table([[3, 7], [8, 9]])
    t.hidden = {("cell", 0, 0)}
    (finding,) = audit([t], k=K)
    assert finding.ref == ("cell", 0, 0)
    assert (finding.low, finding.high) == (3, 3)


def test_the_audit_catches_a_too_narrow_range():
    # Two hidden cells in a row, but their column totals pin them down.
    t = table([[1, 2], [8, 9]])
    t.hidden = {("cell", 0, 0), ("cell", 0, 1)}
    assert {f.ref for f in audit([t], k=K)} == {("cell", 0, 0), ("cell", 0, 1)}


def test_a_hidden_total_repeated_elsewhere_is_caught():
    a = table([[3], [9]], rows=False, key="a")
    b = table([[12], [2]], rows=False, key="b")
    a.hidden = {("cell", 0, 0), ("cell", 1, 0), ("column_total", 0)}
    link = Link(("a", ("column_total", 0)), ("b", ("cell", 0, 0)))  # b shows 12
    assert audit([a, b], [link], k=K)
    protect([a, b], [link], k=K)
    assert not audit([a, b], [link], k=K)
    assert ("cell", 0, 0) in b.hidden


def test_protect_hides_a_rectangle_not_everything():
    t = table([[1, 7], [6, 8], [9, 2]])
    protect([t], k=K)
    assert t.hidden == {("cell", 0, 0), ("cell", 0, 1), ("cell", 2, 0), ("cell", 2, 1)}
    assert not audit([t], k=K)
    assert t.shown(("total",)) == 33


def test_zeros_are_shown_and_percentages_of_hidden_cells_are_not():
    t = table([[0, 10], [3, 12], [20, 15]])
    protect([t], k=K)
    assert t.shown(("cell", 0, 0)) == 0
    assert t.share(1, 0) is None
    shown = [(i, j) for i in range(3) for j in range(2) if ("cell", i, j) not in t.hidden]
    for i, j in shown:
        if ("column_total", j) not in t.hidden:
            assert t.share(i, j) is not None


def test_statistics_on_few_people_are_hidden():
    assert statistic(0.8, 4, k=K) == {"value": None, "n": 4, "hidden": True}
    assert statistic(0.8, 5, k=K)["value"] == 0.8


def test_an_unbounded_cell_has_an_infinite_range():
    t = table([[3], [9]], rows=False, columns=False)
    t.hidden = {("cell", 0, 0)}
    (finding,) = feasible_ranges([t])
    assert finding.low == 0 and math.isinf(finding.high)


counts = st.integers(min_value=0, max_value=30)


@st.composite
def tables(draw):
    rows = draw(st.integers(min_value=1, max_value=5))
    columns = draw(st.integers(min_value=1, max_value=4))
    cells = draw(
        st.lists(st.lists(counts, min_size=columns, max_size=columns), min_size=rows, max_size=rows)
    )
    return table(cells, rows=draw(st.booleans()), columns=draw(st.booleans()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_the_audit_never_finds_a_recomputable_cell_after_protect(t):
    protect([t], k=K)
    assert audit([t], k=K) == []
    for ref in t.refs():  # every small count is hidden
        if 0 < t.value(ref) < K:
            assert ref in t.hidden


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), tables())
def test_linked_tables_are_protected_together(a, b):
    a.key, b.key = "a", "b"
    b.column_totals = True
    a.column_totals = True
    # a's first column total published again as b's first cell
    b.cells[0][0] = a.value(("column_total", 0))
    link = Link(("a", ("column_total", 0)), ("b", ("cell", 0, 0)))
    protect([a, b], [link], k=K)
    assert audit([a, b], [link], k=K) == []
