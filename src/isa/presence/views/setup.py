"""Set-up pages for heads: workshops and their weekly recurrences, closure days, media.

Only the head of the programme reaches them (404 outside the programme, 403 for other
members).  Every change writes its audit event in the transaction of the change.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isa.core.access import require_head
from isa.core.forms import apply_service_errors
from isa.core.models import Programme
from isa.presence import services
from isa.presence.access import get_closure_for_user, get_medium_for_head, get_workshop_for_user
from isa.presence.models import ClosureDay, Medium, Session, Workshop
from isa.presence.setup_forms import (
    DEFAULT_WEEKS,
    ClosureForm,
    GenerateForm,
    MediumForm,
    RecurrenceFormSet,
    WorkshopForm,
)

#: Past closure days shown under the upcoming ones.
PAST_CLOSURES_SHOWN = 20


def _sessions_message(created: int) -> str:
    if not created:
        return _("No new session: the calendar was already up to date.")
    return ngettext("%(n)s session created.", "%(n)s sessions created.", created) % {"n": created}


def _short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# -- workshops ---------------------------------------------------------------------------------


def _render_workshop_list(
    request: HttpRequest, programme: Programme, generate_form: GenerateForm, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    workshops = (
        Workshop.objects.filter(programme=programme)
        .prefetch_related("media", "facilitators", "recurrences")
        .order_by("-active", "title")
    )
    planned_until = (
        Session.objects.of_programme(programme)
        .filter(on__gte=today)
        .aggregate(last=Max("on"))["last"]
    )
    return render(
        request,
        "presence/setup/workshop_list.html",
        {
            "programme": programme,
            "workshops": workshops,
            "generate_form": generate_form,
            "planned_until": planned_until,
            "upcoming_closures": ClosureDay.objects.filter(
                programme=programme, on__gte=today
            ).count(),
            "today": today,
        },
        status=status,
    )


@login_required
@require_GET
def workshop_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = require_head(request, programme_id)
    return _render_workshop_list(request, programme, GenerateForm())


def _workshop_form(
    request: HttpRequest, programme: Programme, workshop: Workshop | None
) -> HttpResponse:
    """GET shows the workshop and its recurrences; POST saves both in one transaction,
    generates the coming weeks' sessions, and goes back to the list."""
    creating = workshop is None
    instance = Workshop(programme=programme) if workshop is None else workshop
    heading = _("New workshop") if creating else instance.title
    data = request.POST if request.method == "POST" else None
    form = WorkshopForm(data, instance=instance, programme=programme)
    formset = RecurrenceFormSet(data, instance=instance, prefix="recurrences")
    status = 200
    if request.method == "POST":
        status = 400
        valid = form.is_valid()
        valid = formset.is_valid() and valid
        if valid:
            values = {
                "title": form.cleaned_data["title"],
                "media": form.cleaned_data["media"],
                "facilitators": form.cleaned_data["facilitators"],
                "room": form.cleaned_data["room"],
                "capacity": form.cleaned_data["capacity"],
                "active": form.cleaned_data["active"],
                "recurrences": formset.rows(),
                "actor": request.actor,
            }
            try:
                if creating:
                    saved = services.workshop_create(programme=programme, **values)
                else:
                    saved = services.workshop_update(workshop=instance, **values)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The workshop “%(title)s” was saved.") % {"title": saved.workshop.title}
                    + " "
                    + _sessions_message(saved.sessions_created),
                )
                return redirect("workshop_list", programme_id=programme.pk)
    return render(
        request,
        "presence/setup/workshop_form.html",
        {
            "programme": programme,
            "workshop": workshop,
            "heading": heading,
            "form": form,
            "formset": formset,
            "weeks": DEFAULT_WEEKS,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def workshop_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = require_head(request, programme_id)
    return _workshop_form(request, programme, None)


@login_required
@require_http_methods(["GET", "POST"])
def workshop_edit(request: HttpRequest, programme_id: int, workshop_id: int) -> HttpResponse:
    workshop = get_workshop_for_user(request, programme_id, workshop_id)
    return _workshop_form(request, workshop.programme, workshop)


@login_required
@require_POST
def sessions_generate_view(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = require_head(request, programme_id)
    data = request.POST.copy()
    if not data.get("weeks"):
        data["weeks"] = str(DEFAULT_WEEKS)
    form = GenerateForm(data)
    if not form.is_valid():
        return _render_workshop_list(request, programme, form, status=400)
    try:
        created = services.sessions_extend(
            programme=programme, weeks=form.cleaned_data["weeks"], actor=request.actor
        )
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return _render_workshop_list(request, programme, form, status=400)
    messages.success(request, _sessions_message(created))
    return redirect("workshop_list", programme_id=programme.pk)


# -- closure days ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def closure_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = require_head(request, programme_id)
    form = ClosureForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                closure = services.closure_add(
                    programme=programme,
                    on=form.cleaned_data["on"],
                    reason=form.cleaned_data["reason"],
                    actor=request.actor,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The workshops are closed on %(date)s; that day's sessions are cancelled.")
                    % {"date": _short(closure.on)},
                )
                return redirect("closure_list", programme_id=programme.pk)
    today = timezone.localdate()
    closures = ClosureDay.objects.filter(programme=programme)
    return render(
        request,
        "presence/setup/closure_list.html",
        {
            "programme": programme,
            "form": form,
            "upcoming": closures.filter(on__gte=today).order_by("on"),
            "past": closures.filter(on__lt=today).order_by("-on")[:PAST_CLOSURES_SHOWN],
            "past_shown": PAST_CLOSURES_SHOWN,
            "today": today,
        },
        status=status,
    )


@login_required
@require_POST
def closure_delete(request: HttpRequest, programme_id: int, closure_id: int) -> HttpResponse:
    """Reopen a coming day: its sessions take place again (and are created when the
    calendar already reaches that day)."""
    closure = get_closure_for_user(request, programme_id, closure_id)
    programme, day = closure.programme, closure.on
    try:
        services.closure_delete(closure=closure, actor=request.actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The closure day of %(date)s was removed: the workshops take place that day.")
            % {"date": _short(day)},
        )
    return redirect("closure_list", programme_id=programme.pk)


# -- media -------------------------------------------------------------------------------------


def _medium_set_active(request: HttpRequest, programme: Programme) -> HttpResponse:
    """Set one of the organisation's own media aside, or back in use.  Built-in media are
    the same for every organisation: they cannot be changed here."""
    medium = get_medium_for_head(programme, request.POST.get("medium"))
    if medium.organisation_id is None:
        raise PermissionDenied
    active = request.POST.get("active") == "1"
    services.medium_set_active(
        programme=programme, medium=medium, active=active, actor=request.actor
    )
    if active:
        message = _("“%(name)s” is in use.") % {"name": medium.label}
    else:
        message = _("“%(name)s” is set aside: it is no longer offered; past records keep it.") % {
            "name": medium.label
        }
    messages.success(request, message)
    return redirect("medium_list", programme_id=programme.pk)


@login_required
@require_http_methods(["GET", "POST"])
def medium_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = require_head(request, programme_id)
    if request.method == "POST" and "medium" in request.POST:
        return _medium_set_active(request, programme)
    form = MediumForm(request.POST if request.method == "POST" else None, programme=programme)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                medium = services.medium_create(
                    programme=programme,
                    code=form.cleaned_data["code"],
                    name_fr=form.cleaned_data["name_fr"],
                    name_de=form.cleaned_data["name_de"],
                    name_en=form.cleaned_data["name_en"],
                    actor=request.actor,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The medium “%(name)s” was added.") % {"name": medium.label}
                )
                return redirect("medium_list", programme_id=programme.pk)
    context: dict[str, Any] = {
        "programme": programme,
        "form": form,
        "builtins": Medium.objects.filter(organisation__isnull=True).order_by("order", "code"),
        "own": Medium.objects.filter(organisation_id=programme.organisation_id).order_by(
            "order", "code"
        ),
    }
    return render(request, "presence/setup/medium_list.html", context, status=status)
