"""Two-factor enforcement and privacy headers."""

from __future__ import annotations

import time
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

#: How long a session remembers that its user has no second-factor device (seconds), and
#: how often a session's idle timeout is pushed forward at most (docs/decisions.md).
SESSION_RECHECK_SECONDS = 60
#: Session keys: until when "no device" holds; when the session was last written.
NO_DEVICE_UNTIL_KEY = "isa_no_2fa_until"
TOUCHED_KEY = "isa_touched"


def _no_device(request: HttpRequest) -> bool:
    """Whether the signed-in user has no confirmed device, asked of the database (two
    queries, one per device type) at most once a minute per session: a device confirmed
    in another browser is asked for here within the minute."""
    now = int(time.time())
    session = request.session
    if session.get(NO_DEVICE_UNTIL_KEY, 0) > now:
        return True
    if user_has_device(request.user, confirmed=True):
        session.pop(NO_DEVICE_UNTIL_KEY, None)
        return False
    session[NO_DEVICE_UNTIL_KEY] = now + SESSION_RECHECK_SECONDS
    return True


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
            if not _no_device(request):
                return redirect(
                    f"{reverse('otp_verify')}?{urlencode({'next': request.get_full_path()})}"
                )
            if settings.ISA_REQUIRE_2FA and user.requires_two_factor:
                return redirect("otp_setup")
        return self.get_response(request)


def session_started(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """``user_logged_in``: the new session is written now anyway, so note in it when it was
    written and whether its user has a device; the requests of the next minute then write
    nothing and ask for no device."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[TOUCHED_KEY] = now
    if user_has_device(user, confirmed=True):
        session.pop(NO_DEVICE_UNTIL_KEY, None)
    else:
        session[NO_DEVICE_UNTIL_KEY] = now + SESSION_RECHECK_SECONDS


class SessionRefreshMiddleware:
    """The sliding idle timeout without a session write on every request.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` writes the session row on every request (three
    statements, and SQLite's write lock, on every page and every tap) only to push its
    expiry forward.  This writes it when it was last written a minute ago or more: the idle
    timeout stays ``SESSION_COOKIE_AGE`` to within a minute.  Sits after Django's
    ``SessionMiddleware``, which saves the session on the way out when it was changed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.session_key:
            return response
        now = int(time.time())
        stale = now - session.get(TOUCHED_KEY, 0) >= SESSION_RECHECK_SECONDS
        # (A cookie naming no stored session leaves no key once read: nothing to refresh.)
        if session.session_key and (stale or session.modified):
            session[TOUCHED_KEY] = now
        return response


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
