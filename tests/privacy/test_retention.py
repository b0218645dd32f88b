"""Retention and anonymisation: the organisation's period, the daily run (dry and real), the
head's 30-day notice and the anonymisation of one file at the person's request."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from isa.core.models import AuditEvent
from isa.evaluation.catalogue import choice_for
from isa.evaluation.models import Administration, EffectAssessment, HealthPeriod
from isa.evaluation.services import administration_enter_paper, health_period_record
from isa.journal.models import Entry
from isa.people import services as people
from isa.people.models import ConsentKind, ExitReason, Participant, Stay
from isa.presence.models import Presence
from isa.presence.services import presence_mark
from isa.privacy import retention, services
from isa.privacy.models import Anonymisation, RetentionPolicy
from isa.works.models import WorkImage
from tests.conftest import Cast
from tests.evaluation.conftest import give_health_consent
from tests.works.helpers import give, make_work

EXIT = date(2025, 2, 3)
LATER = date(2036, 1, 1)  # EXIT + 10 years has passed


def exit_person(cast: Cast, on: date = EXIT) -> Participant:
    people.participant_exit(
        participant=Participant.objects.get(pk=cast.participant.pk),
        on=on,
        reason=ExitReason.MOVED,
        comment="Parti chez sa sœur à Martigny.",
        actor=cast.actor("head"),
    )
    return Participant.objects.get(pk=cast.participant.pk)


def fill_the_file(cast: Cast) -> None:
    """Contacts, identifiers, a presence, a questionnaire, health figures, an image."""
    person = Participant.objects.get(pk=cast.participant.pk)
    person.phone, person.email, person.address = "079 123 45 67", "jm@example.ch", "Rue du Rhône 1"
    person.avs_number, person.social_aid_reference = "756.1234.5678.97", "SAS-2024-117"
    person.save()
    presence_mark(session=cast.session, participant=person, actor=cast.actor("facilitator"))
    give_health_consent(cast)
    health_period_record(
        participant=person,
        kind="baseline",
        starts_on=date(2023, 3, 1),
        ends_on=date(2024, 2, 29),
        costs_chf=Decimal("5230.50"),
        cost_source="Décompte de l'assureur",
        hospital_days=12,
        emergency_visits=3,
        actor=cast.actor("social_worker"),
    )
    choice = choice_for(cast.programme, "who5@1998")
    administration_enter_paper(
        participant=person,
        choice=choice,
        on=date(2024, 4, 2),
        answers={1: 3, 2: 3, 3: 2, 4: 4, 5: 3},
        actor=cast.actor("social_worker"),
    )
    EffectAssessment.objects.create(
        programme=cast.programme,
        participant=person,
        on=date(2024, 5, 2),
        perspective="participant",
        values={"isolation": {"level": 3, "comment": "Voit sa voisine Mme Dubuis."}},
    )
    make_work(cast, creators=[person], image=True)


def statistics(person_id: int) -> tuple:
    """What reports are computed from: dates, counts, presence, scores (no names)."""
    return (
        list(
            Stay.objects.filter(participant_id=person_id).values_list(
                "admitted_on", "exited_on", "exit_reason"
            )
        ),
        Presence.objects.filter(participant_id=person_id).count(),
        list(Presence.objects.filter(participant_id=person_id).values_list("session__on", "state")),
        list(
            Administration.objects.filter(participant_id=person_id).values_list(
                "on", "primary_value", "status"
            )
        ),
        list(
            HealthPeriod.objects.filter(participant_id=person_id).values_list(
                "hospital_days", "emergency_visits"
            )
        ),
        Entry.objects.filter(participants=person_id).count(),
        list(
            Participant.objects.filter(pk=person_id).values_list(
                "status", "accompanied_since", "birth_date__year"
            )
        ),
        list(
            EffectAssessment.objects.filter(participant_id=person_id).values_list(
                "on", "values__isolation__level"
            )
        ),
    )


# -- the policy ---------------------------------------------------------------------------------


def test_the_default_period_is_ten_years(cast: Cast):
    assert retention.policy_for(cast.organisation).years == 10


def test_a_period_below_the_legal_minimum_is_refused(cast: Cast):
    with pytest.raises(ValidationError) as refused:
        services.retention_policy_set(
            organisation=cast.organisation,
            years=5,
            legal_minimum_years=10,
            legal_basis="",
            actor=cast.actor("head"),
        )
    assert refused.value.code == "below_legal_minimum"
    assert not RetentionPolicy.objects.exists()


def test_the_head_sets_the_period_on_the_page(cast: Cast):
    url = reverse("privacy_retention", args=[cast.programme.pk])
    client = cast.client("head")
    refused = client.post(url, {"years": 3, "legal_minimum_years": 5, "legal_basis": ""})
    assert refused.status_code == 400
    assert "au moins 5 ans" in refused.content.decode() and not RetentionPolicy.objects.exists()
    response = client.post(url, {"years": 12, "legal_minimum_years": 10, "legal_basis": "LASoc"})
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(organisation=cast.organisation)
    assert (policy.years, policy.legal_minimum_years) == (12, 10)
    assert AuditEvent.objects.filter(object_type="privacy.retentionpolicy").exists()


# -- the daily run --------------------------------------------------------------------------------


def test_dry_run_lists_and_changes_nothing(cast: Cast):
    person = exit_person(cast)
    out = StringIO()
    call_command("retention", "--dry-run", "--date", LATER.isoformat(), stdout=out)
    text = out.getvalue()
    assert f"would anonymise file #{person.pk}" in text
    assert "2025-02-03 + 10 years = 2035-02-03" in text
    assert "Zufferey" not in text  # the output names no one
    assert not Anonymisation.objects.exists()
    assert Participant.objects.get(pk=person.pk).last_name == "Zufferey"


def test_nothing_is_due_before_the_period_ends(cast: Cast):
    exit_person(cast)
    out = StringIO()
    call_command("retention", "--date", "2035-02-02", stdout=out)
    assert "0 file(s) anonymised" in out.getvalue()
    assert not Anonymisation.objects.exists()


def test_the_run_anonymises_and_keeps_the_statistics(
    cast: Cast, django_capture_on_commit_callbacks
):
    fill_the_file(cast)
    person = exit_person(cast)
    before = statistics(person.pk)
    image_names = [i.original.name for i in WorkImage.objects.filter(work__creators=person)]
    assert image_names and default_storage.exists(image_names[0])

    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention", "--date", LATER.isoformat(), stdout=StringIO())

    after = Participant.objects.get(pk=person.pk)
    assert str(after) == f"Anonyme #{person.pk}" and after.usual_first_name == ""
    assert "Jean-Marc" not in after.official_first_names
    assert (after.phone, after.email, after.address) == ("", "", "")
    assert (after.avs_number, after.social_aid_reference) == ("", "")
    assert after.birth_date == date(1975, 7, 1)
    assert "zufferey" not in after.search_name
    assert Entry.objects.get(pk=cast.entry.pk).text == services.REMOVED_TEXT
    assert Stay.objects.get(participant=person).exit_comment == ""
    health = HealthPeriod.objects.get(participant=person)
    assert health.costs_chf is None and health.cost_source == ""
    grid = EffectAssessment.objects.get(participant=person)
    assert "comment" not in grid.values["isolation"]
    assert not WorkImage.objects.filter(work__creators=person).exists()
    assert not default_storage.exists(image_names[0])
    # what the statistics are made of is untouched
    assert statistics(person.pk) == before
    # audited, by the job
    event = AuditEvent.objects.get(object_type="privacy.anonymisation")
    assert event.channel == "job" and event.actor_label == "isa retention"
    assert event.detail["participant"] == person.pk and event.detail["reason"] == "retention"
    assert "Zufferey" not in str(event.detail)
    # a second run finds nothing more to do
    out = StringIO()
    call_command("retention", "--date", LATER.isoformat(), stdout=out)
    assert "0 file(s) anonymised" in out.getvalue()


def test_images_kept_under_an_exhibition_archive_consent(cast: Cast):
    from isa.works import services as works

    person = Participant.objects.get(pk=cast.participant.pk)
    give(person, ConsentKind.EXHIBITION, cast.users["head"])
    work = make_work(cast, creators=[person], image=True)
    exhibition = works.exhibition_create(
        programme=cast.programme,
        title="Regards",
        venue="Sion",
        starts_on=date(2024, 6, 1),
        actor=cast.actor("head"),
    )
    works.exhibition_add_work(exhibition=exhibition, work=work, actor=cast.actor("head"))
    person = exit_person(cast)
    services.retention_run(actor=cast.actor("head"), on=LATER)
    assert WorkImage.objects.filter(work=work).exists()


def test_an_invalid_date_is_refused(db):
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("retention", "--date", "someday", stdout=StringIO())


# -- the head's notice and the anonymisation on request ---------------------------------------


def test_the_head_sees_thirty_days_ahead(cast: Cast):
    services.retention_policy_set(
        organisation=cast.organisation,
        years=2,
        legal_minimum_years=0,
        legal_basis="",
        actor=cast.actor("head"),
    )
    today = timezone.localdate()
    exit_on = retention.add_years(today, -2) + timedelta(days=10)
    person = exit_person(cast, on=exit_on)
    page = cast.client("head").get(reverse("privacy_retention", args=[cast.programme.pk]))
    html = page.content.decode()
    assert str(person) in html
    assert reverse("participant_anonymise", args=[cast.programme.pk, person.pk]) in html
    home = cast.client("head").get(reverse("programme", args=[cast.programme.pk])).content.decode()
    assert "1 dossier sera anonymisé dans les 30 jours" in home


def test_the_head_anonymises_a_file_at_the_persons_request(cast: Cast):
    person = exit_person(cast, on=date(2025, 6, 1))
    url = reverse("participant_anonymise", args=[cast.programme.pk, person.pk])
    client = cast.client("head")
    assert client.get(url).status_code == 200
    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 400
    assert not Anonymisation.objects.exists()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    anonymisation = Anonymisation.objects.get(participant=person)
    assert anonymisation.reason == "request"
    event = AuditEvent.objects.get(object_type="privacy.anonymisation")
    assert event.actor_id == cast.users["head"].pk and event.detail["reason"] == "request"
    again = client.post(url, {"confirm": "on"})
    assert again.status_code == 400 and "déjà anonymisé" in again.content.decode()


def test_a_person_still_accompanied_is_not_anonymised(cast: Cast):
    url = reverse("participant_anonymise", args=[cast.programme.pk, cast.participant.pk])
    response = cast.client("head").post(url, {"confirm": "on"})
    assert response.status_code == 400
    assert not Anonymisation.objects.exists()
    assert Participant.objects.get(pk=cast.participant.pk).last_name == "Zufferey"


def test_the_audit_log_says_it_in_words(cast: Cast):
    person = exit_person(cast, on=date(2025, 6, 1))
    services.participant_anonymise(participant=person, reason="request", actor=cast.actor("head"))
    services.retention_policy_set(
        organisation=cast.organisation,
        programme=cast.programme,
        years=11,
        legal_minimum_years=10,
        legal_basis="",
        actor=cast.actor("head"),
    )
    html = cast.client("head").get(reverse("audit_log", args=[cast.programme.pk])).content.decode()
    assert f"a anonymisé le dossier de Anonyme #{person.pk} à sa demande" in html
    assert "a fixé la durée de conservation à 11 ans" in html
