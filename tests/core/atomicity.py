"""Rollback scenarios for the audited services of core: each sets the scene and returns
the call that tests/core/test_audit_atomicity.py makes with the audit log down, then up."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from isa.core import services as core
from isa.core.actor import Actor
from isa.core.models import BreakGlass, Membership, Programme, Role
from tests.atomicity import Call, Fixture, fresh, scenario
from tests.conftest import Cast, make_user


@scenario("isa.core.services.membership_grant")
def _membership_grant(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    newcomer = make_user("newcomer@test.example")
    return lambda: core.membership_grant(
        programme=cast.programme, user=newcomer, role=Role.WATCHER, actor=cast.actor("head")
    )


@scenario("isa.core.services.membership_revoke")
def _membership_revoke(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    membership = Membership.objects.get(programme=cast.programme, user=cast.users["facilitator"])
    return lambda: core.membership_revoke(membership=fresh(membership), actor=cast.actor("head"))


@scenario("isa.core.services.membership_change")
def _membership_change(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    membership = Membership.objects.get(programme=cast.programme, user=cast.users["facilitator"])
    return lambda: core.membership_change(
        membership=fresh(membership),
        user=cast.users["facilitator"],
        role=Role.WATCHER,
        actor=cast.actor("head"),
    )


@scenario("isa.core.services.user_delete")
def _user_delete(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    leaving = make_user("leaving@test.example")
    Membership.objects.create(programme=cast.programme, user=leaving, role=Role.WATCHER)
    return lambda: core.user_delete(user=fresh(leaving), actor=cast.actor("sysadmin"))


@scenario("isa.core.services.programme_delete")
def _programme_delete(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    closing = Programme.objects.create(
        organisation=cast.organisation, name="Atelier d'été", place="Sion", capacity=8
    )
    Membership.objects.create(programme=closing, user=cast.users["head"], role=Role.HEAD)
    return lambda: core.programme_delete(programme=fresh(closing), actor=cast.actor("sysadmin"))


@scenario("isa.core.services.breakglass_acknowledge")
def _breakglass_acknowledge(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    core.membership_grant(
        programme=cast.programme,
        user=cast.users["sysadmin"],
        role=Role.HEAD,
        actor=cast.actor("sysadmin"),
        reason="The head is ill and the alerts need someone.",
    )
    glass = BreakGlass.objects.get(user=cast.users["sysadmin"])
    return lambda: core.breakglass_acknowledge(breakglass=fresh(glass), actor=cast.actor("head"))


@scenario("isa.core.services.audit_purge")
def _audit_purge(fx: Fixture) -> Call:
    fx("cast")
    # Nothing old enough to go: the purge still records itself, in its own transaction
    # (tests/core/test_audit_removal.py deletes real old events and checks the guard).
    return lambda: core.audit_purge(
        before=timezone.now() - timedelta(days=400), actor=Actor.job("isa purge-audit-log")
    )


@scenario("isa.core.services.user_language_set")
def _user_language_set(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: core.user_language_set(
        user=fresh(cast.users["head"]), language="de", actor=cast.actor("head")
    )


@scenario("isa.core.services.user_invite")
def _user_invite(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: core.user_invite(
        programme=cast.programme,
        email="mathilde@test.example",
        full_name="Mathilde Zufferey",
        role=Role.FACILITATOR,
        password="Une-phrase-assez-longue-2026",
        actor=cast.actor("head"),
    )
