"""When a file ends: the one definition of a file's retention date.

A file is kept ``years`` (the organisation's :class:`~isa.privacy.models.RetentionPolicy`,
10 by default) after the person's **last exit**: the latest exit of their stays for a person
who left, or the day their referral was closed as not taken up for a person never admitted.
People accompanied, on a pause or waiting have no retention date: their file is alive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, DateField, F, OuterRef, Q, Subquery, When

from isa.core.models import Organisation, Programme
from isa.people.models import Participant, Referral, Status, Stay
from isa.privacy.models import DEFAULT_RETENTION_YEARS, RetentionPolicy

#: How far ahead the head sees the files that will be anonymised.
NOTICE_DAYS = 30


def add_years(day: date, years: int) -> date:
    """``day`` moved by ``years`` (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def policy_for(organisation: Organisation | int) -> RetentionPolicy:
    """The organisation's policy, or the default one (unsaved) if it never set one."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    policy = RetentionPolicy.objects.filter(organisation_id=org_id).first()
    return policy or RetentionPolicy(organisation_id=org_id, years=DEFAULT_RETENTION_YEARS)


def with_last_exit(people: object = None) -> object:
    """Participants annotated with ``last_exit`` (None while the file is alive)."""
    queryset = people if people is not None else Participant.objects.all()
    last_stay_exit = (
        Stay.objects.filter(participant_id=OuterRef("pk"), exited_on__isnull=False)
        .order_by("-exited_on")
        .values("exited_on")[:1]
    )
    last_referral_close = (
        Referral.objects.filter(participant_id=OuterRef("pk"))
        .order_by("-status_changed_on")
        .values("status_changed_on")[:1]
    )
    return queryset.annotate(  # type: ignore[attr-defined]
        last_exit=Case(
            When(status=Status.EXITED, then=Subquery(last_stay_exit)),
            When(status=Status.NOT_TAKEN_UP, then=Subquery(last_referral_close)),
            default=None,
            output_field=DateField(),
        )
    )


@dataclass(frozen=True)
class Due:
    """A file whose retention period ends on ``due_on``: why, in figures."""

    participant: Participant
    last_exit: date
    years: int
    due_on: date


def due_by(day: date, *, programme: Programme | int | None = None) -> list[Due]:
    """Files not yet anonymised whose retention period ends on or before ``day``, by date."""
    programmes = Programme.objects.all()
    if programme is not None:
        programmes = programmes.filter(pk=programme if isinstance(programme, int) else programme.pk)
    found: list[Due] = []
    policies = {p.organisation_id: p for p in RetentionPolicy.objects.all()}
    for org_id in programmes.values_list("organisation_id", flat=True).distinct():
        policy = policies.get(org_id) or RetentionPolicy(years=DEFAULT_RETENTION_YEARS)
        cutoff = add_years(day, -policy.years)
        people = Participant.objects.filter(
            programme__in=programmes.filter(organisation_id=org_id), anonymisation__isnull=True
        )
        rows = (
            with_last_exit(people)  # type: ignore[attr-defined]
            .filter(Q(last_exit__isnull=False) & Q(last_exit__lte=cutoff))
            .order_by(F("last_exit").asc(), "pk")
        )
        found += [
            Due(p, p.last_exit, policy.years, add_years(p.last_exit, policy.years)) for p in rows
        ]
    return sorted(found, key=lambda d: (d.due_on, d.participant.pk))


def due_soon(programme: Programme, today: date) -> list[Due]:
    """What the head sees: files anonymised within :data:`NOTICE_DAYS` (or already due)."""
    return due_by(today + timedelta(days=NOTICE_DAYS), programme=programme)
