from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isa.core.models import TEAM_ROLES, AuditAction
from isa.core.services import audit_record
from isa.people.access import get_participant_for_user
from isa.presence.forms import SymbolForm
from isa.presence.models import CheckInSymbol, symbol_of


@login_required
@require_POST
def checkin_symbol(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    """Record the symbol the person chose for the kiosk (or none)."""
    participant, _rights = get_participant_for_user(
        request, programme_id, participant_id, roles=TEAM_ROLES
    )
    form = SymbolForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a symbol from the list."))
        return redirect(participant)
    symbol = form.cleaned_data["symbol"]
    with transaction.atomic():
        if symbol:
            CheckInSymbol.objects.update_or_create(
                participant=participant, defaults={"symbol": symbol}
            )
        elif symbol_of(participant):
            participant.checkin_symbol.delete()
        audit_record(
            action=AuditAction.UPDATE,
            actor=request.actor,
            obj=participant,
            detail={"checkin_symbol": symbol},
        )
    messages.success(request, _("The check-in symbol was saved."))
    return redirect(participant)
