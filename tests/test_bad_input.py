"""The inputs that answered 500 (or took seconds) in a probe of issue 16: each is now refused
politely, and nothing is written.  The general fuzz test is tests/test_fuzz_inputs.py."""

from __future__ import annotations

from unittest.mock import patch

from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.formsets import BaseFormSet
from django.urls import reverse

from isa.core.models import AuditEvent
from isa.evaluation.models import HealthPeriod, LoadedInstrument
from isa.presence.models import Presence, Recurrence, Workshop
from isa.works.models import Exhibition
from tests.conftest import Cast
from tests.evaluation.conftest import give_health_consent
from tests.presence.test_setup import workshop_data
from tests.works.matrix import exhibition

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HUGE = "9" * 30


def test_a_huge_number_of_hospital_days_is_refused_with_a_message(cast: Cast):
    give_health_consent(cast)
    url = reverse("health_indicators", args=[cast.programme.pk, cast.participant.pk])
    data = {"kind": "baseline", "starts_on": "2023-03-04", "ends_on": "2024-03-03"}
    client = cast.client("social_worker")
    for days in (HUGE, "367", "400"):
        response = client.post(url, {**data, "hospital_days": days}, **EN)
        assert response.status_code == 400, days
        assert "Ensure this value is less than or equal to" in response.content.decode()
    assert not HealthPeriod.objects.exists()


def test_hospital_days_cannot_exceed_the_days_of_the_period(cast: Cast):
    give_health_consent(cast)
    url = reverse("health_indicators", args=[cast.programme.pk, cast.participant.pk])
    data = {"kind": "follow_up", "starts_on": "2024-03-01", "ends_on": "2024-03-10"}
    client = cast.client("social_worker")
    response = client.post(url, {**data, "hospital_days": "11"}, **EN)
    assert response.status_code == 400
    assert "more hospital days than the period has days" in response.content.decode()
    assert not HealthPeriod.objects.exists()
    assert client.post(url, {**data, "hospital_days": "10"}).status_code == 302
    assert HealthPeriod.objects.get().hospital_days == 10


def test_a_huge_number_of_exhibition_visitors_is_refused_with_a_message(cast: Cast):
    e = Exhibition.objects.get(pk=exhibition(cast)["exhibition_id"])
    url = reverse("exhibition_edit", args=[cast.programme.pk, e.pk])
    data = {
        "title": "Couleurs",
        "venue": "Sion",
        "starts_on": "2024-09-01",
        "version": e.version,
        "visitors": HUGE,
    }
    response = cast.client("head").post(url, data, **EN)
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 1000000" in response.content.decode()
    e.refresh_from_db()
    assert e.visitors is None and e.title == "Couleurs du Valais"
    create = reverse("exhibition_create", args=[cast.programme.pk])
    assert cast.client("head").post(create, {**data, "title": "Autre"}).status_code == 400
    assert Exhibition.objects.count() == 1


def test_a_tap_naming_a_medium_that_is_no_number_or_too_large_changes_nothing(cast: Cast):
    url = reverse("register_tap", args=[cast.programme.pk, cast.session.pk])
    client = cast.client("facilitator")
    person = {"participant": cast.participant.pk}
    assert client.post(url, {**person, "action": "present"}).status_code == 302
    for medium in ("peinture", HUGE, "-1", "1e3", "\x00"):
        response = client.post(url, {**person, "action": "medium", "medium": medium})
        assert response.status_code == 302, medium
    assert Presence.objects.get().medium is None
    at_the_end_of_time = {**person, "action": "leave", "at": "9999-12-31T23:59:59-23:00"}
    assert client.post(url, at_the_end_of_time).status_code == 302
    for participant in ("Jean-Marc", HUGE, "-5"):
        response = client.post(url, {"participant": participant, "action": "present"})
        assert response.status_code == 404, participant


def test_the_register_of_a_day_at_the_edge_of_the_calendar_is_refused(cast: Cast):
    url = reverse("register_today", args=[cast.programme.pk])
    client = cast.client("facilitator")
    for day in ("9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01", "someday"):
        assert client.get(url, {"date": day}).status_code == 404, day
    for day in ("2100-12-31", "2000-01-01"):
        assert client.get(url, {"date": day}).status_code == 200, day


def test_an_instrument_file_nested_fifty_thousand_levels_deep_is_refused_clearly(cast: Cast):
    url = reverse("instrument_upload", args=[cast.programme.pk])
    client = cast.client("head")
    for text in ("x = " + "[" * 50_000 + "]" * 50_000, "x = " + "{a = " * 30_000 + "}" * 30_000):
        upload = SimpleUploadedFile("deep.toml", text.encode(), content_type="application/toml")
        response = client.post(url, {"file": upload}, **EN)
        assert response.status_code == 400
        assert "nested too deeply" in response.content.decode()
    assert not LoadedInstrument.objects.exists()


def test_a_workshop_posted_with_a_hundred_thousand_recurrences_is_refused_at_once(cast: Cast):
    rows = [{"weekday": str(i % 7), "part": "am", "starts_on": "2025-03-03"} for i in range(15)]
    data = workshop_data(rows=rows)
    url = reverse("workshop_create", args=[cast.programme.pk])
    client = cast.client("head")
    before = (Workshop.objects.count(), Recurrence.objects.count())
    response = client.post(url, data, **EN)
    assert response.status_code == 400
    assert "Please submit at most 14 forms." in response.content.decode()
    data["recurrences-TOTAL_FORMS"] = "100000"
    built = []
    construct = BaseFormSet._construct_form

    def counting(self, i, **kwargs):  # type: ignore[no-untyped-def]
        built.append(i)
        return construct(self, i, **kwargs)

    with patch.object(BaseFormSet, "_construct_form", counting):
        response = client.post(url, data, **EN)
    assert len(built) <= 15  # the cap is checked before any of the 100,000 forms is built
    assert response.status_code == 400
    assert (Workshop.objects.count(), Recurrence.objects.count()) == before


def test_a_filter_with_a_nul_character_is_audited_without_it(cast: Cast):
    """PostgreSQL's JSON cannot hold NUL: the audit detail replaces it, and cuts long texts."""
    url = reverse("participant_list", args=[cast.programme.pk])
    response = cast.client("head").get(url, {"status": "x\x00y", "page": "9" * 5000})
    assert response.status_code < 500
    detail = AuditEvent.objects.filter(detail__list="participants").latest("pk").detail
    assert detail["status"] == "x\ufffdy"
    assert len(detail["page"]) <= 2001
