"""Participants, for the team: the files of the programme as the list and the file pages show
them to the caller's roles (contact and administrative fields only to those who see them)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from isa.api.schemas import (
    DEFAULT_PAGE_SIZE,
    ERRORS,
    MAX_PAGE_SIZE,
    ParticipantOut,
    ParticipantPage,
    page_of,
)
from isa.core.access import get_programme_for_user
from isa.core.models import TEAM_ROLES, AuditAction
from isa.core.services import audit_record
from isa.people.access import FileRights, get_participant_for_user, rights_for
from isa.people.forms import SORTS
from isa.people.models import Participant

router = Router(tags=["participants"])

StatusFilter = Literal["", "waiting", "active", "paused", "exited", "not_taken_up"]


def participant_out(person: Participant, rights: FileRights) -> dict[str, Any]:
    """The file's fields this reader sees (``None``: not shown to these roles, left out)."""
    fields: dict[str, Any] = {
        "id": person.pk,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "official_first_names": person.official_first_names,
        "usual_first_name": person.usual_first_name,
        "status": person.status,
        "status_label": str(person.get_status_display()),
        "accompanied_since": person.accompanied_since,
        "age": person.age_on(timezone.localdate()),
        "gender": person.gender,
        "languages": person.languages,
    }
    if rights.contact:
        fields.update(phone=person.phone, email=person.email, address=person.address)
    if rights.administrative:
        fields.update(
            birth_date=person.birth_date,
            avs_number=person.avs_number,
            social_aid_reference=person.social_aid_reference,
        )
    return fields


@router.get(
    "/programmes/{id:programme_id}/participants",
    response={200: ParticipantPage, **ERRORS},
    url_name="participant_list",
    summary="The participants of the programme",
    exclude_none=True,
)
def participant_list(
    request: HttpRequest,
    programme_id: int,
    status: StatusFilter = Query("", description="Only the files with this status."),
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
) -> Any:
    """By name; the files of people only referred so far are left out for the roles that
    do not handle referrals, as on the list page."""
    programme = get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    rights = rights_for(request.user, programme)
    people = Participant.objects.visible_to(request.user).in_programme(programme)
    if not rights.never_admitted:
        people = people.exclude(accompanied_since__isnull=True)
    if status:
        people = people.filter(status=status)
    rows, info = page_of(people.order_by(*SORTS["name"]), page, page_size)
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,  # type: ignore[attr-defined]
        object_type="people.participant",
        programme=programme,
        detail={"list": "participants", "status": status, "page": page, "results": info.count},
    )
    return {"page": info, "results": [participant_out(p, rights) for p in rows]}  # type: ignore[arg-type]


@router.get(
    "/programmes/{id:programme_id}/participants/{id:participant_id}",
    response={200: ParticipantOut, **ERRORS},
    url_name="participant_detail",
    summary="One participant's file",
    exclude_none=True,
)
def participant_detail(request: HttpRequest, programme_id: int, participant_id: int) -> Any:
    person, rights = get_participant_for_user(request, programme_id, participant_id)
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,  # type: ignore[attr-defined]
        obj=person,
    )
    return participant_out(person, rights)
