"""Health indicators only with consent (withdrawal hides them at once); the effects grid;
instrument files loaded by a head."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from isa.core.actor import Actor
from isa.core.models import AuditAction, AuditEvent
from isa.evaluation import services
from isa.evaluation.catalogue import choice_for
from isa.evaluation.effects import EFFECTS
from isa.evaluation.models import EffectAssessment, HealthPeriod, LoadedInstrument, PeriodKind
from isa.people.models import ConsentKind, ConsentMethod, ConsentState
from isa.people.services import consent_record
from tests.conftest import Cast
from tests.evaluation.conftest import give_health_consent

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _record(cast: Cast, **extra):
    return services.health_period_record(
        participant=cast.participant,
        kind=extra.pop("kind", PeriodKind.BASELINE),
        starts_on=extra.pop("starts_on", date(2023, 3, 4)),
        ends_on=extra.pop("ends_on", date(2024, 3, 3)),
        costs_chf=extra.pop("costs_chf", Decimal("12345.50")),
        cost_source="Décompte annuel",
        hospital_days=12,
        emergency_visits=2,
        actor=cast.actor("social_worker"),
        **extra,
    )


def test_health_data_without_consent_is_refused(cast: Cast):
    with pytest.raises(ValidationError) as exc:
        _record(cast)
    assert exc.value.code == "no_consent"
    assert not HealthPeriod.objects.exists()


def test_health_page_without_consent_says_so_and_refuses(cast: Cast):
    url = reverse("health_indicators", args=[cast.programme.pk, cast.participant.pk])
    client = cast.client("social_worker")
    page = client.get(url, **EN)
    assert b"No health-data consent is in force" in page.content
    response = client.post(
        url, {"kind": "baseline", "starts_on": "2023-03-04", "ends_on": "2024-03-03"}, **EN
    )
    assert response.status_code == 400
    assert not HealthPeriod.objects.exists()


def test_health_data_is_hidden_at_once_after_a_withdrawal(cast: Cast):
    give_health_consent(cast)
    _record(cast)
    user = cast.users["social_worker"]
    assert HealthPeriod.objects.visible_to(user).count() == 1
    url = reverse("health_indicators", args=[cast.programme.pk, cast.participant.pk])
    client = cast.client("social_worker")
    assert b"12&#x27;345.50" in client.get(url).content or b"12'345.50" in client.get(url).content
    consent_record(
        participant=cast.participant,
        kind=ConsentKind.HEALTH,
        state=ConsentState.WITHDRAWN,
        on=date.today(),
        method=ConsentMethod.ORAL,
        actor=Actor.of(user),
    )
    assert HealthPeriod.objects.visible_to(user).count() == 0
    content = client.get(url, **EN).content
    assert b"345.50" not in content
    assert b"No health-data consent is in force" in content
    group = client.get(reverse("evaluation_group", args=[cast.programme.pk]), **EN).content
    assert b"345" not in group


def _withdraw_health_consent(cast: Cast) -> None:
    consent_record(
        participant=cast.participant,
        kind=ConsentKind.HEALTH,
        state=ConsentState.WITHDRAWN,
        on=date.today(),
        method=ConsentMethod.ORAL,
        actor=cast.actor("social_worker"),
    )


def test_hidden_periods_can_be_removed_after_a_withdrawal(cast: Cast):
    """After a withdrawal the values stay hidden, but the periods recorded while consent
    was given can still be deleted (only deleted), one by one, audited."""
    give_health_consent(cast)
    baseline = _record(cast)
    follow_up = _record(
        cast,
        kind=PeriodKind.FOLLOW_UP,
        starts_on=date(2024, 3, 4),
        ends_on=date(2024, 9, 3),
        costs_chf=Decimal("4321.50"),
    )
    _withdraw_health_consent(cast)
    url = reverse("health_indicators", args=[cast.programme.pk, cast.participant.pk])
    client = cast.client("social_worker")
    content = client.get(url, **EN).content.decode()
    assert "2 periods recorded while consent was given are hidden" in content
    assert "04.03.2023" in content and "03.09.2024" in content  # dates and kind only
    assert "345.50" not in content and "4&#x27;321.50" not in content and "321.50" not in content
    assert "Décompte annuel" not in content
    delete = reverse("health_delete", args=[cast.programme.pk, follow_up.pk])
    assert delete in content
    # A facilitator cannot remove it; another programme's head does not even find it.
    assert cast.client("facilitator").post(delete).status_code == 403
    assert cast.client("other_head").post(delete).status_code == 404
    response = client.post(delete)
    assert response.status_code == 302
    assert not HealthPeriod.objects.filter(pk=follow_up.pk).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.DELETE,
        object_type="evaluation.healthperiod",
        object_id=str(follow_up.pk),
    ).exists()
    content = client.get(url, **EN).content.decode()
    assert "1 period recorded while consent was given is hidden" in content
    client.post(reverse("health_delete", args=[cast.programme.pk, baseline.pk]))
    assert not HealthPeriod.objects.exists()
    assert "recorded while consent was given" not in client.get(url, **EN).content.decode()


def test_health_form_records_a_period(cast: Cast):
    give_health_consent(cast)
    url = reverse("health_indicators", args=[cast.programme.pk, cast.participant.pk])
    data = {
        "kind": "baseline",
        "starts_on": "2023-03-04",
        "ends_on": "2024-03-03",
        "costs_chf": "9800.00",
        "cost_source": "Assurance",
        "hospital_days": "4",
        "emergency_visits": "1",
        "med_antidepressants": "reduced",
    }
    response = cast.client("social_worker").post(url, data)
    assert response.status_code == 302
    period = HealthPeriod.objects.get()
    assert period.costs_chf == Decimal("9800.00")
    assert period.medications == {"antidepressants": "reduced"}


def test_health_dates_to_come_and_a_second_baseline_are_refused(cast: Cast):
    give_health_consent(cast)
    with pytest.raises(ValidationError):
        _record(cast, ends_on=date.today().replace(year=date.today().year + 1))
    _record(cast)
    with pytest.raises(ValidationError):
        _record(cast)


@pytest.mark.parametrize("role", ["facilitator", "watcher"])
def test_facilitators_and_watchers_never_see_evaluation_data(cast: Cast, role: str):
    give_health_consent(cast)
    _record(cast)
    services.administration_enter_paper(
        participant=cast.participant,
        choice=choice_for(cast.programme, "who5"),
        on=date(2024, 4, 2),
        answers={1: 1, 2: 1, 3: 1, 4: 1, 5: 1},
        actor=cast.actor("social_worker"),
    )
    client = cast.client(role)
    page = client.get(cast.participant.get_absolute_url(), **EN)
    assert page.status_code == 200
    content = page.content.decode()
    for word in (
        "CHF",
        "345.50",
        "WHO-5",
        "uestionnaire",
        "Health indicators",
        "ospital",
        "mergency",
    ):
        assert word not in content, word
    for name in ("evaluation_person", "health_indicators", "effects_grid"):
        url = reverse(name, args=[cast.programme.pk, cast.participant.pk])
        assert client.get(url).status_code == 403


def test_the_effects_grid_keeps_both_perspectives_apart(cast: Cast):
    url = reverse("effects_record", args=[cast.programme.pk, cast.participant.pk])
    client = cast.client("social_worker")
    data = {"perspective": "participant", "on": "2024-06-01"}
    data |= {f"{e.code}_level": "4" for e in EFFECTS if not e.perverse}
    data |= {"curtailed_autonomy_level": "2", "curtailed_autonomy_comment": "Me laisse faire."}
    assert client.post(url, data).status_code == 302
    data["perspective"] = "professional"
    data["protective_island_level"] = "3"
    assert client.post(url, data).status_code == 302
    assert EffectAssessment.objects.count() == 2
    page = client.get(reverse("effects_grid", args=[cast.programme.pk, cast.participant.pk]), **EN)
    content = page.content.decode()
    assert "The participant&#x27;s view" in content and "The professional&#x27;s view" in content
    assert "Curtailed autonomy" in content and "Protective island" in content
    assert "Me laisse faire." in content


def test_the_effects_grid_refuses_a_level_off_the_scale_and_an_empty_grid(cast: Cast):
    with pytest.raises(ValidationError):
        services.effects_record(
            participant=cast.participant,
            perspective="participant",
            on=date(2024, 6, 1),
            values={"isolation": {"level": 9}},
            actor=cast.actor("social_worker"),
        )
    with pytest.raises(ValidationError):
        services.effects_record(
            participant=cast.participant,
            perspective="participant",
            on=date(2024, 6, 1),
            values={"isolation": {"level": None, "comment": ""}},
            actor=cast.actor("social_worker"),
        )


def choice_for_text(code: str) -> str:
    from isa.evaluation.instruments import get_instrument

    return get_instrument(code).to_text()


def test_a_head_loads_an_instrument_file(cast: Cast):
    text = choice_for_text("who5").replace('code = "who5"', 'code = "who5org"')
    url = reverse("instrument_upload", args=[cast.programme.pk])
    upload = SimpleUploadedFile("mine.toml", text.encode(), content_type="application/toml")
    response = cast.client("head").post(url, {"file": upload})
    assert response.status_code == 302
    row = LoadedInstrument.objects.get()
    assert row.code == "who5org"
    choice = choice_for(cast.programme, row.key)
    assert choice is not None and choice.loaded == row
    a = services.administration_enter_paper(
        participant=cast.participant,
        choice=choice,
        on=date(2024, 4, 2),
        answers={1: 3, 2: 3, 3: 3, 4: 3, 5: 3},
        actor=cast.actor("head"),
    )
    assert a.loaded_instrument == row and a.primary_value == 60
    # Not usable by another organisation.
    assert choice_for(cast.other_programme, row.key) is None


def test_an_invalid_instrument_file_is_rejected_with_its_reasons(cast: Cast):
    text = choice_for_text("rses")
    text = text.replace("reverse = [2, 5, 6, 8, 9]", "reverse = [2, 5, 6, 8, 99]", 1)
    text = text.replace('rule = "sum"', 'rule = "magic"', 1)
    url = reverse("instrument_upload", args=[cast.programme.pk])
    upload = SimpleUploadedFile("bad.toml", text.encode())
    response = cast.client("head").post(url, {"file": upload}, **EN)
    assert response.status_code == 400
    content = response.content.decode()
    assert "eval-problems" in content
    assert "magic" in content
    assert "99" in content
    assert not LoadedInstrument.objects.exists()


def test_the_database_keeps_one_baseline_per_person(cast: Cast):
    from django.db import IntegrityError, transaction

    give_health_consent(cast)
    _record(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        HealthPeriod.objects.create(
            programme=cast.programme,
            participant=cast.participant,
            kind=PeriodKind.BASELINE,
            starts_on=date(2023, 1, 1),
            ends_on=date(2023, 12, 31),
        )
    # Follow-up periods are not limited.
    for month in (6, 9):
        _record(
            cast,
            kind=PeriodKind.FOLLOW_UP,
            starts_on=date(2024, month, 1),
            ends_on=date(2024, month, 28),
        )
    assert HealthPeriod.objects.count() == 3


def test_a_second_baseline_racing_the_check_gets_the_friendly_message(cast: Cast, monkeypatch):
    """Two baselines sent at once both pass the service's check; the database refuses the
    second and the person reads the same sentence as usual."""
    give_health_consent(cast)
    _record(cast)
    real_filter = HealthPeriod.objects.filter

    class Blind:
        def exists(self):
            return False

    def filter_blind(*args, **kwargs):
        if kwargs.get("kind") == PeriodKind.BASELINE:
            return Blind()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(HealthPeriod.objects, "filter", filter_blind)
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        _record(cast)
    assert exc.value.message_dict == {"kind": ["The baseline of this person is already recorded."]}
    monkeypatch.undo()
    assert HealthPeriod.objects.filter(kind=PeriodKind.BASELINE).count() == 1
