"""Giving questionnaires: tablet, paper, "not today", partial answers, bad input, timeline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from isa.core.middleware import KIOSK_SESSION_KEY
from isa.core.models import AuditEvent
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
        by=cast.users["social_worker"],
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
        participant=cast.participant, choice=who5, by=cast.users["social_worker"]
    )
    client = cast.client("social_worker")
    client.post(reverse("questionnaire_item", args=[cast.programme.pk, a.pk, 1]), {"value": "3"})
    client.post(reverse("questionnaire_stop", args=[cast.programme.pk, a.pk]))
    a.refresh_from_db()
    assert a.status == AdministrationStatus.PARTIAL
    assert a.primary_value is None  # WHO-5: no score with a missing answer


def test_stopping_before_any_answer_is_declined(cast: Cast, who5):
    a = services.administration_start(
        participant=cast.participant, choice=who5, by=cast.users["social_worker"]
    )
    cast.client("social_worker").post(reverse("questionnaire_stop", args=[cast.programme.pk, a.pk]))
    a.refresh_from_db()
    assert a.status == AdministrationStatus.DECLINED


def test_a_finished_questionnaire_takes_no_more_answers(cast: Cast, who5):
    a = _paper(cast, "who5", {1: 3, 2: 3, 3: 2, 4: 3, 5: 4})
    with pytest.raises(ValidationError):
        services.administration_answer(
            administration=a, item=1, value=1, by=cast.users["social_worker"]
        )


def test_a_facilitator_cannot_give_a_questionnaire(cast: Cast, who5):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.administration_start(
            participant=cast.participant, choice=who5, by=cast.users["facilitator"]
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
