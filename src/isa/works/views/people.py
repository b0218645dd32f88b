"""A person's works: portfolio page and PDF, credit choice, file panel and timeline."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from isa.core.forms import apply_service_errors
from isa.core.models import TEAM_ROLES, AuditAction, User
from isa.core.services import audit_record
from isa.people.access import get_participant_for_user
from isa.people.models import Participant
from isa.people.timeline import TimelineItem
from isa.works import pdf, services
from isa.works.forms import CreditForm
from isa.works.models import CREDIT_ROLES, WORK_EDITOR_ROLES, Credit, Work
from isa.works.views.works import ordered_images


def _portfolio_works(user: User, participant: Participant) -> list[Work]:
    return list(
        Work.objects.visible_to(user)
        .by(participant)
        .select_related("medium")
        .prefetch_related("creators", ordered_images())
        .order_by("-made_on", "-pk")
    )


def _credit_of(participant: Participant) -> Credit | None:
    return services.credits_for([participant]).get(participant.pk)


@login_required
@require_GET
def portfolio(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    participant, rights = get_participant_for_user(request, programme_id, participant_id)
    works = _portfolio_works(request.user, participant)
    credits = services.credits_for(p for w in works for p in w.creators.all())
    credit = credits.get(participant.pk) or _credit_of(participant)
    audit_record(
        action=AuditAction.VIEW, actor=request.actor, obj=participant, detail={"page": "portfolio"}
    )
    return render(
        request,
        "works/portfolio.html",
        {
            "programme": participant.programme,
            "participant": participant,
            "rights": rights,
            "credit": credit,
            "credit_name": services.credit_name(participant, credit),
            "cover_name": services.portfolio_owner_name(participant, credit),
            "rows": [(w, services.credit_line(w, credits)) for w in works],
            "can_credit": bool(rights.roles & CREDIT_ROLES),
            "can_edit": bool(rights.roles & WORK_EDITOR_ROLES),
        },
    )


@login_required
@require_GET
def portfolio_pdf(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    participant, _rights = get_participant_for_user(request, programme_id, participant_id)
    works = _portfolio_works(request.user, participant)
    credits = services.credits_for(p for w in works for p in w.creators.all())
    credit = credits.get(participant.pk) or _credit_of(participant)
    content = pdf.portfolio_pdf(
        participant.programme,
        participant,
        services.portfolio_owner_name(participant, credit),
        works,
        credits,
    )
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.actor,
        obj=participant,
        detail={"portfolio": [w.pk for w in works]},
    )
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={
            "Content-Disposition": 'attachment; filename="%s.pdf"'
            % (slugify(_("portfolio")) or "portfolio")
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def credit_edit(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    """How the person wants to be credited: their choice, recorded on their behalf."""
    participant, _rights = get_participant_for_user(
        request, programme_id, participant_id, roles=CREDIT_ROLES
    )
    credit = _credit_of(participant)
    form = CreditForm(
        request.POST or None,
        initial={
            "mode": credit.mode if credit else services.DEFAULT_CREDIT,
            "pseudonym": credit.pseudonym if credit else "",
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.credit_set(
                    participant=participant,
                    mode=form.cleaned_data["mode"],
                    pseudonym=form.cleaned_data["pseudonym"],
                    actor=request.actor,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The credit choice was saved."))
                return redirect("portfolio", participant.programme_id, participant.pk)
    examples = {
        mode: services.credit_name(participant, Credit(mode=mode, pseudonym=_("(pseudonym)")))
        for mode, _label in services.CreditMode.choices
    }
    return render(
        request,
        "works/credit_form.html",
        {
            "programme": participant.programme,
            "participant": participant,
            "form": form,
            "examples": examples,
        },
        status=status,
    )


# -- on the participant's file -----------------------------------------------------------------

PANEL_WORKS = 8


def file_panel(
    request: HttpRequest, participant: Participant, rights: Any
) -> tuple[str, dict[str, Any]] | None:
    """The person's works on their file: the latest ones with thumbnails, and the portfolio."""
    if not rights.roles & TEAM_ROLES:
        return None
    works = list(
        Work.objects.visible_to(request.user)
        .by(participant)
        .prefetch_related(ordered_images())
        .order_by("-made_on", "-pk")[: PANEL_WORKS + 1]
    )
    return "works/_file_panel.html", {
        "participant": participant,
        "programme": participant.programme,
        "works": works[:PANEL_WORKS],
        "more": len(works) > PANEL_WORKS,
        "can_edit": bool(rights.roles & WORK_EDITOR_ROLES),
    }


def work_items(participant: Participant, user: User) -> Iterable[TimelineItem]:
    """The person's works on their timeline, on the day they were made."""
    works = (
        Work.objects.visible_to(user)
        .by(participant)
        .select_related("medium")
        .order_by("-made_on", "-pk")[:200]
    )
    for work in works:
        yield TimelineItem(
            work.made_on,
            "work",
            _("Work: %(title)s") % {"title": work.title},
            f"{work.medium.label} · {work.get_state_display()}",
            url=work.get_absolute_url(),
        )
