from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from isa.core.models import TEAM_ROLES
from isa.people.access import get_participant_for_user
from isa.presence import services
from isa.presence.forms import SymbolForm


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
    try:
        services.checkin_symbol_set(
            participant=participant, symbol=form.cleaned_data["symbol"], actor=request.actor
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(participant)
    messages.success(request, _("The check-in symbol was saved."))
    return redirect(participant)
