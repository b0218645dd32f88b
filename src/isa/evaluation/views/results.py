"""Results: a person's questionnaires over time (and the file panel), the group's paired
before/after figures.  Head and social workers only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from isa.core.access import known_or_404
from isa.core.models import AuditAction
from isa.core.services import audit_record
from isa.evaluation import charts
from isa.evaluation.access import (
    evaluation_participant,
    evaluation_programme,
    get_instrument_group_for_user,
)
from isa.evaluation.catalogue import choices_for
from isa.evaluation.models import (
    EVALUATION_ROLES,
    Administration,
    EffectAssessment,
    HealthPeriod,
)
from isa.evaluation.results import (
    InstrumentGroup,
    administrations_of,
    group_administrations,
    group_results,
    health_results,
    person_series,
    wilcoxon_method_label,
)
from isa.evaluation.services import health_allowed, schedule_suggestion
from isa.evaluation.views.embed import svg_img, svg_link
from isa.people.models import Participant


def _administrations(participant: Participant) -> list[Administration]:
    return administrations_of(participant)


def programme_panel(request: HttpRequest, programme: Any) -> Any:
    """On the programme page, for the head and the social workers: the way to the group's
    figures and to the questionnaires."""
    if not request.user.has_role(programme, EVALUATION_ROLES):
        return None
    return "evaluation/_programme_panel.html", {"programme": programme}


def file_panel(request: HttpRequest, participant: Participant, rights: Any) -> Any:
    """On the file, for the head and the social workers: the latest result of each
    questionnaire, a gentle suggestion of when to offer the next one, and the way in."""
    if not rights.roles & EVALUATION_ROLES:
        return None
    administrations = _administrations(participant)
    series = person_series(administrations)
    return "evaluation/_file_panel.html", {
        "participant": participant,
        "programme": participant.programme,
        "series": series,
        "suggestion": schedule_suggestion(participant, administrations),
        "signal": any(s.latest and s.latest.signal for s in series),
    }


@login_required
@require_GET
def evaluation_person(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    participant, _rights = evaluation_participant(request, programme_id, participant_id)
    administrations = _administrations(participant)
    series = person_series(administrations)
    charts_by_series = []
    for s in series:
        svg = ""
        if len(s.scored) >= 1:
            svg = charts.trajectory_svg(s.points(), score=s.score, title=str(s.instrument.title))
        charts_by_series.append((s, svg_img(svg)))
    effects_count = (
        EffectAssessment.objects.visible_to(request.user).filter(participant=participant).count()
    )
    health_ok = health_allowed(participant)
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,
        obj=participant,
        detail={"page": "evaluation"},
    )
    return render(
        request,
        "evaluation/person.html",
        {
            "programme": participant.programme,
            "participant": participant,
            "series": charts_by_series,
            "suggestion": schedule_suggestion(participant, administrations),
            "effects_count": effects_count,
            "health_ok": health_ok,
            "in_progress": [a for a in administrations if a.status == "in_progress"],
        },
    )


#: The group's charts, each its own image (a page holding them as data: URIs weighed ~400 KB).
CHARTS = ("distribution", "categories")


def _group_chart(g: InstrumentGroup, kind: str) -> str:
    """The SVG of one chart of a questionnaire's group (memoised: the page and the image
    draw it once)."""
    c = g.change
    if kind == "distribution":
        return charts.distribution_svg(
            g.before, g.after, score=g.score, title=str(g.instrument.title)
        )
    return charts.change_categories_svg(c.improved, c.unchanged, c.deteriorated)


@login_required
@require_GET
def evaluation_group_chart(
    request: HttpRequest, programme_id: int, instrument: str, loaded: int, kind: str
) -> HttpResponse:
    """One chart of the group results as an SVG image: anonymous figures, the same people
    and scope as the page that shows it."""
    group = get_instrument_group_for_user(request, programme_id, instrument, loaded or None)
    known_or_404(kind, CHARTS)
    response = HttpResponse(_group_chart(group, kind), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def evaluation_group(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The programme's figures, anonymous: paired first/latest questionnaires, health
    costs and indicators before/after.  No names."""
    programme = evaluation_programme(request, programme_id)
    groups = group_results(group_administrations(request.user, programme))
    rows = []
    for g in groups:
        c = g.change
        code, loaded = g.key
        images = {}
        if c.n:
            for kind in CHARTS:
                url = reverse(
                    "evaluation_group_chart", args=[programme.pk, code, loaded or 0, kind]
                )
                images[kind] = svg_link(url, _group_chart(g, kind))
        rows.append(
            {
                "group": g,
                "change": c,
                "method": wilcoxon_method_label(c.method),
                "improved": g.share(c.improved) if c.n else "",
                "unchanged": g.share(c.unchanged) if c.n else "",
                "deteriorated": g.share(c.deteriorated) if c.n else "",
                "distribution": images.get("distribution", ""),
                "categories": images.get("categories", ""),
            }
        )
    periods = list(HealthPeriod.objects.visible_to(request.user).filter(programme=programme))
    health = health_results(periods)
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,
        object_type="evaluation.group",
        programme=programme,
        detail={"aggregate": True, "page": "group results"},
    )
    return render(
        request,
        "evaluation/group.html",
        {
            "programme": programme,
            "rows": rows,
            "health": health,
            "instruments": choices_for(programme),
        },
    )
