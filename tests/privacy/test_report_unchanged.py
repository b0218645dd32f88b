"""Issue 14 with issue 12: a report published before a file is anonymised gives the same
figures when it is rebuilt after (the anonymisation keeps every record, date, count and
score that a figure is made of, and of the health amounts only the two costs per
person-year the reports count, exactly), health costs and cost-benefit included."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from isa.core.actor import Actor
from isa.core.models import AuditEvent, Membership, Role, User
from isa.evaluation import services as evaluation
from isa.evaluation.models import HealthPeriod
from isa.people.locks import file_lock
from isa.people.models import Consent, Participant, Status
from isa.privacy import services as privacy
from isa.privacy.models import Anonymisation
from isa.reports import services as reports
from isa.reports.published import figures_for, rebuild
from tests.conftest import Cast
from tests.reports import fixture


def _differences(before, after, path=""):
    if isinstance(before, dict) and isinstance(after, dict):
        for key in before.keys() | after.keys():
            yield from _differences(before.get(key), after.get(key), f"{path}/{key}")
    elif isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            yield from _differences(b, a, f"{path}[{i}]")
    elif before != after:
        yield path, before, after


def _odd_amounts(programme) -> None:
    """Amounts in centimes over periods of odd lengths (brought to twelve months, they are
    not round), two more people with health figures (four: the bootstrap interval of the
    change is computed), and a short period of the anonymised person that no figure uses."""
    people = {p.last_name: p for p in Participant.objects.filter(programme=programme)}
    p3 = HealthPeriod.objects.filter(participant=people["P3"])
    p3.filter(kind="baseline").update(costs_chf=Decimal("6123.35"), cost_source="Assura 2023")
    p3.filter(kind="follow_up").update(
        starts_on=date(2024, 6, 3), costs_chf=Decimal("4017.90"), cost_source="Assura 2024"
    )
    HealthPeriod.objects.create(
        programme=programme,
        participant=people["P3"],
        kind="follow_up",
        starts_on=date(2025, 3, 1),
        ends_on=date(2025, 3, 30),
        costs_chf=Decimal("777.77"),
        cost_source="Assura mars",
    )
    HealthPeriod.objects.filter(participant=people["P1"], kind="follow_up").update(
        costs_chf=Decimal("3999.95")
    )
    for name, base, after, start in (
        ("P4", Decimal("8250.40"), Decimal("7311.10"), date(2025, 5, 1)),
        ("P5", Decimal("2500.05"), Decimal("2833.30"), date(2025, 1, 15)),
    ):
        Consent.objects.create(
            participant=people[name], kind="health", state="given", on=date(2024, 12, 1)
        )
        HealthPeriod.objects.create(
            programme=programme,
            participant=people[name],
            kind="baseline",
            starts_on=date(start.year - 1, start.month, start.day),
            ends_on=start - timedelta(days=1),
            costs_chf=base,
        )
        HealthPeriod.objects.create(
            programme=programme,
            participant=people[name],
            kind="follow_up",
            starts_on=start,
            ends_on=date(2025, 12, 20),
            costs_chf=after,
        )


def _stat(figures, key):
    return next(s for s in figures["health"]["stats"] if s["key"] == key)


@pytest.mark.parametrize(("cell", "odd"), [(5, False), (1, False), (1, True)])
def test_a_published_report_is_the_same_when_rebuilt_after_an_anonymisation(
    cast: Cast, settings, cell: int, odd: bool
):
    """With the default protection and with none (every figure of the fixture shown), and
    with amounts that are not round once brought to twelve months."""
    settings.ISA_MIN_CELL_SIZE = cell
    programme = fixture.build("Atelier anonymisé")
    if odd:
        _odd_amounts(programme)
    Membership.objects.create(user=cast.users["head"], programme=programme, role=Role.HEAD)
    head = cast.actor("head")
    published = {}
    for year in (2024, 2025):
        draft = reports.report_draft_save(
            actor=head,
            programme=programme,
            start=date(year, 1, 1),
            end=date(year, 12, 31),
            language="fr",
            deadweight_reason="Une part serait arrivée sans la mesure.",
            attribution_reason="D'autres aides ont compté.",
        )
        published[year] = reports.report_publish(actor=head, version=draft)
    left = Participant.objects.get(programme=programme, last_name="P3")  # exited 31.3.2025
    Participant.objects.filter(pk=left.pk).update(status=Status.EXITED)
    left.refresh_from_db()
    privacy.participant_anonymise(participant=left, reason="request", actor=head)
    assert Anonymisation.objects.filter(participant=left).exists()
    left.refresh_from_db()
    assert left.last_name != "P3"
    for year, version in published.items():
        figures = figures_for(version)
        assert list(_differences(figures, rebuild(version))) == []
        # The health costs were shown, and are shown the same: in 2025, where the follow-ups
        # had ended by the period's end (in 2024 none had: no health figure to compare).
        if cell == 1 and year == 2025:
            assert _stat(figures, "costs_before")["value"] is not None
            assert _stat(figures, "costs_change")["value"] is not None
            if odd and year == 2025:  # four people: the bootstrap interval is shown
                assert _stat(figures, "costs_ci_low")["value"] is not None
                assert _stat(figures, "costs_before")["value"] != round(
                    _stat(figures, "costs_before")["value"]
                )


def test_the_anonymised_persons_amounts_and_insurer_are_gone(cast: Cast):
    """Of the health periods only the dates, counts and the two costs per person-year the
    before/after comparison uses stay; no amount, no source; the short period keeps none."""
    programme = fixture.build("Atelier effacé")
    _odd_amounts(programme)
    Membership.objects.create(user=cast.users["head"], programme=programme, role=Role.HEAD)
    left = Participant.objects.get(programme=programme, last_name="P3")
    Participant.objects.filter(pk=left.pk).update(status=Status.EXITED)
    left.refresh_from_db()
    privacy.participant_anonymise(participant=left, reason="request", actor=cast.actor("head"))
    periods = {(p.kind, p.starts_on): p for p in HealthPeriod.objects.filter(participant=left)}
    assert len(periods) == 3
    assert all(p.costs_chf is None and p.cost_source == "" for p in periods.values())
    assert periods[("baseline", date(2023, 1, 10))].anonymised_cost_per_year == 6123.35
    assert periods[("follow_up", date(2024, 6, 3))].anonymised_cost_per_year == pytest.approx(
        4017.90 * 365 / 302
    )
    assert periods[("follow_up", date(2025, 3, 1))].anonymised_cost_per_year is None
    for text in ("Assura", "6123.35", "4017.9", "777.77"):
        assert not HealthPeriod.objects.filter(cost_source__icontains=text).exists()
    assert not HealthPeriod.objects.filter(
        costs_chf__in=[Decimal("6123.35"), Decimal("4017.90"), Decimal("777.77")]
    ).exists()
    event = AuditEvent.objects.filter(detail__participant=left.pk).latest("pk")
    assert event.detail["health_amounts"] == 3
    assert event.detail["health_costs_per_year_kept"] == 2
    assert "Assura" not in str(event.detail)
    others = HealthPeriod.objects.filter(participant__programme=programme).exclude(participant=left)
    assert others.filter(costs_chf__isnull=False).count() == others.count()
    assert not others.filter(anonymised_cost_per_year__isnull=False).exists()
    page = (
        cast.client("head")
        .get(
            reverse("health_indicators", args=[programme.pk, left.pk]),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        .content.decode()
    )
    assert "6'123.35" in page and "per person-year, kept after the anonymisation" in page
    assert "Assura" not in page and "777.77" not in page


def test_an_anonymised_file_s_health_periods_can_no_longer_be_removed_or_added(cast: Cast):
    """A rebuilt report counts them: the service refuses, the page says why, nothing moves."""
    programme = fixture.build("Atelier figé")
    Membership.objects.create(user=cast.users["head"], programme=programme, role=Role.HEAD)
    left = Participant.objects.get(programme=programme, last_name="P3")
    Participant.objects.filter(pk=left.pk).update(status=Status.EXITED)
    left.refresh_from_db()
    head = Actor.of(User.objects.get(pk=cast.users["head"].pk))  # its roles read afresh
    baseline = HealthPeriod.objects.get(participant=left, kind="baseline")
    # Before the anonymisation the team may still remove a period (here: none removed).
    assert file_lock(left) is None
    privacy.participant_anonymise(participant=left, reason="request", actor=head)
    left.refresh_from_db()
    kept = set(HealthPeriod.objects.filter(participant=left).values_list("pk", flat=True))
    last_event = AuditEvent.objects.latest("pk").pk

    with pytest.raises(ValidationError) as refused:
        evaluation.health_period_delete(period=baseline, actor=head)
    assert refused.value.code == "file_locked"
    with pytest.raises(ValidationError):
        evaluation.health_period_record(
            participant=left,
            kind="follow_up",
            starts_on=date(2025, 1, 1),
            ends_on=date(2025, 6, 30),
            costs_chf=Decimal("100"),
            actor=head,
        )

    for language, words in (("fr", "anonymisé"), ("de", "anonymisiert"), ("en", "anonymised")):
        client = cast.client("head")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.post(
            reverse("health_delete", args=[programme.pk, baseline.pk]), follow=True
        )
        assert response.status_code == 200
        assert words in response.content.decode()
    assert set(HealthPeriod.objects.filter(participant=left).values_list("pk", flat=True)) == kept
    # the page no longer offers what would be refused, and says why
    page = cast.client("head").get(
        reverse("health_indicators", args=[programme.pk, left.pk]), HTTP_ACCEPT_LANGUAGE="fr"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Ce dossier est anonymisé" in text
    assert reverse("health_delete", args=[programme.pk, baseline.pk]) not in text
    assert "Enregistrer une période" not in text
    assert not AuditEvent.objects.filter(
        pk__gt=last_event, action="delete", object_id=str(baseline.pk)
    ).exists()
