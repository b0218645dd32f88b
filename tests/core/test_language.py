"""Each person's language is kept on their account, and dates read as they do in it."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from isa.core.models import AuditAction, AuditEvent, User
from isa.formats import long_date
from tests.conftest import PASSWORD, Cast

LOGIN = "/accounts/login/"


def switch(client: Client, language: str, next_url: str = "/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_the_language_chosen_in_the_header_is_kept_on_the_account(cast: Cast):
    head = cast.users["head"]
    response = switch(cast.client("head"), "de")
    assert response.status_code == 302
    head.refresh_from_db()
    assert head.language == "de"
    event = AuditEvent.objects.get(action=AuditAction.UPDATE, object_type="core.user")
    assert (event.object_id, event.detail) == (str(head.pk), {"language": "de"})


def test_the_kept_language_speaks_at_the_next_sign_in_in_a_fresh_browser(cast: Cast):
    switch(cast.client("head"), "en")
    client = Client()
    response = client.post(LOGIN, {"username": "head@test.example", "password": PASSWORD})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("account"))
    assert 'lang="en"' in page.content.decode()
    assert "My account" in page.content.decode()


def test_the_language_chosen_on_the_sign_in_page_is_kept_at_sign_in(cast: Cast):
    client = Client()
    client.get(LOGIN)
    switch(client, "de", LOGIN)
    assert User.objects.get(email="head@test.example").language == "fr"
    response = client.post(LOGIN, {"username": "head@test.example", "password": PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(email="head@test.example").language == "de"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"


def test_a_language_chosen_by_a_visitor_who_does_not_sign_in_changes_no_account(cast: Cast):
    client = Client()
    switch(client, "en", LOGIN)
    client.post(LOGIN, {"username": "head@test.example", "password": "not the password"})
    assert User.objects.get(email="head@test.example").language == "fr"


def test_a_language_isa_does_not_speak_is_not_kept(cast: Cast):
    switch(cast.client("head"), "it")
    cast.users["head"].refresh_from_db()
    assert cast.users["head"].language == "fr"


def test_the_account_page_changes_the_language(cast: Cast):
    client = cast.client("facilitator")
    page = client.get(reverse("account")).content.decode()
    assert f'action="{reverse("set_language")}"' in page
    assert '<option value="fr" selected>' in page
    response = switch(client, "de", reverse("account"))
    assert response["Location"] == reverse("account")
    cast.users["facilitator"].refresh_from_db()
    assert cast.users["facilitator"].language == "de"
    page = client.get(reverse("account")).content.decode()
    assert "Mein Konto" in page
    assert '<option value="de" selected>' in page


@pytest.mark.parametrize(
    ("language", "with_weekday", "without_weekday", "without_year"),
    [
        ("fr", "jeudi 3 décembre 2026", "3 décembre 2026", "jeudi 3 décembre"),
        ("de", "Donnerstag, 3. Dezember 2026", "3. Dezember 2026", "Donnerstag, 3. Dezember"),
        ("en", "Thursday, 3 December 2026", "3 December 2026", "Thursday, 3 December"),
    ],
)
def test_a_date_in_words_reads_as_in_its_language(
    language, with_weekday, without_weekday, without_year
):
    day = date(2026, 12, 3)
    with translation.override(language):
        assert long_date(day) == with_weekday
        assert long_date(day, weekday=False) == without_weekday
        assert long_date(day, year=False) == without_year


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", "jeudi 3 décembre 2026"),
        ("de", "Donnerstag, 3. Dezember 2026"),
        ("en", "Thursday, 3 December 2026"),
    ],
)
def test_the_register_page_writes_its_day_in_the_readers_language(
    cast: Cast, language: str, expected: str
):
    client = cast.client("head")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(
        reverse("register_today", args=[cast.programme.pk]), {"date": "2026-12-03"}
    )
    assert response.status_code == 200
    assert f"· {expected}</h1>" in response.content.decode()
