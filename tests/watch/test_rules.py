"""Rule evaluation on dated fixtures: what each rule notices, and what it never raises twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import translation

from isa.core.actor import Actor
from isa.journal.models import EntryKind
from isa.journal.services import entry_write
from isa.people import services as people
from isa.presence.models import PresenceState
from isa.watch import rules
from isa.watch.models import Alert, WatchRule
from isa.watch.rules import Finding, ParamSpec, register_rule
from isa.watch.services import alert_resolve, rules_for, watch_evaluate
from tests.watch.conftest import TODAY, Scene


def kinds(alerts: list[Alert]) -> list[tuple[str, str]]:
    return sorted((a.kind, a.situation) for a in alerts)


# -- several usual half-days without coming ----------------------------------------------------


def test_three_missed_pact_half_days_in_a_row_open_one_alert(absence: Scene):
    absence.attend(date(2024, 6, 3), date(2025, 3, 10))  # last came Monday 10 March
    # Thursday 20: missed Wednesday 12, Monday 17, Wednesday 19.
    created = absence.evaluate(date(2025, 3, 20))
    assert kinds(created) == [("absent_streak", "absent:2025-03-12")]
    alert = created[0]
    assert alert.participant == absence.participant
    assert alert.facts == {"missed": 3, "since": "2025-03-12", "part": "pm"}
    assert alert.opened_on == date(2025, 3, 20)
    assert "3" in alert.summary and "12.03.2025" in alert.summary


def test_two_missed_half_days_are_not_enough(absence: Scene):
    absence.attend(date(2024, 6, 3), date(2025, 3, 10))
    assert absence.evaluate(date(2025, 3, 18)) == []  # Wednesday 12 and Monday 17


def test_the_day_itself_is_not_counted_before_the_register_is_filled_in(absence: Scene):
    absence.attend(date(2024, 6, 3), date(2025, 3, 12))
    # Wednesday 19 in the morning: Monday 17 missed; the afternoon has not happened yet.
    assert absence.evaluate(date(2025, 3, 19)) == []


def test_the_same_streak_never_raises_a_second_alert(absence: Scene):
    absence.attend(date(2024, 6, 3), date(2025, 3, 10))
    assert len(absence.evaluate(date(2025, 3, 20))) == 1
    assert absence.evaluate(date(2025, 3, 20)) == []
    # The streak grows (Monday 24 too): still the same situation, still one alert.
    assert absence.evaluate(TODAY) == []
    alert = Alert.objects.get()
    alert_resolve(
        alert=alert, resolution="Phoned: ill, back soon.", actor=absence.cast.actor("watcher")
    )
    assert absence.evaluate(TODAY) == []
    assert Alert.objects.count() == 1


def test_a_new_streak_after_coming_back_is_a_new_situation(absence: Scene):
    absence.attend(date(2024, 6, 3), date(2025, 2, 24))
    # Missed 26.2, 3.3, 5.3 → alert on Thursday 6 March.
    assert kinds(absence.evaluate(date(2025, 3, 6))) == [("absent_streak", "absent:2025-02-26")]
    alert_resolve(
        alert=Alert.objects.get(),
        resolution="Came by for coffee.",
        actor=absence.cast.actor("watcher"),
    )
    absence.attend(date(2025, 3, 10), date(2025, 3, 10))  # came back on Monday 10
    assert kinds(absence.evaluate(TODAY)) == [("absent_streak", "absent:2025-03-12")]


def test_no_second_streak_alert_while_one_is_open(absence: Scene):
    absence.attend(date(2024, 6, 3), date(2025, 2, 24))
    assert len(absence.evaluate(date(2025, 3, 6))) == 1
    absence.attend(date(2025, 3, 10), date(2025, 3, 10))
    # Someone is already taking news: the new streak waits for that alert to be resolved.
    assert [a.kind for a in absence.evaluate(TODAY)] == []


def test_coming_on_another_half_day_counts_as_coming(absence: Scene):
    absence.attend(date(2024, 6, 3), date(2025, 3, 10))
    absence.come(date(2025, 3, 18), "am")  # a Tuesday morning, outside the pact
    # Since then: only Wednesday 19 and Monday 24 missed.
    assert absence.evaluate(TODAY) == []


def test_a_half_day_whose_register_was_not_filled_in_is_not_counted(absence: Scene):
    absence.attend(date(2024, 6, 3), date(2025, 3, 10))
    # Nobody's presence recorded on Monday 17: perhaps the register was forgotten.
    absence.sessions[(date(2025, 3, 17), "am")].presences.all().delete()
    assert absence.evaluate(date(2025, 3, 20)) == []  # only 12 and 19 count
    assert kinds(absence.evaluate(TODAY)) == [("absent_streak", "absent:2025-03-12")]
    assert Alert.objects.get().facts["missed"] == 3


def test_an_absence_noted_in_the_register_counts_as_not_coming(absence: Scene):
    absence.attend(date(2024, 6, 3), date(2025, 3, 10))
    absence.sessions[(date(2025, 3, 17), "am")].presences.all().delete()
    absence.come(date(2025, 3, 17), "am", state=PresenceState.ABSENT)
    assert len(absence.evaluate(date(2025, 3, 20))) == 1


def test_cancelled_sessions_and_closed_days_are_not_missed(absence: Scene):
    absence.attend(date(2024, 6, 3), date(2025, 3, 10))
    session = absence.sessions[(date(2025, 3, 17), "am")]
    session.cancelled = True
    session.save(update_fields=["cancelled"])
    assert absence.evaluate(date(2025, 3, 20)) == []


def test_nothing_is_raised_during_a_pause_nor_counted_across_it(absence: Scene):
    cast = absence.cast
    head = cast.users["head"]
    absence.attend(date(2024, 6, 3), date(2025, 3, 3))
    people.participant_pause(
        participant=cast.participant, on=date(2025, 3, 4), actor=Actor.of(head)
    )
    assert absence.evaluate(date(2025, 3, 20)) == []  # on a pause: nothing
    people.participant_resume(
        participant=cast.participant, on=date(2025, 3, 19), actor=Actor.of(head)
    )
    # Back since Wednesday 19: missed 19 and 24 only; the pause broke the count.
    assert absence.evaluate(TODAY) == []


def test_a_long_absence_is_one_situation_day_after_day(absence: Scene, time_machine):
    absence.attend(date(2024, 6, 3), date(2024, 9, 30))  # not seen since Monday 30 September
    created = absence.evaluate(date(2025, 3, 25))
    assert kinds(created) == [("absent_streak", "absent:2024-10-02")]
    assert created[0].facts["missed"] > 40
    alert_resolve(
        alert=created[0],
        resolution="Moved to Monthey, will call.",
        actor=absence.cast.actor("head"),
    )
    time_machine.move_to("2025-03-27 07:00 +01:00", tick=False)
    assert absence.evaluate(date(2025, 3, 26)) == []
    assert absence.evaluate(date(2025, 3, 27)) == []


def test_people_waiting_or_gone_are_not_watched_for_absence(absence: Scene):
    cast = absence.cast
    people.participant_exit(
        participant=cast.participant,
        on=date(2025, 3, 11),
        reason="moved",
        actor=cast.actor("head"),
    )
    absence.attend(date(2024, 6, 3), date(2025, 3, 10))
    assert absence.evaluate(TODAY) == []


# -- comes less often than before --------------------------------------------------------------


def _came_to(scene: Scene, start: date, end: date, every: int) -> None:
    """Came to one pact half-day in ``every`` between two dates."""
    keys = sorted(k for k in scene.sessions if start <= k[0] <= end)
    for index, (day, part) in enumerate(keys):
        if index % every == 0:
            scene.come(day, part)


def test_a_drop_of_the_rate_opens_an_alert_once_a_week(scene: Scene):
    # Previous 12 weeks (3.12.2024–25.2.2025): came to all; last 4 weeks: one in two.
    scene.attend(date(2024, 11, 1), date(2025, 2, 25))
    _came_to(scene, date(2025, 2, 26), date(2025, 3, 25), every=2)
    created = [a for a in scene.evaluate() if a.kind == "rate_drop"]
    assert kinds(created) == [("rate_drop", "rate:2025-W13")]
    facts = created[0].facts
    assert facts["recent"] * 2 == facts["recent_expected"] == 8
    assert facts["before"] == facts["before_expected"] == 24
    with translation.override("en"):
        description = created[0].description
    assert "50 %" in description and "100 %" in description
    assert [a for a in scene.evaluate() if a.kind == "rate_drop"] == []


def test_the_figures_of_a_rate_alert_say_on_which_day_they_were_taken(scene: Scene):
    """Weeks later the file shows the rate of that day; the alert's "50 %" beside it must say
    it was the figure of 26 March, not today's."""
    scene.attend(date(2024, 11, 1), date(2025, 2, 25))
    _came_to(scene, date(2025, 2, 26), date(2025, 3, 25), every=2)
    (alert,) = [a for a in scene.evaluate() if a.kind == "rate_drop"]
    assert alert.summary.startswith("Le 26.03.2025 : venu·e à 4 ")
    assert "(50 %)" in alert.summary
    with translation.override("de"):
        assert alert.description.startswith("Am 26.03.2025: an 4 von 8 ")
    with translation.override("en"):
        assert alert.description.startswith("On 26.03.2025: came to 4 of 8 ")


def test_a_small_drop_is_not_an_alert(scene: Scene):
    scene.attend(date(2024, 11, 1), date(2025, 2, 25))
    _came_to(scene, date(2025, 2, 26), date(2025, 3, 25), every=1)
    scene.sessions[(date(2025, 3, 3), "am")].presences.filter(
        participant=scene.participant
    ).delete()  # missed one of eight: 12.5 points
    assert [a for a in scene.evaluate() if a.kind == "rate_drop"] == []


def test_the_threshold_is_a_parameter(scene: Scene):
    scene.attend(date(2024, 11, 1), date(2025, 2, 25))
    _came_to(scene, date(2025, 2, 26), date(2025, 3, 25), every=1)
    scene.sessions[(date(2025, 3, 3), "am")].presences.filter(
        participant=scene.participant
    ).delete()
    rules_for(scene.cast.programme)
    WatchRule.objects.filter(kind="rate_drop").update(params={"points": 10, "min_half_days": 4})
    assert [a.kind for a in scene.evaluate() if a.kind == "rate_drop"] == ["rate_drop"]


def test_too_few_usual_half_days_say_nothing(scene: Scene):
    cast = scene.cast
    # A new pact since mid-March: only 3 usual half-days in the last four weeks.
    people.pact_renegotiate(
        participant=cast.participant,
        valid_from=date(2025, 3, 14),
        half_days=["mon_am"],
        actor=cast.actor("head"),
    )
    people.pact_renegotiate(
        participant=cast.participant,
        valid_from=date(2025, 2, 26),
        half_days=[],
        actor=cast.actor("head"),
    )
    scene.attend(date(2024, 11, 1), date(2025, 2, 25))
    assert [a for a in scene.evaluate() if a.kind == "rate_drop"] == []


def test_a_streak_of_absences_is_not_also_raised_as_a_drop(scene: Scene):
    scene.attend(date(2024, 6, 3), date(2025, 3, 10))
    # Five of eight in the last four weeks (a drop of 37.5 points), and three missed in a
    # row: the watchers hear about it once.
    assert kinds(scene.evaluate(date(2025, 3, 20))) == [("absent_streak", "absent:2025-03-12")]
    alert_resolve(alert=Alert.objects.get(), resolution="Called.", actor=scene.cast.actor("head"))
    assert scene.evaluate(date(2025, 3, 21)) == []  # the streak alert is recent


def test_after_a_rate_alert_the_rule_waits_four_weeks(scene: Scene, time_machine):
    scene.attend(date(2024, 11, 1), date(2025, 2, 25))
    _came_to(scene, date(2025, 2, 26), date(2025, 3, 25), every=2)
    alert = next(a for a in scene.evaluate() if a.kind == "rate_drop")
    alert_resolve(alert=alert, resolution="Talked about it.", actor=scene.cast.actor("watcher"))
    time_machine.move_to("2025-04-02 07:00 +02:00", tick=False)
    assert [a for a in scene.evaluate(date(2025, 4, 2)) if a.kind == "rate_drop"] == []


# -- a concern in the journal ------------------------------------------------------------------


def _concern(
    scene: Scene, days_ago: int, visibility: str = "team", text: str = "Très fatigué."
) -> int:
    return entry_write(
        programme=scene.cast.programme,
        participants=[scene.participant],
        actor=scene.cast.actor("social_worker"),
        written_on=TODAY - timedelta(days=days_ago),
        kind=EntryKind.CONCERN,
        tags=[],
        posture="social_worker",
        visibility=visibility,
        text=text,
    ).pk


def test_a_recent_concern_opens_an_alert_that_points_to_the_entry(scene: Scene):
    scene.attend(date(2024, 6, 3), date(2025, 3, 25))
    entry_id = _concern(scene, 3, visibility="restricted", text="Parle d'une hospitalisation.")
    created = scene.evaluate()
    assert kinds(created) == [("concern_entry", f"concern:{entry_id}")]
    alert = created[0]
    assert alert.entry_id == entry_id
    assert "hospitalisation" not in alert.summary
    assert "23.03.2025" in alert.summary
    assert scene.evaluate() == []


def test_an_old_concern_or_another_kind_of_entry_raises_nothing(scene: Scene):
    scene.attend(date(2024, 6, 3), date(2025, 3, 25))
    _concern(scene, 31)
    assert scene.evaluate() == []


def test_each_concern_is_its_own_situation(scene: Scene):
    scene.attend(date(2024, 6, 3), date(2025, 3, 25))
    _concern(scene, 10)
    _concern(scene, 2)
    assert [a.kind for a in scene.evaluate()] == ["concern_entry", "concern_entry"]


# -- the registry and the settings -------------------------------------------------------------


@pytest.fixture
def extra_rules():
    before = dict(rules._rules)
    yield
    rules._rules.clear()
    rules._rules.update(before)


def test_another_app_can_register_a_rule(scene: Scene, extra_rules):
    seen = {}

    def evaluate(programme, params, today):
        seen["params"] = params
        yield (scene.participant, "declined:2025-03", "Declined the questionnaire twice.")
        yield Finding(scene.cast.foreign_participant, "declined:2025-03", "not ours")

    register_rule(
        "declined",
        "Declined twice",
        {"times": 2},
        evaluate,
        param_specs={"times": ParamSpec("Times", 1, 5)},
    )
    scene.attend(date(2024, 6, 3), date(2025, 3, 25))
    created = scene.evaluate()
    assert [(a.kind, a.summary, a.participant_id) for a in created] == [
        ("declined", "Declined the questionnaire twice.", scene.participant.pk)
    ]
    assert seen["params"] == {"times": 2}
    assert created[0].label == "Declined twice"
    assert created[0].description == "Declined the questionnaire twice."


def test_a_failing_rule_does_not_stop_the_others(scene: Scene, extra_rules):
    def broken(programme, params, today):
        raise RuntimeError("boom")

    register_rule("broken", "Broken", {}, broken)
    scene.only("absent_streak", "broken")
    scene.attend(date(2024, 6, 3), date(2025, 3, 10))
    result = watch_evaluate(
        programme=scene.cast.programme, actor=Actor.job("isa watch"), today=TODAY
    )
    assert result.failed == ["broken"]
    assert [a.kind for a in result.created] == ["absent_streak"]


def test_a_rule_that_is_off_raises_nothing(scene: Scene):
    scene.attend(date(2024, 6, 3), date(2025, 3, 10))
    scene.only("concern_entry")
    assert scene.evaluate() == []


def test_rule_rows_are_created_once_with_the_defaults(cast):
    pairs = rules_for(cast.programme)
    codes = ["absent_streak", "rate_drop", "concern_entry", "low_score"]  # + evaluation's
    assert [rule.code for rule, _row in pairs] == codes
    assert {row.kind: row.params for _rule, row in pairs}["absent_streak"] == {"half_days": 3}
    rules_for(cast.programme)
    assert WatchRule.objects.filter(programme=cast.programme).count() == len(codes)


def test_parameters_are_checked_against_their_bounds():
    rule = rules.get_rule("absent_streak")
    assert rule.clean_params({"half_days": "5", "unknown": 9}) == {"half_days": 5}
    assert rule.clean_params(None) == {"half_days": 3}
    for bad in (0, 21, "three", 2.5):
        with pytest.raises(Exception) as exc:
            rule.clean_params({"half_days": bad})
        assert "half_days" in exc.value.message_dict
