"""The questionnaire on the tablet: one question per screen, for the participant.

The social worker starts it from the person's file, signed in, and hands over the tablet.
From then on the browser session is locked to this questionnaire's pages with the same
lock as the presence kiosk (``isa.core.middleware.KioskLockMiddleware``): any other
address leads back to the questionnaire, so nothing else of the application can be
reached from the tablet.  The lock's prefix is this administration's own tablet URL.  At
the end, the person sees a thank-you screen (never a score); a team member ends the lock
with their password ("Give the tablet back") and lands on the person's results; wrong
passwords there lock that exit for a while, never the member's account (``isa.core.kiosk``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isa.core.kiosk import exit_locked_minutes, exit_try
from isa.core.middleware import KIOSK_SESSION_KEY
from isa.core.models import AuditAction
from isa.core.services import audit_record
from isa.evaluation import services
from isa.evaluation.access import get_administration_for_user, get_item
from isa.evaluation.catalogue import instrument_of
from isa.evaluation.forms import TabletAnswerForm
from isa.evaluation.models import Administration, AdministrationStatus


def _prefix(administration: Administration) -> str:
    return reverse("questionnaire_intro", args=[administration.programme_id, administration.pk])


def lock_tablet(request: HttpRequest, administration: Administration) -> None:
    """Lock this browser session to the questionnaire's pages (the kiosk lock)."""
    prefix = _prefix(administration)
    request.session[KIOSK_SESSION_KEY] = {"prefix": prefix, "home": prefix}


def _lock_home(request: HttpRequest, administration: Administration, home: str) -> None:
    lock = request.session.get(KIOSK_SESSION_KEY)
    if lock and lock.get("prefix") == _prefix(administration):
        request.session[KIOSK_SESSION_KEY] = {"prefix": lock["prefix"], "home": home}


def _done_url(administration: Administration) -> str:
    return reverse("questionnaire_done", args=[administration.programme_id, administration.pk])


def _get(request: HttpRequest, programme_id: int, administration_id: int) -> Administration:
    return get_administration_for_user(request, programme_id, administration_id)


@login_required
@require_GET
def questionnaire_intro(
    request: HttpRequest, programme_id: int, administration_id: int
) -> HttpResponse:
    administration = _get(request, programme_id, administration_id)
    if administration.status != AdministrationStatus.IN_PROGRESS:
        return redirect(_done_url(administration))
    instrument = instrument_of(administration)
    return render(
        request,
        "evaluation/tablet_intro.html",
        {
            "administration": administration,
            "instrument": instrument,
            "count": len(instrument.items),
            "first_name": administration.participant.first_name,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_item(
    request: HttpRequest, programme_id: int, administration_id: int, number: int
) -> HttpResponse:
    administration = _get(request, programme_id, administration_id)
    if administration.status != AdministrationStatus.IN_PROGRESS:
        return redirect(_done_url(administration))
    instrument = instrument_of(administration)
    items = list(instrument.items)
    item = get_item(items, number)
    options = [(o.value, o.label) for o in instrument.options_for(item)]
    current = administration.answer_map().get(item.number)
    form = TabletAnswerForm(request.POST or None, options=options)
    status = 200
    if request.method == "POST":
        status = 400
        skip = "skip" in request.POST
        value = None
        valid = True
        if not skip:
            valid = form.is_valid() and form.cleaned_data["value"] is not None
            value = form.cleaned_data.get("value") if valid else None
            if form.is_valid() and form.cleaned_data["value"] is None:
                form.add_error("value", _("Choose an answer, or skip this question."))
        if valid:
            try:
                services.administration_answer(
                    administration=administration,
                    item=item.number,
                    value=value,
                    actor=request.actor,
                )
            except ValidationError as exc:
                if getattr(exc, "code", None) == "finished":  # finished meanwhile (double tap)
                    _lock_home(request, administration, _done_url(administration))
                    return redirect(_done_url(administration))
                form.add_error("value", exc.messages)
            else:
                if number < len(items):
                    return redirect(
                        "questionnaire_item",
                        administration.programme_id,
                        administration.pk,
                        number + 1,
                    )
                services.administration_finish(administration=administration, actor=request.actor)
                _lock_home(request, administration, _done_url(administration))
                return redirect(_done_url(administration))
    back = (
        reverse(
            "questionnaire_item",
            args=[administration.programme_id, administration.pk, number - 1],
        )
        if number > 1
        else _prefix(administration)
    )
    return render(
        request,
        "evaluation/tablet_item.html",
        {
            "administration": administration,
            "instrument": instrument,
            "item": item,
            "number": number,
            "count": len(items),
            "options": options,
            "current": current,
            "answered": str(item.number) in (administration.answers or {}),
            "form": form,
            "back": back,
        },
        status=status,
    )


@login_required
@require_POST
def questionnaire_stop(
    request: HttpRequest, programme_id: int, administration_id: int
) -> HttpResponse:
    """The person stops here: what was answered is kept (as partial), nothing is asked."""
    administration = _get(request, programme_id, administration_id)
    if administration.status == AdministrationStatus.IN_PROGRESS:
        services.administration_finish(administration=administration, actor=request.actor)
    _lock_home(request, administration, _done_url(administration))
    return redirect(_done_url(administration))


@login_required
@require_GET
def questionnaire_done(
    request: HttpRequest, programme_id: int, administration_id: int
) -> HttpResponse:
    """Thank you: no score here, scores are for the team."""
    administration = _get(request, programme_id, administration_id)
    if administration.status == AdministrationStatus.IN_PROGRESS:
        return redirect(_prefix(administration))
    return render(
        request,
        "evaluation/tablet_done.html",
        {"administration": administration, "first_name": administration.participant.first_name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_unlock(
    request: HttpRequest, programme_id: int, administration_id: int
) -> HttpResponse:
    """Give the tablet back: a team member types their password to end the lock."""
    administration = _get(request, programme_id, administration_id)
    locked_minutes = exit_locked_minutes(request)
    status = 429 if locked_minutes else 200
    if request.method == "POST":
        attempt = exit_try(
            request,
            request.POST.get("password", ""),
            exit_name="tablet",
            programme=administration.programme_id,
            obj=administration,
        )
        locked_minutes = attempt.locked_minutes
        if attempt.opened:
            request.session.pop(KIOSK_SESSION_KEY, None)
            audit_record(
                action=AuditAction.VIEW,
                actor=request.actor,
                obj=administration,
                detail={"tablet": "end"},
            )
            if administration.status == AdministrationStatus.IN_PROGRESS:
                services.administration_finish(administration=administration, actor=request.actor)
            return redirect(
                "evaluation_person", administration.programme_id, administration.participant_id
            )
        if locked_minutes:
            status = 429
        else:
            messages.error(request, _("This password is not right."))
            status = 400
    return render(
        request,
        "evaluation/tablet_unlock.html",
        {"administration": administration, "locked_minutes": locked_minutes},
        status=status,
    )
