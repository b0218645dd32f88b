"""The set-up's services, called as a page, the daily command or the demo would: workshops and
their recurrences, the coming weeks' sessions, closure days, media and check-in symbols.
Each writes its change and its audit event, or refuses with a reason and writes nothing."""

from __future__ import annotations

from datetime import date, time, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from isa.core.models import AuditAction, AuditEvent
from isa.presence import services
from isa.presence.models import CheckInSymbol, ClosureDay, Medium, Recurrence, Session, Workshop
from isa.presence.services import RecurrenceRow
from tests.conftest import Cast

#: Monday 3 March 2025 in Sion: the cast's "Peinture" runs on Monday mornings.
TODAY = date(2025, 3, 3)


@pytest.fixture(autouse=True)
def _monday_in_english(time_machine):
    time_machine.move_to("2025-03-03 10:00 +01:00", tick=False)
    with translation.override("en"):
        yield


def events(object_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=object_type).order_by("pk"))


def painting() -> Medium:
    return Medium.objects.get(organisation__isnull=True, code="painting")


def own_medium(cast: Cast, code: str = "ceramics") -> Medium:
    return services.medium_create(
        programme=cast.programme,
        code=code,
        name_fr="Céramique",
        name_de="Keramik",
        name_en="Ceramics",
        actor=cast.actor("head"),
    )


# -- workshops ---------------------------------------------------------------------------------


def test_a_new_workshop_gets_its_recurrences_its_sessions_and_one_audit_event(cast: Cast):
    saved = services.workshop_create(
        programme=cast.programme,
        title="  Sculpture ",
        media=[painting()],
        facilitators=[cast.users["facilitator"]],
        room="Atelier 2",
        capacity=8,
        recurrences=[
            RecurrenceRow(weekday=1, part="am", starts_on=TODAY),
            RecurrenceRow(
                weekday=3, part="pm", starts_on=TODAY, start_time=time(14), end_time=time(17)
            ),
        ],
        actor=cast.actor("head"),
    )

    workshop = Workshop.objects.get(pk=saved.workshop.pk)
    assert (workshop.title, workshop.room, workshop.capacity) == ("Sculpture", "Atelier 2", 8)
    assert list(workshop.media.all()) == [painting()]
    assert list(workshop.facilitators.all()) == [cast.users["facilitator"]]
    assert sorted(workshop.recurrences.values_list("weekday", "part")) == [(1, "am"), (3, "pm")]
    sessions = Session.objects.filter(workshop=workshop)
    assert sessions.count() == 16  # 8 Tuesdays and 8 Thursdays from today
    assert {(s.starts_at, s.ends_at) for s in sessions if s.part == "pm"} == {(time(14), time(17))}
    # The programme's other workshop got its coming weeks too.
    assert saved.sessions_created == 16 + 8
    (event,) = events("presence.workshop")
    assert event.action == AuditAction.CREATE and event.object_id == str(workshop.pk)
    assert event.detail == {
        "fields": ["title", "media", "facilitators", "room", "capacity"],
        "recurrences": {"added": 2, "changed": 0, "removed": 0},
        "sessions_created": 24,
    }


def test_updating_a_workshop_sets_its_recurrences_and_records_what_changed(cast: Cast):
    workshop = cast.session.workshop
    monday = cast.session.recurrence
    wednesday = Recurrence.objects.create(workshop=workshop, weekday=2, part="pm", starts_on=TODAY)

    saved = services.workshop_update(
        workshop=workshop,
        title="Peinture",
        room="Salle 1",
        media=[painting()],
        recurrences=[
            RecurrenceRow(pk=monday.pk, weekday=0, part="am", starts_on=monday.starts_on),
            RecurrenceRow(pk=None, weekday=4, part="pm", starts_on=TODAY),
        ],
        actor=cast.actor("head"),
    )

    assert saved.workshop == workshop
    assert sorted(workshop.recurrences.values_list("weekday", "part")) == [(0, "am"), (4, "pm")]
    assert not Recurrence.objects.filter(pk=wednesday.pk).exists()
    assert Session.objects.filter(workshop=workshop, on=date(2025, 3, 7), part="pm").exists()
    assert Session.objects.filter(pk=cast.session.pk).exists()  # today's stays
    (event,) = events("presence.workshop")
    assert event.action == AuditAction.UPDATE
    assert event.detail["fields"] == ["media"]
    assert event.detail["recurrences"] == {"added": 1, "changed": 0, "removed": 1}


def test_a_changed_recurrence_moves_the_coming_sessions(cast: Cast):
    workshop = cast.session.workshop
    services.sessions_extend(programme=cast.programme, weeks=2, actor=cast.actor("head"))
    monday = cast.session.recurrence

    services.workshop_update(
        workshop=workshop,
        title="Peinture",
        room="Salle 1",
        recurrences=[
            RecurrenceRow(
                pk=monday.pk, weekday=0, part="am", starts_on=monday.starts_on, end_time=time(11)
            )
        ],
        actor=cast.actor("head"),
    )

    assert Session.objects.get(workshop=workshop, on=date(2025, 3, 10)).ends_at == time(11)
    assert events("presence.workshop")[0].detail["recurrences"]["changed"] == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"facilitators": "other_head"}, "facilitators"),
        ({"facilitators": "referrer"}, "facilitators"),
        ({"media": "foreign"}, "media"),
        ({"title": "   "}, "title"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_a_workshop_takes_only_the_programme_s_team_and_media(cast: Cast, change, field):
    foreign = Medium.objects.create(
        organisation=cast.other_programme.organisation,
        code="bois",
        name_fr="Bois",
        name_de="Holz",
        name_en="Wood",
    )
    values = {"title": "Poterie", "media": [], "facilitators": [], "capacity": None}
    if "facilitators" in change:
        values["facilitators"] = [cast.users[change["facilitators"]]]
    elif "media" in change:
        values["media"] = [foreign]
    else:
        values.update(change)

    with pytest.raises(ValidationError) as refused:
        services.workshop_create(programme=cast.programme, actor=cast.actor("head"), **values)

    assert field in refused.value.error_dict
    assert Workshop.objects.filter(programme=cast.programme).count() == 1
    assert not events("presence.workshop")


def test_a_medium_set_aside_stays_on_the_workshop_that_has_it_but_is_not_offered_to_others(
    cast: Cast,
):
    ceramics = own_medium(cast)
    workshop = cast.session.workshop
    workshop.media.add(ceramics)
    services.medium_set_active(
        programme=cast.programme, medium=ceramics, active=False, actor=cast.actor("head")
    )
    services.workshop_update(
        workshop=workshop, title="Peinture", media=[ceramics], actor=cast.actor("head")
    )
    assert list(workshop.media.all()) == [ceramics]
    with pytest.raises(ValidationError) as refused:
        services.workshop_create(
            programme=cast.programme, title="Poterie", media=[ceramics], actor=cast.actor("head")
        )
    assert refused.value.error_dict["media"][0].message == "Unknown medium."


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [RecurrenceRow(weekday=2, part="am", starts_on=TODAY, ends_on=date(2025, 3, 1))],
            "The last day cannot be before the first day (03.03.2025).",
        ),
        (
            [RecurrenceRow(weekday=2, part="am", starts_on=TODAY, start_time=time(12, 30))],
            "The session must end after it starts (12:30–12:00).",
        ),
        (
            [
                RecurrenceRow(weekday=2, part="pm", starts_on=TODAY),
                RecurrenceRow(weekday=2, part="pm", starts_on=date(2025, 4, 1)),
            ],
            "This workshop already has a recurrence on this weekday and half-day.",
        ),
        (
            [RecurrenceRow(weekday=6, part="am", starts_on=TODAY)],
            "Choose a weekday and a half-day.",
        ),
    ],
)
def test_recurrences_that_cannot_be_are_refused(cast: Cast, rows, message):
    with pytest.raises(ValidationError) as refused:
        services.workshop_create(
            programme=cast.programme, title="Photo", recurrences=rows, actor=cast.actor("head")
        )
    assert refused.value.messages == [message]
    assert not Workshop.objects.filter(title="Photo").exists()
    assert not Session.objects.filter(on__gt=TODAY).exists()


def test_a_recurrence_of_another_workshop_cannot_be_changed_through_this_one(cast: Cast):
    other = Workshop.objects.create(programme=cast.programme, title="Écriture")
    theirs = Recurrence.objects.create(workshop=other, weekday=4, part="am", starts_on=TODAY)
    with pytest.raises(ValidationError):
        services.workshop_update(
            workshop=cast.session.workshop,
            title="Peinture",
            recurrences=[RecurrenceRow(pk=theirs.pk, weekday=1, part="pm", starts_on=TODAY)],
            actor=cast.actor("head"),
        )
    theirs.refresh_from_db()
    assert (theirs.workshop, theirs.weekday, theirs.part) == (other, 4, "am")
    assert cast.session.workshop.recurrences.count() == 1


# -- the coming weeks, closure days ------------------------------------------------------------


def test_extending_the_calendar_records_what_it_created_and_nothing_when_up_to_date(cast: Cast):
    created = services.sessions_extend(programme=cast.programme, weeks=4, actor=cast.actor("head"))
    assert created == 4  # 10, 17, 24 and 31 March
    assert Session.objects.of_programme(cast.programme).latest("on").on == date(2025, 3, 31)
    (event,) = events("presence.session")
    assert event.detail == {"created": 4, "from": "2025-03-03", "until": "2025-03-31"}
    assert (
        services.sessions_extend(programme=cast.programme, weeks=4, actor=cast.actor("head")) == 0
    )
    assert len(events("presence.session")) == 1
    with pytest.raises(ValidationError) as refused:
        services.sessions_extend(programme=cast.programme, weeks=53, actor=cast.actor("head"))
    assert "weeks" in refused.value.error_dict


def test_removing_a_coming_closure_day_restores_its_sessions(cast: Cast):
    services.sessions_extend(programme=cast.programme, weeks=6, actor=cast.actor("head"))
    day = date(2025, 3, 17)
    closure = services.closure_add(
        programme=cast.programme, on=day, reason="Saint-Joseph", actor=cast.actor("head")
    )
    assert Session.objects.get(on=day).cancelled

    restored = services.closure_delete(closure=closure, actor=cast.actor("head"))

    assert restored == 1
    assert not ClosureDay.objects.filter(pk=closure.pk).exists()
    assert not Session.objects.get(on=day).cancelled
    event = events("presence.closureday")[-1]
    assert event.action == AuditAction.DELETE
    assert event.detail == {"on": "2025-03-17", "reason": "Saint-Joseph", "restored": 1}


def test_a_past_closure_day_cannot_be_removed(cast: Cast):
    past = ClosureDay.objects.create(programme=cast.programme, on=date(2025, 2, 10), reason="Neige")
    with pytest.raises(ValidationError) as refused:
        services.closure_delete(closure=past, actor=cast.actor("head"))
    assert refused.value.messages == [
        "The closure day of 10.02.2025 is past: it stays in the record."
    ]
    assert ClosureDay.objects.filter(pk=past.pk).exists()
    assert not events("presence.closureday")


# -- media -------------------------------------------------------------------------------------


def test_a_medium_of_the_organisation_is_created_with_its_audit_event(cast: Cast):
    medium = own_medium(cast, code=" Ceramics ")
    assert (medium.organisation, medium.code, medium.active) == (
        cast.organisation,
        "ceramics",
        True,
    )
    assert medium in Medium.objects.for_programme(cast.programme)
    (event,) = events("presence.medium")
    assert event.action == AuditAction.CREATE and event.detail == {"code": "ceramics"}


@pytest.mark.parametrize(
    ("code", "names", "field"),
    [
        ("painting", {}, "code"),  # a built-in medium's
        ("ceramics", {}, "code"),  # the organisation's own, added just before
        ("céramique!", {}, "code"),
        ("textile", {"name_de": " "}, "name_de"),
    ],
)
def test_a_medium_needs_a_free_code_and_its_three_names(cast: Cast, code, names, field):
    own_medium(cast)
    before = Medium.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.medium_create(
            programme=cast.programme,
            code=code,
            **{"name_fr": "Textile", "name_de": "Textil", "name_en": "Textile", **names},
            actor=cast.actor("head"),
        )
    assert list(refused.value.error_dict) == [field]
    assert Medium.objects.count() == before
    assert len(events("presence.medium")) == 1


def test_an_own_medium_is_set_aside_and_back_and_a_built_in_one_is_not(cast: Cast):
    ceramics = own_medium(cast)
    services.medium_set_active(
        programme=cast.programme, medium=ceramics, active=False, actor=cast.actor("head")
    )
    assert not Medium.objects.get(pk=ceramics.pk).active
    assert ceramics not in Medium.objects.for_programme(cast.programme)
    services.medium_set_active(
        programme=cast.programme, medium=ceramics, active=False, actor=cast.actor("head")
    )
    assert len(events("presence.medium")) == 2  # created, set aside; unchanged: no event
    with pytest.raises(ValidationError):
        services.medium_set_active(
            programme=cast.programme, medium=painting(), active=False, actor=cast.actor("head")
        )
    assert painting().active
    with pytest.raises(ValidationError):  # another organisation's
        services.medium_set_active(
            programme=cast.other_programme, medium=ceramics, active=True, actor=cast.actor("head")
        )
    assert not Medium.objects.get(pk=ceramics.pk).active


# -- check-in symbols --------------------------------------------------------------------------


def test_a_check_in_symbol_is_chosen_changed_and_removed(cast: Cast):
    person = cast.participant
    services.checkin_symbol_set(participant=person, symbol="star-blue", actor=cast.actor("head"))
    assert CheckInSymbol.objects.get(participant=person).symbol == "star-blue"
    services.checkin_symbol_set(participant=person, symbol="heart-red", actor=cast.actor("head"))
    assert CheckInSymbol.objects.get(participant=person).symbol == "heart-red"
    services.checkin_symbol_set(participant=person, symbol="", actor=cast.actor("head"))
    assert not CheckInSymbol.objects.filter(participant=person).exists()
    changes = [e.detail.get("checkin_symbol") for e in events("people.participant")]
    assert changes[-3:] == ["star-blue", "heart-red", ""]


def test_an_unknown_check_in_symbol_is_refused(cast: Cast):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        services.checkin_symbol_set(
            participant=cast.participant, symbol="<script>", actor=cast.actor("head")
        )
    assert not CheckInSymbol.objects.exists()
    assert AuditEvent.objects.count() == before


def test_generating_sessions_from_the_command_goes_through_the_service(cast: Cast):
    call_command("generate_sessions", "--weeks", "1", stdout=StringIO())
    (event,) = events("presence.session")
    assert event.actor_label == "isa generate-sessions" and event.channel == "job"
    assert event.detail["until"] == (TODAY + timedelta(weeks=1)).isoformat()
