"""The register: the page the team uses all day on a tablet, and the one-tap endpoint."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from isa.core.access import get_programme_for_user
from isa.core.models import TEAM_ROLES, AuditAction, Programme, User
from isa.core.services import audit_record
from isa.people.access import get_participant_in_programme
from isa.people.models import Participant, Status
from isa.presence import services
from isa.presence.access import day_or_404, get_session_for_user, medium_offered
from isa.presence.models import (
    AbsenceReason,
    HalfDayPart,
    Medium,
    Presence,
    PresenceState,
    Session,
)


def current_part() -> str:
    now = timezone.localtime().time()
    return (
        HalfDayPart.MORNING
        if now.hour < 12 or (now.hour == 12 and now.minute < 45)
        else (HalfDayPart.AFTERNOON)
    )


@login_required
@require_GET
def register_today(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Today's sessions; straight to the one running now when there is one."""
    programme = get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    day = day_or_404(request.GET["date"]) if "date" in request.GET else timezone.localdate()
    sessions = list(
        Session.objects.of_programme(programme)
        .filter(on=day)
        .select_related("workshop")
        .order_by("part", "workshop__title")
    )
    if "date" not in request.GET:
        now_sessions = [s for s in sessions if s.part == current_part() and not s.cancelled]
        if len(now_sessions) == 1:
            return redirect(
                "register_session", programme_id=programme.pk, session_id=now_sessions[0].pk
            )
    return render(
        request,
        "presence/register_today.html",
        {
            "programme": programme,
            "day": day,
            "sessions": sessions,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "today": timezone.localdate(),
        },
    )


def register_row(
    person: Participant, presence: Presence | None, *, expected: bool
) -> dict[str, Any]:
    """One line of the register (``presence/_row.html``): the whole page's and a tap's."""
    return {
        "participant": person,
        "presence": presence,
        "expected": expected,
        "paused": person.status == Status.PAUSED,
    }


def register_rows(session: Session, programme: Programme, user: User) -> dict[str, Any]:
    """Everyone the register shows ``user`` for a session, in a constant number of queries:
    expected by their pact first, then those marked without being expected, then the others
    (one search away)."""
    visible = Participant.objects.visible_to(user)
    people = list(
        visible.in_programme(programme)
        .occupying()
        .prefetch_related("pacts")
        .order_by("search_name")
    )
    ids = {p.pk for p in people}
    presences = {
        p.participant_id: p
        for p in Presence.objects.visible_to(user).filter(session=session).select_related("medium")
    }
    # Someone who left the programme since keeps their mark on a past session.
    missing = set(presences) - ids
    if missing:
        people += list(visible.filter(pk__in=missing).order_by("search_name"))
    code = session.half_day
    rows = []
    for person in people:
        # Only the people accompanied are expected (their pacts are prefetched above).
        pact = person.pact_on(session.on) if person.status == Status.ACTIVE else None
        expected = bool(pact and code in pact.half_days)
        rows.append(register_row(person, presences.get(person.pk), expected=expected))
    expected = [r for r in rows if r["expected"]]
    marked = [r for r in rows if not r["expected"] and r["presence"]]
    others = [r for r in rows if not r["expected"] and not r["presence"]]
    present = sum(1 for r in rows if r["presence"] and r["presence"].state == PresenceState.PRESENT)
    return {
        "expected": expected,
        "marked": marked,
        "others": others,
        "present_count": present,
        "expected_count": len(expected),
        "expected_present": sum(
            1 for r in expected if r["presence"] and r["presence"].state == PresenceState.PRESENT
        ),
    }


def _row_context(session: Session, programme: Programme, media: list[Medium]) -> dict[str, Any]:
    """What every row needs besides its person: ``media`` are shown on the rows of the
    people present (``Medium.objects.for_workshop``, the workshop's own first)."""
    return {
        "session": session,
        "programme": programme,
        "media": media,
        "reasons": AbsenceReason.choices,
        "markable": not session.cancelled and session.on <= timezone.localdate(),
    }


@login_required
@require_GET
def register_session(request: HttpRequest, programme_id: int, session_id: int) -> HttpResponse:
    session = get_session_for_user(request, programme_id, session_id)
    programme = session.workshop.programme
    context = _row_context(session, programme, list(Medium.objects.for_workshop(session.workshop)))
    context.update(register_rows(session, programme, request.user))
    context["others_in_day"] = (
        Session.objects.of_programme(programme)
        .filter(on=session.on)
        .exclude(pk=session.pk)
        .select_related("workshop")
    )
    # The session running now: the kiosk (which shows this half-day) opens from here.
    context["kiosk_now"] = (
        not session.cancelled
        and session.on == timezone.localdate()
        and session.part == current_part()
    )
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,
        obj=session,
        programme=programme,
        detail={"page": "register"},
    )
    return render(request, "presence/register.html", context)


@login_required
@require_POST
def register_tap(request: HttpRequest, programme_id: int, session_id: int) -> HttpResponse:
    """One tap: present, absent (with an optional reason), medium, departure, or undo.

    Called by the register's script (answers with the updated row) or by a plain form
    (redirects back).  Safe to retry: marking present twice gives one presence.  A tap reads
    the session (with its programme and closure day), the person and the presence once each,
    and the media only for a row that shows them."""
    session = get_session_for_user(request, programme_id, session_id)
    programme = session.workshop.programme
    participant = get_participant_in_programme(request, programme, request.POST.get("participant"))
    action = request.POST.get("action", "")
    at = services.parse_tap_time(request.POST.get("at"))
    mark = {"session": session, "participant": participant, "actor": request.actor}
    media: list[Medium] | None = None
    presence: Presence | None = None
    error = ""
    try:
        if action == "present":
            presence = services.presence_mark(**mark, at=at)
        elif action == "absent":
            presence = services.presence_mark_absent(**mark, reason=request.POST.get("reason", ""))
        elif action == "medium":
            media = list(Medium.objects.for_workshop(session.workshop))
            medium = medium_offered(media, request.POST.get("medium"))
            presence = services.presence_set_medium(**mark, medium=medium)
        elif action == "leave":
            presence = services.presence_leave(**mark, at=at)
        elif action == "clear":
            services.presence_clear(**mark)
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as exc:
        error = " ".join(exc.messages)

    if request.headers.get("X-ISA-Tap"):
        if error:  # nothing changed: the row as it stands
            presence = (
                Presence.objects.visible_to(request.user)
                .filter(session=session, participant=participant)
                .select_related("medium")
                .first()
            )
        if media is None:
            showing = presence is not None and presence.state == PresenceState.PRESENT
            media = list(Medium.objects.for_workshop(session.workshop)) if showing else []
        context = _row_context(session, programme, media)
        context["row"] = register_row(
            participant, presence, expected=request.POST.get("expected") == "1"
        )
        context["error"] = error
        return render(request, "presence/_row.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    return redirect(
        reverse("register_session", args=[programme.pk, session.pk]) + f"#p{participant.pk}"
    )
