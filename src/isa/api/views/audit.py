"""The audit log of a programme, for its heads: the page's events, filters and sentences."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router

from isa.api.schemas import DEFAULT_PAGE_SIZE, ERRORS, MAX_PAGE_SIZE, AuditPage, page_of
from isa.core import auditlog
from isa.core.access import require_head
from isa.core.actor import Channel
from isa.core.forms import AuditFilterForm
from isa.core.models import AuditAction, AuditEvent, programme_members
from isa.core.services import audit_record

router = Router(tags=["audit"])


@router.get(
    "/programmes/{id:programme_id}/audit",
    response={200: AuditPage, **ERRORS},
    url_name="audit_log",
    summary="The audit log (heads)",
)
def audit_log(
    request: HttpRequest,
    programme_id: int,
    action: str = Query("", max_length=32, description="One action (login, view, create…)."),
    actor: str = Query("", max_length=254, description="Member of the team: name or e-mail."),
    person: str = Query("", max_length=100, description="Name of a participant."),
    object_type: str = Query("", max_length=64, description="Kind of record (people.referral)."),
    date_from: date | None = Query(None),
    date_to: date | None = Query(None),
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
) -> Any:
    """Newest first; the filters are the page's (checked by its form: 422 naming the
    field).  The reading is itself recorded, first, as on the page."""
    programme = require_head(request, programme_id)
    raw = {
        "action": action,
        "actor": actor,
        "person": person,
        "object_type": object_type,
        "date_from": date_from.isoformat() if date_from else "",
        "date_to": date_to.isoformat() if date_to else "",
    }
    form = AuditFilterForm({k: v for k, v in raw.items() if v})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    filters: dict[str, Any] = {k: v for k, v in raw.items() if v}
    if filters.get("person"):
        filters["person"] = True  # never the words typed: they may be a name
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,  # type: ignore[attr-defined]
        object_type="core.auditevent",
        programme=programme,
        detail={"filters": filters},
    )
    members = programme_members(programme)
    events = auditlog.filter_events(
        AuditEvent.objects.for_programme(programme, members), programme, form.cleaned_data
    ).order_by("-at", "-id")
    rows, info = page_of(events, page, page_size)
    lines = auditlog.audit_lines(rows, programme, members)  # type: ignore[arg-type]
    results = []
    for line in lines:
        event = line.event
        results.append(
            {
                "id": event.pk,
                "at": event.at,
                "actor": line.actor,
                "action": event.action,
                "action_label": str(AuditAction(event.action).label)
                if event.action in AuditAction.values
                else event.action,
                "sentence": line.sentence,
                "person": line.person,
                "details": line.details,
                "object_type": event.object_type,
                "ip": event.ip,
                "channel": event.channel,
                "channel_label": str(Channel(event.channel).label)
                if event.channel in Channel.values
                else event.channel,
            }
        )
    return {"page": info, "results": results}
