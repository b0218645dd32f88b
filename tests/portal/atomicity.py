"""Rollback scenarios for the audited services of the participant's space: each sets the scene
and returns the call that tests/core/test_audit_atomicity.py makes with the audit log down,
then up."""

from __future__ import annotations

from typing import Any

from isa.core.actor import Actor
from isa.people.models import (
    ConsentKind,
    Participant,
)
from isa.portal import services as portal
from tests.atomicity import Call, Fixture, fresh, scenario
from tests.conftest import Cast, refer


def _portal_newcomer(cast: Cast) -> Participant:
    return refer(cast.programme, cast.users["referrer"], "Fournier", "Lucie").participant


@scenario("isa.portal.services.access_create")
def _portal_access_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    person = _portal_newcomer(cast)
    return lambda: portal.access_create(
        participant=fresh(person), agreement_note="Oui", language="fr", actor=cast.actor("head")
    )


@scenario("isa.portal.services.invitation_issue")
def _portal_invitation_issue(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    access = cast.users["participant"].portal_access
    return lambda: portal.invitation_issue(access=fresh(access), actor=cast.actor("social_worker"))


@scenario("isa.portal.services.access_disable")
def _portal_access_disable(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    access = cast.users["participant"].portal_access
    return lambda: portal.access_disable(access=fresh(access), actor=cast.actor("head"))


@scenario("isa.portal.services.invitation_redeem")
def _portal_invitation_redeem(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    _access, _invitation, code = portal.access_create(
        participant=_portal_newcomer(cast),
        agreement_note="Oui",
        language="fr",
        actor=cast.actor("head"),
    )
    return lambda: portal.invitation_redeem(
        code=code, password="le chat dort sur la chaise rouge", actor=Actor()
    )


def _portal_request(cast: Cast) -> Any:
    from isa.portal.models import CorrectionRequest

    return CorrectionRequest.objects.create(
        participant=cast.participant, text="Ma date est fausse."
    )


@scenario("isa.portal.services.correction_answer")
def _portal_correction_answer(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    request = _portal_request(cast)
    return lambda: portal.correction_answer(
        correction=fresh(request), answer="Corrigé, merci.", actor=cast.actor("social_worker")
    )


@scenario("isa.portal.services.correction_request_send")
def _portal_correction_request_send(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: portal.correction_request_send(
        participant=fresh(cast.participant),
        topic="file",
        text="Mon prénom est Jean.",
        actor=cast.actor("participant"),
    )


@scenario("isa.portal.services.portal_consent_set")
def _portal_consent_set(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: portal.portal_consent_set(
        participant=fresh(cast.participant),
        kind=ConsentKind.ONLINE,
        give=True,
        actor=cast.actor("participant"),
    )


@scenario("isa.portal.services.portal_credit_choose")
def _portal_credit_choose(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: portal.portal_credit_choose(
        participant=fresh(cast.participant),
        mode="pseudonym",
        pseudonym="Le Hibou",
        actor=cast.actor("participant"),
    )


@scenario("isa.portal.services.portal_password_change")
def _portal_password_change(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    access = cast.users["participant"].portal_access
    return lambda: portal.portal_password_change(
        access=fresh(access),
        password="le chat dort sur la chaise rouge",
        actor=cast.actor("participant"),
    )


@scenario("isa.portal.services.access_second_factor_remove")
def _portal_access_second_factor_remove(fx: Fixture) -> Call:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    cast: Cast = fx("cast")
    access = cast.users["participant"].portal_access
    TOTPDevice.objects.create(user=access.user, name="ISA", confirmed=True)
    return lambda: portal.access_second_factor_remove(
        access=fresh(access), actor=cast.actor("social_worker")
    )


@scenario("isa.portal.services.portal_read")
def _portal_read(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: portal.portal_read(
        participant=fresh(cast.participant), what="pact", actor=cast.actor("participant")
    )


@scenario("isa.portal.services.portal_sign_in")
def _portal_sign_in(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: portal.portal_sign_in(
        participant=fresh(cast.participant), actor=cast.actor("participant")
    )


@scenario("isa.portal.services.subject_access_export")
def _portal_subject_access_export(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: portal.subject_access_export(
        participant=fresh(cast.participant), fmt="zip", actor=cast.actor("participant")
    )
