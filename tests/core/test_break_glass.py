"""Break-glass: a role someone gives themselves needs a written reason, which the
programme's heads read on their home page and in the audit log until one acknowledges it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from isa.core import services
from isa.core.actor import Actor
from isa.core.models import AuditAction, AuditEvent, BreakGlass, Membership, Role
from tests.conftest import Cast, make_user

REASON = "Ticket 4711: the head is ill and the team needs the alerts."


def glass_of(cast: Cast, who: str = "sysadmin", role: str = Role.HEAD) -> BreakGlass:
    """``who`` gives themselves ``role`` on the cast's programme, with a reason."""
    services.membership_grant(
        programme=cast.programme,
        user=cast.users[who],
        role=role,
        actor=cast.actor(who),
        reason=REASON,
    )
    return BreakGlass.objects.get(user=cast.users[who])


def acknowledge(cast: Cast, who: str, glass: BreakGlass):
    return cast.client(who).post(
        reverse("breakglass_acknowledge", args=[cast.programme.pk, glass.pk])
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_the_service_refuses_a_role_given_to_oneself_without_a_reason(cast: Cast, reason: str):
    admin = cast.users["sysadmin"]
    with pytest.raises(ValidationError) as refused:
        services.membership_grant(
            programme=cast.programme,
            user=admin,
            role=Role.HEAD,
            actor=cast.actor("sysadmin"),
            reason=reason,
        )
    assert "reason" in refused.value.error_dict
    assert not Membership.objects.filter(user=admin).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS).exists()


def test_a_role_given_to_oneself_is_recorded_with_its_reason(cast: Cast):
    glass = glass_of(cast)
    assert cast.users["sysadmin"].roles_on(cast.programme) == {Role.HEAD}
    assert (glass.reason, glass.role, glass.user_label) == (REASON, "head", "admin@test.example")
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert event.detail == {"role": "head", "reason": REASON, "break_glass": glass.pk}
    assert event.programme_id == cast.programme.pk
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_GRANT).exists()


def test_a_head_giving_himself_another_role_must_say_why(cast: Cast):
    client = cast.client("head")
    url = reverse("team", args=[cast.programme.pk])
    data = {"grant-email": "head@test.example", "grant-role": Role.WATCHER}
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.context["grant_form"].errors["reason"]
    assert "Say why you give yourself this role" in response.content.decode()
    assert cast.users["head"].roles_on(cast.programme) == {Role.HEAD}
    response = client.post(url, {**data, "grant-reason": "Le veilleur est malade."})
    assert response.status_code == 302
    assert BreakGlass.objects.get().reason == "Le veilleur est malade."


def test_the_reason_is_not_asked_when_granting_a_role_to_someone_else(cast: Cast):
    make_user("newcomer@test.example")
    response = cast.client("head").post(
        reverse("team", args=[cast.programme.pk]),
        {"grant-email": "newcomer@test.example", "grant-role": Role.WATCHER},
    )
    assert response.status_code == 302
    assert not BreakGlass.objects.exists()


def test_the_heads_find_the_notice_on_their_home_page(cast: Cast):
    glass_of(cast)
    page = cast.client("head").get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert list(page.context["break_glasses"]) == [BreakGlass.objects.get()]
    html = page.content.decode()
    assert "Someone gave themselves a role" in html
    assert REASON in html
    glass = BreakGlass.objects.get()
    assert reverse("breakglass_acknowledge", args=[cast.programme.pk, glass.pk]) in html
    for who in ("social_worker", "facilitator", "referrer", "other_head"):
        page = cast.client(who).get(reverse("home"))
        assert not page.context["break_glasses"], who
        assert REASON not in page.content.decode()


def test_a_head_acknowledges_and_the_notice_closes_for_every_head(cast: Cast):
    second_head = make_user("second.head@test.example")
    Membership.objects.create(user=second_head, programme=cast.programme, role=Role.HEAD)
    glass = glass_of(cast)
    response = acknowledge(cast, "head", glass)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    glass.refresh_from_db()
    assert glass.acknowledged_by == cast.users["head"]
    assert glass.acknowledged_at is not None
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS_ACKNOWLEDGED)
    assert (event.actor_id, event.programme_id) == (cast.users["head"].pk, cast.programme.pk)
    assert event.detail == {"by": "admin@test.example", "role": "head"}
    cast.users["second_head"] = second_head
    assert not cast.client("second_head").get(reverse("home")).context["break_glasses"]
    # A second acknowledgement changes nothing and records nothing.
    acknowledge(cast, "second_head", glass)
    glass.refresh_from_db()
    assert glass.acknowledged_by == cast.users["head"]
    assert AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS_ACKNOWLEDGED).count() == 1


def test_the_person_cannot_acknowledge_their_own_break_glass(cast: Cast):
    glass = glass_of(cast)  # the administrator is now a head of the programme
    page = cast.client("sysadmin").get(reverse("home"))
    assert list(page.context["break_glasses"]) == [glass]
    url = reverse("breakglass_acknowledge", args=[cast.programme.pk, glass.pk])
    assert url not in page.content.decode()
    response = acknowledge(cast, "sysadmin", glass)  # a forged form
    assert response.status_code == 302
    glass.refresh_from_db()
    assert glass.acknowledged_at is None
    assert not AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS_ACKNOWLEDGED).exists()


def test_the_service_refuses_an_acknowledgement_by_the_person(cast: Cast):
    glass = glass_of(cast)
    with pytest.raises(ValidationError):
        services.breakglass_acknowledge(breakglass=glass, actor=Actor.of(cast.users["sysadmin"]))


def test_a_break_glass_of_another_programme_cannot_be_acknowledged_from_here(cast: Cast):
    foreign = BreakGlass.objects.create(
        programme=cast.other_programme,
        user=cast.users["sysadmin"],
        user_label="admin@test.example",
        role=Role.HEAD,
        reason="x",
    )
    response = cast.client("head").post(
        reverse("breakglass_acknowledge", args=[cast.programme.pk, foreign.pk])
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.acknowledged_at is None


def test_the_audit_log_highlights_break_glass(cast: Cast):
    glass_of(cast)
    response = cast.client("head").get(
        reverse("audit_log", args=[cast.programme.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert '<tr class="break-glass">' in html
    assert "<strong>Role granted to oneself (break-glass)</strong>" in html
    assert REASON in html
    assert html.count('class="break-glass"') == 1
