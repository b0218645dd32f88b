"""The research package through the API: the page's export (same service, same consent at
the moment of the call, same audit) for the study's researchers, marked as made through
the API; a study outside its period is a 409 problem with nothing exported."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from isa.core.actor import Channel
from isa.core.models import AuditEvent
from tests.api.conftest import bearer, make_token
from tests.conftest import Cast
from tests.privacy.test_research import study_named


@pytest.fixture(autouse=True)
def _key_dir(settings, tmp_path: Path):
    settings.ISA_RESEARCH_KEY_DIR = tmp_path / "research-keys"


def test_a_researcher_lists_the_studies_and_downloads_the_package(cast: Cast):
    study = study_named(cast, "Suivi par l'API")
    _token, secret = make_token(cast, "researcher")
    client = Client()
    listed = client.get(reverse("api:study_list", args=[cast.programme.pk]), **bearer(secret))
    assert listed.status_code == 200
    assert [s["name"] for s in listed.json()] == ["Suivi par l'API"]
    assert listed.json()[0]["open_today"] is True

    url = reverse("api:study_package", args=[cast.programme.pk, study.pk])
    response = client.get(url, **bearer(secret))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "datapackage.json" in archive.namelist()
    event = AuditEvent.objects.get(object_type="privacy.study", action="export")
    assert event.channel == Channel.API
    assert event.actor_id == cast.users["researcher"].pk
    assert "people" in event.detail


def test_the_head_is_refused_and_an_ended_study_is_a_conflict(cast: Cast):
    today = timezone.localdate()
    ended = study_named(cast, "Finie", starts_on=date(2024, 1, 1), ends_on=today - timedelta(1))
    url = reverse("api:study_package", args=[cast.programme.pk, ended.pk])
    _token, head = make_token(cast, "head")
    assert Client().get(url, **bearer(head)).status_code == 403
    _token, researcher = make_token(cast, "researcher")
    response = Client().get(url, **bearer(researcher), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["detail"]
    assert not AuditEvent.objects.filter(object_type="privacy.study", action="export").exists()
