"""Acting on alerts, the digest, the `isa watch` command and the hand-over when a watcher
leaves."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from isa.core.actor import Actor
from isa.core.models import AuditAction, AuditEvent, Membership, Role, User
from isa.core.services import membership_revoke
from isa.watch import services
from isa.watch.models import Alert, AlertStatus, DigestLog, Outreach, watch_holders
from tests.conftest import make_user
from tests.watch.conftest import TODAY, Scene

#: The actor of the nightly run.
JOB = Actor.job("isa watch")


@pytest.fixture
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ISA_SITE_URL = "https://isa.example"


@pytest.fixture
def alert(scene: Scene) -> Alert:
    scene.only("absent_streak")
    scene.attend(date(2024, 6, 3), date(2025, 3, 10))
    (alert,) = scene.evaluate()
    return alert


def run_watch(*args: str) -> str:
    out = StringIO()
    call_command("watch", *args, stdout=out)
    return out.getvalue()


# -- taking in hand, outreach, resolution ------------------------------------------------------


def test_outreach_is_logged_and_puts_the_alert_in_hand(alert: Alert, scene: Scene):
    watcher = scene.cast.users["watcher"]
    outreach = services.outreach_record(
        alert=alert,
        kind="phone",
        on=TODAY,
        note="Message on the answering machine.",
        actor=Actor.of(watcher),
    )
    assert Outreach.objects.get() == outreach
    alert.refresh_from_db()
    assert alert.taken_by == watcher
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="watch.outreach", object_id=str(outreach.pk)
    ).exists()
    # A second person's outreach does not take it from the watcher.
    services.outreach_record(
        alert=alert, kind="home_visit", on=TODAY, actor=scene.cast.actor("head")
    )
    alert.refresh_from_db()
    assert alert.taken_by == watcher
    assert alert.outreaches.count() == 2


def test_outreach_cannot_be_dated_in_the_future(alert: Alert, scene: Scene):
    with pytest.raises(ValidationError) as exc:
        services.outreach_record(
            alert=alert,
            kind="letter",
            on=TODAY + timedelta(days=1),
            actor=scene.cast.actor("watcher"),
        )
    assert "on" in exc.value.message_dict
    assert not Outreach.objects.exists()


def test_outreach_needs_a_known_kind(alert: Alert, scene: Scene):
    with pytest.raises(ValidationError):
        services.outreach_record(
            alert=alert, kind="pigeon", on=TODAY, actor=scene.cast.actor("head")
        )


def test_resolving_needs_a_comment_and_happens_once(alert: Alert, scene: Scene):
    watcher = scene.cast.users["watcher"]
    with pytest.raises(ValidationError) as exc:
        services.alert_resolve(alert=alert, resolution="   ", actor=Actor.of(watcher))
    assert "resolution" in exc.value.message_dict
    services.alert_resolve(
        alert=alert, resolution="She is ill, back next week.", actor=Actor.of(watcher)
    )
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RESOLVED
    assert alert.resolved_by == watcher and alert.resolved_at is not None
    assert alert.resolution == "She is ill, back next week."
    with pytest.raises(ValidationError):
        services.alert_resolve(alert=alert, resolution="Again.", actor=Actor.of(watcher))
    with pytest.raises(ValidationError):
        services.outreach_record(alert=alert, kind="phone", on=TODAY, actor=Actor.of(watcher))


def test_only_those_who_watch_may_act(alert: Alert, scene: Scene):
    for role in ("facilitator", "referrer", "funder", "other_head"):
        user = scene.cast.users[role]
        with pytest.raises(PermissionDenied):
            services.alert_take(alert=alert, actor=Actor.of(user))
        with pytest.raises(PermissionDenied):
            services.outreach_record(alert=alert, kind="phone", on=TODAY, actor=Actor.of(user))
        with pytest.raises(PermissionDenied):
            services.alert_resolve(alert=alert, resolution="x", actor=Actor.of(user))


def test_take_and_hand_back(alert: Alert, scene: Scene):
    watcher = scene.cast.users["watcher"]
    services.alert_take(alert=alert, actor=Actor.of(watcher))
    alert.refresh_from_db()
    assert alert.taken_by == watcher and alert.taken_at is not None
    services.alert_take(alert=alert, actor=Actor.of(watcher), release=True)
    alert.refresh_from_db()
    assert alert.taken_by is None


# -- a watcher leaves --------------------------------------------------------------------------


def test_a_watcher_who_leaves_hands_their_alerts_back_to_the_others(
    alert: Alert, scene: Scene, locmem
):
    cast = scene.cast
    leaving = cast.users["watcher"]
    staying = make_user("watcher2@test.example", "Second Watcher", language="de")
    Membership.objects.create(user=staying, programme=cast.programme, role=Role.WATCHER)
    services.alert_take(alert=alert, actor=Actor.of(leaving))
    assert alert.holder(watch_holders(cast.programme)) == leaving

    membership = Membership.objects.get(user=leaving, programme=cast.programme)
    membership_revoke(membership=membership, actor=cast.actor("head"))

    alert.refresh_from_db()
    assert alert.holder(watch_holders(cast.programme)) is None
    result = services.digest_send(actor=JOB, today=TODAY)
    assert result.sent == 1
    (message,) = mail.outbox
    assert message.to == ["watcher2@test.example"]
    assert f"https://isa.example/p/{cast.programme.pk}/watch/alerts/{alert.pk}/" in message.body
    assert "Watcher is on it" not in message.body
    # The one who left no longer reaches the board.
    assert cast.client("watcher").get(f"/p/{cast.programme.pk}/watch/").status_code == 404


def test_the_holder_counts_while_they_keep_a_watch_role(alert: Alert, scene: Scene, locmem):
    cast = scene.cast
    colleague = make_user("watcher2@test.example", "Second Watcher")
    Membership.objects.create(user=colleague, programme=cast.programme, role=Role.WATCHER)
    User.objects.filter(pk__in=[colleague.pk, cast.users["watcher"].pk]).update(language="en")
    services.alert_take(alert=alert, actor=cast.actor("watcher"))
    services.digest_send(actor=JOB, today=TODAY)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "you are on it" in bodies["watcher@test.example"]
    assert "Watcher is on it" in bodies["watcher2@test.example"]


# -- the digest --------------------------------------------------------------------------------


def test_the_digest_names_no_one_and_goes_once_a_day(alert: Alert, scene: Scene, locmem):
    first = services.digest_send(actor=JOB, today=TODAY)
    assert (first.sent, first.skipped) == (1, 0)
    (message,) = mail.outbox
    assert message.to == ["watcher@test.example"]
    assert "Zufferey" not in message.body and "Jean-Marc" not in message.body
    assert "Zufferey" not in message.subject
    assert "26.03.2025" in message.body
    second = services.digest_send(actor=JOB, today=TODAY)
    assert (second.sent, second.skipped) == (0, 1)
    assert len(mail.outbox) == 1
    assert DigestLog.objects.get().alert_count == 1
    assert (
        AuditEvent.objects.filter(action=AuditAction.EXPORT, object_type="watch.digest").count()
        == 1
    )
    # The next day, another one.
    assert services.digest_send(actor=JOB, today=TODAY + timedelta(days=1)).sent == 1


def test_no_digest_without_open_alerts(alert: Alert, scene: Scene, locmem):
    services.alert_resolve(alert=alert, resolution="Fine.", actor=scene.cast.actor("watcher"))
    assert services.digest_send(actor=JOB, today=TODAY).sent == 0
    assert mail.outbox == []
    assert not DigestLog.objects.exists()


def test_the_digest_speaks_the_watchers_language(alert: Alert, scene: Scene, locmem, monkeypatch):
    from django.utils import translation

    watcher = scene.cast.users["watcher"]
    watcher.language = "de"
    watcher.save(update_fields=["language"])
    spoken = []
    original = services.render_to_string

    def spy(*args, **kwargs):
        spoken.append(translation.get_language())
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "render_to_string", spy)
    services.digest_send(actor=JOB, today=TODAY)
    assert spoken == ["de"]
    watcher.language = "it"  # no Italian interface yet: the default language
    assert services._language(watcher) == "fr"


def test_a_failed_e_mail_is_tried_again_at_the_next_run(
    alert: Alert, scene: Scene, locmem, monkeypatch
):
    def refuse(self, *args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    result = services.digest_send(actor=JOB, today=TODAY)
    assert result.failed == [scene.cast.users["watcher"].pk]
    assert not DigestLog.objects.exists()
    monkeypatch.undo()
    assert services.digest_send(actor=JOB, today=TODAY).sent == 1


# -- the command -------------------------------------------------------------------------------


def test_isa_watch_twice_the_same_day_opens_and_sends_nothing_twice(scene: Scene, locmem):
    scene.only("absent_streak")
    scene.attend(date(2024, 6, 3), date(2025, 3, 10))
    out = run_watch()
    assert "1 new alert(s) in all" in out
    assert "1 e-mail(s) sent" in out
    out = run_watch()
    assert "0 new alert(s) in all" in out
    assert "0 e-mail(s) sent, 1 already sent today" in out
    assert Alert.objects.count() == 1
    assert len(mail.outbox) == 1


def test_isa_watch_on_a_given_date(scene: Scene, locmem):
    scene.only("absent_streak")
    scene.attend(date(2024, 6, 3), date(2025, 3, 10))
    assert "0 new alert(s)" in run_watch("--date", "2025-03-18")
    out = run_watch("--date", "2025-03-20")
    assert "1 new alert(s)" in out
    assert "No digest" in out
    assert Alert.objects.get().opened_on == date(2025, 3, 20)
    assert mail.outbox == []


def test_isa_watch_refuses_bad_input(scene: Scene):
    with pytest.raises(CommandError):
        run_watch("--date", "20.03.2025")
    with pytest.raises(CommandError):
        run_watch("--date", "2025-04-01")
    with pytest.raises(CommandError):
        run_watch("--programme", "999999")


def test_a_failing_rule_makes_the_command_fail_after_everything_else(scene: Scene, locmem):
    from isa.watch import rules

    def broken(programme, params, today):
        raise RuntimeError("boom")

    before = dict(rules._rules)
    rules.register_rule("broken", "Broken", {}, broken)
    try:
        scene.only("absent_streak", "broken")
        scene.attend(date(2024, 6, 3), date(2025, 3, 10))
        with pytest.raises(CommandError, match="broken"):
            run_watch()
    finally:
        rules._rules.clear()
        rules._rules.update(before)
    assert Alert.objects.count() == 1
    assert len(mail.outbox) == 1


def test_alerts_are_audited(alert: Alert):
    event = AuditEvent.objects.get(object_type="watch.alert", object_id=str(alert.pk))
    assert event.action == AuditAction.CREATE
    assert event.programme_id == alert.programme_id
    assert event.detail["rule"] == "absent_streak"
