"""No change without its trace: when the audit event cannot be written, the change it records
is rolled back too, for every service that writes one (SECURITY.md: the audit event is
written in the transaction of the change).

The services are found by reading their code (:mod:`tests.core.writers`), so a new service
that writes an audit event fails this file until it has a scenario here: a function that
sets the scene and returns the call of the service (looking the objects up again at each
call, since the same call runs twice: once with the audit log down, once with it up).
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable
from datetime import date, timedelta
from importlib import resources
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from isa.api import services as api
from isa.core import services as core
from isa.core.actor import Actor
from isa.core.models import AuditEvent, BreakGlass, Membership, Programme, Role
from isa.evaluation import services as evaluation
from isa.evaluation.catalogue import choice_for
from isa.evaluation.models import HealthPeriod
from isa.journal import services as journal
from isa.journal.models import Entry
from isa.people import importer
from isa.people import services as people
from isa.people.models import (
    ConsentKind,
    ConsentMethod,
    ConsentState,
    ExitReason,
    MilestoneKind,
    Participant,
    Referral,
    ReferralStatus,
)
from isa.portal import services as portal
from isa.presence import services as presence
from isa.presence.models import ClosureDay, Presence
from isa.presence.services import RecurrenceRow
from isa.privacy import services as privacy
from isa.watch import services as watch
from isa.watch.models import Alert
from isa.works import services as works
from isa.works.models import Exhibition, PressMention, Work, WorkImage
from tests.conftest import Cast, make_user, refer
from tests.core.writers import auditing_services
from tests.evaluation.conftest import give_health_consent
from tests.watch import conftest as watch_scene
from tests.watch.conftest import TODAY, Scene
from tests.works.helpers import image_bytes, make_work, medium

#: The watch's dated scene, for its scenarios (fixtures of tests/watch).
frozen, scene, absence = watch_scene.frozen, watch_scene.scene, watch_scene.absence

Fixture = Callable[[str], Any]
Call = Callable[[], object]
#: "<module>.<service>" → (fixture getter → the call of the service, after setting the scene)
SCENARIOS: dict[str, Callable[[Fixture], Call]] = {}


def scenario(name: str) -> Callable[[Callable[[Fixture], Call]], Callable[[Fixture], Call]]:
    def register(setup: Callable[[Fixture], Call]) -> Callable[[Fixture], Call]:
        assert name not in SCENARIOS, f"two scenarios for {name}"
        SCENARIOS[name] = setup
        return setup

    return register


def fresh(obj: Any) -> Any:
    """``obj`` as stored now (the failed call may have changed the copy in memory)."""
    return type(obj)._base_manager.get(pk=obj.pk)


class AuditLogDown(Exception):
    """The audit event could not be written."""


def snapshot() -> dict[str, Any]:
    """Every row of every ISA table (and the stored files): the state a call may change."""
    state: dict[str, Any] = {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in _ISA_LABELS and not model._meta.proxy
    }
    state["files"] = _files("")
    return state


_ISA_LABELS = {c.label for c in apps.get_app_configs() if c.name.startswith("isa.")}


def _files(folder: str) -> list[str]:
    if not default_storage.exists(folder or "."):
        return []
    folders, names = default_storage.listdir(folder or ".")
    found = [f"{folder}/{n}" for n in names]
    for sub in folders:
        found += _files(f"{folder}/{sub}" if folder else sub)
    return sorted(found)


# -- core --------------------------------------------------------------------------------------


@scenario("isa.core.services.membership_grant")
def _membership_grant(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    newcomer = make_user("newcomer@test.example")
    return lambda: core.membership_grant(
        programme=cast.programme, user=newcomer, role=Role.WATCHER, actor=cast.actor("head")
    )


@scenario("isa.core.services.membership_revoke")
def _membership_revoke(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    membership = Membership.objects.get(programme=cast.programme, user=cast.users["facilitator"])
    return lambda: core.membership_revoke(membership=fresh(membership), actor=cast.actor("head"))


@scenario("isa.core.services.membership_change")
def _membership_change(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    membership = Membership.objects.get(programme=cast.programme, user=cast.users["facilitator"])
    return lambda: core.membership_change(
        membership=fresh(membership),
        user=cast.users["facilitator"],
        role=Role.WATCHER,
        actor=cast.actor("head"),
    )


@scenario("isa.core.services.user_delete")
def _user_delete(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    leaving = make_user("leaving@test.example")
    Membership.objects.create(programme=cast.programme, user=leaving, role=Role.WATCHER)
    return lambda: core.user_delete(user=fresh(leaving), actor=cast.actor("sysadmin"))


@scenario("isa.core.services.programme_delete")
def _programme_delete(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    closing = Programme.objects.create(
        organisation=cast.organisation, name="Atelier d'été", place="Sion", capacity=8
    )
    Membership.objects.create(programme=closing, user=cast.users["head"], role=Role.HEAD)
    return lambda: core.programme_delete(programme=fresh(closing), actor=cast.actor("sysadmin"))


@scenario("isa.core.services.breakglass_acknowledge")
def _breakglass_acknowledge(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    core.membership_grant(
        programme=cast.programme,
        user=cast.users["sysadmin"],
        role=Role.HEAD,
        actor=cast.actor("sysadmin"),
        reason="The head is ill and the alerts need someone.",
    )
    glass = BreakGlass.objects.get(user=cast.users["sysadmin"])
    return lambda: core.breakglass_acknowledge(breakglass=fresh(glass), actor=cast.actor("head"))


@scenario("isa.core.services.audit_purge")
def _audit_purge(fx: Fixture) -> Call:
    fx("cast")
    # Nothing old enough to go: the purge still records itself, in its own transaction
    # (tests/core/test_audit_removal.py deletes real old events and checks the guard).
    return lambda: core.audit_purge(
        before=timezone.now() - timedelta(days=400), actor=Actor.job("isa purge-audit-log")
    )


@scenario("isa.core.services.user_language_set")
def _user_language_set(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: core.user_language_set(
        user=fresh(cast.users["head"]), language="de", actor=cast.actor("head")
    )


@scenario("isa.core.services.user_invite")
def _user_invite(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: core.user_invite(
        programme=cast.programme,
        email="mathilde@test.example",
        full_name="Mathilde Zufferey",
        role=Role.FACILITATOR,
        password="Une-phrase-assez-longue-2026",
        actor=cast.actor("head"),
    )


# -- people ------------------------------------------------------------------------------------


def _newcomer(cast: Cast) -> Participant:
    return refer(cast.programme, cast.users["social_worker"], "Bonvin", "Lise").participant


@scenario("isa.people.services.referral_create")
def _referral_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: people.referral_create(
        programme=cast.programme,
        identity={
            "last_name": "Salamin",
            "official_first_names": "Chantal",
            "birth_date": date(1971, 3, 14),
        },
        referral={"referred_on": date(2025, 2, 3), "referring_service": "CMS de Sion"},
        actor=cast.actor("referrer"),
    )


@scenario("isa.people.services.referral_set_status")
def _referral_set_status(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    referral = Referral.objects.get(participant=_newcomer(cast))
    return lambda: people.referral_set_status(
        referral=fresh(referral),
        status=ReferralStatus.NOT_TAKEN_UP,
        note="Ne souhaite pas venir.",
        actor=cast.actor("social_worker"),
    )


@scenario("isa.people.services.participant_admit")
def _participant_admit(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    person = _newcomer(cast)
    return lambda: people.participant_admit(
        participant=fresh(person), on=date(2025, 1, 6), actor=cast.actor("head")
    )


@scenario("isa.people.services.participant_pause")
def _participant_pause(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: people.participant_pause(
        participant=fresh(cast.participant),
        on=date(2025, 1, 6),
        reason="Hospitalisation",
        actor=cast.actor("social_worker"),
    )


@scenario("isa.people.services.participant_resume")
def _participant_resume(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    people.participant_pause(
        participant=cast.participant, on=date(2025, 1, 6), actor=cast.actor("social_worker")
    )
    return lambda: people.participant_resume(
        participant=fresh(cast.participant),
        on=date(2025, 1, 20),
        actor=cast.actor("social_worker"),
    )


@scenario("isa.people.services.participant_exit")
def _participant_exit(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: people.participant_exit(
        participant=fresh(cast.participant),
        on=date(2025, 2, 3),
        reason=ExitReason.MOVED,
        actor=cast.actor("head"),
    )


@scenario("isa.people.services.participant_update")
def _participant_update(fx: Fixture) -> Call:
    cast: Cast = fx("cast")

    def call() -> object:
        participant = fresh(cast.participant)
        return people.participant_update(
            participant=participant,
            data={"phone": "079 123 45 67"},
            expected_version=participant.version,
            actor=cast.actor("social_worker"),
        )

    return call


@scenario("isa.people.services.pact_renegotiate")
def _pact_renegotiate(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: people.pact_renegotiate(
        participant=fresh(cast.participant),
        valid_from=date(2025, 1, 6),
        half_days=["mon_am", "wed_pm"],
        actor=cast.actor("social_worker"),
    )


@scenario("isa.people.services.milestone_record")
def _milestone_record(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: people.milestone_record(
        participant=fresh(cast.participant),
        kind=MilestoneKind.REGULAR,
        on=date(2024, 6, 3),
        actor=cast.actor("social_worker"),
    )


@scenario("isa.people.services.consent_record")
def _consent_record(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: people.consent_record(
        participant=fresh(cast.participant),
        kind=ConsentKind.DATA,
        state=ConsentState.GIVEN,
        on=date(2024, 3, 4),
        method=ConsentMethod.PAPER,
        actor=cast.actor("social_worker"),
    )


@scenario("isa.people.importer.participants_import")
def _participants_import(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    rows = [
        {"last_name": "Salamin", "official_first_names": "Chantal", "birth_date": "14.03.1971"},
        {
            "last_name": "Roduit",
            "official_first_names": "Stéphane",
            "birth_date": "22.07.1980",
            "admitted_on": "01.09.2023",
        },
    ]
    return lambda: importer.participants_import(
        programme=cast.programme, rows=rows, actor=cast.actor("head")
    )


# -- presence ----------------------------------------------------------------------------------


def _marked(cast: Cast) -> Presence:
    return presence.presence_mark(
        session=cast.session, participant=cast.participant, actor=cast.actor("facilitator")
    )


@scenario("isa.presence.services.closure_add")
def _closure_add(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.closure_add(
        programme=cast.programme,
        on=timezone.localdate() + timedelta(days=10),
        reason="Formation",
        actor=cast.actor("head"),
    )


@scenario("isa.presence.services.sessions_extend")
def _sessions_extend(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.sessions_extend(
        programme=cast.programme, weeks=4, actor=cast.actor("head")
    )


@scenario("isa.presence.services.closure_delete")
def _closure_delete(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    presence.sessions_extend(programme=cast.programme, weeks=8, actor=cast.actor("head"))
    return lambda: presence.closure_delete(
        closure=ClosureDay.objects.get(pk=cast.closure.pk), actor=cast.actor("head")
    )


@scenario("isa.presence.services.workshop_create")
def _workshop_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.workshop_create(
        programme=cast.programme,
        title="Sculpture",
        media=[medium("sculpture")],
        facilitators=[cast.users["facilitator"]],
        recurrences=[RecurrenceRow(weekday=1, part="am", starts_on=timezone.localdate())],
        actor=cast.actor("head"),
    )


@scenario("isa.presence.services.workshop_update")
def _workshop_update(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    monday = cast.session.recurrence

    def call() -> object:
        return presence.workshop_update(
            workshop=fresh(cast.session.workshop),
            title="Peinture à l'huile",
            media=[medium()],
            recurrences=[
                RecurrenceRow(pk=monday.pk, weekday=0, part="am", starts_on=monday.starts_on),
                RecurrenceRow(weekday=3, part="pm", starts_on=timezone.localdate()),
            ],
            actor=cast.actor("head"),
        )

    return call


@scenario("isa.presence.services.medium_create")
def _medium_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.medium_create(
        programme=cast.programme,
        code="ceramics",
        name_fr="Céramique",
        name_de="Keramik",
        name_en="Ceramics",
        actor=cast.actor("head"),
    )


@scenario("isa.presence.services.medium_set_active")
def _medium_set_active(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    own = presence.medium_create(
        programme=cast.programme,
        code="ceramics",
        name_fr="Céramique",
        name_de="Keramik",
        name_en="Ceramics",
        actor=cast.actor("head"),
    )
    return lambda: presence.medium_set_active(
        programme=cast.programme, medium=fresh(own), active=False, actor=cast.actor("head")
    )


@scenario("isa.presence.services.checkin_symbol_set")
def _checkin_symbol_set(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.checkin_symbol_set(
        participant=fresh(cast.participant), symbol="star-blue", actor=cast.actor("facilitator")
    )


@scenario("isa.presence.services.presence_mark")
def _presence_mark(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.presence_mark(
        session=fresh(cast.session),
        participant=fresh(cast.participant),
        actor=cast.actor("facilitator"),
    )


@scenario("isa.presence.services.presence_mark_absent")
def _presence_mark_absent(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: presence.presence_mark_absent(
        session=fresh(cast.session),
        participant=fresh(cast.participant),
        reason="ill",
        actor=cast.actor("facilitator"),
    )


@scenario("isa.presence.services.presence_set_medium")
def _presence_set_medium(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    _marked(cast)
    return lambda: presence.presence_set_medium(
        session=fresh(cast.session),
        participant=fresh(cast.participant),
        actor=cast.actor("facilitator"),
        medium=medium(),
    )


@scenario("isa.presence.services.presence_leave")
def _presence_leave(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    _marked(cast)
    return lambda: presence.presence_leave(
        session=fresh(cast.session),
        participant=fresh(cast.participant),
        actor=cast.actor("facilitator"),
    )


@scenario("isa.presence.services.presence_clear")
def _presence_clear(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    _marked(cast)
    return lambda: presence.presence_clear(
        session=fresh(cast.session),
        participant=fresh(cast.participant),
        actor=cast.actor("facilitator"),
    )


# -- journal -----------------------------------------------------------------------------------


@scenario("isa.journal.services.entry_write")
def _entry_write(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: journal.entry_write(
        programme=cast.programme,
        participants=[fresh(cast.participant)],
        actor=cast.actor("social_worker"),
        written_on=date(2024, 5, 6),
        kind="observation",
        tags=[],
        posture="social_worker",
        visibility="team",
        text="A peint toute la matinée.",
    )


@scenario("isa.journal.services.entry_correct")
def _entry_correct(fx: Fixture) -> Call:
    cast: Cast = fx("cast")

    def call() -> object:
        entry = Entry.objects.get(pk=cast.entry.pk)
        return journal.entry_correct(
            entry=entry,
            expected_version=entry.version,
            participants=[fresh(cast.participant)],
            kind="observation",
            tags=[],
            visibility="team",
            text="Texte corrigé.",
            actor=cast.actor("social_worker"),
        )

    return call


# -- evaluation --------------------------------------------------------------------------------


@scenario("isa.evaluation.services.administration_start")
def _administration_start(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    who5 = choice_for(cast.programme, "who5")
    return lambda: evaluation.administration_start(
        participant=fresh(cast.participant), choice=who5, actor=cast.actor("social_worker")
    )


@scenario("isa.evaluation.services.administration_finish")
def _administration_finish(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    started = evaluation.administration_start(
        participant=cast.participant,
        choice=choice_for(cast.programme, "who5"),
        actor=cast.actor("social_worker"),
    )
    evaluation.administration_answer(
        administration=started, item=1, value=3, actor=cast.actor("social_worker")
    )
    return lambda: evaluation.administration_finish(
        administration=fresh(started), actor=cast.actor("social_worker")
    )


@scenario("isa.evaluation.services.administration_enter_paper")
def _administration_enter_paper(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    who5 = choice_for(cast.programme, "who5")
    return lambda: evaluation.administration_enter_paper(
        participant=fresh(cast.participant),
        choice=who5,
        on=date(2024, 6, 3),
        answers=dict.fromkeys(range(1, 6), 3),
        actor=cast.actor("social_worker"),
    )


@scenario("isa.evaluation.services.administration_decline")
def _administration_decline(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    who5 = choice_for(cast.programme, "who5")
    return lambda: evaluation.administration_decline(
        participant=fresh(cast.participant), choice=who5, actor=cast.actor("social_worker")
    )


@scenario("isa.evaluation.services.instrument_load")
def _instrument_load(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    text = (resources.files("isa.evaluation.instruments") / "data" / "djg6.toml").read_text()
    text = text.replace('version = "2006"', 'version = "2006-sion"')
    return lambda: evaluation.instrument_load(
        programme=cast.programme, text=text, actor=cast.actor("head")
    )


@scenario("isa.evaluation.services.effects_record")
def _effects_record(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: evaluation.effects_record(
        participant=fresh(cast.participant),
        perspective="participant",
        on=date(2024, 6, 1),
        values={"isolation": {"level": 3, "comment": "Vient avec une amie."}},
        actor=cast.actor("social_worker"),
    )


def _record_health(cast: Cast) -> HealthPeriod:
    return evaluation.health_period_record(
        participant=fresh(cast.participant),
        kind="baseline",
        starts_on=date(2023, 3, 4),
        ends_on=date(2024, 3, 3),
        hospital_days=12,
        actor=cast.actor("social_worker"),
    )


@scenario("isa.evaluation.services.health_period_record")
def _health_period_record(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    give_health_consent(cast)
    return lambda: _record_health(cast)


@scenario("isa.evaluation.services.health_period_delete")
def _health_period_delete(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    give_health_consent(cast)
    period = _record_health(cast)
    return lambda: evaluation.health_period_delete(
        period=fresh(period), actor=cast.actor("social_worker")
    )


# -- the watch ---------------------------------------------------------------------------------

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


# -- works -------------------------------------------------------------------------------------


def _work(cast: Cast, title: str = "Les vignes de Savièse", image: bool = False) -> Work:
    return make_work(cast, title=title, image=image)


def _exhibition(cast: Cast, *shown: Work) -> Exhibition:
    exhibition = works.exhibition_create(
        programme=cast.programme,
        title="Regards",
        venue="Ferme-Asile, Sion",
        starts_on=date(2025, 5, 2),
        actor=cast.actor("head"),
    )
    for work in shown:
        works.exhibition_add_work(exhibition=exhibition, work=work, actor=cast.actor("head"))
    return exhibition


@scenario("isa.works.services.credit_set")
def _credit_set(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: works.credit_set(
        participant=fresh(cast.participant),
        mode="pseudonym",
        pseudonym="Le Hibou",
        actor=cast.actor("social_worker"),
    )


@scenario("isa.works.services.work_create")
def _work_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: works.work_create(
        programme=cast.programme,
        title="Le Rhône en hiver",
        medium=medium(),
        creators=[fresh(cast.participant)],
        made_on=date(2024, 12, 2),
        actor=cast.actor("facilitator"),
    )


@scenario("isa.works.services.work_update")
def _work_update(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    work = _work(cast)

    def call() -> object:
        current = fresh(work)
        return works.work_update(
            work=current,
            expected_version=current.version,
            title="Les vignes de Savièse, automne",
            medium=medium(),
            creators=[fresh(cast.participant)],
            made_on=date(2024, 5, 2),
            state="finished",
            actor=cast.actor("facilitator"),
        )

    return call


@scenario("isa.works.services.work_set_state")
def _work_set_state(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    work = _work(cast)
    return lambda: works.work_set_state(
        work=fresh(work), state="given", actor=cast.actor("facilitator")
    )


@scenario("isa.works.services.work_add_image")
def _work_add_image(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    work = _work(cast)
    return lambda: works.work_add_image(
        work=fresh(work), upload=image_bytes(), alt_text="Vignes", actor=cast.actor("facilitator")
    )


@scenario("isa.works.services.work_image_update")
def _work_image_update(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    image = _work(cast, image=True).images.get()
    return lambda: works.work_image_update(
        image=fresh(image), alt_text="Des vignes en terrasses", actor=cast.actor("facilitator")
    )


def _two_images(cast: Cast) -> Work:
    work = _work(cast, image=True)
    works.work_add_image(
        work=work, upload=image_bytes(colour="red"), actor=cast.actor("facilitator")
    )
    return work


@scenario("isa.works.services.work_image_move")
def _work_image_move(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    first = _two_images(cast).images.order_by("order").first()
    return lambda: works.work_image_move(
        image=fresh(first), offset=1, actor=cast.actor("facilitator")
    )


@scenario("isa.works.services.work_images_reorder")
def _work_images_reorder(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    work = _two_images(cast)
    reversed_ids = list(work.images.order_by("-order").values_list("pk", flat=True))
    return lambda: works.work_images_reorder(
        work=fresh(work), image_ids=reversed_ids, actor=cast.actor("facilitator")
    )


@scenario("isa.works.services.work_image_delete")
def _work_image_delete(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    image = _work(cast, image=True).images.get()
    return lambda: works.work_image_delete(
        image=WorkImage.objects.get(pk=image.pk), actor=cast.actor("facilitator")
    )


@scenario("isa.works.services.exhibition_create")
def _exhibition_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: _exhibition(cast)


@scenario("isa.works.services.exhibition_update")
def _exhibition_update(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    exhibition = _exhibition(cast)

    def call() -> object:
        current = fresh(exhibition)
        return works.exhibition_update(
            exhibition=current,
            expected_version=current.version,
            title="Regards croisés",
            venue="Ferme-Asile, Sion",
            starts_on=date(2025, 5, 2),
            visitors=340,
            actor=cast.actor("head"),
        )

    return call


@scenario("isa.works.services.exhibition_add_work")
def _exhibition_add_work(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    work, exhibition = _work(cast), _exhibition(cast)
    return lambda: works.exhibition_add_work(
        exhibition=fresh(exhibition), work=fresh(work), actor=cast.actor("head")
    )


@scenario("isa.works.services.exhibition_remove_work")
def _exhibition_remove_work(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    work = _work(cast)
    exhibition = _exhibition(cast, work)
    return lambda: works.exhibition_remove_work(
        exhibition=fresh(exhibition), work=fresh(work), actor=cast.actor("head")
    )


@scenario("isa.works.services.exhibition_move_work")
def _exhibition_move_work(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    first, second = _work(cast), _work(cast, title="Le Rhône en hiver")
    exhibition = _exhibition(cast, first, second)
    return lambda: works.exhibition_move_work(
        exhibition=fresh(exhibition), work=fresh(first), offset=1, actor=cast.actor("head")
    )


@scenario("isa.works.services.press_mention_add")
def _press_mention_add(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    exhibition = _exhibition(cast)
    return lambda: works.press_mention_add(
        exhibition=fresh(exhibition),
        outlet="Le Nouvelliste",
        on=date(2025, 5, 6),
        title="Des regards sur Sion",
        actor=cast.actor("head"),
    )


@scenario("isa.works.services.press_mention_delete")
def _press_mention_delete(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    mention = works.press_mention_add(
        exhibition=_exhibition(cast),
        outlet="Le Nouvelliste",
        on=date(2025, 5, 6),
        title="Des regards sur Sion",
        actor=cast.actor("head"),
    )
    return lambda: works.press_mention_delete(
        mention=PressMention.objects.get(pk=mention.pk), actor=cast.actor("head")
    )


@scenario("isa.works.services.gallery_settings_set")
def _gallery_settings_set(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: works.gallery_settings_set(
        programme=cast.programme,
        enabled=True,
        introduction="Œuvres de l'atelier",
        actor=cast.actor("head"),
    )


# -- privacy -----------------------------------------------------------------------------------


def _exited_long_ago(cast: Cast) -> Participant:
    people.participant_exit(
        participant=fresh(cast.participant),
        on=date(2025, 2, 3),
        reason=ExitReason.MOVED,
        actor=cast.actor("head"),
    )
    return fresh(cast.participant)


@scenario("isa.privacy.services.retention_policy_set")
def _retention_policy_set(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: privacy.retention_policy_set(
        organisation=cast.organisation,
        years=12,
        legal_minimum_years=10,
        legal_basis="Loi cantonale (fictive)",
        actor=cast.actor("head"),
    )


@scenario("isa.privacy.services.participant_anonymise")
def _participant_anonymise(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    person = _exited_long_ago(cast)
    return lambda: privacy.participant_anonymise(
        participant=fresh(person), reason="request", actor=cast.actor("head")
    )


@scenario("isa.privacy.services.retention_run")
def _retention_run(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    _exited_long_ago(cast)
    return lambda: privacy.retention_run(actor=Actor.job("isa retention"), on=date(2036, 1, 1))


@scenario("isa.privacy.services.study_create")
def _study_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: privacy.study_create(
        programme=cast.programme,
        name="Étude (fictive)",
        purpose="Évaluer",
        starts_on=date(2025, 1, 1),
        ends_on=timezone.localdate() + timedelta(days=30),
        researchers=[cast.users["researcher"]],
        actor=cast.actor("head"),
    )


@scenario("isa.privacy.services.research_export")
def _research_export(fx: Fixture) -> Call:
    from tests.privacy.matrix import open_study

    cast: Cast = fx("cast")
    study = open_study(cast)
    return lambda: privacy.research_export(study=study, actor=cast.actor("researcher"))


# -- the participant's space --------------------------------------------------------------


def _portal_newcomer(cast: Cast) -> Participant:
    return refer(cast.programme, cast.users["referrer"], "Fournier", "Lucie").participant


@scenario("isa.portal.services.access_create")
def _portal_access_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    person = _portal_newcomer(cast)
    return lambda: portal.access_create(
        participant=fresh(person), agreement_note="Oui", language="fr", actor=cast.actor("head")
    )


@scenario("isa.portal.services.invitation_issue")
def _portal_invitation_issue(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    access = cast.users["participant"].portal_access
    return lambda: portal.invitation_issue(access=fresh(access), actor=cast.actor("social_worker"))


@scenario("isa.portal.services.access_disable")
def _portal_access_disable(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    access = cast.users["participant"].portal_access
    return lambda: portal.access_disable(access=fresh(access), actor=cast.actor("head"))


@scenario("isa.portal.services.invitation_redeem")
def _portal_invitation_redeem(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    _access, _invitation, code = portal.access_create(
        participant=_portal_newcomer(cast),
        agreement_note="Oui",
        language="fr",
        actor=cast.actor("head"),
    )
    return lambda: portal.invitation_redeem(
        code=code, password="le chat dort sur la chaise rouge", actor=Actor()
    )


def _portal_request(cast: Cast) -> Any:
    from isa.portal.models import CorrectionRequest

    return CorrectionRequest.objects.create(
        participant=cast.participant, text="Ma date est fausse."
    )


@scenario("isa.portal.services.correction_answer")
def _portal_correction_answer(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    request = _portal_request(cast)
    return lambda: portal.correction_answer(
        correction=fresh(request), answer="Corrigé, merci.", actor=cast.actor("social_worker")
    )


@scenario("isa.portal.services.correction_request_send")
def _portal_correction_request_send(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: portal.correction_request_send(
        participant=fresh(cast.participant),
        topic="file",
        text="Mon prénom est Jean.",
        actor=cast.actor("participant"),
    )


@scenario("isa.portal.services.portal_consent_set")
def _portal_consent_set(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: portal.portal_consent_set(
        participant=fresh(cast.participant),
        kind=ConsentKind.ONLINE,
        give=True,
        actor=cast.actor("participant"),
    )


@scenario("isa.portal.services.portal_credit_choose")
def _portal_credit_choose(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: portal.portal_credit_choose(
        participant=fresh(cast.participant),
        mode="pseudonym",
        pseudonym="Le Hibou",
        actor=cast.actor("participant"),
    )


@scenario("isa.portal.services.portal_password_change")
def _portal_password_change(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    access = cast.users["participant"].portal_access
    return lambda: portal.portal_password_change(
        access=fresh(access),
        password="le chat dort sur la chaise rouge",
        actor=cast.actor("participant"),
    )


@scenario("isa.portal.services.access_second_factor_remove")
def _portal_access_second_factor_remove(fx: Fixture) -> Call:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    cast: Cast = fx("cast")
    access = cast.users["participant"].portal_access
    TOTPDevice.objects.create(user=access.user, name="ISA", confirmed=True)
    return lambda: portal.access_second_factor_remove(
        access=fresh(access), actor=cast.actor("social_worker")
    )


@scenario("isa.portal.services.portal_read")
def _portal_read(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: portal.portal_read(
        participant=fresh(cast.participant), what="pact", actor=cast.actor("participant")
    )


@scenario("isa.portal.services.portal_sign_in")
def _portal_sign_in(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: portal.portal_sign_in(
        participant=fresh(cast.participant), actor=cast.actor("participant")
    )


@scenario("isa.portal.services.subject_access_export")
def _portal_subject_access_export(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: portal.subject_access_export(
        participant=fresh(cast.participant), fmt="zip", actor=cast.actor("participant")
    )


# -- the tests, once every scenario is registered ---------------------------------------


# -- api ---------------------------------------------------------------------------------------


@scenario("isa.api.services.api_token_create")
def _api_token_create(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: api.api_token_create(
        programme=cast.programme,
        name="Système du CMS",
        expires_on=timezone.localdate() + timedelta(days=30),
        actor=cast.actor("referrer"),
    )


@scenario("isa.api.services.api_token_revoke")
def _api_token_revoke(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    token, _secret = api.api_token_create(
        programme=cast.programme,
        name="Tablette",
        expires_on=timezone.localdate() + timedelta(days=30),
        actor=cast.actor("facilitator"),
    )
    return lambda: api.api_token_revoke(token=fresh(token), actor=cast.actor("head"))


# -- reports -----------------------------------------------------------------------------------


def _report_draft(cast: Cast) -> Any:
    from isa.reports import services as reports

    return reports.report_draft_save(
        actor=cast.actor("head"),
        programme=cast.programme,
        start=date(2024, 1, 1),
        end=date(2024, 12, 31),
        language="fr",
        deadweight_reason="Une partie serait arrivée de toute façon.",
        attribution_reason="Le CMS aide aussi.",
    )


@scenario("isa.reports.services.report_draft_save")
def _report_draft_save(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: _report_draft(cast)


@scenario("isa.reports.services.report_publish")
def _report_publish(fx: Fixture) -> Call:
    from isa.reports import services as reports

    cast: Cast = fx("cast")
    draft = _report_draft(cast)
    return lambda: reports.report_publish(actor=cast.actor("head"), version=fresh(draft))


@scenario("isa.reports.services.report_correct")
def _report_correct(fx: Fixture) -> Call:
    from isa.reports import services as reports

    cast: Cast = fx("cast")
    published = reports.report_publish(actor=cast.actor("head"), version=_report_draft(cast))
    return lambda: reports.report_correct(
        actor=cast.actor("head"), version=fresh(published), reason="Un séjour saisi en retard."
    )


@scenario("isa.reports.services.proxy_set")
def _proxy_set(fx: Fixture) -> Call:
    from decimal import Decimal

    from isa.reports import services as reports

    cast: Cast = fx("cast")
    return lambda: reports.proxy_set(
        actor=cast.actor("head"),
        organisation=cast.organisation,
        code="police_hour",
        value=Decimal("260"),
        year=2024,
        source="Commune de Sion",
        programme=cast.programme,
    )


@scenario("isa.reports.services.proxy_override_delete")
def _proxy_override_delete(fx: Fixture) -> Call:
    from decimal import Decimal

    from isa.reports import services as reports

    cast: Cast = fx("cast")
    row = reports.proxy_set(
        actor=cast.actor("head"),
        organisation=cast.organisation,
        code="police_hour",
        value=Decimal("260"),
        year=2024,
        source="Commune de Sion",
    )
    return lambda: reports.proxy_override_delete(
        actor=cast.actor("head"), override=row, programme=cast.programme
    )


def test_every_service_that_writes_an_audit_event_has_a_scenario():
    found = set(auditing_services())
    missing = sorted(found - set(SCENARIOS))
    assert not missing, (
        "These services write an audit event but have no scenario in "
        f"tests/core/test_audit_atomicity.py: {', '.join(missing)}"
    )
    unknown = sorted(set(SCENARIOS) - found)
    assert not unknown, f"Scenarios for services that write no audit event: {unknown}"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_a_change_whose_audit_event_cannot_be_written_is_rolled_back(
    name: str, db, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
):
    call = SCENARIOS[name](request.getfixturevalue)
    module_name, function_name = name.rsplit(".", 1)
    module = importlib.import_module(module_name)
    service, calls, attempts = getattr(module, function_name), [], []

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(function_name)
        return service(*args, **kwargs)

    def refuse(event: AuditEvent, *args: Any, **kwargs: Any) -> None:
        attempts.append(event.action)
        raise AuditLogDown

    monkeypatch.setattr(module, function_name, spy)
    before = snapshot()
    with monkeypatch.context() as down:
        down.setattr(AuditEvent, "save", refuse)
        # Services that keep going after a failure (the watch) swallow the error.
        with contextlib.suppress(AuditLogDown):
            call()
    assert calls, f"the scenario of {name} does not call it"
    assert attempts, f"{name} wrote no audit event in its scenario"
    assert snapshot() == before, f"{name} kept its change without its audit event"

    # With the audit log up, the same call changes the database, audit event included.
    events = AuditEvent.objects.count()
    call()
    assert AuditEvent.objects.count() > events
    assert snapshot() != before
