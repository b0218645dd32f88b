"""Signing in: e-mail login, audit of every attempt, lockout, two-factor, sessions."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from isa.core.models import AuditAction, AuditEvent
from tests.conftest import PASSWORD, Cast, make_user

LOGIN = "/accounts/login/"


def sign_in(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": email, "password": password}, **extra)


def current_code(device: TOTPDevice, offset: int = 0) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{code:06d}"


def test_it_signs_in_by_email_and_records_it(cast: Cast):
    client = Client()
    response = sign_in(client, "HEAD@test.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor_id == cast.users["head"].pk
    assert event.ip == "127.0.0.1"


def test_the_session_key_changes_at_sign_in(cast: Cast):
    client = Client()
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    sign_in(client, "head@test.example")
    assert client.session.session_key != before


def test_a_wrong_password_is_refused_and_audited_without_the_password(cast: Cast):
    response = sign_in(Client(), "head@test.example", "pas-le-bon-mot-de-passe")
    assert response.status_code == 200
    assert response.context["form"].errors
    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.detail == {"attempted": "head@test.example"}
    assert "pas-le-bon" not in str(event.detail)


def test_a_wrong_password_message_is_in_the_users_language(cast: Cast):
    response = sign_in(Client(), "head@test.example", "faux", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert 'lang="de"' in response.content.decode()
    assert "Passwort" in response.content.decode()


def test_repeated_failures_lock_the_account_with_the_time_to_wait(cast: Cast, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "head@test.example", "faux-mot-de-passe")
    response = sign_in(client, "head@test.example")  # even the right password now
    assert response.status_code == 429
    assert response.context["minutes"] == 15
    assert "15" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=AuditAction.LOCKOUT).exists()


def test_the_lockout_lifts_after_the_cool_off(cast: Cast, settings, time_machine):
    time_machine.move_to("2026-03-02 09:00 +01:00", tick=False)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "head@test.example", "faux-mot-de-passe")
    assert sign_in(client, "head@test.example").status_code == 429
    time_machine.move_to("2026-03-02 09:16 +01:00", tick=False)
    assert sign_in(client, "head@test.example").status_code == 302


def test_a_lockout_of_one_account_leaves_colleagues_free(cast: Cast, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "head@test.example", "faux-mot-de-passe")
    assert sign_in(client, "facilitator@test.example").status_code == 302


def test_disabling_a_user_ends_their_sessions(cast: Cast):
    client = cast.client("facilitator")
    assert client.get(reverse("home")).status_code == 200
    user = cast.users["facilitator"]
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_sessions_are_short_and_end_with_the_browser(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    # The idle timeout slides, written at most once a minute (SessionRefreshMiddleware).
    assert "isa.core.middleware.SessionRefreshMiddleware" in settings.MIDDLEWARE


def test_passwords_need_twelve_characters_and_not_a_common_one(cast: Cast):
    client = cast.client("head")
    for weak in ["court-2026", "password1234"]:
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["new_password2"]
    cast.users["head"].refresh_from_db()
    assert cast.users["head"].check_password(PASSWORD)


def test_changing_the_password_is_audited(cast: Cast):
    client = cast.client("head")
    new = "Une-autre-phrase-longue-77"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGE).exists()
    cast.users["head"].refresh_from_db()
    assert cast.users["head"].check_password(new)


def test_passwords_are_hashed_with_argon2_in_production():
    from django.conf import settings as real

    # The test suite swaps in MD5 for speed; the project's setting is Argon2 first.
    from isa import settings as isa_settings

    assert isa_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert real.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"] == 12


# -- two-factor --------------------------------------------------------------------------------


def test_staff_must_set_up_two_factor_when_required(cast: Cast, settings):
    settings.ISA_REQUIRE_2FA = True
    client = cast.client("facilitator")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("otp_setup")


@pytest.mark.parametrize(
    "who",
    ["head", "social_worker", "watcher", "referrer", "funder", "researcher", "sysadmin"],
)
def test_everyone_who_sees_names_must_set_up_two_factor_when_required(
    cast: Cast, settings, who: str
):
    """Referrers, funders and researchers see names or data about people too (issue 16)."""
    settings.ISA_REQUIRE_2FA = True
    client = cast.client(who)
    for path in (reverse("home"), reverse("programme", args=[cast.programme.pk])):
        response = client.get(path)
        assert response.status_code == 302, (who, path)
        assert response["Location"] == reverse("otp_setup")
    assert client.get(reverse("otp_setup")).status_code == 200


def test_an_account_without_any_role_is_not_forced_into_two_factor(cast: Cast, settings):
    settings.ISA_REQUIRE_2FA = True
    client = Client()
    client.force_login(make_user("nobody@test.example"))
    assert client.get(reverse("home")).status_code == 200


def test_a_referrer_with_a_device_is_asked_for_a_code(cast: Cast, settings):
    settings.ISA_REQUIRE_2FA = True
    TOTPDevice.objects.create(user=cast.users["referrer"], name="phone", confirmed=True)
    client = Client()
    sign_in(client, "referrer@test.example")
    response = client.get(reverse("referral_list", args=[cast.programme.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))


def test_without_the_requirement_nobody_is_forced_into_two_factor(cast: Cast, settings):
    settings.ISA_REQUIRE_2FA = False
    for who in ("head", "funder", "sysadmin"):
        assert cast.client(who).get(reverse("home")).status_code == 200


def test_setting_up_two_factor_then_signing_in_needs_a_code(cast: Cast, time_machine):
    time_machine.move_to("2026-03-02 09:00:05 +01:00", tick=False)
    client = Client()
    sign_in(client, "head@test.example")
    response = client.get(reverse("otp_setup"))
    assert response.status_code == 200
    assert "<svg" in response.content.decode()
    device = TOTPDevice.objects.get(user=cast.users["head"], confirmed=False)

    response = client.post(reverse("otp_setup"), {"token": "000000"})
    assert response.status_code == 400
    device.refresh_from_db()
    assert not device.confirmed

    time_machine.shift(5)  # django-otp slows down retries after a wrong code
    response = client.post(reverse("otp_setup"), {"token": current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action=AuditAction.OTP_ENABLED).exists()

    # A new sign-in now stops at the second step until a valid code is given.
    client = Client()
    sign_in(client, "head@test.example")
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))
    response = client.post(reverse("otp_verify"), {"token": "123456", "next": "/"})
    assert response.status_code == 400
    assert AuditEvent.objects.filter(action=AuditAction.OTP_FAILED).exists()


def test_a_code_can_be_used_only_once(cast: Cast, time_machine):
    time_machine.move_to("2026-03-02 09:00:05 +01:00", tick=False)
    user = cast.users["head"]
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    code = current_code(device)

    first = Client()
    sign_in(first, "head@test.example")
    response = first.post(reverse("otp_verify"), {"token": code, "next": "/"})
    assert response.status_code == 302
    assert first.get(reverse("home")).status_code == 200

    second = Client()
    sign_in(second, "head@test.example")
    response = second.post(reverse("otp_verify"), {"token": code, "next": "/"})
    assert response.status_code == 400
    assert second.get(reverse("home")).status_code == 302


def test_verify_never_redirects_to_another_site(cast: Cast):
    device = TOTPDevice.objects.create(user=cast.users["head"], name="phone", confirmed=True)
    client = Client()
    sign_in(client, "head@test.example")
    response = client.post(
        reverse("otp_verify"), {"token": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("path", ["/", "/accounts/"])
def test_pages_of_a_signed_in_user_are_never_cached(cast: Cast, path: str):
    response = cast.client("head").get(path)
    assert "no-store" in response["Cache-Control"]


def _session_writes(captured: list[dict]) -> list[str]:
    return [q["sql"] for q in captured if "django_session" in q["sql"] and "UPDATE" in q["sql"]]


def test_the_idle_timeout_slides_with_a_session_write_at_most_once_a_minute(
    cast: Cast, time_machine
):
    time_machine.move_to("2026-03-02 09:00:00 +01:00", tick=False)
    client = cast.client("head")
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as soon:
        client.get(reverse("home"))
    assert _session_writes(soon.captured_queries) == []
    time_machine.move_to("2026-03-02 09:01:00 +01:00", tick=False)
    with CaptureQueriesContext(connection) as later:
        client.get(reverse("home"))
    assert len(_session_writes(later.captured_queries)) == 1
    # Idle for the whole timeout (written at 09:01): the session has expired.
    time_machine.move_to("2026-03-02 09:31:01 +01:00", tick=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_a_device_confirmed_elsewhere_is_asked_for_within_a_minute(cast: Cast, time_machine):
    time_machine.move_to("2026-03-02 09:00:00 +01:00", tick=False)
    client = cast.client("head")
    assert client.get(reverse("home")).status_code == 200
    TOTPDevice.objects.create(user=cast.users["head"], name="phone", confirmed=True)
    time_machine.move_to("2026-03-02 09:01:00 +01:00", tick=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))


def test_an_anonymous_visitor_with_a_stale_cookie_gets_no_session(cast: Cast, client, time_machine):
    time_machine.move_to("2026-03-02 09:00:00 +01:00", tick=False)
    before = Session.objects.count()
    client.cookies["sessionid"] = "x" * 32
    assert client.get(reverse("login")).status_code == 200
    assert Session.objects.count() == before


def test_passwords_are_hashed_with_argon2id_at_owasp_cost():
    """The production setting (the tests hash with MD5 for speed): OWASP's m=19 MiB, t=2,
    p=1; a hash made with Django's 100 MiB default still verifies and is rehashed."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from isa import settings as production
    from isa.core.hashers import OwaspArgon2PasswordHasher

    assert production.PASSWORD_HASHERS[0] == "isa.core.hashers.OwaspArgon2PasswordHasher"
    hasher = OwaspArgon2PasswordHasher()
    encoded = hasher.encode("une phrase de passe solide", hasher.salt())
    assert "$argon2id$v=19$m=19456,t=2,p=1$" in encoded
    assert hasher.verify("une phrase de passe solide", encoded)
    old = Argon2PasswordHasher().encode("une phrase de passe solide", hasher.salt())
    assert hasher.verify("une phrase de passe solide", old)
    assert hasher.must_update(old) and not hasher.must_update(encoded)
