"""Make the audit log append-only in the database itself, not only in the application.

A trigger refuses every UPDATE of an audit event, on SQLite and PostgreSQL alike.
DELETE stays possible at the database level for the retention purge run by an operator
(the application refuses it); in production, grant the application's database role only
INSERT and SELECT on this table (docs/operations.md).
"""

from django.db import migrations

SQLITE_UP = ["""
CREATE TRIGGER IF NOT EXISTS core_auditevent_no_update
BEFORE UPDATE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"""]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS core_auditevent_no_update"]

POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION core_auditevent_refuse_update() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit events are append-only'; END;
    $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent",
    """CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_update()""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent",
    "DROP FUNCTION IF EXISTS core_auditevent_refuse_update()",
]


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        for statement in sql_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
            hints={"model_name": "auditevent"},
        ),
    ]
