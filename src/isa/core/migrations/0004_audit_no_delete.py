"""The database refuses to remove audit events, not only to change them.

SQLite: a trigger refuses DELETE (SQLite has no TRUNCATE; its ``DELETE FROM`` without a
condition fires the trigger too).  PostgreSQL: a row trigger refuses DELETE and a statement
trigger refuses TRUNCATE, unless the current role owns the table (or belongs to the owning
role) *and* has said for this transaction that it purges (``SET LOCAL isa.audit_purge =
'on'``).  The application's role, which in production holds only INSERT and SELECT on the
table, can never pass; the owner passes only on purpose: ``isa purge-audit-log``, or the
emptying of a test database.  Both go through :func:`isa.core.maintenance.audit_purge_allowed`
(docs/operations.md).
"""

from django.db import migrations

SQLITE_UP = ["""
CREATE TRIGGER IF NOT EXISTS core_auditevent_no_delete
BEFORE DELETE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END"""]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS core_auditevent_no_delete"]

POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION core_auditevent_refuse_removal() RETURNS trigger AS $$
    BEGIN
        IF coalesce(current_setting('isa.audit_purge', true), '') = 'on'
           AND pg_has_role(
               current_user,
               (SELECT relowner FROM pg_catalog.pg_class WHERE oid = TG_RELID),
               'MEMBER'
           ) THEN
            IF TG_LEVEL = 'ROW' THEN RETURN OLD; END IF;
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'audit events cannot be deleted' USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete ON core_auditevent",
    """CREATE TRIGGER core_auditevent_no_delete BEFORE DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_removal()""",
    "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent",
    """CREATE TRIGGER core_auditevent_no_truncate BEFORE TRUNCATE ON core_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditevent_refuse_removal()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_truncate ON core_auditevent",
    "DROP TRIGGER IF EXISTS core_auditevent_no_delete ON core_auditevent",
    "DROP FUNCTION IF EXISTS core_auditevent_refuse_removal()",
]


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        for statement in sql_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_channel")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
            hints={"model_name": "auditevent"},
        ),
    ]
