"""What presence adds to the programme page and to a participant's file."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from isa.core.models import TEAM_ROLES, Programme, Role
from isa.people.access import FileRights
from isa.people.models import Participant
from isa.presence import charts, rates
from isa.presence.forms import SymbolForm
from isa.presence.models import Session, symbol_of
from isa.presence.symbols import symbol_svg

HEATMAP_WEEKS = 26


def programme_panel(
    request: HttpRequest, programme: Programme
) -> tuple[str, dict[str, Any]] | None:
    roles = request.user.roles_on(programme)
    if not roles & TEAM_ROLES:
        return None
    today = timezone.localdate()
    sessions = list(
        Session.objects.of_programme(programme)
        .filter(on=today)
        .select_related("workshop")
        .order_by("part", "workshop__title")
    )
    return "presence/_programme_panel.html", {
        "programme": programme,
        "sessions": sessions,
        "today": today,
        "is_head": Role.HEAD in roles,
    }


def file_panel(
    request: HttpRequest, participant: Participant, rights: FileRights
) -> tuple[str, dict[str, Any]] | None:
    """Rate against the pact over the last four weeks and since admission, and a
    heat-map of the last six months."""
    today = timezone.localdate()
    if participant.accompanied_since is None:
        return None
    start = max(participant.accompanied_since, today - timedelta(weeks=HEATMAP_WEEKS))
    figures = rates.compute(
        participant.programme_id,
        participant.accompanied_since,
        today,
        participant=participant,  # its stays, pauses and pacts as the file read them
        every_open_day_from=start,  # the heat-map shows which days were open
    )
    person = figures.people.get(participant.pk) or rates.PersonFigures(participant.pk)
    recent_start = today - timedelta(weeks=4)
    recent = rates.PersonFigures(participant.pk)
    recent.expected_days = {k for k in person.expected_days if k[0] >= recent_start}
    recent.present_days = {k for k in person.present_days if k[0] >= recent_start}
    recent.expected = len(recent.expected_days)
    recent.attended = len(recent.expected_days & recent.present_days)
    symbol = symbol_of(participant)
    return "presence/_file_panel.html", {
        "participant": participant,
        "programme": participant.programme,
        "person": person,
        "recent": recent,
        "heatmap": charts.heatmap_svg(person, start, today, figures.open_half_days),
        "legend": charts.legend(),
        "symbol": symbol_svg(symbol, 48),
        "symbol_form": SymbolForm(initial={"symbol": symbol})
        if rights.roles & TEAM_ROLES
        else None,
    }
