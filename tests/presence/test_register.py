"""Marking presence: one tap, idempotent, refused with a reason when it cannot be."""

from __future__ import annotations

import threading
from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from isa.core.actor import Actor
from isa.core.models import AuditAction, AuditEvent, User
from isa.people import services as people
from isa.people.models import ExitReason
from isa.presence import services
from isa.presence.models import ClosureDay, Medium, Presence, PresenceState, Session
from isa.presence.views.register import register_tap
from tests.conftest import Cast, refer


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def monday(time_machine):
    """Monday 3 March 2025, 09:20 in Sion; a Monday-morning session today."""
    time_machine.move_to("2025-03-03 09:20 +01:00", tick=False)
    return date(2025, 3, 3)


def session_on(cast: Cast, day: date, part: str = "am") -> Session:
    return Session.objects.create(
        workshop=cast.session.workshop, on=day, part=part, starts_at=time(9), ends_at=time(12)
    )


def tap(cast: Cast, session: Session, who: str = "facilitator", **data):
    url = reverse("register_tap", args=[cast.programme.pk, session.pk])
    payload = {"participant": cast.participant.pk, "action": "present", **data}
    return cast.client(who).post(url, payload, HTTP_X_ISA_TAP="1", HTTP_ACCEPT_LANGUAGE="en")


def test_one_tap_marks_present_with_the_arrival_time(cast: Cast, monday):
    session = session_on(cast, monday)
    response = tap(cast, session, at="09:14")
    assert response.status_code == 200
    presence = Presence.objects.get(session=session, participant=cast.participant)
    assert presence.state == PresenceState.PRESENT
    assert presence.arrived_at == time(9, 14)
    assert presence.recorded_by == cast.users["facilitator"]
    assert 'class="register-row is-present"' in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="presence.presence"
    ).exists()


def test_a_tap_time_in_the_future_becomes_now(cast: Cast, monday):
    session = session_on(cast, monday)
    tap(cast, session, at="11:55")
    assert Presence.objects.get(session=session).arrived_at == time(9, 20)


def test_a_second_tap_or_a_retry_keeps_one_presence_and_the_first_time(cast: Cast, monday):
    session = session_on(cast, monday)
    tap(cast, session, at="09:10")
    response = tap(cast, session, who="watcher", at="09:18")
    assert response.status_code == 200
    assert Presence.objects.filter(session=session).count() == 1
    assert Presence.objects.get(session=session).arrived_at == time(9, 10)


def test_the_second_tap_picks_the_medium_and_departure_is_optional(cast: Cast, monday):
    session = session_on(cast, monday)
    tap(cast, session)
    painting = Medium.objects.get(code="painting")
    tap(cast, session, action="medium", medium=painting.pk)
    presence = Presence.objects.get(session=session)
    assert presence.medium == painting
    assert presence.left_at is None
    tap(cast, session, action="leave")
    presence.refresh_from_db()
    assert presence.left_at == time(9, 20)


def test_an_absence_with_an_optional_reason_never_unexcused(cast: Cast, monday):
    session = session_on(cast, monday)
    response = tap(cast, session, action="absent", reason="appointment")
    assert response.status_code == 200
    presence = Presence.objects.get(session=session)
    assert (presence.state, presence.absence_reason) == (PresenceState.ABSENT, "appointment")
    assert "unexcused" not in response.content.decode().lower()
    tap(cast, session, action="absent", reason="")
    assert Presence.objects.get(session=session).absence_reason == ""


def test_undo_removes_a_mark(cast: Cast, monday):
    session = session_on(cast, monday)
    tap(cast, session)
    tap(cast, session, action="clear")
    assert not Presence.objects.filter(session=session).exists()


def test_a_presence_on_a_closure_day_is_refused(cast: Cast, monday):
    session = session_on(cast, monday)
    ClosureDay.objects.create(programme=cast.programme, on=monday, reason="Formation")
    response = tap(cast, session)
    assert response.status_code == 400
    assert "closed" in response.content.decode()
    assert not Presence.objects.exists()


def test_a_future_session_is_refused(cast: Cast, monday):
    session = session_on(cast, monday + timedelta(days=7))
    response = tap(cast, session)
    assert response.status_code == 400
    assert "presence is recorded on the day" in response.content.decode()
    assert not Presence.objects.exists()


def test_someone_who_left_cannot_be_marked(cast: Cast, monday):
    people.participant_exit(
        participant=cast.participant,
        on=date(2025, 2, 28),
        reason=ExitReason.MOVED,
        actor=cast.actor("head"),
    )
    session = session_on(cast, monday)
    response = tap(cast, session)
    assert response.status_code == 400
    assert "not accompanied at the moment" in response.content.decode()
    assert not Presence.objects.exists()


def test_someone_waiting_cannot_be_marked_either(cast: Cast, monday):
    waiting = refer(cast.programme, cast.users["referrer"], "Attente", "Paul").participant
    with pytest.raises(ValidationError):
        services.presence_mark(
            session=session_on(cast, monday), participant=waiting, actor=Actor.of(None)
        )


def test_a_participant_of_another_programme_is_404(cast: Cast, monday):
    session = session_on(cast, monday)
    response = tap(cast, session, participant=cast.foreign_participant.pk)
    assert response.status_code == 404


def test_without_script_the_tap_redirects_back_to_the_row(cast: Cast, monday):
    session = session_on(cast, monday)
    url = reverse("register_tap", args=[cast.programme.pk, session.pk])
    response = cast.client("facilitator").post(
        url, {"participant": cast.participant.pk, "action": "present"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#p{cast.participant.pk}")


def _statements(captured: list[dict]) -> list[str]:
    """The statements a request sends outside the test's own transaction: the savepoints
    stand for the BEGIN and COMMIT of the service's transaction, which no count includes."""
    return [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"]]


def test_marking_a_presence_costs_at_most_ten_statements_for_the_whole_request(
    cast: Cast, monday, django_assert_max_num_queries
):
    """Session, user, roles, the session with its programme and closure day, the person,
    the presence read and written with its audit event, the media of the row: 9.  No
    session write (refreshed at most once a minute) and no second-factor lookup (a user
    without a device is known as such for a minute)."""
    session = session_on(cast, monday)
    client = cast.client("facilitator")
    url = reverse("register_tap", args=[cast.programme.pk, session.pk])
    client.post(url, {"participant": cast.participant.pk, "action": "present"}, HTTP_X_ISA_TAP="1")
    others = [
        refer(cast.programme, cast.users["head"], f"Nom{i}", "X").participant for i in range(3)
    ]
    for person in others:
        people.participant_admit(participant=person, on=date(2025, 1, 6), actor=cast.actor("head"))
    with django_assert_max_num_queries(12) as first:
        response = client.post(
            url, {"participant": others[0].pk, "action": "present"}, HTTP_X_ISA_TAP="1"
        )
    assert response.status_code == 200
    statements = _statements(first.captured_queries)
    assert len(statements) <= 10, statements
    assert not [s for s in statements if "django_session" in s and not s.startswith("SELECT")]
    assert not [s for s in statements if "otp_" in s]
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.post(url, {"participant": others[1].pk, "action": "present"}, HTTP_X_ISA_TAP="1")


def test_a_tap_of_a_user_signed_in_with_a_second_factor_stays_within_ten(
    cast: Cast, monday, django_assert_max_num_queries
):
    """A verified session reads its device once per request (django-otp checks it still
    exists): 10 statements."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=cast.users["facilitator"], name="phone", confirmed=True)
    session = session_on(cast, monday)
    client = cast.client("facilitator")
    stored = client.session
    stored[DEVICE_ID_SESSION_KEY] = device.persistent_id
    stored.save()
    url = reverse("register_tap", args=[cast.programme.pk, session.pk])
    client.post(url, {"participant": cast.participant.pk, "action": "clear"}, HTTP_X_ISA_TAP="1")
    with django_assert_max_num_queries(12) as tap_queries:
        response = client.post(
            url, {"participant": cast.participant.pk, "action": "present"}, HTTP_X_ISA_TAP="1"
        )
    assert response.status_code == 200
    assert len(_statements(tap_queries.captured_queries)) <= 10


def _tap_request(cast: Cast, session: Session, **data) -> HttpRequest:
    """A tap as ``register_tap`` receives it from the middleware: a signed-in member whose
    roles are not read yet, the register's script header."""
    url = reverse("register_tap", args=[cast.programme.pk, session.pk])
    request = RequestFactory().post(
        url, {"participant": cast.participant.pk, **data}, headers={"X-ISA-Tap": "1"}
    )
    request.user = User.objects.get(pk=cast.users["facilitator"].pk)
    request.actor = Actor.from_request(request)
    request.session = SessionStore()
    return request


@pytest.mark.parametrize("action", ["present", "absent", "medium", "leave", "clear"])
def test_a_tap_does_its_work_in_at_most_ten_queries(
    cast: Cast, monday, action: str, django_assert_max_num_queries
):
    """The tap's own work: the access (roles, the session with its programme and closure day,
    the person), the presence read and written with its audit event in one transaction, the
    row.  The middleware every page goes through (session read and saved, user, second
    factor) comes on top: 7 queries on SQLite, fewer on PostgreSQL (docs/performance.md)."""
    session = session_on(cast, monday)
    if action != "present":
        services.presence_mark(
            session=session, participant=cast.participant, actor=cast.actor("watcher"), at=None
        )
    painting = Medium.objects.get(code="painting")
    data = {"action": action, "medium": painting.pk, "reason": "ill", "expected": "1"}
    request = _tap_request(cast, session, **data)
    events = AuditEvent.objects.count()

    with django_assert_max_num_queries(10):
        response = register_tap(request, programme_id=cast.programme.pk, session_id=session.pk)

    assert response.status_code == 200
    assert AuditEvent.objects.count() == events + 1
    presence = Presence.objects.filter(session=session, participant=cast.participant).first()
    row = response.content.decode()
    expected_state = {
        "present": (PresenceState.PRESENT, "is-present"),
        "absent": (PresenceState.ABSENT, "is-absent"),
        "medium": (PresenceState.PRESENT, "Painting"),
        "leave": (PresenceState.PRESENT, "left at 09:20"),
    }
    if action == "clear":
        assert presence is None
        assert "is-present" not in row and "is-absent" not in row
    else:
        state, shown = expected_state[action]
        assert presence.state == state
        assert shown in row
    if action == "medium":
        assert presence.medium == painting


def test_a_refused_tap_shows_the_row_as_it_stands(cast: Cast, monday):
    session = session_on(cast, monday)
    services.presence_mark(
        session=session, participant=cast.participant, at=time(9, 16), actor=Actor.of(None)
    )
    # A departure a few minutes ago (within the clock's tolerance), before the arrival.
    response = tap(cast, session, action="leave", at="09:12")
    assert response.status_code == 400
    row = response.content.decode()
    assert "The departure cannot be before the arrival." in row
    assert "is-present" in row and "here since 09:16" in row
    assert Presence.objects.get(session=session).left_at is None


def test_the_register_lists_people_expected_by_their_pact_first(cast: Cast, monday):
    people.pact_renegotiate(
        participant=cast.participant,
        valid_from=date(2024, 3, 4),
        half_days=["mon_am"],
        actor=cast.actor("head"),
    )
    other = refer(cast.programme, cast.users["head"], "Berthod", "Anne").participant
    people.participant_admit(participant=other, on=date(2025, 1, 6), actor=cast.actor("head"))
    session = session_on(cast, monday)
    response = cast.client("watcher").get(
        reverse("register_session", args=[cast.programme.pk, session.pk])
    )
    assert [r["participant"] for r in response.context["expected"]] == [cast.participant]
    assert [r["participant"] for r in response.context["others"]] == [other]


def test_the_register_query_count_does_not_grow_with_people(
    cast: Cast, monday, django_assert_max_num_queries
):
    session = session_on(cast, monday)
    url = reverse("register_session", args=[cast.programme.pk, session.pk])
    client = cast.client("facilitator")
    client.get(url)
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for i in range(15):
        p = refer(cast.programme, cast.users["head"], f"Nom{i}", "X").participant
        people.participant_admit(participant=p, on=date(2025, 1, 6), actor=cast.actor("head"))
        people.pact_renegotiate(
            participant=p,
            valid_from=date(2025, 1, 6),
            half_days=["mon_am"],
            actor=cast.actor("head"),
        )
        services.presence_mark(session=session, participant=p, actor=cast.actor("head"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.context["present_count"] == 15


@pytest.mark.django_db(transaction=True)
def test_two_tablets_at_the_same_moment_give_one_presence_and_no_error(cast: Cast):
    session = cast.session  # today
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def mark(user):
        try:
            barrier.wait()
            services.presence_mark(
                session=session, participant=cast.participant, actor=Actor.of(user)
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=mark, args=(cast.users[who],)) for who in ("facilitator", "watcher")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Presence.objects.filter(session=session, participant=cast.participant).count() == 1


def test_today_opens_the_session_running_now(cast: Cast, time_machine):
    today = timezone.localdate()
    time_machine.move_to(timezone.make_aware(datetime.combine(today, time(9, 30))), tick=False)
    response = cast.client("facilitator").get(reverse("register_today", args=[cast.programme.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "register_session", args=[cast.programme.pk, cast.session.pk]
    )
    response = cast.client("facilitator").get(
        reverse("register_today", args=[cast.programme.pk]), {"date": today.isoformat()}
    )
    assert response.status_code == 200
    assert list(response.context["sessions"]) == [cast.session]
