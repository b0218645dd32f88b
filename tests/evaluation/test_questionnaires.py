"""Giving questionnaires: tablet, paper, "not today", partial answers, bad input, timeline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from isa.core.actor import Actor
from isa.core.middleware import KIOSK_SESSION_KEY
from isa.core.models import AuditAction, AuditEvent
from isa.evaluation import services
from isa.evaluation.catalogue import choice_for
from isa.evaluation.models import Administration, AdministrationStatus, Mode
from isa.people.timeline import timeline_for
from tests.conftest import PASSWORD, Cast

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _paper(cast: Cast, key: str, answers: dict[int, int | None], on: date = date(2024, 4, 2)):
    return services.administration_enter_paper(
        participant=cast.participant,
        choice=choice_for(cast.programme, key),
        on=on,
        answers=answers,
        actor=cast.actor("social_worker"),
    )


def test_paper_answers_are_scored_and_kept(cast: Cast):
    a = _paper(cast, "who5", {1: 3, 2: 3, 3: 2, 4: 3, 5: 4})
    assert a.status == AdministrationStatus.COMPLETE
    assert a.mode == Mode.PAPER
    assert a.scores["scores"]["raw"] == 15
    assert a.primary_value == 60
    assert a.answers == {"1": 3, "2": 3, "3": 2, "4": 3, "5": 4}
    assert a.instrument_hash and a.instrument_version == "1998"
    # The stored scores can be computed again from the answers.
    assert services.administration_rescore(administration=a) == a.scores


def test_an_answer_outside_the_scale_is_refused(cast: Cast):
    with pytest.raises(ValidationError):
        _paper(cast, "who5", {1: 9, 2: 3, 3: 2, 4: 3, 5: 4})
    assert not Administration.objects.exists()


def test_a_partly_answered_who5_is_kept_but_not_scored(cast: Cast):
    a = _paper(cast, "who5", {1: 3, 2: None, 3: 2, 4: 3, 5: 4})
    assert a.status == AdministrationStatus.PARTIAL
    assert a.primary_value is None
    assert a.scores["scorable"] is False


def test_a_partly_answered_gse_is_scored_where_the_rule_allows(cast: Cast):
    answers = dict.fromkeys(range(1, 11), 3)
    answers[10] = None
    answers[9] = None
    a = _paper(cast, "gse", answers)
    assert a.status == AdministrationStatus.PARTIAL
    assert a.primary_value == 30  # prorated: mean 3 × 10


def test_a_future_date_is_refused(cast: Cast):
    with pytest.raises(ValidationError) as exc:
        _paper(cast, "who5", {1: 3}, on=timezone.localdate() + timedelta(days=2))
    assert "on" in exc.value.message_dict


def test_declined_today_is_a_respected_answer(cast: Cast, who5):
    client = cast.client("social_worker")
    url = reverse("questionnaire_decline", args=[cast.programme.pk, cast.participant.pk])
    response = client.post(url, {"instrument": "who5"}, **EN)
    assert response.status_code == 302
    a = Administration.objects.get()
    assert a.status == AdministrationStatus.DECLINED
    assert a.primary_value is None
    with translation.override("en"):
        titles = [i.title for i in timeline_for(cast.participant, cast.users["social_worker"])]
    assert any("declined today" in t for t in titles)


def test_paper_form_refuses_an_answer_outside_the_scale_and_keeps_what_was_typed(cast: Cast):
    client = cast.client("social_worker")
    url = reverse("questionnaire_paper", args=[cast.programme.pk, cast.participant.pk])
    data = {"instrument": "who5", "on": "2024-04-02", "item_1": "7", "item_2": "3"}
    response = client.post(url, data, **EN)
    assert response.status_code == 400
    assert b"not one of the questionnaire" in response.content
    assert b'value="3" name="item_2"' in response.content or b"checked" in response.content
    assert not Administration.objects.exists()


def test_paper_form_saves_and_shows_the_scores(cast: Cast):
    client = cast.client("social_worker")
    url = reverse("questionnaire_paper", args=[cast.programme.pk, cast.participant.pk])
    data = {"instrument": "who5", "on": "2024-04-02"} | {f"item_{n}": "4" for n in range(1, 6)}
    response = client.post(url, data, follow=True, **EN)
    assert response.status_code == 200
    a = Administration.objects.get()
    assert a.primary_value == 80
    assert b"80" in response.content


def test_the_tablet_flow_locks_the_session_and_shows_no_score(cast: Cast):
    client = cast.client("social_worker")
    start = reverse("questionnaire_start", args=[cast.programme.pk, cast.participant.pk])
    response = client.post(start, {"instrument": "who5"})
    a = Administration.objects.get()
    intro = reverse("questionnaire_intro", args=[cast.programme.pk, a.pk])
    assert response["Location"] == intro
    assert client.session[KIOSK_SESSION_KEY]["prefix"] == intro
    # The rest of the application is out of reach from the tablet.
    file_url = cast.participant.get_absolute_url()
    assert client.get(file_url)["Location"] == intro

    def item(n: int) -> str:
        return reverse("questionnaire_item", args=[cast.programme.pk, a.pk, n])

    assert client.get(item(1), **EN).status_code == 200
    # An answer outside the scale: 400 with a message.
    response = client.post(item(1), {"value": "9"}, **EN)
    assert response.status_code == 400
    assert b"not one of the options" in response.content
    assert client.post(item(1), {"value": "2"})["Location"] == item(2)
    assert client.post(item(2), {"skip": "1"})["Location"] == item(3)
    # Back to question 2, answered this time.
    assert client.post(item(2), {"value": "3"})["Location"] == item(3)
    for n in (3, 4):
        client.post(item(n), {"value": "4"})
    done = client.post(item(5), {"value": "5"})
    assert done["Location"].endswith("/done/")
    a.refresh_from_db()
    assert a.status == AdministrationStatus.COMPLETE
    assert a.scores["scores"]["raw"] == 18
    page = client.get(done["Location"], **EN)
    assert b"Thank you" in page.content
    assert b"72" not in page.content and b"18" not in page.content
    # Still locked until a team member types their password.
    assert client.get(file_url)["Location"].endswith("/done/")
    unlock = reverse("questionnaire_unlock", args=[cast.programme.pk, a.pk])
    assert client.post(unlock, {"password": "wrong"}).status_code == 400
    response = client.post(unlock, {"password": PASSWORD})
    assert response["Location"] == reverse(
        "evaluation_person", args=[cast.programme.pk, cast.participant.pk]
    )
    assert KIOSK_SESSION_KEY not in client.session
    assert client.get(file_url).status_code == 200


def test_stopping_keeps_what_was_answered(cast: Cast, who5):
    a = services.administration_start(
        participant=cast.participant, choice=who5, actor=cast.actor("social_worker")
    )
    client = cast.client("social_worker")
    client.post(reverse("questionnaire_item", args=[cast.programme.pk, a.pk, 1]), {"value": "3"})
    client.post(reverse("questionnaire_stop", args=[cast.programme.pk, a.pk]))
    a.refresh_from_db()
    assert a.status == AdministrationStatus.PARTIAL
    assert a.primary_value is None  # WHO-5: no score with a missing answer


def test_stopping_before_any_answer_is_declined(cast: Cast, who5):
    a = services.administration_start(
        participant=cast.participant, choice=who5, actor=cast.actor("social_worker")
    )
    cast.client("social_worker").post(reverse("questionnaire_stop", args=[cast.programme.pk, a.pk]))
    a.refresh_from_db()
    assert a.status == AdministrationStatus.DECLINED


def test_a_finished_questionnaire_takes_no_more_answers(cast: Cast, who5):
    a = _paper(cast, "who5", {1: 3, 2: 3, 3: 2, 4: 3, 5: 4})
    with pytest.raises(ValidationError):
        services.administration_answer(
            administration=a, item=1, value=1, actor=cast.actor("social_worker")
        )


def test_a_facilitator_cannot_give_a_questionnaire(cast: Cast, who5):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.administration_start(
            participant=cast.participant, choice=who5, actor=cast.actor("facilitator")
        )


def test_timeline_shows_a_title_only_and_only_to_files_roles(cast: Cast):
    _paper(cast, "who5", {1: 3, 2: 3, 3: 2, 4: 3, 5: 4})
    with translation.override("en"):
        titles = [i.title for i in timeline_for(cast.participant, cast.users["head"])]
        assert "WHO-5 Well-Being Index answered" in titles
        for role in ("facilitator", "watcher"):
            titles = [i.title for i in timeline_for(cast.participant, cast.users[role])]
            assert not any("WHO-5" in t for t in titles)


def test_reading_a_questionnaire_is_audited(cast: Cast):
    a = _paper(cast, "who5", {1: 3, 2: 3, 3: 2, 4: 3, 5: 4})
    response = cast.client("head").get(a.get_absolute_url(), **EN)
    assert response.status_code == 200
    assert b"60" in response.content
    assert AuditEvent.objects.filter(
        action="view", object_type="evaluation.administration", object_id=str(a.pk)
    ).exists()


def test_finishing_twice_is_harmless(cast: Cast, who5):
    sw = cast.users["social_worker"]
    a = services.administration_start(participant=cast.participant, choice=who5, actor=Actor.of(sw))
    services.administration_answer(administration=a, item=1, value=3, actor=Actor.of(sw))
    first = services.administration_finish(administration=a, actor=Actor.of(sw))
    assert first.status == AdministrationStatus.PARTIAL
    events = AuditEvent.objects.filter(object_id=str(a.pk), action="update").count()
    again = services.administration_finish(
        administration=a, actor=Actor.of(sw)
    )  # a stale copy: no error
    assert again.status == AdministrationStatus.PARTIAL
    assert AuditEvent.objects.filter(object_id=str(a.pk), action="update").count() == events
    # The stop button tapped after the end: back to the thank-you screen.
    response = cast.client("social_worker").post(
        reverse("questionnaire_stop", args=[cast.programme.pk, a.pk])
    )
    assert response.status_code == 302 and response["Location"].endswith("/done/")


def test_the_last_answer_posted_twice_never_fails(cast: Cast, who5, monkeypatch):
    """Two taps on the last answer: the second request may have read the questionnaire
    before the first finished it; it lands on the thank-you screen, no error."""
    from isa.evaluation.views import tablet

    sw = cast.users["social_worker"]
    a = services.administration_start(participant=cast.participant, choice=who5, actor=Actor.of(sw))
    for n in range(1, 5):
        services.administration_answer(administration=a, item=n, value=3, actor=Actor.of(sw))
    client = cast.client("social_worker")
    last = reverse("questionnaire_item", args=[cast.programme.pk, a.pk, 5])
    assert client.post(last, {"value": "4"})["Location"].endswith("/done/")
    # Sequential double tap.
    assert client.post(last, {"value": "4"})["Location"].endswith("/done/")
    # Racing double tap: the second request still sees it in progress.
    original = tablet._get

    def stale(*args, **kwargs):
        administration = original(*args, **kwargs)
        administration.status = AdministrationStatus.IN_PROGRESS
        return administration

    monkeypatch.setattr(tablet, "_get", stale)
    response = client.post(last, {"value": "4"})
    assert response.status_code == 302 and response["Location"].endswith("/done/")
    a.refresh_from_db()
    assert a.status == AdministrationStatus.COMPLETE and a.answer_map()[5] == 4
    # Giving the tablet back while a stale page thinks it is still running.
    unlock = reverse("questionnaire_unlock", args=[cast.programme.pk, a.pk])
    assert client.post(unlock, {"password": PASSWORD}).status_code == 302


def test_not_today_twice_the_same_day_is_recorded_once(cast: Cast, who5):
    client = cast.client("social_worker")
    url = reverse("questionnaire_decline", args=[cast.programme.pk, cast.participant.pk])
    assert client.post(url, {"instrument": "who5"}).status_code == 302
    assert client.post(url, {"instrument": "who5"}).status_code == 302
    assert Administration.objects.filter(status=AdministrationStatus.DECLINED).count() == 1
    first = Administration.objects.get()
    again = services.administration_decline(
        participant=cast.participant, choice=who5, actor=cast.actor("social_worker")
    )
    assert again.pk == first.pk
    # Another questionnaire, or another day: recorded.
    services.administration_decline(
        participant=cast.participant,
        choice=choice_for(cast.programme, "rses"),
        actor=cast.actor("social_worker"),
    )
    services.administration_decline(
        participant=cast.participant,
        choice=who5,
        on=timezone.localdate() - timedelta(days=1),
        actor=cast.actor("social_worker"),
    )
    assert Administration.objects.count() == 3


def test_starting_twice_resumes_the_questionnaire_being_answered(cast: Cast, who5):
    client = cast.client("social_worker")
    start = reverse("questionnaire_start", args=[cast.programme.pk, cast.participant.pk])
    first = client.post(start, {"instrument": "who5"})
    a = Administration.objects.get()
    services.administration_answer(
        administration=a, item=1, value=3, actor=cast.actor("social_worker")
    )
    again = cast.client("social_worker").post(start, {"instrument": "who5"})
    assert again["Location"] == first["Location"]
    assert Administration.objects.count() == 1
    a.refresh_from_db()
    assert a.answer_map() == {1: 3}  # the answers given are kept
    # Once finished, a new one can be started.
    services.administration_finish(administration=a, actor=cast.actor("social_worker"))
    services.administration_start(
        participant=cast.participant, choice=who5, actor=cast.actor("social_worker")
    )
    assert Administration.objects.count() == 2


def test_a_left_over_questionnaire_can_be_closed_from_the_person_page(cast: Cast, who5):
    sw = cast.users["social_worker"]
    a = services.administration_start(
        participant=cast.participant,
        choice=who5,
        actor=Actor.of(sw),
        on=timezone.localdate() - timedelta(days=3),
    )
    services.administration_answer(administration=a, item=1, value=3, actor=Actor.of(sw))
    client = cast.client("social_worker")
    person = reverse("evaluation_person", args=[cast.programme.pk, cast.participant.pk])
    close = reverse("questionnaire_close", args=[cast.programme.pk, a.pk])
    content = client.get(person, **EN).content.decode()
    assert "not finished" in content and close in content
    assert cast.client("facilitator").post(close).status_code == 403
    response = client.post(close, **EN)
    assert response["Location"] == person
    a.refresh_from_db()
    assert a.status == AdministrationStatus.PARTIAL and a.answer_map() == {1: 3}
    assert AuditEvent.objects.filter(
        action="update", object_type="evaluation.administration", object_id=str(a.pk)
    ).exists()
    content = client.get(person, **EN).content.decode()
    assert "not finished" not in content and close not in content
    # Closing again is harmless.
    assert client.post(close).status_code == 302


def test_the_unlock_page_does_not_show_the_team_members_address(cast: Cast, who5):
    sw = cast.users["social_worker"]
    a = services.administration_start(participant=cast.participant, choice=who5, actor=Actor.of(sw))
    unlock = reverse("questionnaire_unlock", args=[cast.programme.pk, a.pk])
    for language in ("en", "fr"):
        page = cast.client("social_worker").get(unlock, HTTP_ACCEPT_LANGUAGE=language)
        assert page.status_code == 200
        assert sw.email not in page.content.decode()
    page = cast.client("social_worker").get(unlock, **EN)
    assert "Password of the team member who started the questionnaire" in page.content.decode()


def test_wrong_passwords_at_the_tablet_lock_its_exit_not_the_member(
    cast: Cast, who5, settings, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    client = cast.client("social_worker")
    client.post(
        reverse("questionnaire_start", args=[cast.programme.pk, cast.participant.pk]),
        {"instrument": "who5"},
    )
    a = Administration.objects.get()
    unlock = reverse("questionnaire_unlock", args=[cast.programme.pk, a.pk])
    statuses = [
        client.post(unlock, {"password": "devine-encore"}, HTTP_ACCEPT_LANGUAGE="de").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT + 1)
    ]
    assert statuses == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429, 429]
    response = client.post(unlock, {"password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Zu viele falsche Passwörter" in body
    assert "15 Minuten" in body
    assert KIOSK_SESSION_KEY in client.session  # the tablet stays on the questionnaire
    # The member signs in normally elsewhere: django-axes counted nothing.
    response = Client().post(
        reverse("login"), {"username": "social_worker@test.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    refused = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED).order_by("id")
    assert [(e.object_type, e.object_id) for e in refused] == [
        ("evaluation.administration", str(a.pk))
    ] * settings.AXES_FAILURE_LIMIT
    assert refused.last().detail == {"exit": "tablet", "failures": 5, "locked_minutes": 15}
    time_machine.shift(timedelta(minutes=16))
    response = client.post(unlock, {"password": PASSWORD})
    assert response["Location"] == reverse(
        "evaluation_person", args=[cast.programme.pk, cast.participant.pk]
    )
    assert KIOSK_SESSION_KEY not in client.session
