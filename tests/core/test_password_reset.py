"""Password reset by e-mail: a link that works once and briefly, never past the second factor."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from isa.core.models import AuditAction, AuditEvent, User
from tests.conftest import PASSWORD, Cast
from tests.core.test_auth import current_code

NEW_PASSWORD = "Quatre-chevaux-bleus-dansent-77"
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def _locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def ask_link(client: Client, email: str):
    return client.post(reverse("password_reset"), {"email": email})


def link_in(message) -> str:
    (url,) = re.findall(r"https?://\S+", message.body)
    return url.split("testserver", 1)[1]


def set_new_password(client: Client, link: str, password: str = NEW_PASSWORD):
    form = client.get(link)
    assert form.status_code == 302  # the token leaves the address before the form shows
    return client.post(form["Location"], {"new_password1": password, "new_password2": password})


def test_the_sign_in_page_leads_to_the_reset(cast: Cast):
    page = Client().get(LOGIN).content.decode()
    assert f'href="{reverse("password_reset")}"' in page


def test_the_full_reset_sets_the_password_without_signing_in(cast: Cast):
    client = Client()
    response = ask_link(client, "Head@Test.example")
    assert response["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["head@test.example"]
    response = set_new_password(client, link_in(message))
    assert response["Location"] == reverse("password_reset_complete")
    assert "_auth_user_id" not in client.session
    head = User.objects.get(pk=cast.users["head"].pk)
    assert head.check_password(NEW_PASSWORD)
    assert not head.check_password(PASSWORD)
    signed_in = client.post(LOGIN, {"username": "head@test.example", "password": NEW_PASSWORD})
    assert signed_in["Location"] == reverse("home")


def test_the_mail_speaks_the_language_of_the_account(cast: Cast):
    User.objects.filter(pk=cast.users["head"].pk).update(language="de")
    ask_link(Client(), "head@test.example")
    (message,) = mail.outbox
    assert "Passwort" in message.subject
    assert "Guten Tag Head" in message.body


def test_the_answer_is_the_same_for_an_unknown_address(cast: Cast):
    known = ask_link(Client(), "head@test.example")
    unknown = ask_link(Client(), "nobody@test.example")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1
    page = Client().get(reverse("password_reset_done")).content.decode()
    assert "Si un compte utilise cette adresse" in page


def test_a_disabled_account_gets_no_link(cast: Cast):
    User.objects.filter(pk=cast.users["head"].pk).update(is_active=False)
    ask_link(Client(), "head@test.example")
    assert mail.outbox == []


def test_the_link_works_only_once(cast: Cast):
    client = Client()
    ask_link(client, "head@test.example")
    link = link_in(mail.outbox[0])
    set_new_password(client, link)
    again = Client().get(link)
    assert again.status_code == 200
    assert again.context["validlink"] is False
    assert "Ce lien ne fonctionne plus" in again.content.decode()


def test_an_expired_link_is_refused(cast: Cast, settings, time_machine):
    time_machine.move_to("2026-03-02 09:00 +01:00", tick=False)
    settings.PASSWORD_RESET_TIMEOUT = 3600
    client = Client()
    ask_link(client, "head@test.example")
    link = link_in(mail.outbox[0])
    time_machine.move_to("2026-03-02 10:01 +01:00", tick=False)
    response = client.get(link)
    assert response.status_code == 200
    assert response.context["validlink"] is False
    assert User.objects.get(pk=cast.users["head"].pk).check_password(PASSWORD)


def test_a_link_lasts_an_hour_by_default(settings):
    assert settings.PASSWORD_RESET_TIMEOUT == 3600


def test_after_a_reset_the_two_factor_code_is_still_asked(cast: Cast, time_machine):
    time_machine.move_to("2026-03-02 09:00 +01:00", tick=False)
    device = TOTPDevice.objects.create(user=cast.users["head"], name="phone", confirmed=True)
    client = Client()
    ask_link(client, "head@test.example")
    set_new_password(client, link_in(mail.outbox[0]))
    response = client.post(LOGIN, {"username": "head@test.example", "password": NEW_PASSWORD})
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("otp_verify"))
    verified = client.post(
        reverse("otp_verify"), {"token": current_code(device), "next": reverse("home")}
    )
    assert verified["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_the_request_and_the_reset_are_audited(cast: Cast):
    client = Client()
    ask_link(client, "head@test.example")
    ask_link(client, "nobody@test.example")
    requests = AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET_REQUESTED)
    assert {(e.object_id, e.detail["attempted"]) for e in requests} == {
        (str(cast.users["head"].pk), "head@test.example"),
        ("", "nobody@test.example"),
    }
    assert all(e.actor_id is None and e.ip == "127.0.0.1" for e in requests)
    set_new_password(client, link_in(mail.outbox[0]))
    (reset,) = AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET)
    assert (reset.actor_id, reset.object_id) == (cast.users["head"].pk, str(cast.users["head"].pk))
    assert reset.ip == "127.0.0.1"
    assert not AuditEvent.objects.filter(
        action__in=[AuditAction.PASSWORD_SET, AuditAction.PASSWORD_CHANGE]
    ).exists()


def test_a_weak_new_password_is_refused(cast: Cast):
    client = Client()
    ask_link(client, "head@test.example")
    response = set_new_password(client, link_in(mail.outbox[0]), "motdepasse")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert User.objects.get(pk=cast.users["head"].pk).check_password(PASSWORD)
