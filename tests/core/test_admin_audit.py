"""Break-glass through the technical admin: every role, password, activity and two-factor
change a system administrator makes is audited in the same transaction (issue 16)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from isa.core.models import AuditAction, AuditEvent, BreakGlass, Membership, Programme, Role
from tests.conftest import PASSWORD, Cast, make_user
from tests.core.adminform import inline_row, page_data

NEW_PASSWORD = "Une-phrase-de-secours-2026"


def programme_page(cast: Cast) -> str:
    return reverse("admin:core_programme_change", args=[cast.programme.pk])


def add_row(cast: Cast, client, **fields) -> dict:
    """The programme's admin page with one more role row."""
    data = page_data(client.get(programme_page(cast)))
    index = int(data["memberships-TOTAL_FORMS"])
    data["memberships-TOTAL_FORMS"] = str(index + 1)
    data.update(inline_row("memberships", index, programme=cast.programme.pk, **fields))
    return data


def row_index(data: dict, membership: Membership) -> int:
    return next(
        int(key.split("-")[1])
        for key, value in data.items()
        if key.endswith("-id") and key.startswith("memberships-") and value == membership.pk
    )


def refuse_audit(monkeypatch) -> None:
    """From now on, the audit log refuses every write."""

    def refuse(self, *args, **kwargs):
        raise DatabaseError("audit log unavailable")

    monkeypatch.setattr(AuditEvent, "save", refuse)


# -- roles -------------------------------------------------------------------------------------


def test_the_administrator_cannot_make_himself_head_without_a_reason(cast: Cast):
    admin = cast.users["sysadmin"]
    client = cast.client("sysadmin")
    response = client.post(programme_page(cast), add_row(cast, client, user=admin.pk, role="head"))
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert any("reason" in errors for errors in formset.errors)
    assert not Membership.objects.filter(user=admin).exists()
    assert not BreakGlass.objects.exists()


def test_the_administrator_making_himself_head_is_break_glass_for_the_heads(cast: Cast):
    admin = cast.users["sysadmin"]
    client = cast.client("sysadmin")
    data = add_row(cast, client, user=admin.pk, role="head", reason="Ticket 4711: the head is ill.")
    response = client.post(programme_page(cast), data)
    assert response.status_code == 302
    assert admin.roles_on(cast.programme) == {Role.HEAD}
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert event.actor_id == admin.pk
    assert event.programme_id == cast.programme.pk
    assert event.detail["reason"] == "Ticket 4711: the head is ill."
    assert event.detail["role"] == "head"
    glass = BreakGlass.objects.get()
    assert (glass.user, glass.programme, glass.role) == (admin, cast.programme, Role.HEAD)
    assert glass.acknowledged_at is None


def test_a_role_given_to_someone_else_in_the_admin_is_audited(cast: Cast):
    newcomer = make_user("newcomer@test.example")
    client = cast.client("sysadmin")
    response = client.post(
        programme_page(cast), add_row(cast, client, user=newcomer.pk, role="watcher")
    )
    assert response.status_code == 302
    assert newcomer.roles_on(cast.programme) == {Role.WATCHER}
    event = AuditEvent.objects.get(action=AuditAction.ROLE_GRANT)
    assert (event.actor_id, event.object_id) == (cast.users["sysadmin"].pk, str(newcomer.pk))
    assert event.programme_id == cast.programme.pk
    assert not BreakGlass.objects.exists()


def test_a_role_granted_on_a_new_programme_in_the_admin_is_audited(cast: Cast):
    client = cast.client("sysadmin")
    data = page_data(client.get(reverse("admin:core_programme_add")))
    data.update(
        {
            "organisation": cast.organisation.pk,
            "name": "ISA Sierre",
            "place": "Sierre",
            "capacity": "12",
            "languages": '["fr"]',
            "annual_budget_chf": "0",
            "memberships-TOTAL_FORMS": "1",
            **inline_row("memberships", 0, user=cast.users["head"].pk, role="head"),
        }
    )
    response = client.post(reverse("admin:core_programme_add"), data)
    assert response.status_code == 302
    programme = Programme.objects.get(name="ISA Sierre")
    event = AuditEvent.objects.get(action=AuditAction.ROLE_GRANT, programme_id=programme.pk)
    assert event.detail == {"role": "head"}


def test_a_role_removed_in_the_admin_is_audited(cast: Cast):
    watcher = Membership.objects.get(user=cast.users["watcher"])
    client = cast.client("sysadmin")
    data = page_data(client.get(programme_page(cast)))
    data[f"memberships-{row_index(data, watcher)}-DELETE"] = "on"
    assert client.post(programme_page(cast), data).status_code == 302
    assert not Membership.objects.filter(pk=watcher.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.ROLE_REVOKE)
    assert event.object_id == str(cast.users["watcher"].pk)
    assert event.detail == {"role": "watcher"}


def test_a_role_changed_in_the_admin_is_audited_as_revoked_and_granted(cast: Cast):
    watcher = Membership.objects.get(user=cast.users["watcher"])
    client = cast.client("sysadmin")
    data = page_data(client.get(programme_page(cast)))
    data[f"memberships-{row_index(data, watcher)}-role"] = "social_worker"
    assert client.post(programme_page(cast), data).status_code == 302
    assert cast.users["watcher"].roles_on(cast.programme) == {Role.SOCIAL_WORKER}
    revoked = AuditEvent.objects.get(action=AuditAction.ROLE_REVOKE)
    granted = AuditEvent.objects.get(action=AuditAction.ROLE_GRANT)
    assert revoked.detail == {"role": "watcher"}
    assert granted.detail == {"role": "social_worker"}


def test_changing_a_row_to_oneself_needs_a_reason_too(cast: Cast):
    watcher = Membership.objects.get(user=cast.users["watcher"])
    admin = cast.users["sysadmin"]
    client = cast.client("sysadmin")
    data = page_data(client.get(programme_page(cast)))
    index = row_index(data, watcher)
    data[f"memberships-{index}-user"] = admin.pk
    assert client.post(programme_page(cast), data).status_code == 200
    assert not Membership.objects.filter(user=admin).exists()
    data[f"memberships-{index}-reason"] = "Le veilleur est parti; je reprends la veille."
    assert client.post(programme_page(cast), data).status_code == 302
    assert admin.roles_on(cast.programme) == {Role.WATCHER}
    assert BreakGlass.objects.get().role == Role.WATCHER


def test_the_admin_cannot_leave_a_programme_without_a_head(cast: Cast):
    head = Membership.objects.get(user=cast.users["head"], role=Role.HEAD)
    client = cast.client("sysadmin")
    data = page_data(client.get(programme_page(cast)))
    data[f"memberships-{row_index(data, head)}-DELETE"] = "on"
    response = client.post(programme_page(cast), data)
    assert response.status_code == 200
    assert Membership.objects.filter(pk=head.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_REVOKE).exists()


def test_a_role_granted_in_the_admin_is_undone_when_the_audit_fails(cast: Cast, monkeypatch):
    newcomer = make_user("newcomer@test.example")
    client = cast.client("sysadmin")
    data = add_row(cast, client, user=newcomer.pk, role="head")
    refuse_audit(monkeypatch)
    with pytest.raises(DatabaseError):
        client.post(programme_page(cast), data)
    assert not Membership.objects.filter(user=newcomer).exists()


def test_deleting_an_account_in_the_admin_records_each_role_it_held(cast: Cast):
    leaver = make_user("leaver@test.example")
    Membership.objects.create(user=leaver, programme=cast.programme, role=Role.FACILITATOR)
    Membership.objects.create(user=leaver, programme=cast.other_programme, role=Role.WATCHER)
    client = cast.client("sysadmin")
    response = client.post(reverse("admin:core_user_delete", args=[leaver.pk]), {"post": "yes"})
    assert response.status_code == 302
    revoked = AuditEvent.objects.filter(action=AuditAction.ROLE_REVOKE, object_id=str(leaver.pk))
    assert {(e.programme_id, e.detail["role"]) for e in revoked} == {
        (cast.programme.pk, "facilitator"),
        (cast.other_programme.pk, "watcher"),
    }
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_id=str(leaver.pk)).exists()


# -- passwords, activity, rights ---------------------------------------------------------------


def password_page(user) -> str:
    return f"/admin/core/user/{user.pk}/password/"


def set_password_data(password: str = NEW_PASSWORD) -> dict:
    return {"password1": password, "password2": password, "usable_password": "true"}


def test_a_password_set_by_the_administrator_is_audited(cast: Cast):
    head = cast.users["head"]
    client = cast.client("sysadmin")
    response = client.post(password_page(head), set_password_data())
    assert response.status_code == 302
    head.refresh_from_db()
    assert head.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_SET)
    assert (event.actor_id, event.object_type, event.object_id) == (
        cast.users["sysadmin"].pk,
        "core.user",
        str(head.pk),
    )
    assert NEW_PASSWORD not in str(event.detail)


def test_a_password_set_in_the_admin_is_undone_when_the_audit_fails(cast: Cast, monkeypatch):
    head = cast.users["head"]
    refuse_audit(monkeypatch)
    with pytest.raises(DatabaseError):
        cast.client("sysadmin").post(password_page(head), set_password_data())
    head.refresh_from_db()
    assert head.check_password(PASSWORD)


def test_the_heads_see_what_the_administrator_did_to_a_members_account(cast: Cast):
    cast.client("sysadmin").post(password_page(cast.users["facilitator"]), set_password_data())
    response = cast.client("head").get(reverse("audit_log", args=[cast.programme.pk]))
    actions = [e.action for e in response.context["page"]]
    assert AuditAction.PASSWORD_SET in actions
    other = cast.client("other_head").get(reverse("audit_log", args=[cast.other_programme.pk]))
    assert AuditAction.PASSWORD_SET not in [e.action for e in other.context["page"]]


def user_page(user) -> str:
    return reverse("admin:core_user_change", args=[user.pk])


def test_deactivating_and_reactivating_an_account_in_the_admin_is_audited(cast: Cast):
    facilitator = cast.users["facilitator"]
    client = cast.client("sysadmin")
    data = page_data(client.get(user_page(facilitator)))
    data.pop("is_active")
    assert client.post(user_page(facilitator), data).status_code == 302
    facilitator.refresh_from_db()
    assert not facilitator.is_active
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCOUNT_DEACTIVATED, object_id=str(facilitator.pk)
    ).exists()
    data["is_active"] = "on"
    assert client.post(user_page(facilitator), data).status_code == 302
    assert AuditEvent.objects.filter(
        action=AuditAction.ACCOUNT_ACTIVATED, actor_id=cast.users["sysadmin"].pk
    ).exists()


def test_an_account_deactivated_in_the_admin_stays_active_when_the_audit_fails(
    cast: Cast, monkeypatch
):
    facilitator = cast.users["facilitator"]
    client = cast.client("sysadmin")
    data = page_data(client.get(user_page(facilitator)))
    data.pop("is_active")
    refuse_audit(monkeypatch)
    with pytest.raises(DatabaseError):
        client.post(user_page(facilitator), data)
    facilitator.refresh_from_db()
    assert facilitator.is_active


def test_making_someone_a_system_administrator_is_audited(cast: Cast):
    funder = cast.users["funder"]
    client = cast.client("sysadmin")
    data = page_data(client.get(user_page(funder)))
    data.update({"is_staff": "on", "is_superuser": "on"})
    assert client.post(user_page(funder), data).status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.PRIVILEGES_CHANGED)
    assert event.detail == {"is_staff": True, "is_superuser": True}
    assert event.object_id == str(funder.pk)


def test_saving_an_account_unchanged_records_nothing_about_its_access(cast: Cast):
    funder = cast.users["funder"]
    client = cast.client("sysadmin")
    data = page_data(client.get(user_page(funder)))
    assert client.post(user_page(funder), data).status_code == 302
    assert (
        not AuditEvent.objects.filter(object_id=str(funder.pk))
        .exclude(action=AuditAction.CREATE)
        .exists()
    )


# -- two-factor devices ------------------------------------------------------------------------

DEVICE_ADD = "admin:otp_totp_totpdevice_add"


def device_data(client, user) -> dict:
    data = page_data(client.get(reverse(DEVICE_ADD)))
    data.update({"user": user.pk, "name": "phone", "confirmed": "on"})
    return data


def test_a_confirmed_device_added_for_someone_in_the_admin_is_audited(cast: Cast):
    head = cast.users["head"]
    client = cast.client("sysadmin")
    response = client.post(reverse(DEVICE_ADD), device_data(client, head))
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=head, confirmed=True).exists()
    event = AuditEvent.objects.get(action=AuditAction.OTP_DEVICE_ADDED)
    assert (event.actor_id, event.object_id) == (cast.users["sysadmin"].pk, str(head.pk))
    assert event.detail == {"device": "totpdevice", "name": "phone", "confirmed": True}


def test_a_device_added_in_the_admin_is_undone_when_the_audit_fails(cast: Cast, monkeypatch):
    client = cast.client("sysadmin")
    data = device_data(client, cast.users["head"])
    refuse_audit(monkeypatch)
    with pytest.raises(DatabaseError):
        client.post(reverse(DEVICE_ADD), data)
    assert not TOTPDevice.objects.exists()


def test_confirming_and_deleting_a_device_in_the_admin_is_audited(cast: Cast):
    head = cast.users["head"]
    device = TOTPDevice.objects.create(user=head, name="phone", confirmed=False)
    client = cast.client("sysadmin")
    page = reverse("admin:otp_totp_totpdevice_change", args=[device.pk])
    data = page_data(client.get(page))
    data["confirmed"] = "on"
    assert client.post(page, data).status_code == 302
    enabled = AuditEvent.objects.get(action=AuditAction.OTP_ENABLED)
    assert enabled.actor_id == cast.users["sysadmin"].pk
    response = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    removed = AuditEvent.objects.get(action=AuditAction.OTP_DEVICE_REMOVED)
    assert (removed.object_id, removed.actor_id) == (str(head.pk), cast.users["sysadmin"].pk)
