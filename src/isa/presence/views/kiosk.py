"""Self check-in kiosk: a tablet at the door where people tap their own symbol.

A team member starts it; from then on the browser session is locked to the kiosk pages
(core's KioskLockMiddleware) until the team member types their password (checked by
``isa.core.kiosk``: wrong passwords lock this exit for a while, never the member's account).
The kiosk shows nothing but first names and symbols, and goes back to the grid after each tap.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from isa.core.access import get_programme_for_user
from isa.core.kiosk import exit_locked_minutes, exit_try
from isa.core.middleware import KIOSK_SESSION_KEY
from isa.core.models import TEAM_ROLES, AuditAction
from isa.core.services import audit_record
from isa.people.access import get_participant_in_programme
from isa.people.models import Participant, normalize_name
from isa.presence import services
from isa.presence.access import get_session_for_user
from isa.presence.models import PresenceSource, Session, symbol_of
from isa.presence.symbols import symbol_svg
from isa.presence.views.register import current_part


def _lock(request: HttpRequest, programme_id: int) -> None:
    prefix = reverse("kiosk", args=[programme_id])
    request.session[KIOSK_SESSION_KEY] = {"prefix": prefix, "home": prefix}


@login_required
@require_http_methods(["GET"])
def kiosk(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    if KIOSK_SESSION_KEY not in request.session:
        _lock(request, programme.pk)
        audit_record(
            action=AuditAction.VIEW,
            actor=request.actor,
            object_type="presence.kiosk",
            programme=programme,
            detail={"kiosk": "start"},
        )
    sessions = list(
        Session.objects.of_programme(programme)
        .held()
        .filter(on=timezone.localdate(), part=current_part())
        .select_related("workshop")
        .order_by("workshop__title")
    )
    chosen = None
    if len(sessions) == 1:
        chosen = sessions[0]
    elif request.GET.get("session"):
        chosen = next((s for s in sessions if str(s.pk) == request.GET["session"]), None)
    tiles = []
    if chosen is not None:
        people = (
            Participant.objects.visible_to(request.user)
            .in_programme(programme)
            .occupying()
            .select_related("checkin_symbol")
        )
        # In the order of the name the tile shows: the usual first name when there is one.
        ordered = sorted(people, key=lambda p: (normalize_name(p.first_name), p.pk))
        tiles = [
            {
                "pk": p.pk,
                "first_name": p.first_name,
                "symbol": symbol_svg(symbol_of(p), 96),
            }
            for p in ordered
        ]
    return render(
        request,
        "presence/kiosk.html",
        {"programme": programme, "sessions": sessions, "chosen": chosen, "tiles": tiles},
    )


@login_required
@require_POST
def kiosk_tap(request: HttpRequest, programme_id: int) -> HttpResponse:
    session = get_session_for_user(
        request, programme_id, request.POST.get("session"), on=timezone.localdate()
    )
    programme = session.workshop.programme
    participant = get_participant_in_programme(request, programme, request.POST.get("participant"))
    welcome = True
    try:
        services.presence_mark(
            session=session,
            participant=participant,
            actor=request.actor,
            source=PresenceSource.KIOSK,
        )
    except ValidationError:
        welcome = False  # the kiosk says nothing of why: the team will look
    return render(
        request,
        "presence/kiosk_done.html",
        {
            "programme": programme,
            "first_name": participant.first_name,
            "welcome": welcome,
            "back": reverse("kiosk", args=[programme.pk]) + f"?session={session.pk}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def kiosk_exit(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Leave kiosk mode: a team member types their password."""
    programme = get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    locked_minutes = exit_locked_minutes(request)
    if request.method == "POST":
        attempt = exit_try(
            request,
            request.POST.get("password", ""),
            exit_name="kiosk",
            programme=programme,
            object_type="presence.kiosk",
        )
        locked_minutes = attempt.locked_minutes
        if attempt.opened:
            request.session.pop(KIOSK_SESSION_KEY, None)
            audit_record(
                action=AuditAction.VIEW,
                actor=request.actor,
                object_type="presence.kiosk",
                programme=programme,
                detail={"kiosk": "end"},
            )
            messages.success(request, _("The kiosk is closed."))
            return redirect("register_today", programme_id=programme.pk)
        if not locked_minutes:
            messages.error(request, _("This password is not right."))
    return render(
        request,
        "presence/kiosk_exit.html",
        {"programme": programme, "locked_minutes": locked_minutes},
        status=429 if locked_minutes else 200,
    )
