"""The suite on several cores (pytest-xdist, ``make test`` runs ``-n 2 --dist loadfile``).

Each worker is a process of its own, with its own test database (``test_<name>_gw0``…),
temporary directory, live server (on a free port) and Chromium.  What the tests share within
a process (``tests/kept.py``) must still be built as few times as possible, and the browser
tests must still run last in each process (``tests/e2e/conftest.py``), so the tests go to the
workers in units chosen here rather than by xdist's own ``loadfile``:

* a unit is a test file, so that its module's cast is built once, in one worker;
* the tests that read the demo form one more unit, whatever their files, so that the demo is
  seeded once, in one worker (``mark_demo_readers`` tags their ids, on every worker alike);
* a file of many tests (the permission matrix's ~1,900 cases) is cut into units of at most
  ``CHUNK`` tests one after the other, each building the module's cast once, so that both
  workers share it;
* the tests that run in real transactions (``transactional_db``, ``django_db(transaction=True)``)
  go after all the others but the browser tests, as pytest-django orders them in one process:
  Django empties every table after each of them, the rows the migrations wrote too
  (``Medium``…), which the tests after them need;
* the biggest units go first, so that the two workers finish together; the browser tests'
  files go after all the others, on whichever worker is free.
"""

from __future__ import annotations

import pytest
from xdist.scheduler import LoadFileScheduling

#: Appended to the id of a test that reads the demo (as xdist's own ``loadgroup`` does).
DEMO_UNIT = "@kept-demo"
#: Appended to the id of a test that runs in transactions of its own.
TRANSACTIONS = "@in-transactions"
BROWSER_TESTS = "tests/e2e/"
CHUNK = 400


def _in_transactions(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    marked = marker is not None and bool(
        marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
    )
    return marked or "transactional_db" in names or "live_server" in names


def _tag(item: pytest.Item, tag: str) -> None:
    """Append ``tag`` to the test's id: pytest 9 keeps it as a ``NodeId`` in ``_id`` (the id
    xdist's ``loadgroup`` sets, ``_nodeid``, is no longer read), pytest 8 in ``_nodeid``."""
    tagged = f"{item.nodeid}{tag}"
    if hasattr(item, "_id"):
        from _pytest.nodeid import NodeId

        node_id = NodeId.parse(item.nodeid)
        object.__setattr__(node_id, "_str_cache", tagged)
        item._id = node_id
    else:
        item._nodeid = tagged
    assert item.nodeid == tagged


def mark_units(items: list[pytest.Item]) -> None:
    """Tag the ids of the demo's readers and of the tests in transactions (on each worker)."""
    for item in items:
        if item.nodeid.endswith((DEMO_UNIT, TRANSACTIONS)):
            continue
        if "demo" in getattr(item, "fixturenames", ()):
            _tag(item, DEMO_UNIT)
        elif _in_transactions(item):
            _tag(item, TRANSACTIONS)


def give_unique_ids(items: list[pytest.Item]) -> None:
    """Give every test an id of its own, or stop the run.

    xdist hands tests out by id, so two tests with one id run once: schemathesis (4.32) names
    its test of each API operation ``test_…[GET /api/…]`` but pytest 9.2 builds the id from
    the original name alone, and 13 of the 14 operations' contract tests went unrun on two
    cores.  Their id is rebuilt from the operation; any other duplicate ends the collection.
    """
    for item in items:
        label = getattr(item, "operation_label", None)
        if label and hasattr(item, "_id") and item.nodeid.endswith(f"::{item.originalname}"):
            item._id = item.parent.id.child(item.originalname).with_params(label)
    seen: set[str] = set()
    twice = sorted({item.nodeid for item in items if item.nodeid in seen or seen.add(item.nodeid)})
    if twice:
        raise pytest.UsageError(f"tests with the same id would run once on several cores: {twice}")


def _phase(unit: str) -> int:
    if unit.startswith(BROWSER_TESTS):
        return 2
    return 1 if unit.endswith(TRANSACTIONS) else 0


class KeptScheduling(LoadFileScheduling):
    """xdist's ``loadfile``, with the demo's readers as one unit and the browser tests last."""

    def _split_scope(self, nodeid: str) -> str:
        unit = getattr(self, "_units", {}).get(nodeid)
        if unit is not None:
            return unit
        if nodeid.endswith(DEMO_UNIT):
            return DEMO_UNIT
        if nodeid.endswith(TRANSACTIONS):
            return super()._split_scope(nodeid) + TRANSACTIONS
        return super()._split_scope(nodeid)

    def schedule(self) -> None:
        """xdist's ``LoadScopeScheduling.schedule`` (3.8), with the units made here."""
        assert self.collection_is_completed
        if self.collection is not None:
            for node in self.nodes:
                self._reschedule(node)
            return
        if not self._check_nodes_have_same_collection():
            self.log("**Different tests collected, aborting run**")
            return
        self.collection = list(next(iter(self.registered_collections.values())))
        if not self.collection:
            return
        files: dict[str, list[str]] = {}
        for nodeid in self.collection:
            files.setdefault(self._split_scope(nodeid), []).append(nodeid)
        units: dict[str, dict[str, bool]] = {}
        for name, nodeids in files.items():
            for start in range(0, len(nodeids), CHUNK):
                unit = name if start == 0 else f"{name}#{start // CHUNK}"
                units[unit] = dict.fromkeys(nodeids[start : start + CHUNK], False)
        self._units = {nodeid: unit for unit, nodeids in units.items() for nodeid in nodeids}
        for unit in sorted(units, key=lambda u: (_phase(u), -len(units[u]))):
            self.workqueue[unit] = units[unit]
        for _ in range(max(0, len(self.nodes) - len(self.workqueue))):
            unused, _assigned = self.assigned_work.popitem()
            unused.shutdown()
        for node in self.nodes:
            self._assign_work_unit(node)
        for node in self.nodes:
            self._reschedule(node)
        if not self.workqueue:
            for node in self.nodes:
                node.shutdown()
