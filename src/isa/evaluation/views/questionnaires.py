"""Offering a questionnaire: on the tablet, from paper, or "declined today"; and reading one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isa.core.forms import apply_service_errors
from isa.core.models import AuditAction
from isa.core.services import audit_record
from isa.evaluation import services
from isa.evaluation.access import (
    evaluation_participant,
    get_administration_for_user,
    get_choice_for_programme,
)
from isa.evaluation.catalogue import choice_for, choices_for, instrument_of
from isa.evaluation.forms import PaperForm
from isa.evaluation.views.tablet import lock_tablet


def _person_url(participant) -> str:  # type: ignore[no-untyped-def]
    return reverse("evaluation_person", args=[participant.programme_id, participant.pk])


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_start(
    request: HttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    """Choose a questionnaire and how: the tablet (POST here), paper, or not today."""
    participant, _rights = evaluation_participant(request, programme_id, participant_id)
    programme = participant.programme
    if request.method == "POST":
        choice = choice_for(programme, request.POST.get("instrument", ""))
        if choice is None:
            messages.error(request, _("Choose a questionnaire from the list."))
            return redirect("questionnaire_start", programme.pk, participant.pk)
        try:
            administration = services.administration_start(
                participant=participant, choice=choice, actor=request.actor
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("questionnaire_start", programme.pk, participant.pk)
        lock_tablet(request, administration)
        return redirect("questionnaire_intro", programme.pk, administration.pk)
    return render(
        request,
        "evaluation/start.html",
        {
            "programme": programme,
            "participant": participant,
            "choices": choices_for(programme),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_paper(
    request: HttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    """All the items of a questionnaire answered on paper, entered in one form."""
    participant, _rights = evaluation_participant(request, programme_id, participant_id)
    programme = participant.programme
    key = request.POST.get("instrument") or request.GET.get("instrument", "")
    choice = get_choice_for_programme(programme, key)
    form = PaperForm(request.POST or None, instrument=choice.instrument)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                administration = services.administration_enter_paper(
                    participant=participant,
                    choice=choice,
                    on=form.cleaned_data["on"],
                    answers=form.answers(),
                    actor=request.actor,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The paper answers were saved."))
                return redirect(administration)
    return render(
        request,
        "evaluation/paper.html",
        {
            "programme": programme,
            "participant": participant,
            "choice": choice,
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def questionnaire_decline(
    request: HttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    """ "Not today": recorded as a respected answer."""
    participant, _rights = evaluation_participant(request, programme_id, participant_id)
    choice = choice_for(participant.programme, request.POST.get("instrument", ""))
    if choice is None:
        messages.error(request, _("Choose a questionnaire from the list."))
        return redirect("questionnaire_start", participant.programme_id, participant.pk)
    services.administration_decline(participant=participant, choice=choice, actor=request.actor)
    messages.success(
        request, _("Recorded: not today. The person may answer another time, or never.")
    )
    return redirect(_person_url(participant))


@login_required
@require_POST
def questionnaire_close(
    request: HttpRequest, programme_id: int, administration_id: int
) -> HttpResponse:
    """Close a questionnaire left unfinished on the tablet: what was answered is kept
    (partly answered, or declined when nothing was), exactly as when the person stops."""
    administration = get_administration_for_user(request, programme_id, administration_id)
    services.administration_finish(administration=administration, actor=request.actor)
    messages.success(request, _("The questionnaire was closed; the answers given are kept."))
    return redirect(_person_url(administration.participant))


@login_required
@require_GET
def administration_detail(
    request: HttpRequest, programme_id: int, administration_id: int
) -> HttpResponse:
    """One questionnaire: the answers, and the scores kept when it was finished."""
    administration = get_administration_for_user(request, programme_id, administration_id)
    try:
        instrument = instrument_of(administration)
    except (KeyError, ValueError):
        instrument = None
    answers = administration.answer_map()
    rows = []
    scores = []
    recomputed_differs = False
    if instrument is not None:
        for item in instrument.items:
            value = answers.get(item.number)
            labels = {o.value: o.label for o in instrument.options_for(item)}
            rows.append(
                {
                    "item": item,
                    "value": value,
                    "label": labels.get(value, "") if value is not None else "",
                }
            )
        bands = administration.score_bands
        for score in instrument.scores:
            value = administration.score_values.get(score.code)
            band = next((b for b in score.bands if b.code == bands.get(score.code)), None)
            scores.append({"score": score, "value": value, "band": band})
        if administration.is_answered:
            recomputed = services.administration_rescore(administration=administration)
            recomputed_differs = recomputed.get("scores") != administration.scores.get("scores")
    audit_record(action=AuditAction.VIEW, actor=request.actor, obj=administration)
    return render(
        request,
        "evaluation/administration.html",
        {
            "programme": administration.programme,
            "participant": administration.participant,
            "administration": administration,
            "instrument": instrument,
            "rows": rows,
            "scores": scores,
            "recomputed_differs": recomputed_differs,
        },
    )
