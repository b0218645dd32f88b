"""Writes with rules for participants: keyword-only ``<noun>_<verb>`` functions.

Each runs in one transaction and writes its audit event inside it.  Refusals raise
``ValidationError`` with a message for the person at the screen.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from isa.core.actor import Actor
from isa.core.models import AuditAction, Programme, Role
from isa.core.services import StaleVersion, audit_record
from isa.people.models import (
    OPEN_REFERRAL,
    Consent,
    ConsentKind,
    ConsentState,
    HalfDay,
    Milestone,
    Pact,
    Participant,
    Pause,
    Referral,
    ReferralStatus,
    Status,
    Stay,
    normalize_name,
)

#: Fields of the file that a referral or an edit may set.
IDENTITY_FIELDS = (
    "last_name",
    "official_first_names",
    "usual_first_name",
    "birth_date",
    "gender",
    "languages",
    "phone",
    "email",
    "address",
    "avs_number",
    "social_aid_reference",
)


def date_not_in_future(day: date, field: str) -> None:
    """What happens is recorded when it happens: a date to come is refused on ``field``."""
    if day > timezone.localdate():
        raise ValidationError(
            {field: _("This date is in the future: record it on the day it happens.")}
        )


def _fmt(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# -- duplicates --------------------------------------------------------------------------------


def participant_possible_duplicates(
    *, programme: Programme, last_name: str, first_names: str, birth_date: date
) -> list[Participant]:
    """Files of the same organisation with the same last name, birth date and a shared
    first name: probably the same person."""
    candidates = Participant.objects.filter(
        programme__organisation_id=programme.organisation_id, birth_date=birth_date
    )
    last = normalize_name(last_name)
    wanted = set(normalize_name(first_names).split())
    return [
        p
        for p in candidates
        if normalize_name(p.last_name) == last
        and wanted & set(normalize_name(f"{p.official_first_names} {p.usual_first_name}").split())
    ]


def identity_possible_duplicates(
    *, programme: Programme, identity: dict[str, Any]
) -> list[Participant]:
    """The possible duplicates of a new referral's identity (the identity form's cleaned
    data), for the page and the API alike."""
    return participant_possible_duplicates(
        programme=programme,
        last_name=identity["last_name"],
        first_names=f"{identity['official_first_names']} {identity['usual_first_name']}",
        birth_date=identity["birth_date"],
    )


def duplicate_warning() -> str:
    """What a new referral with possible duplicates is told, until it says it is none."""
    return _(
        "A file with the same name and birth date already exists. "
        "Check it before recording a new one."
    )


# -- referral and waiting list -----------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    programme: Programme,
    identity: dict[str, Any],
    referral: dict[str, Any],
    actor: Actor,
    participant: Participant | None = None,
) -> Referral:
    """Record a referral.  A new file is opened, or, for someone known (``participant``,
    e.g. a person who left and is referred again), the same file is reopened."""
    if participant is None:
        participant = Participant(programme=programme, status=Status.WAITING)
        for field in IDENTITY_FIELDS:
            if field in identity:
                setattr(participant, field, identity[field])
        participant.full_clean()
        participant.save()
        audit_record(action=AuditAction.CREATE, actor=actor, obj=participant)
    else:
        participant.lock()
        if participant.is_occupying:
            raise ValidationError(_("This person is already accompanied."))
        participant.move_to(Status.WAITING)
    date_not_in_future(referral["referred_on"], "referred_on")
    obj = Referral.objects.create(
        participant=participant,
        referred_on=referral["referred_on"],
        referring_service=referral["referring_service"],
        referring_person=referral.get("referring_person", ""),
        context=referral.get("context", ""),
        referred_by=actor.user,
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=obj,
        programme=programme,
        detail={"participant": participant.pk},
    )
    return obj


@transaction.atomic
def referral_set_status(
    *,
    referral: Referral,
    status: str,
    note: str = "",
    actor: Actor,
) -> Referral:
    """Move a referral on the waiting list, or record that it was not taken up."""
    if status not in (ReferralStatus.WAITING, ReferralStatus.NOT_TAKEN_UP):
        raise ValidationError(_("Welcoming a person is done by admitting them."))
    if referral.status not in OPEN_REFERRAL:
        raise ValidationError(_("This referral is already closed."))
    before = referral.status
    referral.status = status
    referral.status_note = note
    referral.status_changed_on = timezone.localdate()
    referral.save(update_fields=["status", "status_note", "status_changed_on"])
    participant = referral.participant
    if status == ReferralStatus.NOT_TAKEN_UP and not participant.is_occupying:
        participant.status = Status.EXITED if participant.accompanied_since else Status.NOT_TAKEN_UP
        participant.version += 1
        participant.save(update_fields=["status", "version", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=referral,
        programme=participant.programme_id,
        detail={"status": [before, status]},
    )
    return referral


# -- stays -------------------------------------------------------------------------------------


@transaction.atomic
def participant_admit(
    *,
    participant: Participant,
    on: date,
    actor: Actor,
    override_capacity: bool = False,
) -> Stay:
    """Admit someone (first time or return).  Refused when the programme is full, unless
    the head decides otherwise; that decision is audited."""
    # Lock the programme row: two admissions at once cannot both take the last place.
    programme = Programme.objects.select_for_update().get(pk=participant.programme_id)
    participant.lock()
    if participant.is_occupying:
        raise ValidationError(_("This person is already accompanied."))
    date_not_in_future(on, "on")
    last = participant.stays.order_by("-admitted_on").first()
    if last and last.exited_on and on < last.exited_on:
        raise ValidationError(
            {
                "on": _("The return cannot be before the last exit (%(date)s).")
                % {"date": _fmt(last.exited_on)}
            }
        )
    occupied = Participant.objects.in_programme(programme).occupying().count()
    full = occupied >= programme.capacity
    if full:
        if not override_capacity:
            raise ValidationError(
                _(
                    "The programme is full: %(occupied)s people for %(capacity)s places. "
                    "Only the head can admit above capacity."
                )
                % {"occupied": occupied, "capacity": programme.capacity},
                code="full",
            )
        if not actor.has_role(programme, {Role.HEAD}):
            raise ValidationError(_("Only the head can admit above capacity."), code="full")
    stay = Stay.objects.create(
        participant=participant, admitted_on=on, admitted_by=actor.user, over_capacity=full
    )
    returning = participant.accompanied_since is not None
    if participant.accompanied_since is None or on < participant.accompanied_since:
        participant.accompanied_since = on
    participant.move_to(Status.ACTIVE, "accompanied_since")
    for referral in participant.referrals.open():
        referral.status = ReferralStatus.WELCOMED
        referral.status_changed_on = on
        referral.save(update_fields=["status", "status_changed_on"])
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=stay,
        programme=programme,
        detail={"participant": participant.pk, "return": returning},
    )
    if full:
        audit_record(
            action=AuditAction.OVERRIDE,
            actor=actor,
            obj=stay,
            programme=programme,
            detail={"rule": "capacity", "occupied": occupied, "capacity": programme.capacity},
        )
    return stay


def _open_stay(participant: Participant) -> Stay:
    stay = participant.stays.open().first()
    if stay is None:
        raise ValidationError(_("This person is not accompanied at the moment."))
    return stay


@transaction.atomic
def participant_pause(
    *,
    participant: Participant,
    on: date,
    reason: str = "",
    actor: Actor,
) -> Pause:
    participant.lock()
    stay = _open_stay(participant)
    if participant.status == Status.PAUSED:
        raise ValidationError(_("A pause is already running."))
    date_not_in_future(on, "on")
    if on < stay.admitted_on:
        raise ValidationError({"on": _("A pause cannot start before the admission.")})
    pause = Pause.objects.create(stay=stay, started_on=on, reason=reason)
    participant.move_to(Status.PAUSED)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=participant,
        detail={"pause": on.isoformat()},
    )
    return pause


@transaction.atomic
def participant_resume(*, participant: Participant, on: date, actor: Actor) -> Pause:
    participant.lock()
    stay = _open_stay(participant)
    pause = stay.pauses.filter(ended_on__isnull=True).first()
    if pause is None:
        raise ValidationError(_("No pause is running."))
    date_not_in_future(on, "on")
    if on < pause.started_on:
        raise ValidationError({"on": _("The pause cannot end before it started.")})
    pause.ended_on = on
    pause.save(update_fields=["ended_on"])
    participant.move_to(Status.ACTIVE)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=participant,
        detail={"resume": on.isoformat()},
    )
    return pause


@transaction.atomic
def participant_exit(
    *,
    participant: Participant,
    on: date,
    reason: str,
    comment: str = "",
    actor: Actor,
) -> Stay:
    """Close the current stay.  The file stays; the door stays open."""
    participant.lock()
    stay = _open_stay(participant)
    date_not_in_future(on, "on")
    if on < stay.admitted_on:
        raise ValidationError(
            {
                "on": _("The exit cannot be before the admission (%(date)s).")
                % {"date": _fmt(stay.admitted_on)}
            }
        )
    stay.pauses.filter(ended_on__isnull=True).update(ended_on=on)
    stay.exited_on = on
    stay.exit_reason = reason
    stay.exit_comment = comment
    stay.exited_by = actor.user
    stay.full_clean()
    stay.save(update_fields=["exited_on", "exit_reason", "exit_comment", "exited_by"])
    participant.move_to(Status.EXITED)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=stay,
        programme=participant.programme_id,
        detail={"exit": on.isoformat(), "reason": reason},
    )
    return stay


# -- the file ----------------------------------------------------------------------------------


class StaleFile(StaleVersion):
    """Someone else saved the file meanwhile."""


@transaction.atomic
def participant_update(
    *,
    participant: Participant,
    data: dict[str, Any],
    expected_version: int,
    actor: Actor,
) -> Participant:
    """Save changes to the identity, unless someone else changed the file meanwhile
    (optimistic locking: nothing is silently overwritten)."""
    # Compare with what is stored, not with the caller's object (a bound form may have
    # already copied the new values onto it).
    participant.lock()
    changed = {
        f: data[f] for f in IDENTITY_FIELDS if f in data and data[f] != getattr(participant, f)
    }
    updated = Participant.objects.filter(pk=participant.pk, version=expected_version).update(
        version=expected_version + 1, updated_at=timezone.now()
    )
    if not updated:
        raise StaleFile(
            _(
                "Someone else changed this file while you were editing it. "
                "Your changes are shown below: reload the file, then apply them again."
            ),
            code="stale",
        )
    for field, value in changed.items():
        setattr(participant, field, value)
    participant.version = expected_version + 1
    participant.full_clean()
    participant.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=participant,
        detail={"fields": sorted(changed)},
    )
    return participant


@transaction.atomic
def pact_renegotiate(
    *,
    participant: Participant,
    valid_from: date,
    half_days: list[str],
    note: str = "",
    actor: Actor,
) -> Pact:
    """A new version of the pact, from ``valid_from``; earlier versions stay in the history.
    A second version on the same day replaces the first (a correction)."""
    unknown = set(half_days) - set(HalfDay.values)
    if unknown:
        raise ValidationError({"half_days": _("Unknown half-day.")})
    ordered = [h for h in HalfDay.values if h in half_days]
    pact, created = Pact.objects.update_or_create(
        participant=participant,
        valid_from=valid_from,
        defaults={"half_days": ordered, "note": note, "recorded_by": actor.user},
    )
    audit_record(
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        actor=actor,
        obj=pact,
        programme=participant.programme_id,
        detail={"participant": participant.pk, "half_days": ordered},
    )
    return pact


def pact_current(participant: Participant, on: date | None = None) -> Pact | None:
    return participant.pact_on(on or timezone.localdate())


@transaction.atomic
def milestone_record(
    *,
    participant: Participant,
    kind: str,
    on: date,
    note: str = "",
    actor: Actor,
) -> Milestone:
    date_not_in_future(on, "on")
    milestone = Milestone.objects.create(
        participant=participant, kind=kind, on=on, note=note, recorded_by=actor.user
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=milestone,
        programme=participant.programme_id,
        detail={"participant": participant.pk, "kind": kind},
    )
    return milestone


# -- consents ----------------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    participant: Participant,
    kind: str,
    state: str,
    on: date,
    method: str,
    note: str = "",
    actor: Actor,
) -> Consent:
    """Record a decision.  A withdrawal takes effect at once for every use of the data."""
    if kind not in ConsentKind.values or state not in ConsentState.values:
        raise ValidationError(_("Unknown consent."))
    date_not_in_future(on, "on")
    current = consent_state(participant, kind, on=on)
    if state == ConsentState.WITHDRAWN and current != ConsentState.GIVEN:
        raise ValidationError(_("Only a consent that was given can be withdrawn."))
    consent = Consent.objects.create(
        participant=participant,
        kind=kind,
        state=state,
        on=on,
        method=method,
        note=note,
        recorded_by=actor.user,
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=consent,
        programme=participant.programme_id,
        detail={"participant": participant.pk, "kind": kind, "state": state},
    )
    return consent


def consent_state(
    participant: Participant | int, kind: str, *, on: date | None = None
) -> str | None:
    """The decision in force on ``on`` (today by default), or None if never asked."""
    pid = participant if isinstance(participant, int) else participant.pk
    return (
        Consent.objects.filter(participant_id=pid, kind=kind, on__lte=on or timezone.localdate())
        .order_by("-on", "-recorded_at", "-pk")
        .values_list("state", flat=True)
        .first()
    )


def consent_is_given(participant: Participant | int, kind: str, *, on: date | None = None) -> bool:
    """The one question other apps ask, at the moment of use (SECURITY.md rule 7)."""
    return consent_state(participant, kind, on=on) == ConsentState.GIVEN


def participants_consenting(
    *, kind: str, on: date | None = None, programme: Programme | int | None = None
) -> Any:
    """Participants whose decision in force on ``on`` (today by default) for ``kind`` is
    "given": a lazy QuerySet, usable as a subquery, so that other apps check consent for
    many people in one query (same rule as :func:`consent_is_given`)."""
    from django.db.models import OuterRef, Subquery

    latest = (
        Consent.objects.filter(
            participant_id=OuterRef("pk"), kind=kind, on__lte=on or timezone.localdate()
        )
        .order_by("-on", "-recorded_at", "-pk")
        .values("state")[:1]
    )
    people = Participant.objects.all()
    if programme is not None:
        people = people.filter(programme=programme)
    return people.annotate(_consent_state=Subquery(latest)).filter(
        _consent_state=ConsentState.GIVEN
    )
