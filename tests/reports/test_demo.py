"""The demo: ISA Sion has a published report for the last complete year, which the demo
funder sees (and the head can publish again without duplicate)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from isa.core.models import Programme, User
from isa.reports.models import ReportVersion


def test_the_demo_funder_sees_the_published_last_year(demo: str):
    year = timezone.localdate().year - 1
    programme = Programme.objects.get(name="ISA Sion")
    version = ReportVersion.objects.published().get(programme=programme, language="fr")
    assert version.period_start.year == year == version.period_end.year
    figures = version.figures
    assert figures["protected"] is True
    assert figures["tables"]["people"]["cells"][0][1] is not None  # enough people: shown
    assert figures["texts"]["foreword"].startswith("Une année")
    funder = User.objects.get(email="jd.pitteloud@demo.isa.example")
    client = Client()
    client.force_login(funder)
    listing = client.get(reverse("report_list", args=[programme.pk]))
    assert listing.status_code == 200
    assert reverse("report_version", args=[programme.pk, version.pk]).encode() in listing.content
    page = client.get(reverse("report_version", args=[programme.pk, version.pk]))
    assert page.status_code == 200
    assert b"<svg" in page.content
