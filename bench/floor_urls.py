"""The benchmark's URLs: the application's, plus the framework floor.

The floor is what every signed-in page pays before its own work: a login-required view
through the whole middleware stack (session, user, second factor, CSRF, CSP, …) that renders
a two-line template.  A page's median divided by the floor's says how much work the page
itself adds; it is measured in every round, in the same process as the pages.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from isa.urls import urlpatterns as app_urlpatterns

_TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>floor</title><p>{{ request.user.get_short_name }}</p>"
)


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_TEMPLATE.render({}, request))


urlpatterns = [path("bench-floor/", floor, name="bench_floor"), *app_urlpatterns]
