"""Heads manage who holds which role on their programme."""

from __future__ import annotations

from django.urls import reverse

from isa.core.models import AuditAction, AuditEvent, Membership, Role, User
from tests.conftest import Cast, make_user


def url(cast: Cast) -> str:
    return reverse("team", args=[cast.programme.pk])


def test_the_head_grants_a_role_to_an_existing_account(cast: Cast):
    newcomer = make_user("newcomer@test.example")
    response = cast.client("head").post(
        url(cast), {"grant-email": "NEWCOMER@test.example", "grant-role": Role.WATCHER}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, programme=cast.programme, role=Role.WATCHER)
    event = AuditEvent.objects.get(action=AuditAction.ROLE_GRANT)
    assert event.detail == {"role": "watcher"}
    assert event.programme_id == cast.programme.pk


def test_one_person_may_hold_several_roles_but_not_twice_the_same(cast: Cast):
    client = cast.client("head")
    data = {"grant-email": "facilitator@test.example", "grant-role": Role.WATCHER}
    assert client.post(url(cast), data).status_code == 302
    response = client.post(url(cast), data)
    assert response.status_code == 400
    assert response.context["grant_form"].non_field_errors()
    assert Membership.objects.filter(user=cast.users["facilitator"]).count() == 2


def test_an_unknown_email_is_explained(cast: Cast):
    response = cast.client("head").post(
        url(cast),
        {"grant-email": "nobody@test.example", "grant-role": Role.WATCHER},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "No active account uses this e-mail" in response.content.decode()


def test_the_head_creates_an_account_with_a_role(cast: Cast):
    response = cast.client("head").post(
        url(cast),
        {
            "invite-full_name": "Mathilde Zufferey",
            "invite-email": "mathilde@test.example",
            "invite-role": Role.FACILITATOR,
            "invite-password": "Une-phrase-assez-longue-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="mathilde@test.example")
    assert user.check_password("Une-phrase-assez-longue-2026")
    assert user.roles_on(cast.programme) == {Role.FACILITATOR}


def test_a_weak_initial_password_is_refused_and_the_form_kept(cast: Cast):
    response = cast.client("head").post(
        url(cast),
        {
            "invite-full_name": "Mathilde Zufferey",
            "invite-email": "mathilde@test.example",
            "invite-role": Role.FACILITATOR,
            "invite-password": "court",
        },
    )
    assert response.status_code == 400
    form = response.context["invite_form"]
    assert form.errors["password"]
    assert form["full_name"].value() == "Mathilde Zufferey"
    assert not User.objects.filter(email="mathilde@test.example").exists()


def test_revoking_a_role(cast: Cast):
    membership = Membership.objects.get(user=cast.users["watcher"])
    response = cast.client("head").post(
        reverse("membership_revoke", args=[cast.programme.pk, membership.pk])
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.ROLE_REVOKE).exists()


def test_the_last_head_cannot_be_revoked(cast: Cast):
    membership = Membership.objects.get(user=cast.users["head"], role=Role.HEAD)
    response = cast.client("head").post(
        reverse("membership_revoke", args=[cast.programme.pk, membership.pk]), follow=True
    )
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert list(response.context["messages"])


def test_a_membership_of_another_programme_cannot_be_revoked_from_here(cast: Cast):
    foreign = Membership.objects.get(user=cast.users["other_head"])
    cast.client("head").post(reverse("membership_revoke", args=[cast.programme.pk, foreign.pk]))
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_a_facilitator_cannot_grant_roles(cast: Cast):
    response = cast.client("facilitator").post(
        url(cast), {"grant-email": "facilitator@test.example", "grant-role": Role.HEAD}
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=cast.users["facilitator"], role=Role.HEAD).exists()
