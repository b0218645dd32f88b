"""Who reaches which alert: one place, 404 outside the scope (SECURITY.md)."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from isa.core.access import get_programme_for_user
from isa.watch.models import WATCH_ROLES, Alert


def get_alert_for_user(request: HttpRequest, programme_id: int, alert_id: int) -> Alert:
    """The alert if ``request.user`` holds a watch role on its programme; 403 for other
    members of the programme, 404 for everyone else."""
    programme = get_programme_for_user(request, programme_id, roles=WATCH_ROLES)
    alert = (
        Alert.objects.visible_to(request.user)
        .filter(programme=programme, pk=alert_id)
        .select_related("participant", "programme", "taken_by", "resolved_by")
        .first()
    )
    if alert is None:
        raise Http404
    return alert
