"""Rollback scenarios for the audited services of privacy: each sets the scene and returns
the call that tests/core/test_audit_atomicity.py makes with the audit log down, then up."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from isa.core.actor import Actor
from isa.people import services as people
from isa.people.models import (
    ExitReason,
    Participant,
)
from isa.privacy import services as privacy
from tests.atomicity import Call, Fixture, fresh, scenario
from tests.conftest import Cast


def _exited_long_ago(cast: Cast) -> Participant:
    people.participant_exit(
        participant=fresh(cast.participant),
        on=date(2025, 2, 3),
        reason=ExitReason.MOVED,
        actor=cast.actor("head"),
    )
    return fresh(cast.participant)


@scenario("isa.privacy.services.retention_policy_set")
def _retention_policy_set(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: privacy.retention_policy_set(
        organisation=cast.organisation,
        years=12,
        legal_minimum_years=10,
        legal_basis="Loi cantonale (fictive)",
        actor=cast.actor("head"),
    )


@scenario("isa.privacy.services.participant_anonymise")
def _participant_anonymise(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    person = _exited_long_ago(cast)
    return lambda: privacy.participant_anonymise(
        participant=fresh(person), reason="request", actor=cast.actor("head")
    )


@scenario("isa.privacy.services.retention_run")
def _retention_run(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    _exited_long_ago(cast)
    return lambda: privacy.retention_run(actor=Actor.job("isa retention"), on=date(2036, 1, 1))


@scenario("isa.privacy.services.study_create")
def _study_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: privacy.study_create(
        programme=cast.programme,
        name="Étude (fictive)",
        purpose="Évaluer",
        starts_on=date(2025, 1, 1),
        ends_on=timezone.localdate() + timedelta(days=30),
        researchers=[cast.users["researcher"]],
        actor=cast.actor("head"),
    )


@scenario("isa.privacy.services.research_export")
def _research_export(fx: Fixture) -> Call:
    from tests.privacy.matrix import open_study

    cast: Cast = fx("cast")
    study = open_study(cast)
    return lambda: privacy.research_export(study=study, actor=cast.actor("researcher"))
