"""Data built once for many tests, as Django's ``TestCase.setUpTestData`` does.

Building the cast anew for each of the permission matrix's ~960 cases, or seeding the demo
for each test that reads it, cost more than the tests themselves.  Such data is built once,
in a transaction opened before the tests' own (by the autouse ``_kept`` fixture of
tests/conftest.py, which runs before ``db``): pytest-django's ``db`` then makes each test a
savepoint inside it and rolls that back, so every test starts from the same rows.  The
transaction is rolled back as soon as a test wants something else (another module's cast,
the demo, an empty database, or a transaction of its own) and at the end of the run.

At most one thing is kept at a time.  Its Python objects are shared: a test must get a deep
copy of them (``Cast``) or only read them (the demo's output), so that what one test changes
in memory never reaches the next one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connection, transaction
from pytest_django import DjangoDbBlocker


class Keeper:
    def __init__(self) -> None:
        self.key: Hashable | None = None
        self.value: Any = None
        self.builds = 0
        self._atomic: transaction.Atomic | None = None
        self._blocker: DjangoDbBlocker | None = None

    def want(self, key: Hashable, build: Callable[[], Any], blocker: DjangoDbBlocker) -> Any:
        """What is kept under ``key``: kept from an earlier test, or built now."""
        if self.key == key:
            return self.value
        self.release(blocker)
        with blocker.unblock():
            if connection.in_atomic_block:
                raise RuntimeError(
                    "data to keep must be built before the test's transaction opens: "
                    "do not mark such a test with django_db, request `db` (or the fixture "
                    "that keeps it) instead"
                )
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                value = build()
            except BaseException:
                atomic.__exit__(*sys.exc_info())
                raise
        self._atomic, self.key, self.value = atomic, key, value
        self._blocker = blocker
        self.builds += 1
        return value

    def release(self, blocker: DjangoDbBlocker | None = None) -> None:
        """Roll back what is kept, if anything."""
        atomic = self._atomic
        if atomic is None:
            return
        blocker = blocker or self._blocker
        assert blocker is not None
        self._atomic, self.key, self.value = None, None, None
        with blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


KEEPER = Keeper()
