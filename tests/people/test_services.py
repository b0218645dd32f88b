"""The rules of the accompaniment, tested on the services themselves."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from isa.core.actor import Actor
from isa.core.models import AuditAction, AuditEvent
from isa.people import services
from isa.people.models import (
    ConsentKind,
    ConsentMethod,
    ConsentState,
    ExitReason,
    Participant,
    ReferralStatus,
    Status,
    Stay,
)
from tests.conftest import Cast, refer


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English here; the pages test the other languages."""
    with translation.override("en"):
        yield


def admit(cast: Cast, p: Participant, on=date(2024, 5, 1), who="head", **kw):
    return services.participant_admit(participant=p, on=on, actor=cast.actor(who), **kw)


def fill_programme(cast: Cast, capacity: int) -> None:
    cast.programme.capacity = capacity
    cast.programme.save()
    for i in range(capacity - 1):  # the cast's participant already holds one place
        p = refer(cast.programme, cast.users["social_worker"], f"Plein{i}", "Anne").participant
        admit(cast, p)


def test_a_referral_opens_a_waiting_file(cast: Cast):
    referral = refer(cast.programme, cast.users["referrer"], "Crettenand", "Marie-Claude")
    p = referral.participant
    assert p.status == Status.WAITING
    assert referral.status == ReferralStatus.RECEIVED
    assert p.accompanied_since is None
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="people.referral", object_id=str(referral.pk)
    ).exists()


def test_admission_welcomes_the_referral_and_starts_the_accompaniment(cast: Cast):
    referral = refer(cast.programme, cast.users["referrer"], "Crettenand", "Marie-Claude")
    stay = admit(cast, referral.participant, on=date(2024, 6, 3))
    referral.refresh_from_db()
    p = Participant.objects.get(pk=referral.participant_id)
    assert referral.status == ReferralStatus.WELCOMED
    assert p.status == Status.ACTIVE
    assert p.accompanied_since == date(2024, 6, 3)
    assert stay.exited_on is None


def test_admission_when_full_is_refused_with_the_occupancy(cast: Cast):
    fill_programme(cast, 3)
    waiting = refer(cast.programme, cast.users["referrer"], "Attente", "Paul").participant
    with pytest.raises(ValidationError) as exc:
        admit(cast, waiting, who="social_worker")
    assert "3" in exc.value.messages[0]
    assert exc.value.code == "full"
    assert Participant.objects.get(pk=waiting.pk).status == Status.WAITING
    assert not Stay.objects.filter(participant=waiting).exists()


def test_only_the_head_may_admit_above_capacity_and_it_is_audited(cast: Cast):
    fill_programme(cast, 2)
    waiting = refer(cast.programme, cast.users["referrer"], "Attente", "Paul").participant
    with pytest.raises(ValidationError):
        admit(cast, waiting, who="social_worker", override_capacity=True)
    stay = admit(cast, waiting, who="head", override_capacity=True)
    assert stay.over_capacity
    event = AuditEvent.objects.get(action=AuditAction.OVERRIDE)
    assert event.detail == {"rule": "capacity", "occupied": 2, "capacity": 2}
    assert event.actor_id == cast.users["head"].pk


def test_a_pause_keeps_the_place(cast: Cast):
    fill_programme(cast, 2)
    services.participant_pause(
        participant=cast.participant,
        on=date(2024, 7, 1),
        reason="",
        actor=cast.actor("social_worker"),
    )
    waiting = refer(cast.programme, cast.users["referrer"], "Attente", "Paul").participant
    with pytest.raises(ValidationError):
        admit(cast, waiting, who="social_worker")
    services.participant_resume(
        participant=cast.participant, on=date(2024, 7, 20), actor=cast.actor("social_worker")
    )
    assert Participant.objects.get(pk=cast.participant.pk).status == Status.ACTIVE


def test_exit_before_admission_is_refused(cast: Cast):
    with pytest.raises(ValidationError) as exc:
        services.participant_exit(
            participant=cast.participant,
            on=date(2024, 3, 1),
            reason=ExitReason.OWN_CHOICE,
            actor=cast.actor("head"),
        )
    assert "on" in exc.value.message_dict
    assert Participant.objects.get(pk=cast.participant.pk).status == Status.ACTIVE


def test_the_database_refuses_an_exit_before_admission_too(cast: Cast):
    stay = cast.participant.stays.get()
    stay.exited_on = date(2020, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        stay.save()


def test_a_date_in_the_future_is_refused(cast: Cast, time_machine):
    time_machine.move_to("2025-01-10 10:00 +01:00", tick=False)
    with pytest.raises(ValidationError) as exc:
        services.participant_exit(
            participant=cast.participant,
            on=date(2025, 6, 1),
            reason=ExitReason.MOVED,
            actor=cast.actor("head"),
        )
    assert "future" in exc.value.message_dict["on"][0]


def test_reentry_reopens_the_same_file_with_its_history(cast: Cast, time_machine):
    time_machine.move_to("2025-09-01 10:00 +02:00", tick=False)
    p = cast.participant
    services.pact_renegotiate(
        participant=p,
        valid_from=date(2024, 3, 4),
        half_days=["mon_am"],
        actor=cast.actor("social_worker"),
    )
    services.participant_exit(
        participant=p,
        on=date(2024, 12, 20),
        reason=ExitReason.MOVED,
        comment="Déménage à Martigny",
        actor=cast.actor("head"),
    )
    assert Participant.objects.get(pk=p.pk).status == Status.EXITED

    stay = admit(cast, p, on=date(2025, 3, 3))
    p.refresh_from_db()
    assert p.status == Status.ACTIVE
    assert p.accompanied_since == date(2024, 3, 4)  # since the first admission
    assert list(p.stays.values_list("admitted_on", "exited_on")) == [
        (date(2024, 3, 4), date(2024, 12, 20)),
        (date(2025, 3, 3), None),
    ]
    assert stay.pk != p.stays.first().pk
    assert p.pacts.count() == 1  # the history is still there
    total = sum(s.days(date(2025, 9, 1)) for s in p.stays.all())
    assert (
        total
        == (date(2024, 12, 20) - date(2024, 3, 4)).days
        + 1
        + (date(2025, 9, 1) - date(2025, 3, 3)).days
        + 1
    )


def test_a_return_cannot_predate_the_last_exit(cast: Cast, time_machine):
    time_machine.move_to("2025-09-01 10:00 +02:00", tick=False)
    services.participant_exit(
        participant=cast.participant,
        on=date(2024, 12, 20),
        reason=ExitReason.MOVED,
        actor=cast.actor("head"),
    )
    with pytest.raises(ValidationError):
        admit(cast, cast.participant, on=date(2024, 12, 1))


def test_someone_who_left_can_be_referred_again_on_the_same_file(cast: Cast, time_machine):
    time_machine.move_to("2025-09-01 10:00 +02:00", tick=False)
    services.participant_exit(
        participant=cast.participant,
        on=date(2024, 12, 20),
        reason=ExitReason.NO_NEWS,
        actor=cast.actor("head"),
    )
    referral = services.referral_create(
        programme=cast.programme,
        identity={},
        referral={"referred_on": date(2025, 8, 1), "referring_service": "CMS de Sion"},
        actor=cast.actor("referrer"),
        participant=cast.participant,
    )
    assert referral.participant_id == cast.participant.pk
    assert Participant.objects.get(pk=cast.participant.pk).status == Status.WAITING
    assert Participant.objects.count() == 2  # the cast's two files, no new one


def test_not_taken_up(cast: Cast):
    referral = refer(cast.programme, cast.users["referrer"], "Crettenand", "Marie-Claude")
    services.referral_set_status(
        referral=referral,
        status=ReferralStatus.NOT_TAKEN_UP,
        note="Préfère une autre mesure",
        actor=cast.actor("social_worker"),
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.NOT_TAKEN_UP
    assert referral.participant.status == Status.NOT_TAKEN_UP
    with pytest.raises(ValidationError):
        services.referral_set_status(
            referral=referral, status=ReferralStatus.WAITING, actor=cast.actor("social_worker")
        )


# -- pact --------------------------------------------------------------------------------------


def test_the_pact_is_a_dated_renegotiable_version(cast: Cast):
    p = cast.participant
    sw = cast.users["social_worker"]
    services.pact_renegotiate(
        participant=p,
        valid_from=date(2024, 3, 4),
        half_days=["wed_pm", "mon_am"],
        actor=Actor.of(sw),
    )
    services.pact_renegotiate(
        participant=p,
        valid_from=date(2024, 9, 2),
        half_days=["mon_am", "thu_pm", "wed_pm"],
        actor=Actor.of(sw),
    )
    assert services.pact_current(p, on=date(2024, 5, 1)).half_days == ["mon_am", "wed_pm"]
    assert services.pact_current(p, on=date(2024, 9, 2)).half_days == ["mon_am", "wed_pm", "thu_pm"]
    assert services.pact_current(p, on=date(2024, 1, 1)) is None
    assert p.pacts.count() == 2


def test_an_unknown_half_day_is_refused(cast: Cast):
    with pytest.raises(ValidationError):
        services.pact_renegotiate(
            participant=cast.participant,
            valid_from=date(2024, 3, 4),
            half_days=["sun_am"],
            actor=cast.actor("head"),
        )


# -- consents ----------------------------------------------------------------------------------


def record(cast: Cast, kind: str, state: str, on: date):
    return services.consent_record(
        participant=cast.participant,
        kind=kind,
        state=state,
        on=on,
        method=ConsentMethod.PAPER,
        actor=cast.actor("social_worker"),
    )


def test_consent_is_given_reads_the_decision_in_force_on_a_date(cast: Cast, time_machine):
    time_machine.move_to("2025-01-10 10:00 +01:00", tick=False)
    kind = ConsentKind.EXHIBITION
    assert not services.consent_is_given(cast.participant, kind)  # never asked
    record(cast, kind, ConsentState.GIVEN, date(2024, 3, 4))
    assert services.consent_is_given(cast.participant, kind)
    assert not services.consent_is_given(cast.participant, kind, on=date(2024, 3, 3))


def test_a_withdrawal_takes_effect_at_once_and_keeps_the_history(cast: Cast, time_machine):
    time_machine.move_to("2025-01-10 10:00 +01:00", tick=False)
    kind = ConsentKind.PHOTO
    record(cast, kind, ConsentState.GIVEN, date(2024, 3, 4))
    assert services.consent_is_given(cast.participant, kind)
    record(cast, kind, ConsentState.WITHDRAWN, date(2025, 1, 10))
    assert not services.consent_is_given(cast.participant, kind)
    assert services.consent_is_given(cast.participant, kind, on=date(2024, 12, 31))
    assert list(cast.participant.consents.filter(kind=kind).values_list("state", flat=True)) == [
        ConsentState.WITHDRAWN,
        ConsentState.GIVEN,
    ]


def test_a_same_day_decision_replaces_the_earlier_one_of_that_day(cast: Cast, time_machine):
    time_machine.move_to("2025-01-10 10:00 +01:00", tick=True)
    record(cast, ConsentKind.RESEARCH, ConsentState.GIVEN, date(2025, 1, 10))
    record(cast, ConsentKind.RESEARCH, ConsentState.WITHDRAWN, date(2025, 1, 10))
    assert not services.consent_is_given(cast.participant, ConsentKind.RESEARCH)


def test_only_a_given_consent_can_be_withdrawn(cast: Cast, time_machine):
    time_machine.move_to("2025-01-10 10:00 +01:00", tick=False)
    with pytest.raises(ValidationError):
        record(cast, ConsentKind.HEALTH, ConsentState.WITHDRAWN, date(2025, 1, 10))


# -- identity ----------------------------------------------------------------------------------


def test_an_edit_on_a_stale_version_is_refused_and_nothing_is_overwritten(cast: Cast):
    p = cast.participant
    version = p.version
    services.participant_update(
        participant=p,
        data={"phone": "079 111 22 33"},
        expected_version=version,
        actor=cast.actor("head"),
    )
    with pytest.raises(services.StaleVersion):
        services.participant_update(
            participant=Participant.objects.get(pk=p.pk),
            data={"phone": "079 999 99 99"},
            expected_version=version,
            actor=cast.actor("social_worker"),
        )
    assert Participant.objects.get(pk=p.pk).phone == "079 111 22 33"


def test_avs_numbers_are_checked_and_formatted(cast: Cast):
    p = cast.participant
    services.participant_update(
        participant=p,
        data={"avs_number": "7569217076985"},
        expected_version=p.version,
        actor=cast.actor("head"),
    )
    assert Participant.objects.get(pk=p.pk).avs_number == "756.9217.0769.85"
    fresh = Participant.objects.get(pk=p.pk)
    with pytest.raises(ValidationError) as exc:
        services.participant_update(
            participant=fresh,
            data={"avs_number": "756.9217.0769.84"},
            expected_version=fresh.version,
            actor=cast.actor("head"),
        )
    assert "check digit" in exc.value.message_dict["avs_number"][0]


def test_possible_duplicates_ignore_case_and_accents(cast: Cast):
    refer(
        cast.programme, cast.users["referrer"], "Délèze", "Yvan Pierre", birth_date=date(1980, 1, 2)
    )
    found = services.participant_possible_duplicates(
        programme=cast.programme,
        last_name="DELEZE",
        first_names="yvan",
        birth_date=date(1980, 1, 2),
    )
    assert [p.last_name for p in found] == ["Délèze"]
    assert not services.participant_possible_duplicates(
        programme=cast.programme,
        last_name="Deleze",
        first_names="Yvan",
        birth_date=date(1980, 1, 3),
    )


def test_nothing_in_the_model_asks_for_an_objective_or_an_end_date():
    """DOMAIN.md: no goal, objective, target, progress or planned end anywhere."""
    from django.apps import apps

    forbidden = ("goal", "objective", "target", "progress", "planned_end", "end_planned", "score")
    for model in apps.get_app_config("people").get_models():
        for field in model._meta.get_fields():
            assert not any(word in field.name for word in forbidden), (model, field.name)


@pytest.mark.parametrize("number", ["123.4567.8901.23", "7550000000000", "000.0000.0000.00"])
def test_an_avs_number_of_another_country_is_refused_with_a_message(number):
    """python-stdnum calls a wrong country prefix an invalid component: a clear refusal,
    never a server error (schemathesis found it through the API)."""
    from django.core.exceptions import ValidationError

    from isa.people.models import validate_avs

    with pytest.raises(ValidationError) as refused:
        validate_avs(number)
    assert refused.value.error_list[0].code in {"avs_format", "avs_checksum", "avs_length"}
