"""Rollback scenarios for the audited services of the watch: each sets the scene and returns
the call that tests/core/test_audit_atomicity.py makes with the audit log down, then up."""

from __future__ import annotations

from datetime import date

from django.core import mail

from isa.core.actor import Actor
from isa.watch import services as watch
from isa.watch.models import Alert
from tests.atomicity import Call, Fixture, fresh, scenario
from tests.watch.conftest import TODAY, Scene

JOB = Actor.job("isa watch")


def _absent(fx: Fixture) -> Scene:
    """Jean-Marc missed his half-days since 10 March: the absence rule has something to say."""
    watched: Scene = fx("absence")
    watched.attend(date(2024, 6, 3), date(2025, 3, 10))
    return watched


def _alert(fx: Fixture) -> tuple[Scene, Alert]:
    watched = _absent(fx)
    (alert,) = watched.evaluate()
    return watched, alert


@scenario("isa.watch.services.watch_evaluate")
def _watch_evaluate(fx: Fixture) -> Call:
    watched = _absent(fx)
    return lambda: watch.watch_evaluate(programme=watched.cast.programme, actor=JOB, today=TODAY)


@scenario("isa.watch.services.digest_send")
def _digest_send(fx: Fixture) -> Call:
    settings = fx("settings")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _alert(fx)

    def call() -> object:
        sent_before = len(mail.outbox)
        result = watch.digest_send(actor=JOB, today=TODAY)
        assert len(mail.outbox) - sent_before == result.sent  # no e-mail without its trace
        return result

    return call


@scenario("isa.watch.services.rule_update")
def _rule_update(fx: Fixture) -> Call:
    watched = _absent(fx)
    return lambda: watch.rule_update(
        programme=watched.cast.programme,
        kind="absent_streak",
        enabled=False,
        params={},
        actor=watched.cast.actor("head"),
    )


@scenario("isa.watch.services.alert_take")
def _alert_take(fx: Fixture) -> Call:
    watched, alert = _alert(fx)
    return lambda: watch.alert_take(alert=fresh(alert), actor=watched.cast.actor("watcher"))


@scenario("isa.watch.services.outreach_record")
def _outreach_record(fx: Fixture) -> Call:
    watched, alert = _alert(fx)
    return lambda: watch.outreach_record(
        alert=fresh(alert), kind="phone", on=TODAY, actor=watched.cast.actor("watcher")
    )


@scenario("isa.watch.services.alert_resolve")
def _alert_resolve(fx: Fixture) -> Call:
    watched, alert = _alert(fx)
    return lambda: watch.alert_resolve(
        alert=fresh(alert), resolution="Elle est malade.", actor=watched.cast.actor("watcher")
    )
