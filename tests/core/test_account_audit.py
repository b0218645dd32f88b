"""Accounts and two-factor devices are audited whoever changes them: a page of ours, a
command of Django's, a shell (issue 16)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.contrib.auth.management.commands import changepassword
from django.core.management import call_command
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from isa.core.actor import Actor, acting
from isa.core.models import AuditAction, AuditEvent, User
from tests.conftest import PASSWORD, Cast
from tests.core.test_admin_audit import refuse_audit
from tests.core.test_auth import sign_in

NEW_PASSWORD = "Une-autre-phrase-longue-77"


def test_a_superuser_created_by_the_command_is_audited(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)
    call_command(
        "createsuperuser", "--noinput", email="root@test.example", full_name="Root", verbosity=0
    )
    user = User.objects.get(email="root@test.example")
    event = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=str(user.pk))
    assert (event.actor_id, event.actor_label, event.channel) == (
        None,
        "isa createsuperuser",
        "job",
    )
    assert event.detail == {"is_active": True, "is_staff": True, "is_superuser": True}


def test_no_superuser_is_created_when_the_audit_fails(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", NEW_PASSWORD)
    refuse_audit(monkeypatch)
    with pytest.raises(DatabaseError):
        call_command(
            "createsuperuser", "--noinput", email="root@test.example", full_name="R", verbosity=0
        )
    assert not User.objects.filter(email="root@test.example").exists()


def test_a_password_changed_by_the_command_is_audited(cast: Cast):
    head = cast.users["head"]
    with mock.patch.object(changepassword.Command, "_get_pass", return_value=NEW_PASSWORD):
        call_command("changepassword", "head@test.example", verbosity=0)
    head.refresh_from_db()
    assert head.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_SET)
    assert (event.actor_label, event.channel, event.object_id) == (
        "isa changepassword",
        "job",
        str(head.pk),
    )


def test_the_command_changes_no_password_when_the_audit_fails(cast: Cast, monkeypatch):
    refuse_audit(monkeypatch)
    with (
        mock.patch.object(changepassword.Command, "_get_pass", return_value=NEW_PASSWORD),
        pytest.raises(DatabaseError),
    ):
        call_command("changepassword", "head@test.example", verbosity=0)
    cast.users["head"].refresh_from_db()
    assert cast.users["head"].check_password(PASSWORD)


def test_changing_ones_own_password_is_one_event(cast: Cast):
    response = cast.client("head").post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action__in=[AuditAction.PASSWORD_CHANGE, "password_set"])
    assert event.action == AuditAction.PASSWORD_CHANGE
    assert (event.actor_id, event.object_id) == (cast.users["head"].pk, str(cast.users["head"].pk))


def test_ones_own_password_is_kept_when_the_audit_fails(cast: Cast, monkeypatch):
    client = cast.client("head")
    refuse_audit(monkeypatch)
    with pytest.raises(DatabaseError):
        client.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
    cast.users["head"].refresh_from_db()
    assert cast.users["head"].check_password(PASSWORD)


def test_an_account_deactivated_from_a_shell_is_audited_as_the_job(cast: Cast):
    user = cast.users["watcher"]
    with acting(Actor.job("isa shell")):
        user.is_active = False
        user.save()
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_DEACTIVATED)
    assert (event.actor_label, event.object_id) == ("isa shell", str(user.pk))


def test_an_account_deactivated_with_update_fields_is_audited(cast: Cast):
    user = cast.users["watcher"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    event = AuditEvent.objects.get(action=AuditAction.ACCOUNT_DEACTIVATED)
    assert event.actor_label == "system"


def test_signing_in_records_no_account_change(cast: Cast):
    sign_in(Client(), "head@test.example")
    before = AuditEvent.objects.count()
    sign_in(Client(), "head@test.example")
    assert AuditEvent.objects.count() == before + 1  # the sign-in itself
    assert not AuditEvent.objects.filter(
        action__in=[AuditAction.PASSWORD_CHANGE, AuditAction.PASSWORD_SET]
    ).exists()


class NewerHasher(MD5PasswordHasher):
    """A stand-in for a newer algorithm (fast, for tests)."""

    algorithm = "newer-md5"


def test_a_password_rehashed_at_sign_in_is_no_password_change(cast: Cast, settings):
    settings.PASSWORD_HASHERS = [
        f"{__name__}.NewerHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert sign_in(Client(), "head@test.example").status_code == 302
    cast.users["head"].refresh_from_db()
    assert cast.users["head"].password.startswith("newer-md5$")
    assert not AuditEvent.objects.filter(
        action__in=[AuditAction.PASSWORD_CHANGE, AuditAction.PASSWORD_SET]
    ).exists()


def test_setting_up_two_factor_records_the_device_and_its_confirmation(cast: Cast, time_machine):
    from tests.core.test_auth import current_code

    time_machine.move_to("2026-03-02 09:00:05 +01:00", tick=False)
    client = Client()
    sign_in(client, "referrer@test.example")
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=cast.users["referrer"])
    added = AuditEvent.objects.get(action=AuditAction.OTP_DEVICE_ADDED)
    assert added.detail == {"device": "totpdevice", "name": "ISA", "confirmed": False}
    assert added.actor_id == cast.users["referrer"].pk
    assert client.post(reverse("otp_setup"), {"token": current_code(device)}).status_code == 302
    enabled = AuditEvent.objects.get(action=AuditAction.OTP_ENABLED)
    assert enabled.object_id == str(cast.users["referrer"].pk)


def test_a_device_is_not_confirmed_when_the_audit_fails(cast: Cast, time_machine, monkeypatch):
    from tests.core.test_auth import current_code

    time_machine.move_to("2026-03-02 09:00:05 +01:00", tick=False)
    client = Client()
    sign_in(client, "head@test.example")
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=cast.users["head"])
    refuse_audit(monkeypatch)
    with pytest.raises(DatabaseError):
        client.post(reverse("otp_setup"), {"token": current_code(device)})
    device.refresh_from_db()
    assert not device.confirmed


def test_a_device_deleted_in_a_shell_is_audited(cast: Cast):
    device = TOTPDevice.objects.create(user=cast.users["head"], name="phone", confirmed=True)
    with acting(Actor.job("isa shell")):
        device.delete()
    event = AuditEvent.objects.get(action=AuditAction.OTP_DEVICE_REMOVED)
    assert (event.actor_label, event.object_id) == ("isa shell", str(cast.users["head"].pk))


def test_checking_a_code_records_no_device_change(cast: Cast, time_machine):
    from tests.core.test_auth import current_code

    time_machine.move_to("2026-03-02 09:00:05 +01:00", tick=False)
    device = TOTPDevice.objects.create(user=cast.users["head"], name="phone", confirmed=True)
    client = Client()
    sign_in(client, "head@test.example")
    assert client.post(reverse("otp_verify"), {"token": current_code(device)}).status_code == 302
    assert AuditEvent.objects.filter(action__startswith="otp_").count() == 1  # its creation
