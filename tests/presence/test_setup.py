"""Set-up pages of a head: workshops and their weekly recurrences, sessions, closure days,
media; and the ``generate_sessions`` command."""

from __future__ import annotations

from datetime import date, time, timedelta
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from isa.core.models import AuditAction, AuditEvent, Organisation
from isa.presence.models import (
    ClosureDay,
    Medium,
    Presence,
    Recurrence,
    Session,
    Workshop,
)
from tests.conftest import Cast

#: Monday 3 March 2025 in Sion.  The cast's "Peinture" runs on Monday mornings, has a
#: session today, and a closure day is planned on Wednesday 2 April.
TODAY = date(2025, 3, 3)
HORIZON = TODAY + timedelta(days=56)  # what saving a workshop generates: 8 weeks


@pytest.fixture(autouse=True)
def _monday(time_machine):
    time_machine.move_to("2025-03-03 10:00 +01:00", tick=False)


def client_for(cast: Cast, who: str = "head") -> Client:
    client = cast.client(who)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def url(name: str, cast: Cast, *args: int) -> str:
    return reverse(name, args=[cast.programme.pk, *args])


def last_message(response) -> str:
    """The message the last request added (earlier ones wait in the cookie)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def workshop_data(title: str = "Sculpture", rows: list[dict] | None = None, **extra) -> dict:
    """A workshop form as the browser sends it, with new recurrence rows."""
    rows = rows or []
    data = {
        "title": title,
        "room": "Atelier 2",
        "capacity": "8",
        "active": "on",
        "recurrences-TOTAL_FORMS": str(len(rows)),
        "recurrences-INITIAL_FORMS": "0",
        "recurrences-MIN_NUM_FORMS": "0",
        "recurrences-MAX_NUM_FORMS": "1000",
        **extra,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"recurrences-{i}-{key}"] = value
    return data


def edit_data(workshop: Workshop, **changes) -> dict:
    """The edit form of ``workshop`` as it is shown, with ``changes``."""
    recurrences = list(workshop.recurrences.all())
    data = workshop_data(
        workshop.title,
        room=workshop.room,
        capacity="" if workshop.capacity is None else str(workshop.capacity),
    )
    data["recurrences-TOTAL_FORMS"] = str(len(recurrences))
    data["recurrences-INITIAL_FORMS"] = str(len(recurrences))
    for i, r in enumerate(recurrences):
        data.update(
            {
                f"recurrences-{i}-id": str(r.pk),
                f"recurrences-{i}-workshop": str(workshop.pk),
                f"recurrences-{i}-weekday": str(r.weekday),
                f"recurrences-{i}-part": r.part,
                f"recurrences-{i}-starts_on": r.starts_on.isoformat(),
                f"recurrences-{i}-ends_on": r.ends_on.isoformat() if r.ends_on else "",
            }
        )
    data.update(changes)
    return data


# -- workshops ---------------------------------------------------------------------------------


def test_a_head_creates_a_workshop_and_its_sessions_come_on_the_right_days(cast: Cast):
    closed_thursday = ClosureDay.objects.create(
        programme=cast.programme, on=date(2025, 3, 13), reason="Formation"
    )
    painting, sculpture = Medium.objects.filter(code__in=["painting", "sculpture"])
    data = workshop_data(
        "Sculpture",
        rows=[
            {"weekday": "1", "part": "am", "starts_on": "2025-03-01"},
            {
                "weekday": "3",
                "part": "pm",
                "starts_on": "2025-03-01",
                "start_time": "14:00",
                "end_time": "17:00",
            },
        ],
        media=[painting.pk, sculpture.pk],
        facilitators=[cast.users["facilitator"].pk],
    )

    response = client_for(cast).post(url("workshop_create", cast), data)

    assert response.status_code == 302
    assert response["Location"] == url("workshop_list", cast)
    workshop = Workshop.objects.get(title="Sculpture")
    assert workshop.programme == cast.programme
    assert workshop.capacity == 8 and workshop.room == "Atelier 2" and workshop.active
    assert set(workshop.media.all()) == {painting, sculpture}
    assert list(workshop.facilitators.all()) == [cast.users["facilitator"]]
    assert sorted(workshop.recurrences.values_list("weekday", "part")) == [(1, "am"), (3, "pm")]
    sessions = Session.objects.filter(workshop=workshop)
    tuesdays = [s.on for s in sessions if s.part == "am"]
    thursdays = [s.on for s in sessions if s.part == "pm"]
    assert {d.weekday() for d in tuesdays} == {1}
    assert {d.weekday() for d in thursdays} == {3}
    assert min(tuesdays) == date(2025, 3, 4) and max(tuesdays) <= HORIZON
    assert len(tuesdays) == 8
    assert closed_thursday.on not in thursdays  # no session on a closure day
    assert len(thursdays) == 7
    assert {(s.starts_at, s.ends_at) for s in sessions if s.part == "pm"} == {(time(14), time(17))}
    assert {(s.starts_at, s.ends_at) for s in sessions if s.part == "am"} == {(time(9), time(12))}
    # the programme's other workshops got their coming weeks too
    assert Session.objects.filter(workshop=cast.session.workshop, on__gt=TODAY).count() == 8
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="presence.workshop", object_id=str(workshop.pk)
    ).exists()
    assert last_message(response) == "The workshop “Sculpture” was saved. 23 sessions created."


def test_the_workshop_list_shows_each_workshop_and_its_rhythm(
    cast: Cast, django_assert_max_num_queries
):
    workshop = cast.session.workshop
    workshop.media.add(Medium.objects.get(code="painting"))
    workshop.facilitators.add(cast.users["facilitator"])
    Recurrence.objects.create(
        workshop=workshop,
        weekday=3,
        part="pm",
        starts_on=date(2024, 9, 1),
        ends_on=date(2025, 6, 30),
    )
    for i in range(5):  # the number of queries does not grow with the workshops
        w = Workshop.objects.create(programme=cast.programme, title=f"Atelier {i}")
        Recurrence.objects.create(workshop=w, weekday=i, part="am", starts_on=TODAY)
    client = client_for(cast)
    with django_assert_max_num_queries(15):
        response = client.get(url("workshop_list", cast))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Peinture" in page and "Salle 1" in page and "Facilitator" in page
    assert "01.09.2024" in page and "30.06.2025" in page
    assert url("workshop_edit", cast, workshop.pk) in page
    assert url("sessions_generate", cast) in page
    assert url("closure_list", cast) in page and url("medium_list", cast) in page
    assert 'name="weeks" value="8"' in page


def test_editing_a_workshop_keeps_its_sessions_and_their_presences(cast: Cast):
    workshop = cast.session.workshop
    Presence.objects.create(session=cast.session, participant=cast.participant)
    client = client_for(cast)
    client.post(url("sessions_generate", cast), {"weeks": "4"})
    before = set(Session.objects.filter(workshop=workshop).values_list("pk", flat=True))

    response = client.post(
        url("workshop_edit", cast, workshop.pk), edit_data(workshop, title="Peinture à l'huile")
    )

    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.title == "Peinture à l'huile"
    assert workshop.recurrences.count() == 1
    after = set(Session.objects.filter(workshop=workshop).values_list("pk", flat=True))
    assert before <= after
    assert Presence.objects.filter(session=cast.session).exists()
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="presence.workshop")
    assert event.detail["fields"] == ["title"]


def test_a_recurrence_can_be_removed_and_another_added(cast: Cast):
    workshop = cast.session.workshop
    data = edit_data(
        workshop,
        **{
            "recurrences-0-DELETE": "on",
            "recurrences-TOTAL_FORMS": "2",
            "recurrences-1-weekday": "4",
            "recurrences-1-part": "pm",
            "recurrences-1-starts_on": "2025-03-03",
        },
    )
    response = client_for(cast).post(url("workshop_edit", cast, workshop.pk), data)
    assert response.status_code == 302
    assert list(workshop.recurrences.values_list("weekday", "part")) == [(4, "pm")]
    assert Session.objects.filter(workshop=workshop, on=date(2025, 3, 7), part="pm").exists()
    assert Session.objects.filter(pk=cast.session.pk).exists()  # the past stays


def test_an_end_before_the_start_is_refused_and_every_value_kept(cast: Cast):
    data = workshop_data(
        "Gravure sur bois",
        rows=[{"weekday": "2", "part": "am", "starts_on": "2025-03-10", "ends_on": "2025-03-01"}],
    )
    response = client_for(cast).post(url("workshop_create", cast), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The last day cannot be before the first day (10.03.2025)." in page
    assert 'value="Gravure sur bois"' in page
    assert 'value="2025-03-01"' in page
    assert not Workshop.objects.filter(title="Gravure sur bois").exists()
    assert not Recurrence.objects.filter(starts_on=date(2025, 3, 10)).exists()
    assert not AuditEvent.objects.filter(object_type="presence.workshop").exists()


def test_times_in_the_wrong_order_and_twice_the_same_half_day_are_refused(cast: Cast):
    data = workshop_data(
        "Photo",
        rows=[
            {
                "weekday": "2",
                "part": "pm",
                "starts_on": "2025-03-03",
                "start_time": "16:00",
                "end_time": "14:00",
            },
            {"weekday": "2", "part": "pm", "starts_on": "2025-04-01"},
        ],
    )
    response = client_for(cast).post(url("workshop_create", cast), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The session must end after it starts (16:00–14:00)." in page
    assert "This workshop already has a recurrence on this weekday and half-day." in page
    assert not Workshop.objects.filter(title="Photo").exists()


def test_a_start_time_after_the_default_end_is_refused(cast: Cast):
    data = workshop_data(
        "Dessin",
        rows=[{"weekday": "0", "part": "am", "starts_on": "2025-03-03", "start_time": "12:30"}],
    )
    response = client_for(cast).post(url("workshop_create", cast), data)
    assert response.status_code == 400
    assert "The session must end after it starts (12:30–12:00)." in response.content.decode()


def test_only_the_programme_s_team_and_media_can_be_chosen(cast: Cast):
    foreign_medium = Medium.objects.create(
        organisation=cast.other_programme.organisation,
        code="ceramique",
        name_fr="Céramique",
        name_de="Keramik",
        name_en="Ceramics",
    )
    client = client_for(cast)
    page = client.get(url("workshop_create", cast)).content.decode()
    assert "Céramique" not in page and "Other Head" not in page and "Referrer" not in page
    data = workshop_data(
        "Poterie",
        media=[foreign_medium.pk],
        facilitators=[cast.users["other_head"].pk],
    )
    response = client.post(url("workshop_create", cast), data)
    assert response.status_code == 400
    assert not Workshop.objects.filter(title="Poterie").exists()


def test_a_workshop_of_another_programme_is_404(cast: Cast):
    foreign = Workshop.objects.create(programme=cast.other_programme, title="Brig")
    client = client_for(cast)
    assert client.get(url("workshop_edit", cast, foreign.pk)).status_code == 404
    response = client.post(url("workshop_edit", cast, foreign.pk), workshop_data("Pris"))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.title == "Brig"


# -- generating sessions -----------------------------------------------------------------------


def test_generating_twice_creates_nothing_the_second_time(cast: Cast):
    client = client_for(cast)
    first = client.post(url("sessions_generate", cast), {"weeks": "4"})
    assert first.status_code == 302
    assert last_message(first) == "4 sessions created."  # 10, 17, 24 and 31 March
    count = Session.objects.count()
    second = client.post(url("sessions_generate", cast), {"weeks": "4"})
    assert last_message(second) == "No new session: the calendar was already up to date."
    assert Session.objects.count() == count
    assert AuditEvent.objects.filter(object_type="presence.session").count() == 1
    # and from the command (the daily timer) as well
    out = StringIO()
    call_command("generate_sessions", "--weeks", "4", stdout=out)
    assert f"ISA Sion (#{cast.programme.pk}): 0 session(s) created" in out.getvalue()
    assert Session.objects.count() == count


def test_weeks_default_to_eight_and_stay_within_a_year(cast: Cast):
    client = client_for(cast)
    assert last_message(client.post(url("sessions_generate", cast))) == "8 sessions created."
    assert Session.objects.of_programme(cast.programme).latest("on").on == HORIZON
    response = client.post(url("sessions_generate", cast), {"weeks": "53"})
    assert response.status_code == 400
    assert 'value="53"' in response.content.decode()
    assert client.get(url("sessions_generate", cast)).status_code == 405


def test_the_command_generates_for_every_programme_or_one(cast: Cast):
    Recurrence.objects.create(
        workshop=Workshop.objects.create(programme=cast.other_programme, title="Brig"),
        weekday=2,
        part="am",
        starts_on=date(2025, 1, 1),
    )
    out = StringIO()
    call_command(
        "generate_sessions", "--weeks", "2", "--programme", str(cast.programme.pk), stdout=out
    )
    assert f"ISA Sion (#{cast.programme.pk}): 2 session(s) created" in out.getvalue()
    assert not Session.objects.of_programme(cast.other_programme).exists()
    out = StringIO()
    call_command("generate_sessions", "--weeks", "2", stdout=out)
    assert f"ISA Sion (#{cast.programme.pk}): 0 session(s) created" in out.getvalue()
    assert f"Atelier Brig (#{cast.other_programme.pk}): 2 session(s) created" in out.getvalue()
    out = StringIO()
    call_command("generate_sessions", stdout=out)  # default: 8 weeks
    assert Session.objects.of_programme(cast.programme).latest("on").on == HORIZON
    with pytest.raises(CommandError):
        call_command("generate_sessions", "--programme", "999999", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("generate_sessions", "--weeks", "0", stdout=StringIO())


# -- closure days ------------------------------------------------------------------------------


def test_a_closure_day_cancels_that_day_s_sessions(cast: Cast):
    client = client_for(cast)
    client.post(url("sessions_generate", cast), {"weeks": "4"})
    response = client.post(
        url("closure_list", cast), {"on": "2025-03-17", "reason": "Saint-Joseph"}
    )
    assert response.status_code == 302
    closure = ClosureDay.objects.get(programme=cast.programme, on=date(2025, 3, 17))
    assert closure.reason == "Saint-Joseph"
    assert Session.objects.get(on=date(2025, 3, 17)).cancelled
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="presence.closureday", object_id=str(closure.pk)
    ).exists()
    page = client.get(url("closure_list", cast)).content.decode()
    assert "Saint-Joseph" in page and "17.03.2025" in page


def test_a_day_with_a_presence_cannot_be_closed(cast: Cast):
    session = Session.objects.create(
        workshop=cast.session.workshop,
        on=date(2025, 2, 24),
        part="am",
        starts_at=time(9),
        ends_at=time(12),
    )
    Presence.objects.create(session=session, participant=cast.participant)
    client = client_for(cast)
    events = AuditEvent.objects.count()

    response = client.post(url("closure_list", cast), {"on": "2025-02-24", "reason": "Grève"})

    assert response.status_code == 400
    page = response.content.decode()
    message = "Presences are already recorded on that day: it cannot become a closure day."
    field = page[page.index('for="id_on"') :]
    assert message in field[: field.index('for="id_reason"')]  # on the date field
    assert 'value="Grève"' in page and 'value="2025-02-24"' in page
    assert not ClosureDay.objects.filter(on=date(2025, 2, 24)).exists()
    session.refresh_from_db()
    assert not session.cancelled
    assert AuditEvent.objects.count() == events


def test_a_day_already_closed_is_refused(cast: Cast):
    response = client_for(cast).post(
        url("closure_list", cast), {"on": cast.closure.on.isoformat(), "reason": "Encore"}
    )
    assert response.status_code == 400
    assert "This day is already a closure day." in response.content.decode()
    assert ClosureDay.objects.filter(programme=cast.programme).count() == 1


def test_reopening_a_coming_day_brings_its_sessions_back(cast: Cast):
    client = client_for(cast)
    client.post(url("closure_list", cast), {"on": "2025-03-10", "reason": ""})  # a Monday
    client.post(url("sessions_generate", cast), {"weeks": "2"})
    assert not Session.objects.filter(on=date(2025, 3, 10)).exists()
    cancelled = Session.objects.create(
        workshop=Workshop.objects.create(programme=cast.programme, title="Écriture"),
        on=date(2025, 3, 10),
        part="pm",
        starts_at=time(13, 30),
        ends_at=time(16, 30),
        cancelled=True,
    )
    closure = ClosureDay.objects.get(on=date(2025, 3, 10))

    response = client.post(url("closure_delete", cast, closure.pk))

    assert response.status_code == 302
    assert not ClosureDay.objects.filter(pk=closure.pk).exists()
    cancelled.refresh_from_db()
    assert not cancelled.cancelled
    assert Session.objects.filter(workshop=cast.session.workshop, on=date(2025, 3, 10)).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETE, object_type="presence.closureday", object_id=str(closure.pk)
    ).exists()


def test_a_past_closure_day_stays(cast: Cast):
    past = ClosureDay.objects.create(programme=cast.programme, on=date(2025, 2, 10), reason="Neige")
    client = client_for(cast)
    response = client.post(url("closure_delete", cast, past.pk))
    assert response.status_code == 302
    assert ClosureDay.objects.filter(pk=past.pk).exists()
    assert (
        last_message(response) == "The closure day of 10.02.2025 is past: it stays in the record."
    )
    assert client.get(url("closure_delete", cast, cast.closure.pk)).status_code == 405
    foreign = ClosureDay.objects.create(programme=cast.other_programme, on=date(2025, 5, 1))
    assert client.post(url("closure_delete", cast, foreign.pk)).status_code == 404
    assert ClosureDay.objects.filter(pk=foreign.pk).exists()


# -- media -------------------------------------------------------------------------------------


def test_a_head_adds_a_medium_of_the_organisation(cast: Cast):
    data = {"code": "ceramics", "name_fr": "Céramique", "name_de": "Keramik", "name_en": "Ceramics"}
    response = client_for(cast).post(url("medium_list", cast), data)
    assert response.status_code == 302
    medium = Medium.objects.get(code="ceramics")
    assert medium.organisation == cast.organisation and medium.active
    assert medium in Medium.objects.for_programme(cast.programme)
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="presence.medium", object_id=str(medium.pk)
    ).exists()


def test_a_medium_needs_its_three_names_and_a_free_code(cast: Cast):
    client = client_for(cast)
    response = client.post(
        url("medium_list", cast),
        {"code": "painting", "name_fr": "Peinture", "name_de": "Malerei", "name_en": "Painting"},
    )
    assert response.status_code == 400
    assert "This code is already used by another medium." in response.content.decode()
    assert Medium.objects.filter(code="painting").count() == 1
    response = client.post(url("medium_list", cast), {"code": "textile", "name_fr": "Textile"})
    assert response.status_code == 400
    assert 'value="textile"' in response.content.decode()
    assert not Medium.objects.filter(code="textile").exists()


def test_the_same_code_is_free_in_another_organisation(cast: Cast):
    Medium.objects.create(
        organisation=Organisation.objects.get(name="Autre organisation"),
        code="ceramics",
        name_fr="Céramique",
        name_de="Keramik",
        name_en="Ceramics",
    )
    data = {"code": "ceramics", "name_fr": "Céramique", "name_de": "Keramik", "name_en": "Ceramics"}
    assert client_for(cast).post(url("medium_list", cast), data).status_code == 302
    assert Medium.objects.filter(code="ceramics").count() == 2


def test_an_own_medium_can_be_set_aside_and_a_built_in_cannot(cast: Cast):
    own = Medium.objects.create(
        organisation=cast.organisation,
        code="ceramics",
        name_fr="Céramique",
        name_de="Keramik",
        name_en="Ceramics",
    )
    client = client_for(cast)
    response = client.post(url("medium_list", cast), {"medium": own.pk, "active": "0"})
    assert response.status_code == 302
    own.refresh_from_db()
    assert not own.active
    assert own not in Medium.objects.for_programme(cast.programme)
    client.post(url("medium_list", cast), {"medium": own.pk, "active": "1"})
    own.refresh_from_db()
    assert own.active
    assert (
        AuditEvent.objects.filter(action=AuditAction.UPDATE, object_type="presence.medium").count()
        == 2
    )

    painting = Medium.objects.get(code="painting")
    response = client.post(url("medium_list", cast), {"medium": painting.pk, "active": "0"})
    assert response.status_code == 403
    painting.refresh_from_db()
    assert painting.active

    foreign = Medium.objects.create(
        organisation=cast.other_programme.organisation,
        code="x",
        name_fr="X",
        name_de="X",
        name_en="X",
    )
    assert (
        client.post(url("medium_list", cast), {"medium": foreign.pk, "active": "0"}).status_code
        == 404
    )
    foreign.refresh_from_db()
    assert foreign.active


def test_the_media_page_lists_built_in_and_own_media(cast: Cast):
    Medium.objects.create(
        organisation=cast.organisation,
        code="ceramics",
        name_fr="Céramique",
        name_de="Keramik",
        name_en="Ceramics",
    )
    Medium.objects.create(
        organisation=cast.other_programme.organisation,
        code="bois",
        name_fr="Bois",
        name_de="Holz",
        name_en="Wood",
    )
    page = client_for(cast).get(url("medium_list", cast)).content.decode()
    assert "Céramique" in page and "Malerei" in page
    assert "Holz" not in page


# -- who may --------------------------------------------------------------------------------------


def setup_requests(cast: Cast) -> list[tuple[str, str, dict]]:
    workshop = cast.session.workshop
    return [
        ("get", url("workshop_list", cast), {}),
        ("get", url("workshop_create", cast), {}),
        ("post", url("workshop_create", cast), workshop_data("Intrus")),
        ("get", url("workshop_edit", cast, workshop.pk), {}),
        ("post", url("workshop_edit", cast, workshop.pk), edit_data(workshop, title="Intrus")),
        ("post", url("sessions_generate", cast), {"weeks": "4"}),
        ("get", url("closure_list", cast), {}),
        ("post", url("closure_list", cast), {"on": "2025-03-11", "reason": "Intrus"}),
        ("post", url("closure_delete", cast, cast.closure.pk), {}),
        ("get", url("medium_list", cast), {}),
        (
            "post",
            url("medium_list", cast),
            {"code": "intrus", "name_fr": "I", "name_de": "I", "name_en": "I"},
        ),
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("facilitator", 403),
        ("social_worker", 403),
        ("watcher", 403),
        ("funder", 403),
        ("other_head", 404),
    ],
)
def test_only_the_head_of_the_programme_reaches_the_set_up(cast: Cast, who: str, status: int):
    sessions = Session.objects.count()
    client = client_for(cast, who)
    for method, address, data in setup_requests(cast):
        response = getattr(client, method)(address, data)
        assert response.status_code == status, f"{who} {method} {address}"
    assert not Workshop.objects.filter(title="Intrus").exists()
    assert cast.session.workshop.title == Workshop.objects.get(pk=cast.session.workshop_id).title
    assert Session.objects.count() == sessions
    assert ClosureDay.objects.filter(pk=cast.closure.pk).exists()
    assert not ClosureDay.objects.filter(on=date(2025, 3, 11)).exists()
    assert not Medium.objects.filter(code="intrus").exists()


def test_anonymous_visitors_are_sent_to_sign_in(cast: Cast):
    for method, address, data in setup_requests(cast):
        response = getattr(Client(), method)(address, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
