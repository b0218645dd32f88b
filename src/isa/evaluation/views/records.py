"""The effects grid, health indicators and instrument files."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isa.core.access import get_programme_for_user
from isa.core.forms import apply_service_errors
from isa.core.models import AuditAction, Role
from isa.core.services import audit_record
from isa.evaluation import services
from isa.evaluation.access import (
    evaluation_participant,
    evaluation_programme,
    get_health_period_for_user,
)
from isa.evaluation.catalogue import choices_for
from isa.evaluation.effects import EFFECTS
from isa.evaluation.forms import EffectsForm, HealthPeriodForm, InstrumentUploadForm
from isa.evaluation.models import (
    EffectAssessment,
    HealthPeriod,
    LoadedInstrument,
    Perspective,
)
from isa.people.locks import file_lock

# -- the effects grid --------------------------------------------------------------------------


@login_required
@require_GET
def effects_grid(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    """Both perspectives side by side, over time; gains and perverse effects alike."""
    participant, _rights = evaluation_participant(request, programme_id, participant_id)
    assessments = list(
        EffectAssessment.objects.visible_to(request.user)
        .filter(participant=participant)
        .select_related("entered_by")
        .order_by("on", "pk")
    )
    # One column per date, the two perspectives next to each other.
    dates: OrderedDict[Any, dict[str, EffectAssessment]] = OrderedDict()
    for a in assessments:
        dates.setdefault(a.on, {})[a.perspective] = a
    columns = [
        (on, [(p, label, views.get(p)) for p, label in Perspective.choices])
        for on, views in dates.items()
    ]
    rows = []
    for effect in EFFECTS:
        cells = []
        for _on, views in columns:
            for _p, _label, a in views:
                if a is None:
                    cells.append(None)
                else:
                    level = a.level(effect.code)
                    cells.append(
                        {
                            "level": level,
                            "label": effect.level_label(level),
                            "comment": a.comment(effect.code),
                        }
                    )
        rows.append({"effect": effect, "cells": cells})
    audit_record(
        action=AuditAction.VIEW, actor=request.actor, obj=participant, detail={"page": "effects"}
    )
    return render(
        request,
        "evaluation/effects.html",
        {
            "programme": participant.programme,
            "participant": participant,
            "columns": columns,
            "rows": rows,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def effects_record(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    participant, _rights = evaluation_participant(request, programme_id, participant_id)
    form = EffectsForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.effects_record(
                    participant=participant,
                    perspective=form.cleaned_data["perspective"],
                    on=form.cleaned_data["on"],
                    values=form.values(),
                    actor=request.actor,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The effects grid was saved."))
                return redirect("effects_grid", participant.programme_id, participant.pk)
    return render(
        request,
        "evaluation/effects_form.html",
        {"programme": participant.programme, "participant": participant, "form": form},
        status=status,
    )


# -- health indicators -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def health_indicators(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    """The person's health indicators, only while their health-data consent is in force."""
    participant, _rights = evaluation_participant(request, programme_id, participant_id)
    allowed = services.health_allowed(participant)
    form = HealthPeriodForm(request.POST or None) if allowed or request.method == "POST" else None
    status = 200
    if request.method == "POST":
        status = 400
        if form is not None and form.is_valid():
            d = form.cleaned_data
            try:
                services.health_period_record(
                    participant=participant,
                    kind=d["kind"],
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    costs_chf=d["costs_chf"],
                    cost_source=d["cost_source"],
                    hospital_days=d["hospital_days"],
                    emergency_visits=d["emergency_visits"],
                    medications=form.medications(),
                    actor=request.actor,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The health indicators were saved."))
                return redirect("health_indicators", participant.programme_id, participant.pk)
    periods = list(
        HealthPeriod.objects.visible_to(request.user)
        .filter(participant=participant)
        .order_by("starts_on", "pk")
    )
    # Without consent the values stay hidden, but the periods recorded while it was given
    # can be removed: their kind and dates only.
    hidden = (
        []
        if allowed
        else list(
            HealthPeriod.objects.removable_by(request.user)
            .filter(participant=participant)
            .only("pk", "programme_id", "kind", "starts_on", "ends_on")
            .order_by("starts_on", "pk")
        )
    )
    audit_record(
        action=AuditAction.VIEW, actor=request.actor, obj=participant, detail={"page": "health"}
    )
    # An anonymised file keeps its periods as they are: no removal, no new one offered.
    locked = file_lock(participant)
    return render(
        request,
        "evaluation/health.html",
        {
            "programme": participant.programme,
            "participant": participant,
            "allowed": allowed,
            "locked": locked,
            "periods": periods,
            "hidden": [] if locked else hidden,
            "form": form if allowed and not locked else None,
            "refused": request.method == "POST" and not allowed,
        },
        status=status,
    )


@login_required
@require_POST
def health_delete(request: HttpRequest, programme_id: int, period_id: int) -> HttpResponse:
    period = get_health_period_for_user(request, programme_id, period_id)
    participant = period.participant
    try:
        services.health_period_delete(period=period, actor=request.actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The period was removed."))
    return redirect("health_indicators", participant.programme_id, participant.pk)


# -- instrument files --------------------------------------------------------------------------


@login_required
@require_GET
def instrument_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = evaluation_programme(request, programme_id)
    return render(
        request,
        "evaluation/instruments.html",
        {
            "programme": programme,
            "choices": choices_for(programme),
            "is_head": Role.HEAD in request.user.roles_on(programme),
            "loaded": LoadedInstrument.objects.for_programme(programme).select_related(
                "uploaded_by"
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def instrument_upload(request: HttpRequest, programme_id: int) -> HttpResponse:
    """A head loads an instrument file; every problem in it is listed."""
    programme = get_programme_for_user(request, programme_id, roles={Role.HEAD})
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                row = services.instrument_load(
                    programme=programme,
                    text=form.cleaned_data["file"],
                    actor=request.actor,
                )
            except ValidationError as exc:
                problems = list(exc.messages)
            else:
                messages.success(
                    request,
                    _("The questionnaire “%(title)s” can now be used.") % {"title": row.title},
                )
                return redirect("instrument_list", programme.pk)
    return render(
        request,
        "evaluation/instrument_upload.html",
        {"programme": programme, "form": form, "problems": problems},
        status=status,
    )
