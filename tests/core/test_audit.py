"""The audit log: append-only in the app and in the database, readable by heads only."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from isa.core.actor import Actor
from isa.core.models import AppendOnlyError, AuditAction, AuditEvent
from isa.core.services import audit_record
from tests.conftest import Cast


@pytest.fixture
def event(cast: Cast) -> AuditEvent:
    return audit_record(
        action=AuditAction.VIEW,
        actor=cast.actor("social_worker"),
        object_type="people.participant",
        object_id=7,
        programme=cast.programme,
        detail={"page": "file"},
    )


def test_an_event_cannot_be_changed_through_the_model(event: AuditEvent):
    event.action = AuditAction.DELETE
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_an_event_cannot_be_changed_through_a_queryset(event: AuditEvent):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="delete")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk, action=AuditAction.VIEW).exists()


def test_the_database_itself_refuses_an_update(event: AuditEvent):
    table = AuditEvent._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET action = 'delete' WHERE id = %s", [event.pk])  # noqa: S608
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.VIEW


def test_an_event_is_written_in_the_transaction_of_the_change(cast: Cast):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action=AuditAction.UPDATE, actor=cast.actor("head"), obj=cast.programme)
        raise RuntimeError("the change failed")
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_the_event_knows_who_what_when_where(cast: Cast, rf):
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    request.user = cast.users["head"]
    event = audit_record(
        action=AuditAction.UPDATE, actor=Actor.from_request(request), obj=cast.programme
    )
    assert event.actor_id == cast.users["head"].pk
    assert event.actor_label == "head@test.example"
    assert (event.object_type, event.object_id) == ("core.programme", str(cast.programme.pk))
    assert event.programme_id is None or event.programme_id == cast.programme.pk
    assert event.ip == "10.1.2.3"
    assert event.at is not None


def test_the_forwarded_address_is_trusted_only_behind_a_declared_proxy(cast: Cast, rf, settings):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    request.user = cast.users["head"]
    assert (
        audit_record(action=AuditAction.VIEW, actor=Actor.from_request(request)).ip == "127.0.0.1"
    )
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert (
        audit_record(action=AuditAction.VIEW, actor=Actor.from_request(request)).ip == "203.0.113.9"
    )


def test_the_head_reads_and_filters_the_log(cast: Cast, event: AuditEvent):
    audit_record(action=AuditAction.EXPORT, actor=cast.actor("head"), programme=cast.programme)
    client = cast.client("head")
    response = client.get(reverse("audit_log", args=[cast.programme.pk]))
    assert response.status_code == 200
    shown = list(response.context["page"])
    assert event in shown
    response = client.get(
        reverse("audit_log", args=[cast.programme.pk]), {"action": AuditAction.EXPORT}
    )
    assert [e.action for e in response.context["page"]] == [AuditAction.EXPORT]
    response = client.get(
        reverse("audit_log", args=[cast.programme.pk]),
        {"actor": "social_worker@", "object_type": "participant", "action": "view"},
    )
    assert list(response.context["page"]) == [event]


def test_reading_the_log_is_itself_logged(cast: Cast):
    cast.client("head").get(reverse("audit_log", args=[cast.programme.pk]))
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="core.auditevent", programme_id=cast.programme.pk
    ).exists()


def test_the_log_of_another_programme_is_not_shown(cast: Cast):
    foreign = audit_record(
        action=AuditAction.VIEW,
        actor=cast.actor("other_head"),
        programme=cast.other_programme,
        object_type="people.participant",
        object_id=1,
    )
    response = cast.client("head").get(reverse("audit_log", args=[cast.programme.pk]))
    assert foreign not in list(response.context["page"])


def test_a_bad_filter_is_explained_and_keeps_the_entries(cast: Cast):
    response = cast.client("head").get(
        reverse("audit_log", args=[cast.programme.pk]),
        {"date_from": "2026-05-10", "date_to": "2026-05-01", "actor": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()
    assert response.context["form"]["actor"].value() == "x"


def test_the_log_page_has_a_constant_number_of_queries(cast: Cast, django_assert_max_num_queries):
    client = cast.client("head")
    url = reverse("audit_log", args=[cast.programme.pk])
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for i in range(60):
        audit_record(
            action=AuditAction.VIEW,
            actor=cast.actor("head"),
            programme=cast.programme,
            object_type="people.participant",
            object_id=i,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"]) == 50
