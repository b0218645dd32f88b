"""What the participant's space reads of one person, in one place.  The person is always
one the caller reached through :mod:`isa.portal.access` (their own, or a file the team
member may open)."""

from __future__ import annotations

from datetime import date

from isa.evaluation.models import Administration, AdministrationStatus
from isa.people.models import Participant
from isa.portal.models import CorrectionRequest, CorrectionRequestQuerySet, ParticipantAccess
from isa.presence.models import Presence
from isa.works.models import Credit


def access_of(participant: Participant) -> ParticipantAccess | None:
    return ParticipantAccess.objects.filter(participant=participant).select_related("user").first()


def requests_of(participant: Participant) -> CorrectionRequestQuerySet:
    return CorrectionRequest.objects.filter(participant=participant)


def days_came(participant: Participant, month: date) -> set[date]:
    """The days of ``month`` the person came (present at a session of the day)."""
    return set(
        Presence.objects.filter(
            participant=participant, session__on__year=month.year, session__on__month=month.month
        )
        .present()
        .values_list("session__on", flat=True)
    )


def credit_of(participant: Participant) -> Credit | None:
    return Credit.objects.filter(participant=participant).first()


def questionnaires_of(participant: Participant) -> list[Administration]:
    """The questionnaires the person answered or declined, newest first (not one left
    half-way on the tablet)."""
    return list(
        Administration.objects.filter(participant=participant)
        .exclude(status=AdministrationStatus.IN_PROGRESS)
        .select_related("loaded_instrument")
        .order_by("-on", "-pk")
    )


def panel_facts(participant: Participant) -> dict[str, object]:
    """What the file's panel shows, in one query: the access (sign-in name, closed or not)
    and how many correction requests wait for an answer."""
    from django.db.models import Count, Q

    row = (
        Participant.objects.filter(pk=participant.pk)
        .annotate(
            waiting=Count(
                "correction_requests",
                filter=Q(correction_requests__answered_at__isnull=True),
            )
        )
        .values("waiting", "portal_access__login", "portal_access__disabled_at")
        .first()
    ) or {}
    return {
        "login": row.get("portal_access__login"),
        "closed": row.get("portal_access__disabled_at") is not None,
        "waiting": row.get("waiting", 0),
    }
