"""The staff home page lists the user's programmes with their occupancy."""

from __future__ import annotations

from django.urls import reverse

from isa.core import registry
from isa.core.models import Membership, Programme, Role
from tests.conftest import Cast


def test_home_lists_only_my_programmes_with_occupancy(cast: Cast):
    response = cast.client("facilitator").get(reverse("home"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["programme"] for r in rows] == [cast.programme]
    assert rows[0]["active"] == registry.occupancy([cast.programme.pk])[cast.programme.pk]
    assert "22" in response.content.decode()


def test_home_query_count_does_not_grow_with_programmes(cast: Cast, django_assert_max_num_queries):
    client = cast.client("head")
    client.get(reverse("home"))
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("home"))
    for i in range(10):
        p = Programme.objects.create(
            organisation=cast.organisation, name=f"Atelier {i}", place="Sion", capacity=10
        )
        Membership.objects.create(user=cast.users["head"], programme=p, role=Role.HEAD)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("home"))
    assert len(response.context["rows"]) == 11


def test_an_unknown_page_is_a_friendly_404_in_the_users_language(cast: Cast):
    response = cast.client("head").get("/nowhere/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'lang="de"' in body
    assert "Seite nicht gefunden" in body


def test_the_programme_page_shows_budget_in_swiss_format_to_the_head(cast: Cast):
    cast.programme.annual_budget_chf = 412500
    cast.programme.save()
    body = cast.client("head").get(reverse("programme", args=[cast.programme.pk])).content
    assert "412'500.00" in body.decode()
    body = cast.client("facilitator").get(reverse("programme", args=[cast.programme.pk])).content
    assert "412'500.00" not in body.decode()


def test_the_demo_banner_says_everything_is_fictional(cast: Cast, settings):
    settings.ISA_DEMO_BANNER = True
    response = cast.client("head").get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "fictional" in response.content.decode()
