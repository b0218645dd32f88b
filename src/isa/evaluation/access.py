"""Access in one place for the evaluation pages: head and social workers only; 404
outside the scope."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import Http404, HttpRequest

from isa.core.access import get_programme_for_user
from isa.core.models import Programme
from isa.evaluation.catalogue import Choice, choice_for
from isa.evaluation.instruments import Item
from isa.evaluation.models import EVALUATION_ROLES, Administration, HealthPeriod
from isa.evaluation.results import (
    InstrumentGroup,
    group_administrations,
    group_of,
    group_results,
)
from isa.people.access import FileRights, get_participant_for_user
from isa.people.models import Participant


def evaluation_programme(request: HttpRequest, programme_id: int) -> Programme:
    """404 outside the programme, 403 for a member who is not head or social worker."""
    return get_programme_for_user(request, programme_id, roles=EVALUATION_ROLES)


def evaluation_participant(
    request: HttpRequest, programme_id: int, participant_id: int
) -> tuple[Participant, FileRights]:
    return get_participant_for_user(request, programme_id, participant_id, roles=EVALUATION_ROLES)


def get_instrument_group_for_user(
    request: HttpRequest, programme_id: int, code: str, loaded: int | None
) -> InstrumentGroup:
    """The group figures of one questionnaire (anonymous, the page's scope), with at least
    one pair of answers; else 404."""
    programme = evaluation_programme(request, programme_id)
    groups = group_results(group_administrations(request.user, programme))
    group = group_of(groups, code, loaded)
    if group is None or not group.change.n:
        raise Http404
    return group


def get_administration_for_user(
    request: HttpRequest, programme_id: int, administration_id: int
) -> Administration:
    programme = evaluation_programme(request, programme_id)
    administration = (
        Administration.objects.visible_to(request.user)
        .filter(programme=programme, pk=administration_id)
        .select_related("participant", "programme", "loaded_instrument", "entered_by")
        .first()
    )
    if administration is None:
        raise Http404
    return administration


def get_health_period_for_user(
    request: HttpRequest, programme_id: int, period_id: int
) -> HealthPeriod:
    """A period to remove: scoped by programme and role, not by consent (a period hidden by
    a withdrawal can still be deleted; the caller never shows its values)."""
    programme = evaluation_programme(request, programme_id)
    period = (
        HealthPeriod.objects.removable_by(request.user)
        .filter(programme=programme, pk=period_id)
        .select_related("participant")
        .first()
    )
    if period is None:
        raise Http404
    return period


def get_choice_for_programme(programme: Programme, key: str) -> Choice:
    """The questionnaire ``key`` names among those ``programme`` offers, else 404."""
    choice = choice_for(programme, key)
    if choice is None:
        raise Http404
    return choice


def get_item(items: Sequence[Item], number: int) -> Item:
    """Item ``number`` (from 1) of a questionnaire on the tablet, else 404."""
    if not 1 <= number <= len(items):
        raise Http404
    return items[number - 1]
