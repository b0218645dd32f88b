"""Rollback scenarios for the audited services of people: each sets the scene and returns
the call that tests/core/test_audit_atomicity.py makes with the audit log down, then up."""

from __future__ import annotations

from datetime import date

from isa.people import importer
from isa.people import services as people
from isa.people.models import (
    ConsentKind,
    ConsentMethod,
    ConsentState,
    ExitReason,
    MilestoneKind,
    Participant,
    Referral,
    ReferralStatus,
)
from tests.atomicity import Call, Fixture, fresh, scenario
from tests.conftest import Cast, refer


def _newcomer(cast: Cast) -> Participant:
    return refer(cast.programme, cast.users["social_worker"], "Bonvin", "Lise").participant


@scenario("isa.people.services.referral_create")
def _referral_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: people.referral_create(
        programme=cast.programme,
        identity={
            "last_name": "Salamin",
            "official_first_names": "Chantal",
            "birth_date": date(1971, 3, 14),
        },
        referral={"referred_on": date(2025, 2, 3), "referring_service": "CMS de Sion"},
        actor=cast.actor("referrer"),
    )


@scenario("isa.people.services.referral_set_status")
def _referral_set_status(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    referral = Referral.objects.get(participant=_newcomer(cast))
    return lambda: people.referral_set_status(
        referral=fresh(referral),
        status=ReferralStatus.NOT_TAKEN_UP,
        note="Ne souhaite pas venir.",
        actor=cast.actor("social_worker"),
    )


@scenario("isa.people.services.participant_admit")
def _participant_admit(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    person = _newcomer(cast)
    return lambda: people.participant_admit(
        participant=fresh(person), on=date(2025, 1, 6), actor=cast.actor("head")
    )


@scenario("isa.people.services.participant_pause")
def _participant_pause(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: people.participant_pause(
        participant=fresh(cast.participant),
        on=date(2025, 1, 6),
        reason="Hospitalisation",
        actor=cast.actor("social_worker"),
    )


@scenario("isa.people.services.participant_resume")
def _participant_resume(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    people.participant_pause(
        participant=cast.participant, on=date(2025, 1, 6), actor=cast.actor("social_worker")
    )
    return lambda: people.participant_resume(
        participant=fresh(cast.participant),
        on=date(2025, 1, 20),
        actor=cast.actor("social_worker"),
    )


@scenario("isa.people.services.participant_exit")
def _participant_exit(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: people.participant_exit(
        participant=fresh(cast.participant),
        on=date(2025, 2, 3),
        reason=ExitReason.MOVED,
        actor=cast.actor("head"),
    )


@scenario("isa.people.services.participant_update")
def _participant_update(fx: Fixture) -> Call:
    cast: Cast = fx("cast")

    def call() -> object:
        participant = fresh(cast.participant)
        return people.participant_update(
            participant=participant,
            data={"phone": "079 123 45 67"},
            expected_version=participant.version,
            actor=cast.actor("social_worker"),
        )

    return call


@scenario("isa.people.services.pact_renegotiate")
def _pact_renegotiate(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: people.pact_renegotiate(
        participant=fresh(cast.participant),
        valid_from=date(2025, 1, 6),
        half_days=["mon_am", "wed_pm"],
        actor=cast.actor("social_worker"),
    )


@scenario("isa.people.services.milestone_record")
def _milestone_record(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: people.milestone_record(
        participant=fresh(cast.participant),
        kind=MilestoneKind.REGULAR,
        on=date(2024, 6, 3),
        actor=cast.actor("social_worker"),
    )


@scenario("isa.people.services.consent_record")
def _consent_record(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: people.consent_record(
        participant=fresh(cast.participant),
        kind=ConsentKind.DATA,
        state=ConsentState.GIVEN,
        on=date(2024, 3, 4),
        method=ConsentMethod.PAPER,
        actor=cast.actor("social_worker"),
    )


@scenario("isa.people.importer.participants_import")
def _participants_import(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    rows = [
        {"last_name": "Salamin", "official_first_names": "Chantal", "birth_date": "14.03.1971"},
        {
            "last_name": "Roduit",
            "official_first_names": "Stéphane",
            "birth_date": "22.07.1980",
            "admitted_on": "01.09.2023",
        },
    ]
    return lambda: importer.participants_import(
        programme=cast.programme, rows=rows, actor=cast.actor("head")
    )
