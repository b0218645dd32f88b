"""The one way past the audit log's guard: for the database owner, on purpose, for one
transaction.

Migrations 0002 and 0004 make the database refuse UPDATE, DELETE and TRUNCATE on the audit
log, whatever the application asks.  Two maintenance tasks must still remove events: the
retention purge (``isa purge-audit-log``) and the emptying of a database (``isa flush``,
which the test suite runs after each test that commits).  Both run inside
:func:`audit_purge_allowed`; nothing else in ISA does.

- PostgreSQL: ``SET LOCAL isa.audit_purge = 'on'`` for the current transaction.  The
  trigger honours it only for the role that owns the table (or a member of it), so the
  application's role, which holds INSERT and SELECT only, cannot use it even by mistake.
- SQLite has no roles: the refusing trigger is dropped and created again, word for word,
  inside the same transaction; if anything fails it comes back with the rollback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections, router, transaction

from isa.core.models import AuditEvent

#: The settings and triggers of migration 0004 that this module lifts for one transaction.
PURGE_SETTING = "isa.audit_purge"
SQLITE_DELETE_TRIGGER = "core_auditevent_no_delete"


@contextmanager
def audit_purge_allowed(using: str | None = None) -> Iterator[str]:
    """Within this block, and this transaction only, audit events may be deleted on the
    database ``using`` (by default the one that holds the audit log).  Yields the alias."""
    alias = using or router.db_for_write(AuditEvent)
    connection = connections[alias]
    table = AuditEvent._meta.db_table
    with transaction.atomic(using=alias):
        if table not in connection.introspection.table_names():
            yield alias  # the audit log lives elsewhere: nothing to lift here
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
                triggers = []
            else:
                cursor.execute(
                    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                    [SQLITE_DELETE_TRIGGER],
                )
                triggers = [sql for (sql,) in cursor.fetchall()]
                cursor.execute(f'DROP TRIGGER IF EXISTS "{SQLITE_DELETE_TRIGGER}"')
        yield alias
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # SET LOCAL would outlive this block in an enclosing transaction.
                cursor.execute("SELECT set_config(%s, 'off', true)", [PURGE_SETTING])
            for sql in triggers:
                cursor.execute(sql)
