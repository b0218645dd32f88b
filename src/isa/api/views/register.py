"""The register: the sessions of a day with the people expected, and marking a presence or
an absence, with the same rules as the register page (its services), safe to retry with an
``Idempotency-Key``."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Header, Query, Router, Status
from ninja.errors import ValidationError

from isa.api.idempotency import check_key, once
from isa.api.schemas import ERRORS, MarkIn, PresenceOut, Problem, RegisterDay, RegisterRow
from isa.core.access import get_programme_for_user
from isa.core.models import TEAM_ROLES, AuditAction
from isa.core.services import audit_record
from isa.people.access import get_participant_in_programme
from isa.presence import services
from isa.presence.access import FIRST_YEAR, LAST_YEAR, get_session_for_user
from isa.presence.models import Presence, Session
from isa.presence.views.register import register_rows

router = Router(tags=["register"])


def presence_out(presence: Presence) -> PresenceOut:
    return PresenceOut(
        participant_id=presence.participant_id,
        session_id=presence.session_id,
        state=presence.state,
        arrived_at=presence.arrived_at,
        left_at=presence.left_at,
        absence_reason=presence.absence_reason,
        medium=presence.medium.code if presence.medium_id else None,
        recorded_through=presence.source,
    )


def _row(row: dict[str, Any]) -> RegisterRow:
    presence = row["presence"]
    return RegisterRow(
        participant_id=row["participant"].pk,
        name=str(row["participant"]),
        expected=row["expected"],
        on_a_pause=row["paused"],
        presence=presence_out(presence) if presence is not None else None,
    )


@router.get(
    "/programmes/{id:programme_id}/register",
    response={200: RegisterDay, **ERRORS},
    url_name="register_day",
    summary="The sessions of a day, with the people expected",
)
def register_day(
    request: HttpRequest,
    programme_id: int,
    on: date | None = Query(None, alias="date", description="The day (default: today)."),
) -> Any:
    """Each session of the day with, as on the register page, the people expected by their
    pact, those marked without being expected, and the others accompanied."""
    programme = get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    day = on or timezone.localdate()
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError([{"loc": ("query", "date"), "type": "date_out_of_range"}])
    sessions = list(
        Session.objects.of_programme(programme)
        .filter(on=day)
        .select_related("workshop")
        .with_closure()
        .order_by("part", "workshop__title")
    )
    today = timezone.localdate()
    out = []
    for session in sessions:
        rows = register_rows(session, programme, request.user)  # type: ignore[arg-type]
        audit_record(
            action=AuditAction.VIEW,
            actor=request.actor,  # type: ignore[attr-defined]
            obj=session,
            programme=programme,
            detail={"page": "register"},
        )
        out.append(
            {
                "id": session.pk,
                "workshop": session.workshop.title,
                "on": session.on,
                "part": session.part,
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "cancelled": session.cancelled,
                "markable": not session.cancelled and session.on <= today,
                "expected": [_row(r) for r in rows["expected"]],
                "marked": [_row(r) for r in rows["marked"]],
                "others": [_row(r) for r in rows["others"]],
            }
        )
    return {"on": day, "sessions": out}


@router.post(
    "/programmes/{id:programme_id}/sessions/{id:session_id}/marks",
    response={200: PresenceOut, 409: Problem, **ERRORS},
    url_name="register_mark",
    summary="Mark a presence or an absence",
)
def register_mark(
    request: HttpRequest,
    programme_id: int,
    session_id: int,
    payload: MarkIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        description="Any unique text (a UUID): the same key and body give the first answer "
        "again, another body a 409.",
    ),
) -> Any:
    """Present (a second mark keeps the first arrival time) or absent with an optional
    reason: the register page's rules (the day of the session, a place in the programme,
    no closure day)."""
    key = check_key(idempotency_key)
    session = get_session_for_user(request, programme_id, session_id)
    participant = get_participant_in_programme(
        request, session.workshop.programme, payload.participant_id
    )
    actor = request.actor  # type: ignore[attr-defined]

    def run() -> tuple[int, dict[str, Any]]:
        if payload.state == "present":
            presence = services.presence_mark(
                session=session,
                participant=participant,
                actor=actor,
                at=time.fromisoformat(payload.at) if payload.at else None,
            )
        else:
            presence = services.presence_mark_absent(
                session=session, participant=participant, actor=actor, reason=payload.reason
            )
        return 200, presence_out(presence).model_dump(mode="json")

    status, answer = once(
        user=request.user,  # type: ignore[arg-type]
        key=key,
        operation=f"register_mark:{session.pk}",
        body=payload.model_dump(mode="json"),
        run=run,
    )
    return Status(status, answer)
