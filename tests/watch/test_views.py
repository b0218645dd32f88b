"""The watch pages: who reaches them, what they show, and the forms with their bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from isa.core.actor import Actor
from isa.core.models import AuditAction, AuditEvent
from isa.journal.models import EntryKind
from isa.journal.services import entry_write
from isa.people import services as people
from isa.watch.models import Alert, AlertStatus, Outreach, WatchRule
from isa.watch.services import alert_resolve, outreach_record
from tests.conftest import CAST_ROLES, Cast, refer
from tests.watch.conftest import TODAY, Scene

WATCHING = {"head", "social_worker", "watcher"}


@pytest.fixture
def alert(scene: Scene) -> Alert:
    scene.only("absent_streak")
    scene.attend(date(2024, 6, 3), date(2025, 3, 10))
    (alert,) = scene.evaluate()
    return alert


@pytest.fixture(autouse=True)
def _english_pages(monkeypatch):
    """These tests read the pages in English."""
    original = Cast.client

    def client(self: Cast, who: str):
        browser = original(self, who)
        browser.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return browser

    monkeypatch.setattr(Cast, "client", client)


def board_url(cast: Cast) -> str:
    return reverse("watch_board", args=[cast.programme.pk])


def alert_url(alert: Alert, name: str = "watch_alert") -> str:
    return reverse(name, args=[alert.programme_id, alert.pk])


# -- who reaches what --------------------------------------------------------------------------


def _expected(allowed: set[str], ok: int = 200) -> dict[str, int]:
    table = {}
    for who in CAST_ROLES:
        if who == "anonymous":
            table[who] = 302
        elif who in allowed:
            table[who] = ok
        elif who in {"facilitator", "referrer", "funder", "researcher"} or who in WATCHING:
            table[who] = 403
        else:
            table[who] = 404  # other_head, sysadmin: not members of the programme
    return table


def test_the_board_is_for_those_who_watch(alert: Alert, scene: Scene):
    cast = scene.cast
    for who, status in _expected(WATCHING).items():
        assert cast.client(who).get(board_url(cast)).status_code == status, who


def test_an_alert_is_for_those_who_watch(alert: Alert, scene: Scene):
    cast = scene.cast
    for who, status in _expected(WATCHING).items():
        assert cast.client(who).get(alert_url(alert)).status_code == status, who


def test_the_rules_are_for_the_head(scene: Scene):
    cast = scene.cast
    url = reverse("watch_rules", args=[cast.programme.pk])
    for who, status in _expected({"head"}).items():
        assert cast.client(who).get(url).status_code == status, who


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("watch_take", {}),
        ("watch_outreach", {"kind": "phone", "on": "2025-03-26"}),
        ("watch_resolve", {"resolution": "Fine."}),
    ],
)
def test_the_actions_are_for_those_who_watch(alert: Alert, scene: Scene, name, data):
    cast = scene.cast
    for who, status in _expected({"watcher"}, ok=302).items():
        if who in {"head", "social_worker"}:
            continue  # checked below, once the alert is still open
        assert cast.client(who).post(alert_url(alert, name), data).status_code == status, who
    assert cast.client("head").post(alert_url(alert, name), data).status_code in {302, 400}
    assert cast.client("head").get(alert_url(alert, name)).status_code == 405


def test_an_alert_of_another_programme_is_not_found(scene: Scene):
    cast = scene.cast
    foreign = Alert.objects.create(
        programme=cast.other_programme,
        participant=cast.foreign_participant,
        kind="absent_streak",
        situation="absent:2025-03-03",
        opened_on=TODAY,
    )
    # Through our programme's address, and through theirs.
    assert (
        cast.client("head")
        .get(reverse("watch_alert", args=[cast.programme.pk, foreign.pk]))
        .status_code
        == 404
    )
    assert cast.client("head").get(alert_url(foreign)).status_code == 404
    assert (
        cast.client("head")
        .post(reverse("watch_resolve", args=[cast.programme.pk, foreign.pk]), {"resolution": "x"})
        .status_code
        == 404
    )
    assert cast.client("other_head").get(alert_url(foreign)).status_code == 200


# -- the board ---------------------------------------------------------------------------------


def test_the_board_lists_open_alerts_oldest_first(scene: Scene):
    cast = scene.cast
    p1 = cast.participant
    p2 = scene.other
    newer = Alert.objects.create(
        programme=cast.programme,
        participant=p1,
        kind="absent_streak",
        situation="absent:2025-03-20",
        opened_on=date(2025, 3, 24),
        facts={"missed": 3, "since": "2025-03-20", "part": "am"},
    )
    older = Alert.objects.create(
        programme=cast.programme,
        participant=p2,
        kind="absent_streak",
        situation="absent:2025-03-01",
        opened_on=date(2025, 3, 5),
        facts={"missed": 4, "since": "2025-03-01", "part": "am"},
    )
    response = cast.client("watcher").get(board_url(cast))
    rows = response.context["rows"]
    assert [r["alert"] for r in rows] == [older, newer]
    assert [r["days"] for r in rows] == [21, 2]
    content = response.content.decode()
    assert content.index("Bonvin") < content.index("Zufferey")
    assert "Has not come for 4 of their usual half-days in a row" in content
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="watch.alert", programme_id=cast.programme.pk
    ).exists()


def test_resolved_alerts_of_the_last_thirty_days_come_below(alert: Alert, scene: Scene):
    cast = scene.cast
    alert_resolve(alert=alert, resolution="Fine.", actor=cast.actor("watcher"))
    response = cast.client("watcher").get(board_url(cast))
    assert response.context["rows"] == []
    assert [r["alert"] for r in response.context["resolved"]] == [alert]


def test_a_concern_links_to_the_entry_only_for_those_who_may_read_it(scene: Scene):
    cast = scene.cast
    scene.attend(date(2024, 6, 3), date(2025, 3, 25))
    entry = entry_write(
        programme=cast.programme,
        participants=[cast.participant],
        actor=cast.actor("social_worker"),
        written_on=TODAY - timedelta(days=2),
        kind=EntryKind.CONCERN,
        tags=[],
        posture="social_worker",
        visibility="restricted",
        text="Parle d'une hospitalisation récente.",
    )
    (alert,) = scene.evaluate()
    entry_link = reverse("journal_entry", args=[cast.programme.pk, entry.pk])
    for who, readable in (("social_worker", True), ("head", True), ("watcher", False)):
        for url in (board_url(cast), alert_url(alert)):
            content = cast.client(who).get(url).content.decode()
            assert (entry_link in content) is readable, (who, url)
            assert "hospitalisation" not in content
            assert "A concern was noted in the journal on 24.03.2025." in content or (
                "24.03.2025" in content
            )
    # A facilitator never reaches the alert at all.
    assert cast.client("facilitator").get(alert_url(alert)).status_code == 403


def test_the_board_query_count_is_constant(scene: Scene, django_assert_max_num_queries):
    cast = scene.cast
    client = cast.client("watcher")

    def add_alerts(n: int, start: int) -> None:
        for i in range(start, start + n):
            person = refer(
                cast.programme,
                cast.users["social_worker"],
                f"Nom{i}",
                "Test",
                birth_date=date(1970, 1, 1) + timedelta(days=i),
            ).participant
            a = Alert.objects.create(
                programme=cast.programme,
                participant=person,
                kind="concern_entry",
                situation=f"concern:{i}",
                opened_on=TODAY,
                entry_id=cast.entry.pk,
                facts={"written_on": "2025-03-20"},
            )
            outreach_record(alert=a, kind="phone", on=TODAY, actor=cast.actor("watcher"))
            if i % 2:
                alert_resolve(alert=a, resolution="Fine.", actor=cast.actor("watcher"))

    add_alerts(2, 0)
    with django_assert_max_num_queries(30) as few:
        client.get(board_url(cast))
    add_alerts(8, 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(board_url(cast))
    assert len(response.context["rows"]) == 5


# -- one alert: outreach, take, resolve --------------------------------------------------------


def test_recording_an_outreach(alert: Alert, scene: Scene):
    cast = scene.cast
    response = cast.client("watcher").post(
        alert_url(alert, "watch_outreach"),
        {"kind": "home_visit", "on": "2025-03-25", "note": "Nobody answered the door."},
    )
    assert response.status_code == 302
    assert response.url == alert_url(alert)
    outreach = Outreach.objects.get()
    assert (outreach.kind, outreach.on, outreach.by) == (
        "home_visit",
        date(2025, 3, 25),
        cast.users["watcher"],
    )
    content = cast.client("watcher").get(alert_url(alert)).content.decode()
    assert "Nobody answered the door." in content
    assert "Home visit" in content or "Visite" in content


def test_an_outreach_in_the_future_is_refused(alert: Alert, scene: Scene):
    response = scene.cast.client("watcher").post(
        alert_url(alert, "watch_outreach"), {"kind": "phone", "on": "2025-03-27"}
    )
    assert response.status_code == 400
    assert response.context["outreach_form"].errors["on"]
    assert not Outreach.objects.exists()


def test_an_outreach_of_an_unknown_kind_is_refused(alert: Alert, scene: Scene):
    response = scene.cast.client("watcher").post(
        alert_url(alert, "watch_outreach"), {"kind": "pigeon", "on": "2025-03-26"}
    )
    assert response.status_code == 400
    assert not Outreach.objects.exists()


def test_resolving_without_a_comment_explains_why(alert: Alert, scene: Scene):
    response = scene.cast.client("watcher").post(
        alert_url(alert, "watch_resolve"), {"resolution": "   "}
    )
    assert response.status_code == 400
    errors = response.context["resolve_form"].errors["resolution"]
    assert errors
    assert errors[0] in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN


def test_resolving_with_a_comment(alert: Alert, scene: Scene):
    cast = scene.cast
    response = cast.client("social_worker").post(
        alert_url(alert, "watch_resolve"), {"resolution": "We spoke; back on Monday."}
    )
    assert response.status_code == 302
    assert response.url == board_url(cast)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert alert.resolution == "We spoke; back on Monday."
    assert alert.resolved_by == cast.users["social_worker"]
    again = cast.client("watcher").post(alert_url(alert, "watch_resolve"), {"resolution": "x"})
    assert again.status_code == 400
    assert "already been resolved" in again.content.decode()


def test_im_on_it_and_hand_back(alert: Alert, scene: Scene):
    cast = scene.cast
    client = cast.client("watcher")
    assert client.post(alert_url(alert, "watch_take")).status_code == 302
    alert.refresh_from_db()
    assert alert.taken_by == cast.users["watcher"]
    page = client.get(alert_url(alert))
    assert page.context["mine"] is True
    client.post(alert_url(alert, "watch_take"), {"release": "1"})
    alert.refresh_from_db()
    assert alert.taken_by is None


def test_the_alert_page_is_audited(alert: Alert, scene: Scene):
    scene.cast.client("watcher").get(alert_url(alert))
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="watch.alert", object_id=str(alert.pk)
    ).exists()


# -- the rules page ----------------------------------------------------------------------------


def test_the_head_turns_a_rule_off_and_sets_parameters(scene: Scene):
    cast = scene.cast
    url = reverse("watch_rules", args=[cast.programme.pk])
    response = cast.client("head").post(
        url,
        {
            "absent_streak-half_days": "4",
            "rate_drop-enabled": "on",
            "rate_drop-points": "30",
            "rate_drop-min_half_days": "4",
            "concern_entry-enabled": "on",
            "concern_entry-days": "14",
            "low_score-enabled": "on",  # evaluation's rule, unchanged
            "low_score-days": "60",
        },
    )
    assert response.status_code == 302
    rows = {r.kind: r for r in WatchRule.objects.filter(programme=cast.programme)}
    assert rows["absent_streak"].enabled is False
    assert rows["absent_streak"].params == {"half_days": 4}
    assert rows["rate_drop"].params == {"points": 30, "min_half_days": 4}
    assert rows["concern_entry"].params == {"days": 14}
    assert AuditEvent.objects.filter(object_type="watch.watchrule").count() == 3
    # Saved again unchanged: nothing more in the audit log.
    cast.client("head").post(
        url,
        {
            "absent_streak-half_days": "4",
            "rate_drop-enabled": "on",
            "rate_drop-points": "30",
            "rate_drop-min_half_days": "4",
            "concern_entry-enabled": "on",
            "concern_entry-days": "14",
            "low_score-enabled": "on",  # evaluation's rule, unchanged
            "low_score-days": "60",
        },
    )
    assert AuditEvent.objects.filter(object_type="watch.watchrule").count() == 3


def test_parameters_out_of_bounds_are_refused(scene: Scene):
    cast = scene.cast
    url = reverse("watch_rules", args=[cast.programme.pk])
    response = cast.client("head").post(
        url,
        {
            "absent_streak-enabled": "on",
            "absent_streak-half_days": "0",
            "rate_drop-enabled": "on",
            "rate_drop-points": "30",
            "rate_drop-min_half_days": "4",
            "concern_entry-enabled": "on",
            "concern_entry-days": "14",
            "low_score-enabled": "on",  # evaluation's rule, unchanged
            "low_score-days": "60",
        },
    )
    assert response.status_code == 400
    assert response.context["forms"][0].errors["half_days"]
    assert WatchRule.objects.get(programme=cast.programme, kind="absent_streak").params == {
        "half_days": 3
    }


# -- panels ------------------------------------------------------------------------------------


def test_the_programme_page_counts_open_alerts_for_those_who_watch(alert: Alert, scene: Scene):
    cast = scene.cast
    url = reverse("programme", args=[cast.programme.pk])
    board = board_url(cast)
    for who in ("head", "social_worker", "watcher"):
        assert board in cast.client(who).get(url).content.decode(), who
    for who in ("facilitator", "referrer", "funder", "researcher"):
        assert board not in cast.client(who).get(url).content.decode(), who


def test_security_without_stagnation_is_for_the_head_only(frozen, cast: Cast):
    url = reverse("programme", args=[cast.programme.pk])
    # Jean-Marc: accompanied since March 2024; last small step noted on 11.03.2024.
    response = cast.client("head").get(url)
    (panel,) = [p for t, p in response.context["panels"] if t == "watch/_programme_panel.html"]
    assert [p.pk for p in panel["stagnation"]] == [cast.participant.pk]
    assert "never a score" in response.content.decode()
    for who in ("social_worker", "watcher", "facilitator", "funder", "researcher", "referrer"):
        content = cast.client(who).get(url).content.decode()
        assert "Security without stagnation" not in content, who
    # A small step noted last week takes him off the list.
    entry_write(
        programme=cast.programme,
        participants=[cast.participant],
        actor=cast.actor("facilitator"),
        written_on=TODAY - timedelta(days=7),
        kind=EntryKind.SMALL_STEP,
        tags=[],
        posture="facilitator",
        visibility="team",
        text="A montré sa gravure.",
    )
    response = cast.client("head").get(url)
    (panel,) = [p for t, p in response.context["panels"] if t == "watch/_programme_panel.html"]
    assert panel["stagnation"] == []


def test_stagnation_counts_every_journal_entry_of_the_person_as_a_small_step(frozen, cast: Cast):
    """Jean-Marc's file lists observations, conversations and a group outing under "Small
    steps": the programme home does not say that nothing was noted for three months."""
    other = refer(cast.programme, cast.users["head"], "Bonvin", "Lise").participant
    people.participant_admit(participant=other, on=date(2024, 3, 4), actor=cast.actor("head"))
    for days, kind, who in [
        (40, EntryKind.OBSERVATION, [cast.participant]),
        (20, EntryKind.CONVERSATION, [cast.participant]),
        (10, EntryKind.EVENT, [cast.participant, other]),
    ]:
        entry_write(
            programme=cast.programme,
            participants=who,
            actor=cast.actor("facilitator"),
            written_on=TODAY - timedelta(days=days),
            kind=kind,
            tags=[],
            posture="facilitator",
            visibility="team",
            text="A posé des questions à la médiatrice du musée.",
        )
    response = cast.client("head").get(reverse("programme", args=[cast.programme.pk]))
    (panel,) = [p for t, p in response.context["panels"] if t == "watch/_programme_panel.html"]
    assert panel["stagnation"] == []
    assert "no small step noted yet" not in response.content.decode()


def test_stagnation_counts_the_current_stay_not_the_first_admission(frozen, cast: Cast):
    head = cast.users["head"]
    people.participant_exit(
        participant=cast.participant, on=date(2025, 1, 6), reason="own_choice", actor=Actor.of(head)
    )
    people.participant_admit(
        participant=cast.participant, on=date(2025, 2, 3), actor=Actor.of(head)
    )
    response = cast.client("head").get(reverse("programme", args=[cast.programme.pk]))
    (panel,) = [p for t, p in response.context["panels"] if t == "watch/_programme_panel.html"]
    assert panel["stagnation"] == []


def test_the_file_shows_open_alerts_to_those_who_watch(alert: Alert, scene: Scene):
    cast = scene.cast
    url = reverse("participant", args=[cast.programme.pk, cast.participant.pk])
    link = alert_url(alert)
    for who in ("head", "social_worker", "watcher"):
        assert link in cast.client(who).get(url).content.decode(), who
    assert link not in cast.client("facilitator").get(url).content.decode()
