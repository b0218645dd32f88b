"""Rollback scenarios for the audited services of evaluation: each sets the scene and returns
the call that tests/core/test_audit_atomicity.py makes with the audit log down, then up."""

from __future__ import annotations

from datetime import date
from importlib import resources

from isa.evaluation import services as evaluation
from isa.evaluation.catalogue import choice_for
from isa.evaluation.models import HealthPeriod
from tests.atomicity import Call, Fixture, fresh, scenario
from tests.conftest import Cast
from tests.evaluation.conftest import give_health_consent


@scenario("isa.evaluation.services.administration_start")
def _administration_start(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    who5 = choice_for(cast.programme, "who5")
    return lambda: evaluation.administration_start(
        participant=fresh(cast.participant), choice=who5, actor=cast.actor("social_worker")
    )


@scenario("isa.evaluation.services.administration_finish")
def _administration_finish(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    started = evaluation.administration_start(
        participant=cast.participant,
        choice=choice_for(cast.programme, "who5"),
        actor=cast.actor("social_worker"),
    )
    evaluation.administration_answer(
        administration=started, item=1, value=3, actor=cast.actor("social_worker")
    )
    return lambda: evaluation.administration_finish(
        administration=fresh(started), actor=cast.actor("social_worker")
    )


@scenario("isa.evaluation.services.administration_enter_paper")
def _administration_enter_paper(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    who5 = choice_for(cast.programme, "who5")
    return lambda: evaluation.administration_enter_paper(
        participant=fresh(cast.participant),
        choice=who5,
        on=date(2024, 6, 3),
        answers=dict.fromkeys(range(1, 6), 3),
        actor=cast.actor("social_worker"),
    )


@scenario("isa.evaluation.services.administration_decline")
def _administration_decline(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    who5 = choice_for(cast.programme, "who5")
    return lambda: evaluation.administration_decline(
        participant=fresh(cast.participant), choice=who5, actor=cast.actor("social_worker")
    )


@scenario("isa.evaluation.services.instrument_load")
def _instrument_load(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    text = (resources.files("isa.evaluation.instruments") / "data" / "djg6.toml").read_text()
    text = text.replace('version = "2006"', 'version = "2006-sion"')
    return lambda: evaluation.instrument_load(
        programme=cast.programme, text=text, actor=cast.actor("head")
    )


@scenario("isa.evaluation.services.effects_record")
def _effects_record(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: evaluation.effects_record(
        participant=fresh(cast.participant),
        perspective="participant",
        on=date(2024, 6, 1),
        values={"isolation": {"level": 3, "comment": "Vient avec une amie."}},
        actor=cast.actor("social_worker"),
    )


def _record_health(cast: Cast) -> HealthPeriod:
    return evaluation.health_period_record(
        participant=fresh(cast.participant),
        kind="baseline",
        starts_on=date(2023, 3, 4),
        ends_on=date(2024, 3, 3),
        hospital_days=12,
        actor=cast.actor("social_worker"),
    )


@scenario("isa.evaluation.services.health_period_record")
def _health_period_record(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    give_health_consent(cast)
    return lambda: _record_health(cast)


@scenario("isa.evaluation.services.health_period_delete")
def _health_period_delete(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    give_health_consent(cast)
    period = _record_health(cast)
    return lambda: evaluation.health_period_delete(
        period=fresh(period), actor=cast.actor("social_worker")
    )
