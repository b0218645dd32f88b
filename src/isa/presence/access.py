"""Who reaches which session, workshop, closure day, medium and month: one place, 404
outside the scope.  Sessions are for the team; the set-up (workshops, closure days, media)
is the head's."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.http import Http404, HttpRequest

from isa.core.access import (
    pk_or_404,
    require_head,
    require_role,
)
from isa.core.models import TEAM_ROLES, Programme
from isa.presence.models import ClosureDay, Medium, Session, Workshop

#: Months the pages answer for; anything else is a 404, not a crash.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def get_session_for_user(
    request: HttpRequest, programme_id: int, session_id: object, *, on: date | None = None
) -> Session:
    """A session of a programme where ``request.user`` is on the team (403 for other
    members, 404 elsewhere); with ``on``, only a session of that day (the kiosk's).

    One query: the session with its workshop, programme and organisation, and whether the
    day is a closure day (a tap asks)."""
    require_role(request, programme_id, roles=TEAM_ROLES)
    sessions = Session.objects.of_programme(programme_id).filter(pk=pk_or_404(session_id))
    if on is not None:
        sessions = sessions.filter(on=on)
    session = sessions.select_related("workshop__programme__organisation").with_closure().first()
    if session is None:
        raise Http404
    return session


def get_workshop_for_user(request: HttpRequest, programme_id: int, workshop_id: int) -> Workshop:
    """A workshop of a programme ``request.user`` heads."""
    programme = require_head(request, programme_id)
    workshop = programme.workshops.filter(pk=workshop_id).first()
    if workshop is None:
        raise Http404
    workshop.programme = programme
    return workshop


def get_closure_for_user(request: HttpRequest, programme_id: int, closure_id: int) -> ClosureDay:
    """A closure day of a programme ``request.user`` heads."""
    programme = require_head(request, programme_id)
    closure = programme.closures.filter(pk=closure_id).first()
    if closure is None:
        raise Http404
    closure.programme = programme
    return closure


def get_medium_for_head(programme: Programme, medium_id: object) -> Medium:
    """A medium the head of ``programme`` (already checked) may see in the set-up: a
    built-in one or one of the organisation's own, in use or set aside; else 404."""
    medium = (
        Medium.objects.for_organisation(programme.organisation_id)
        .filter(pk=pk_or_404(medium_id))
        .first()
    )
    if medium is None:
        raise Http404
    return medium


def medium_offered(offered: Iterable[Medium], medium_id: object) -> Medium | None:
    """The medium a tap names among those ``offered`` (``Medium.objects.for_workshop``, read
    once for the register's row); None for none, or for one that is not offered."""
    return next((medium for medium in offered if str(medium.pk) == str(medium_id)), None)


def day_or_404(raw: str) -> date:
    """A day named in the address (``?date=2024-03-04``) that the pages answer for, else 404
    (the register shows the days before and after it: 9999-12-31 has no day after)."""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        raise Http404 from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise Http404
    return day


def first_day_of_month(year: int, month: int) -> date:
    """The first day of a month the pages answer for, else 404."""
    if not (1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR):
        raise Http404
    return date(year, month, 1)
