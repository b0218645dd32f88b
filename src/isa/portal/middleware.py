"""A participant's account reaches only the participant's space (and the public pages).

Every other address answers 404 to it, as if the team's pages did not exist; the actor of
its requests is the participant (channel ``portal``), so that every service it calls and
every audit event names them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from isa.core.actor import acting
from isa.portal.access import is_portal_user, portal_actor

#: What a participant's account may open besides its space: the public gallery (to see
#: their works as the public does), the language switch, static files, signing out.
PORTAL_OPEN = ("/portal/", "/gallery/", "/static/", "/i18n/", "/healthz", "/accounts/logout/")


class PortalConfinementMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_portal_user(request.user):
            return self.get_response(request)
        if not request.path.startswith(PORTAL_OPEN):
            raise Http404
        actor = SimpleLazyObject(lambda: portal_actor(request))
        request.actor = actor  # type: ignore[attr-defined]
        with acting(actor):  # type: ignore[arg-type]
            return self.get_response(request)
