"""Month view of a programme's presence and the monthly attendance sheet (PDF, XLSX)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from isa.core.access import get_programme_for_user, known_or_404
from isa.core.models import TEAM_ROLES, AuditAction, Role
from isa.core.services import audit_record
from isa.presence import sheets
from isa.presence.access import FIRST_YEAR, LAST_YEAR, first_day_of_month

#: Who may download the sheet: it leaves the application with every name on it.
SHEET_ROLES = frozenset({Role.HEAD, Role.SOCIAL_WORKER})
CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": sheets.XLSX_TYPE}


def _shift(first: date, months: int) -> date | None:
    """The first day of the month ``months`` away (-1 or +1), if the pages answer for it."""
    day = (first - timedelta(days=1) if months < 0 else first + timedelta(days=31)).replace(day=1)
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


@login_required
@require_GET
def presence_month(request: HttpRequest, programme_id: int, year: int, month: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    first = first_day_of_month(year, month)
    sheet = sheets.monthly_sheet(programme, year, month)
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,
        object_type="presence.month",
        object_id=f"{year:04d}-{month:02d}",
        programme=programme,
        detail={"year": year, "month": month},
    )
    today = timezone.localdate()
    return render(
        request,
        "presence/month.html",
        {
            "programme": programme,
            "sheet": sheet,
            "legend": sheets.legend(),
            "previous": _shift(first, -1),
            "next": _shift(first, +1),
            "this_month": today.replace(day=1)
            if (year, month) != (today.year, today.month)
            else None,
            "can_download": bool(request.user.roles_on(programme.pk) & SHEET_ROLES),
        },
    )


@login_required
@require_GET
def presence_sheet(
    request: HttpRequest, programme_id: int, year: int, month: int, fmt: str
) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=SHEET_ROLES)
    known_or_404(fmt, CONTENT_TYPES)
    first_day_of_month(year, month)
    sheet = sheets.monthly_sheet(programme, year, month)
    content = sheets.sheet_pdf(sheet) if fmt == "pdf" else sheets.sheet_xlsx(sheet)
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.actor,
        object_type="presence.month",
        object_id=f"{year:04d}-{month:02d}",
        programme=programme,
        detail={"format": fmt, "year": year, "month": month},
    )
    return HttpResponse(
        content,
        content_type=CONTENT_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{sheet.filename_stem}.{fmt}"'},
    )
