"""The public gallery: off by default, consented works only, the credit and nothing more."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from isa.people.models import ConsentKind
from isa.works import services
from isa.works.models import Work
from tests.conftest import refer
from tests.works.helpers import first_image, give, make_work, shown_online, withdraw

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def gallery_url(cast) -> str:
    return reverse("gallery", args=[cast.programme.pk])


def test_the_gallery_is_closed_by_default_and_for_unknown_programmes(cast):
    anonymous = cast.client("anonymous")
    assert anonymous.get(gallery_url(cast)).status_code == 404
    assert anonymous.get(reverse("gallery", args=[999999])).status_code == 404
    services.gallery_settings_set(programme=cast.programme, enabled=True, actor=cast.actor("head"))
    assert anonymous.get(gallery_url(cast)).status_code == 200
    services.gallery_settings_set(programme=cast.programme, enabled=False, actor=cast.actor("head"))
    assert anonymous.get(gallery_url(cast)).status_code == 404


def test_the_gallery_is_public_cached_briefly_and_sets_no_cookie(cast):
    shown_online(cast)
    response = cast.client("anonymous").get(gallery_url(cast))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, no-cache"
    assert response["X-Robots-Tag"] == "noindex, noimageindex, nofollow"
    assert not response.cookies
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html and "X-CSRFToken" not in html
    assert "main-nav" not in html and reverse("account") not in html  # no menu of the team


def test_only_works_whose_every_creator_consented_are_shown(cast):
    other = refer(cast.programme, cast.users["head"], "Mabillard", "Chantal").participant
    give(cast.participant, ConsentKind.ONLINE, cast.users["head"])
    services.gallery_settings_set(programme=cast.programme, enabled=True, actor=cast.actor("head"))
    make_work(cast, title="Seul et consenti")
    make_work(cast, title="Collectif sans accord", creators=[cast.participant, other])
    make_work(cast, title="Sans accord", creators=[other])
    give(other, ConsentKind.EXHIBITION, cast.users["head"])  # not the right consent
    html = cast.client("anonymous").get(gallery_url(cast)).content.decode()
    assert "Seul et consenti" in html
    assert "Collectif sans accord" not in html and "Sans accord" not in html
    assert list(Work.objects.publicly_shown(cast.programme).values_list("title", flat=True)) == [
        "Seul et consenti"
    ]


def test_a_refused_or_future_consent_does_not_count(cast):
    from isa.people import services as people

    people.consent_record(
        participant=cast.participant,
        kind=ConsentKind.ONLINE,
        state="refused",
        on=date(2024, 3, 4),
        method="paper",
        actor=cast.actor("head"),
    )
    make_work(cast)
    assert not Work.objects.publicly_shown(cast.programme).exists()
    give(cast.participant, ConsentKind.ONLINE, cast.users["head"], on=date(2024, 4, 1))
    assert Work.objects.publicly_shown(cast.programme).exists()
    assert not Work.objects.publicly_shown(cast.programme, on=date(2024, 3, 20)).exists()


def test_a_withdrawal_removes_the_work_and_its_image_at_once(cast):
    work = shown_online(cast)
    image = first_image(work)
    anonymous = cast.client("anonymous")
    image_url = reverse("gallery_image", args=[cast.programme.pk, image.key, "display"])
    assert work.title in anonymous.get(gallery_url(cast)).content.decode()
    response = anonymous.get(image_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["X-Content-Type-Options"] == "nosniff"
    withdraw(cast.participant, ConsentKind.ONLINE, cast.users["social_worker"])
    assert work.title not in anonymous.get(gallery_url(cast)).content.decode()
    assert anonymous.get(image_url).status_code == 404
    thumb = reverse("gallery_image", args=[cast.programme.pk, image.key, "thumb"])
    assert anonymous.get(thumb).status_code == 404


def test_the_public_never_gets_the_original(cast):
    image = first_image(shown_online(cast))
    anonymous = cast.client("anonymous")
    for size in ("original", "anything"):
        url = reverse("gallery_image", args=[cast.programme.pk, image.key, size])
        assert anonymous.get(url).status_code == 404
    # Nor an image through another programme's open gallery.
    services.gallery_settings_set(
        programme=cast.other_programme, enabled=True, actor=cast.actor("other_head")
    )
    url = reverse("gallery_image", args=[cast.other_programme.pk, image.key, "display"])
    assert anonymous.get(url).status_code == 404


def test_closing_the_gallery_closes_its_images(cast):
    image = first_image(shown_online(cast))
    url = reverse("gallery_image", args=[cast.programme.pk, image.key, "thumb"])
    assert cast.client("anonymous").get(url).status_code == 200
    services.gallery_settings_set(programme=cast.programme, enabled=False, actor=cast.actor("head"))
    assert cast.client("anonymous").get(url).status_code == 404


@pytest.fixture
def philomene(cast):
    person = refer(
        cast.programme,
        cast.users["head"],
        "Quaglierini",
        "Philomène Augustine",
        birth_date=date(1961, 7, 29),
        avs_number="756.1234.5678.97",
        phone="079 555 12 34",
        email="philo@example.ch",
    ).participant
    give(person, ConsentKind.ONLINE, cast.users["head"])
    services.gallery_settings_set(programme=cast.programme, enabled=True, actor=cast.actor("head"))
    work = make_work(cast, creators=[person], title="Le Haut de Cry", image=True)
    return person, work


SECRETS = [
    "Quaglierini",
    "Philomène",
    "Augustine",
    "1961",
    "29.07",
    "756.1234",
    "7561234",
    "079 555",
    "philo@",
]


@pytest.mark.parametrize(
    ("mode", "pseudonym", "shown", "hidden"),
    [
        ("anonymous", "", "Anonymous", SECRETS),
        ("pseudonym", "La Pie du Rawyl", "La Pie du Rawyl", SECRETS),
        ("first_name", "", "Philomène", [s for s in SECRETS if s != "Philomène"]),
        (
            "full_name",
            "",
            "Philomène Quaglierini",
            [s for s in SECRETS if s not in ("Philomène", "Quaglierini")],
        ),
    ],
)
def test_the_gallery_shows_the_chosen_credit_and_nothing_else(
    cast, philomene, mode, pseudonym, shown, hidden
):
    person, work = philomene
    services.credit_set(
        participant=person, mode=mode, pseudonym=pseudonym, actor=cast.actor("social_worker")
    )
    html = cast.client("anonymous").get(gallery_url(cast), **EN).content.decode()
    assert "Le Haut de Cry" in html
    assert shown in html
    for secret in hidden:
        assert secret not in html, f"{secret!r} leaked with credit mode {mode}"
    # No database id of a person or a work in the page: images go by random key.
    assert f"/{person.pk}/" not in html.replace(f"/gallery/{cast.programme.pk}/", "")
    assert str(first_image(work).key) in html
    assert "participant" not in html.lower()


def test_without_a_choice_a_person_is_credited_anonymously(cast, philomene):
    html = cast.client("anonymous").get(gallery_url(cast), **EN).content.decode()
    assert "Anonymous" in html and "Philomène" not in html


def test_credits_are_set_by_files_roles_with_a_pseudonym_when_chosen(cast):
    url = reverse("credit_edit", args=[cast.programme.pk, cast.participant.pk])
    client = cast.client("social_worker")
    response = client.post(url, {"mode": "pseudonym", "pseudonym": ""}, **EN)
    assert response.status_code == 400
    assert "pseudonym" in response.content.decode()
    assert client.post(url, {"mode": "pseudonym", "pseudonym": "JM"}).status_code == 302
    assert cast.participant.work_credit.pseudonym == "JM"
    assert cast.client("facilitator").post(url, {"mode": "full_name"}).status_code == 403


def test_gallery_settings_are_for_the_head(cast):
    url = reverse("gallery_settings", args=[cast.programme.pk])
    response = cast.client("head").post(url, {"enabled": "on", "introduction": "Bienvenue"})
    assert response.status_code == 302
    assert cast.programme.gallery_settings.enabled
    assert cast.client("social_worker").post(url, {"enabled": ""}).status_code == 403
    assert cast.programme.gallery_settings.enabled
