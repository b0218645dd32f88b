"""Pages of the privacy app: retention and anonymisation (head), studies (head) and their
exports (researchers)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from isa.core.forms import apply_service_errors
from isa.core.models import Role
from isa.privacy import retention, services
from isa.privacy.access import (
    get_participant_for_head,
    get_programme_for_head,
    get_programme_for_studies,
    get_study_for_researcher,
)
from isa.privacy.forms import AnonymiseForm, RetentionPolicyForm, StudyForm
from isa.privacy.models import Study


def programme_panel(request: HttpRequest, programme: Any) -> tuple[str, dict[str, Any]] | None:
    """On the programme page, for the head: how many files end within 30 days."""
    if not request.user.is_authenticated or not request.user.has_role(programme, [Role.HEAD]):
        return None
    due = retention.due_soon(programme, timezone.localdate())
    return "privacy/_programme_panel.html", {"programme": programme, "due": len(due)}


@login_required
@require_http_methods(["GET", "POST"])
def retention_page(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The organisation's retention policy and the files anonymised within 30 days, and why."""
    programme = get_programme_for_head(request, programme_id)
    policy = retention.policy_for(programme.organisation_id)
    initial = {
        "years": policy.years,
        "legal_minimum_years": policy.legal_minimum_years,
        "legal_basis": policy.legal_basis,
    }
    form = RetentionPolicyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.retention_policy_set(
                organisation=programme.organisation,
                programme=programme,
                actor=request.actor,  # type: ignore[attr-defined]
                **form.cleaned_data,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The retention period is saved."))
            return redirect("privacy_retention", programme.pk)
    today = timezone.localdate()
    return render(
        request,
        "privacy/retention.html",
        {
            "programme": programme,
            "policy": policy,
            "form": form,
            "due": retention.due_soon(programme, today),
            "notice_days": retention.NOTICE_DAYS,
            "today": today,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_anonymise(
    request: HttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    """Anonymise one file now, at the person's request (head, after confirmation)."""
    participant = get_participant_for_head(request, programme_id, participant_id)
    form = AnonymiseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.participant_anonymise(
                participant=participant,
                reason="request",
                actor=request.actor,  # type: ignore[attr-defined]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The file is anonymised."))
            return redirect("privacy_retention", programme_id)
    return render(
        request,
        "privacy/anonymise.html",
        {"participant": participant, "programme": participant.programme, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The head declares studies and sees them all; a researcher sees theirs, with exports."""
    programme = get_programme_for_studies(request, programme_id)
    is_head = request.user.has_role(programme, [Role.HEAD])  # type: ignore[union-attr]
    form = (
        StudyForm(request.POST if request.method == "POST" else None, programme=programme)
        if is_head
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["researchers"] = list(data["researchers"])
            try:
                services.study_create(programme=programme, actor=request.actor, **data)  # type: ignore[attr-defined]
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The study is declared."))
                return redirect("study_list", programme.pk)
    studies = (
        Study.objects.of_programme(programme)
        if is_head
        else Study.objects.for_researcher(request.user).filter(programme=programme)
    ).prefetch_related("researchers")
    today = timezone.localdate()
    return render(
        request,
        "privacy/studies.html",
        {
            "programme": programme,
            "studies": [(s, s.is_open_on(today)) for s in studies],
            "form": form,
            "is_head": is_head,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_GET
def study_export(request: HttpRequest, programme_id: int, study_id: int) -> HttpResponse:
    """The study's pseudonymised Data Package (ZIP), for one of its researchers."""
    study = get_study_for_researcher(request, programme_id, study_id)
    try:
        data, _people = services.research_export(study=study, actor=request.actor)  # type: ignore[attr-defined]
    except ValidationError as exc:
        return render(
            request,
            "privacy/export_refused.html",
            {"programme": study.programme, "study": study, "reasons": exc.messages},
            status=409,
        )
    response = HttpResponse(data, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="isa-study-{study.pk}-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response
