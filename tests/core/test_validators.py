"""What people type: no hidden characters in names and texts, texts of a sensible size,
dates ISA can compute with."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from isa.core.validators import (
    TEXT_LENGTH,
    no_control_characters,
    no_control_characters_multiline,
    sane_date,
)
from isa.people.models import Participant
from isa.works.models import GallerySettings
from tests.conftest import Cast
from tests.people.test_views import referral_data

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HIDDEN = [
    "\x00",
    "\x08",
    "\x1b",
    "\x7f",
    "\x9b",
    *"\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069",
]


@pytest.mark.parametrize("char", HIDDEN)
def test_a_name_with_a_control_or_bidirectional_character_is_refused(char: str):
    with pytest.raises(ValidationError) as exc:
        no_control_characters(f"Jean{char}Marc")
    assert exc.value.code == "control_character"
    with pytest.raises(ValidationError):
        no_control_characters_multiline(f"Jean{char}Marc")


def test_line_breaks_and_tabs_are_kept_in_a_text_but_not_in_a_name():
    text = "Première ligne\r\n\tdeuxième ligne"
    no_control_characters_multiline(text)
    with pytest.raises(ValidationError):
        no_control_characters(text)
    no_control_characters("Zoë Ångström-N’Diaye 李")


def test_dates_between_1900_and_2100_only():
    for ok in (date(1900, 1, 1), date(2100, 12, 31), None):
        sane_date(ok)
    for bad in (date(1899, 12, 31), date(2101, 1, 1), date(1, 1, 1), date(9999, 12, 31)):
        with pytest.raises(ValidationError):
            sane_date(bad)


def test_a_referral_whose_name_hides_a_right_to_left_override_is_refused(cast: Cast):
    url = reverse("referral_create", args=[cast.programme.pk])
    data = referral_data(**{"id-last_name": "Crett\u202eenand"})
    response = cast.client("referrer").post(url, data, **EN)
    assert response.status_code == 400
    assert "invisible control character" in response.content.decode()
    assert not Participant.objects.filter(last_name__startswith="Crett").exists()


def test_a_gallery_introduction_of_a_megabyte_never_reaches_the_public_page(cast: Cast):
    url = reverse("gallery_settings", args=[cast.programme.pk])
    client = cast.client("head")
    response = client.post(url, {"enabled": "on", "introduction": "x" * 1_000_000}, **EN)
    assert response.status_code == 400
    assert "Ensure this value has at most" in response.content.decode()
    assert GallerySettings._meta.get_field("introduction").max_length == TEXT_LENGTH
    assert not GallerySettings.objects.filter(introduction__startswith="x").exists()
    ok = client.post(url, {"enabled": "on", "introduction": "Bienvenue.\n\nDes œuvres."})
    assert ok.status_code == 302
    assert GallerySettings.objects.get().introduction.startswith("Bienvenue.")


def test_a_date_typed_as_the_year_24_is_refused_with_a_message(cast: Cast):
    url = reverse("milestone_add", args=[cast.programme.pk, cast.participant.pk])
    response = cast.client("head").post(
        url, {"kind": "first_visit", "on": "0024-03-01"}, follow=True, **EN
    )
    assert "Please give a date between 1900 and 2100." in response.content.decode()
    assert not cast.participant.milestones.filter(on__year=24).exists()
