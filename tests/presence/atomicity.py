"""Rollback scenarios for the audited services of presence: each sets the scene and returns
the call that tests/core/test_audit_atomicity.py makes with the audit log down, then up."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from isa.presence import services as presence
from isa.presence.models import ClosureDay, Presence
from isa.presence.services import RecurrenceRow
from tests.atomicity import Call, Fixture, fresh, scenario
from tests.conftest import Cast
from tests.works.helpers import medium


def _marked(cast: Cast) -> Presence:
    return presence.presence_mark(
        session=cast.session, participant=cast.participant, actor=cast.actor("facilitator")
    )


@scenario("isa.presence.services.closure_add")
def _closure_add(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.closure_add(
        programme=cast.programme,
        on=timezone.localdate() + timedelta(days=10),
        reason="Formation",
        actor=cast.actor("head"),
    )


@scenario("isa.presence.services.sessions_extend")
def _sessions_extend(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.sessions_extend(
        programme=cast.programme, weeks=4, actor=cast.actor("head")
    )


@scenario("isa.presence.services.closure_delete")
def _closure_delete(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    presence.sessions_extend(programme=cast.programme, weeks=8, actor=cast.actor("head"))
    return lambda: presence.closure_delete(
        closure=ClosureDay.objects.get(pk=cast.closure.pk), actor=cast.actor("head")
    )


@scenario("isa.presence.services.workshop_create")
def _workshop_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.workshop_create(
        programme=cast.programme,
        title="Sculpture",
        media=[medium("sculpture")],
        facilitators=[cast.users["facilitator"]],
        recurrences=[RecurrenceRow(weekday=1, part="am", starts_on=timezone.localdate())],
        actor=cast.actor("head"),
    )


@scenario("isa.presence.services.workshop_update")
def _workshop_update(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    monday = cast.session.recurrence

    def call() -> object:
        return presence.workshop_update(
            workshop=fresh(cast.session.workshop),
            title="Peinture à l'huile",
            media=[medium()],
            recurrences=[
                RecurrenceRow(pk=monday.pk, weekday=0, part="am", starts_on=monday.starts_on),
                RecurrenceRow(weekday=3, part="pm", starts_on=timezone.localdate()),
            ],
            actor=cast.actor("head"),
        )

    return call


@scenario("isa.presence.services.medium_create")
def _medium_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.medium_create(
        programme=cast.programme,
        code="ceramics",
        name_fr="Céramique",
        name_de="Keramik",
        name_en="Ceramics",
        actor=cast.actor("head"),
    )


@scenario("isa.presence.services.medium_set_active")
def _medium_set_active(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    own = presence.medium_create(
        programme=cast.programme,
        code="ceramics",
        name_fr="Céramique",
        name_de="Keramik",
        name_en="Ceramics",
        actor=cast.actor("head"),
    )
    return lambda: presence.medium_set_active(
        programme=cast.programme, medium=fresh(own), active=False, actor=cast.actor("head")
    )


@scenario("isa.presence.services.checkin_symbol_set")
def _checkin_symbol_set(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.checkin_symbol_set(
        participant=fresh(cast.participant), symbol="star-blue", actor=cast.actor("facilitator")
    )


@scenario("isa.presence.services.presence_mark")
def _presence_mark(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.presence_mark(
        session=fresh(cast.session),
        participant=fresh(cast.participant),
        actor=cast.actor("facilitator"),
    )


@scenario("isa.presence.services.presence_mark_absent")
def _presence_mark_absent(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.presence_mark_absent(
        session=fresh(cast.session),
        participant=fresh(cast.participant),
        reason="ill",
        actor=cast.actor("facilitator"),
    )


@scenario("isa.presence.services.presence_set_medium")
def _presence_set_medium(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    _marked(cast)
    return lambda: presence.presence_set_medium(
        session=fresh(cast.session),
        participant=fresh(cast.participant),
        actor=cast.actor("facilitator"),
        medium=medium(),
    )


@scenario("isa.presence.services.presence_leave")
def _presence_leave(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    _marked(cast)
    return lambda: presence.presence_leave(
        session=fresh(cast.session),
        participant=fresh(cast.participant),
        actor=cast.actor("facilitator"),
    )


@scenario("isa.presence.services.presence_clear")
def _presence_clear(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    _marked(cast)
    return lambda: presence.presence_clear(
        session=fresh(cast.session),
        participant=fresh(cast.participant),
        actor=cast.actor("facilitator"),
    )
