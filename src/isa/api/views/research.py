"""Research studies, for their researchers: the studies they may export from, and the
study's pseudonymised Frictionless Data Package (the page's export, the same service)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router, Schema

from isa.api.problems import Conflict
from isa.api.schemas import ERRORS, Problem
from isa.privacy import services
from isa.privacy.access import get_programme_for_researcher, get_study_for_researcher
from isa.privacy.models import Study

router = Router(tags=["research"])


class StudyOut(Schema):
    id: int
    name: str
    purpose: str
    starts_on: date
    ends_on: date
    open_today: bool


PACKAGE = {
    "description": "The study's Frictionless Data Package as a ZIP (datapackage.json, one "
    "CSV per table, the codebook in French, German and English).",
    "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
}


@router.get(
    "/programmes/{id:programme_id}/studies",
    response={200: list[StudyOut], **ERRORS},
    url_name="study_list",
    summary="The studies the caller is a researcher of",
)
def study_list(request: HttpRequest, programme_id: int) -> Any:
    """Only the programme's studies that name the caller among their researchers."""
    programme = get_programme_for_researcher(request, programme_id)
    today = timezone.localdate()
    studies = Study.objects.for_researcher(request.user).of_programme(programme).order_by("name")
    return [
        {
            "id": study.pk,
            "name": study.name,
            "purpose": study.purpose,
            "starts_on": study.starts_on,
            "ends_on": study.ends_on,
            "open_today": study.starts_on <= today <= study.ends_on,
        }
        for study in studies
    ]


@router.get(
    "/programmes/{id:programme_id}/studies/{id:study_id}/package",
    response={200: None, 409: Problem, **ERRORS},
    openapi_extra={"responses": {200: PACKAGE}},
    url_name="study_package",
    summary="The study's pseudonymised data package (ZIP)",
)
def study_package(request: HttpRequest, programme_id: int, study_id: int) -> Any:
    """Only the people whose research consent is in force at the moment of the call; an
    audited export with the number of people it holds.  Outside the study's period: 409."""
    study = get_study_for_researcher(request, programme_id, study_id)
    try:
        data, _people = services.research_export(study=study, actor=request.actor)  # type: ignore[attr-defined]
    except ValidationError as exc:
        raise Conflict(" ".join(exc.messages)) from exc
    response = HttpResponse(data, content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="isa-study-{study.pk}-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response
