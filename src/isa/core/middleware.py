"""Two-factor enforcement and privacy headers."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django_otp import user_has_device

from isa.core.actor import Actor, acting

# Paths a signed-in user may reach before finishing the second factor.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/accounts/logout/", "/accounts/2fa/")


class TwoFactorMiddleware:
    """A user with a TOTP device must enter a code after the password; when
    ``ISA_REQUIRE_2FA`` is on, everyone who holds a role (and every system administrator)
    without a device is sent to set one up first (:attr:`User.requires_two_factor`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if user_has_device(user, confirmed=True):
                return redirect(
                    f"{reverse('otp_verify')}?{urlencode({'next': request.get_full_path()})}"
                )
            if settings.ISA_REQUIRE_2FA and user.requires_two_factor:
                return redirect("otp_setup")
        return self.get_response(request)


class ActorMiddleware:
    """``request.actor``: who acts in this request, built once (lazily, like ``request.user``)
    and handed to every service the view calls (:mod:`isa.core.actor`).  It is also the
    :func:`~isa.core.actor.current_actor` while the request runs, for the audit of writes
    made by Django's and libraries' own code (the technical admin)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        actor = SimpleLazyObject(lambda: Actor.from_request(request))
        request.actor = actor  # type: ignore[attr-defined]
        with acting(actor):  # type: ignore[arg-type]
            return self.get_response(request)


class PrivacyHeadersMiddleware:
    """Pages seen by a signed-in user may hold personal data: never cache them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated and "Cache-Control" not in response:
            add_never_cache_headers(response)
        return response


#: Session key holding {"prefix": …, "home": …} while a tablet is a self check-in kiosk.
KIOSK_SESSION_KEY = "isa_kiosk"
_KIOSK_OPEN = ("/static/", "/i18n/", "/healthz")


class KioskLockMiddleware:
    """While a browser session is a kiosk, only the kiosk's own pages open; everything else
    leads back to it, so that nobody at the door can reach the team's pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        lock = request.session.get(KIOSK_SESSION_KEY) if hasattr(request, "session") else None
        if lock and not request.path.startswith((lock["prefix"], *_KIOSK_OPEN)):
            return redirect(lock["home"])
        return self.get_response(request)
