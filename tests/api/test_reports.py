"""Published report figures through the API: the funder reads the published versions of its
programme and their protected figures as frozen at publication (the page's read, the page's
audit, marked as made through the API); a draft, another programme's version or another
programme's funder is a 404; no token, a 401."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from isa.api.services import api_token_create
from isa.core.actor import Actor, Channel
from isa.core.models import AuditAction, AuditEvent, Membership, Role
from isa.reports import services
from isa.reports.published import figures_for
from tests.api.conftest import bearer, make_token
from tests.conftest import Cast, make_user
from tests.reports.matrix import published


def test_a_funder_lists_the_published_versions_and_reads_their_figures(cast: Cast):
    version = published(cast)
    draft = services.report_draft_save(
        actor=cast.actor("head"),
        programme=cast.programme,
        start=version.period_start,
        end=version.period_end,
        language="de",
        deadweight_reason="Ein Teil wäre ohnehin geschehen.",
        attribution_reason="Das CMS hilft auch.",
    )
    _token, secret = make_token(cast, "funder")
    client = Client()
    listed = client.get(reverse("api:report_list", args=[cast.programme.pk]), **bearer(secret))
    assert listed.status_code == 200
    assert [v["id"] for v in listed.json()] == [version.pk]
    assert listed.json()[0]["number"] == 1
    assert listed.json()[0]["period_start"] == version.period_start.isoformat()

    url = reverse("api:report_figures", args=[cast.programme.pk, version.pk])
    response = client.get(url, **bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == version.pk
    assert body["language"] == "fr"
    assert body["figures"] == figures_for(version)
    assert body["figures"]

    event = AuditEvent.objects.get(
        action=AuditAction.VIEW, object_type="reports.reportversion", object_id=str(version.pk)
    )
    assert event.channel == Channel.API
    assert event.actor_id == cast.users["funder"].pk
    assert event.programme_id == cast.programme.pk
    assert event.detail == {"internal": False}

    drafted = reverse("api:report_figures", args=[cast.programme.pk, draft.pk])
    assert client.get(drafted, **bearer(secret)).status_code == 404


def test_a_correction_is_listed_with_its_reason_and_a_draft_is_404_even_for_the_head(
    cast: Cast,
):
    version = published(cast)
    correction = services.report_correct(
        actor=cast.actor("head"), version=version, reason="Un séjour saisi en retard."
    )
    draft = services.report_draft_save(
        actor=cast.actor("head"),
        programme=cast.programme,
        start=version.period_start,
        end=version.period_end,
        language="en",
        deadweight_reason="Some would have happened anyway.",
        attribution_reason="Others help too.",
    )
    _token, head = make_token(cast, "head")
    client = Client()
    listed = client.get(reverse("api:report_list", args=[cast.programme.pk]), **bearer(head))
    assert listed.status_code == 200
    rows = {v["id"]: v for v in listed.json()}
    assert set(rows) == {version.pk, correction.pk}
    assert rows[correction.pk]["correction_reason"] == "Un séjour saisi en retard."
    assert rows[correction.pk]["corrects_id"] == version.pk
    assert rows[correction.pk]["number"] == 2
    url = reverse("api:report_figures", args=[cast.programme.pk, draft.pk])
    assert client.get(url, **bearer(head)).status_code == 404


def test_another_programme_and_its_funder_see_nothing(cast: Cast):
    version = published(cast)
    outsider = make_user("bailleur.brig@test.example", "Bailleur Brig")
    Membership.objects.create(user=outsider, programme=cast.other_programme, role=Role.FUNDER)
    _token, secret = api_token_create(
        programme=cast.other_programme,
        name="Rapports",
        expires_on=timezone.localdate() + timedelta(days=30),
        actor=Actor.of(outsider),
    )
    client = Client()
    for args in ([cast.programme.pk, version.pk], [cast.other_programme.pk, version.pk]):
        response = client.get(reverse("api:report_figures", args=args), **bearer(secret))
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/problem+json")
    listed = client.get(reverse("api:report_list", args=[cast.programme.pk]), **bearer(secret))
    assert listed.status_code == 404
    assert not AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="reports.reportversion"
    ).exists()


def test_without_a_token_it_is_401(cast: Cast):
    version = published(cast)
    url = reverse("api:report_figures", args=[cast.programme.pk, version.pk])
    response = Client().get(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
