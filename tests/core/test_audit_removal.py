"""The database refuses to delete or truncate the audit log, except to its owner on purpose."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from isa.core.actor import Actor
from isa.core.maintenance import audit_purge_allowed
from isa.core.models import AuditAction, AuditEvent
from isa.core.services import audit_purge, audit_record

TABLE = AuditEvent._meta.db_table


def old_event(days: int) -> AuditEvent:
    event = AuditEvent(
        at=timezone.now() - timedelta(days=days),
        action=AuditAction.VIEW,
        actor_label="head@test.example",
        object_type="people.participant",
        object_id="7",
    )
    event.save()
    return event


def raw(sql: str, params: list[object] | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def refused(sql: str, params: list[object] | None = None) -> bool:
    """Whether the audit log's guard (not some other error) refused the statement."""
    try:
        raw(sql, params)
    except DatabaseError as error:
        assert "audit events cannot be deleted" in str(error)
        return True
    return False


@pytest.fixture
def event(db) -> AuditEvent:
    return old_event(days=3)


def test_the_database_itself_refuses_to_delete_an_event(event: AuditEvent):
    assert refused(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])  # noqa: S608
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_database_itself_refuses_to_empty_the_log(event: AuditEvent):
    assert refused(f"DELETE FROM {TABLE}")  # noqa: S608
    if connection.vendor == "postgresql":  # SQLite has no TRUNCATE
        assert refused(f"TRUNCATE {TABLE}")
        assert refused(f"TRUNCATE {TABLE} CASCADE")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles exist on PostgreSQL only")
def test_the_purge_setting_does_not_open_the_log_to_a_role_that_does_not_own_it(
    event: AuditEvent,
):
    role = f"isa_app_{connection.settings_dict['NAME']}"[:63]
    with (
        pytest.raises(DatabaseError, match="audit events cannot be deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Created and dropped with the test's transaction; even DELETE granted by mistake
        # does not let the application's role through.
        cursor.execute(f'CREATE ROLE "{role}"')
        cursor.execute(f'GRANT SELECT, DELETE, TRUNCATE ON {TABLE} TO "{role}"')
        cursor.execute(f'SET LOCAL ROLE "{role}"')
        cursor.execute("SET LOCAL isa.audit_purge = 'on'")
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])  # noqa: S608
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_inside_the_maintenance_block_the_owner_may_delete_and_after_it_no_longer(db):
    first, second = old_event(days=500), old_event(days=400)
    with audit_purge_allowed():
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [first.pk])  # noqa: S608
    assert not AuditEvent.objects.filter(pk=first.pk).exists()
    assert refused(f"DELETE FROM {TABLE} WHERE id = %s", [second.pk])  # noqa: S608
    with transaction.atomic():  # an enclosing transaction does not keep the door open
        with audit_purge_allowed():
            pass
        assert refused(f"DELETE FROM {TABLE} WHERE id = %s", [second.pk])  # noqa: S608
    assert AuditEvent.objects.filter(pk=second.pk).exists()


def test_a_failure_inside_the_maintenance_block_deletes_nothing_and_keeps_the_guard(db):
    event = old_event(days=500)
    with pytest.raises(RuntimeError), audit_purge_allowed():
        raw(f"DELETE FROM {TABLE}")  # noqa: S608
        raise RuntimeError("the purge failed")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert refused(f"DELETE FROM {TABLE}")  # noqa: S608


def test_the_purge_deletes_events_older_than_a_year_and_records_itself(db):
    old, recent = old_event(days=800), old_event(days=300)
    before = timezone.now() - timedelta(days=730)
    assert audit_purge(before=before, actor=Actor.job("isa purge-audit-log")) == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()
    purge = AuditEvent.objects.get(action=AuditAction.DELETE, object_type="core.auditevent")
    assert purge.actor_label == "isa purge-audit-log"
    assert purge.detail == {"before": before.isoformat(), "deleted": 1}
    assert refused(f"DELETE FROM {TABLE} WHERE id = %s", [recent.pk])  # noqa: S608


def test_the_last_year_of_the_log_cannot_be_purged(db):
    recent = old_event(days=300)
    with pytest.raises(ValidationError):
        audit_purge(before=timezone.now() - timedelta(days=200), actor=Actor.job("test"))
    with pytest.raises(CommandError, match="at least 365"):
        call_command("purge_audit_log", days=364)
    assert AuditEvent.objects.filter(pk=recent.pk).exists()


def test_the_purge_command_keeps_the_days_asked(db, capsys):
    old_event(days=1000)
    kept = old_event(days=300)
    call_command("purge_audit_log", days=365)
    assert "1 audit event(s)" in capsys.readouterr().out
    assert set(AuditEvent.objects.exclude(action=AuditAction.DELETE)) == {kept}


@pytest.mark.django_db(transaction=True)
def test_flushing_a_database_empties_the_log_and_keeps_the_guard():
    audit_record(action=AuditAction.VIEW, actor=Actor.job("test"), object_type="x")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    event = old_event(days=1)
    assert refused(f"DELETE FROM {TABLE}")  # noqa: S608
    assert AuditEvent.objects.filter(pk=event.pk).exists()
