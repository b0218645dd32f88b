"""A low WHO-5 score raises a watch alert at once, carefully worded, once per questionnaire."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from isa.core.actor import Actor
from isa.evaluation import services
from isa.evaluation.catalogue import choice_for
from isa.watch.models import Alert
from isa.watch.services import watch_evaluate
from tests.conftest import Cast

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _who5(cast: Cast, answers: dict[int, int | None], days_ago: int = 1):
    return services.administration_enter_paper(
        participant=cast.participant,
        choice=choice_for(cast.programme, "who5"),
        on=timezone.localdate() - timedelta(days=days_ago),
        answers=answers,
        actor=cast.actor("social_worker"),
    )


def test_a_low_who5_raises_one_careful_alert_at_once(cast: Cast):
    a = _who5(cast, {1: 1, 2: 2, 3: 1, 4: 2, 5: 1})  # raw 7
    assert a.signal
    alert = Alert.objects.get(kind="low_score")
    assert alert.participant == cast.participant
    assert alert.situation == f"questionnaire:{a.pk}"
    assert alert.facts == {"on": a.on.isoformat()}  # no answers, no score
    # Raised once: running the watch again opens nothing more.
    watch_evaluate(programme=cast.programme, actor=Actor.job("isa watch"))
    assert Alert.objects.filter(kind="low_score").count() == 1
    with translation.override("en"):
        assert alert.label == "A moment to check in (social work)"
        assert alert.description == "A moment to check in, noted by the social work team."
        assert "7" not in alert.description


def test_a_score_above_the_threshold_raises_nothing(cast: Cast):
    a = _who5(cast, {1: 2, 2: 2, 3: 2, 4: 1, 5: 1})  # raw 8
    assert not a.signal
    assert not Alert.objects.filter(kind="low_score").exists()


def test_only_the_latest_questionnaire_counts(cast: Cast):
    _who5(cast, {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}, days_ago=20)
    assert Alert.objects.filter(kind="low_score").count() == 1
    Alert.objects.all().delete()
    _who5(cast, {1: 4, 2: 4, 3: 4, 4: 4, 5: 4}, days_ago=2)
    watch_evaluate(programme=cast.programme, actor=Actor.job("isa watch"))
    assert not Alert.objects.filter(kind="low_score").exists()


def test_the_watcher_sees_a_questionnaire_signal_only(cast: Cast):
    _who5(cast, {1: 0, 2: 0, 3: 1, 4: 0, 5: 0})
    alert = Alert.objects.get(kind="low_score")
    page = cast.client("watcher").get(
        reverse("watch_alert", args=[cast.programme.pk, alert.pk]), **EN
    )
    assert page.status_code == 200
    content = page.content.decode()
    assert "A moment to check in, noted by the social work team." in content
    assert "WHO-5" not in content and "well-being" not in content.lower()
    # The watcher still cannot open the questionnaire.
    url = reverse("administration_detail", args=[cast.programme.pk, alert.situation.split(":")[1]])
    assert cast.client("watcher").get(url).status_code == 403


def test_the_rule_can_be_turned_off(cast: Cast):
    from isa.watch.services import rule_update

    rule_update(
        programme=cast.programme,
        kind="low_score",
        enabled=False,
        params={},
        actor=cast.actor("head"),
    )
    _who5(cast, {1: 0, 2: 0, 3: 0, 4: 0, 5: 0})
    assert not Alert.objects.filter(kind="low_score").exists()


def _revealing(content: str) -> list[str]:
    lowered = content.lower()
    words = ["questionnaire", "well-being", "bien-être", "bien-etre", "score"]
    found = [w for w in words if w in lowered]
    return found + (["WHO"] if "WHO" in content else [])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_nothing_tells_the_watcher_a_questionnaire_came_out_low(cast: Cast, language: str):
    """Watchers never see questionnaires (SECURITY.md): the board, the alert page and the
    person's file say only that it is a moment to check in, whatever the language."""
    _who5(cast, {1: 0, 2: 0, 3: 1, 4: 0, 5: 0})
    alert = Alert.objects.get(kind="low_score")
    watcher = cast.client("watcher")
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    pages = [
        reverse("watch_board", args=[cast.programme.pk]),
        reverse("watch_alert", args=[cast.programme.pk, alert.pk]),
        reverse("participant", args=[cast.programme.pk, cast.participant.pk]),
    ]
    for url in pages:
        page = watcher.get(url, **headers)
        assert page.status_code == 200
        content = page.content.decode()
        assert reverse("watch_alert", args=[cast.programme.pk, alert.pk]) in content
        assert _revealing(content) == [], (url, _revealing(content))
