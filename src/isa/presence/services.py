"""Writes with rules for workshops and presence.

Marking a presence is the most frequent write of the system: one request, a constant number
of queries, idempotent (a retried tap or two tablets at once give one presence, no error).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from isa.core.actor import Actor
from isa.core.models import AuditAction, Programme
from isa.core.services import audit_record
from isa.core.text import mid_sentence
from isa.people.models import Participant
from isa.presence.models import (
    AbsenceReason,
    ClosureDay,
    Medium,
    Presence,
    PresenceSource,
    PresenceState,
    Recurrence,
    Session,
)

# -- calendar ----------------------------------------------------------------------------------


@transaction.atomic
def sessions_generate(*, programme: Programme, start: date, end: date) -> int:
    """Bring the sessions between ``start`` and ``end`` in line with the recurrences.

    Creates the missing sessions (skipping closure days) and, from tomorrow on, removes the
    sessions that no recurrence asks for any more (a recurrence deleted, moved or ended, a
    workshop made inactive) when nobody was marked in them, and updates their times.
    Idempotent, for cron and on demand.  Returns how many sessions were created."""
    closures = set(
        ClosureDay.objects.filter(programme=programme, on__range=(start, end)).values_list(
            "on", flat=True
        )
    )
    wanted: dict[tuple[int, date, str], tuple[Recurrence, time, time]] = {}
    recurrences = Recurrence.objects.filter(
        workshop__programme=programme, workshop__active=True, starts_on__lte=end
    ).exclude(ends_on__lt=start)
    for recurrence in recurrences:
        first = max(start, recurrence.starts_on)
        last = min(end, recurrence.ends_on or end)
        day = first + timedelta(days=(recurrence.weekday - first.weekday()) % 7)
        starts_at, ends_at = recurrence.times()
        while day <= last:
            if day not in closures:
                wanted[(recurrence.workshop_id, day, recurrence.part)] = (
                    recurrence,
                    starts_at,
                    ends_at,
                )
            day += timedelta(days=7)

    tomorrow = timezone.localdate() + timedelta(days=1)
    existing = Session.objects.of_programme(programme).filter(on__range=(start, end))
    for session in existing.filter(on__gte=tomorrow, cancelled=False, recurrence__isnull=False):
        key = (session.workshop_id, session.on, session.part)
        if key not in wanted:
            if not session.presences.exists():
                session.delete()
            continue
        _recurrence, starts_at, ends_at = wanted[key]
        if (session.starts_at, session.ends_at) != (starts_at, ends_at):
            session.starts_at, session.ends_at = starts_at, ends_at
            session.save(update_fields=["starts_at", "ends_at"])

    have = set(existing.values_list("workshop_id", "on", "part"))
    new = [
        Session(
            workshop_id=key[0],
            recurrence=recurrence,
            on=key[1],
            part=key[2],
            starts_at=starts_at,
            ends_at=ends_at,
        )
        for key, (recurrence, starts_at, ends_at) in wanted.items()
        if key not in have
    ]
    before = existing.count()
    Session.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    return existing.count() - before


@transaction.atomic
def closure_add(*, programme: Programme, on: date, reason: str, actor: Actor) -> ClosureDay:
    """Close the workshops for a day: its sessions are cancelled.  Refused when someone was
    already marked present that day (the closure would erase a real presence)."""
    sessions = Session.objects.of_programme(programme).filter(on=on)
    if Presence.objects.filter(session__in=sessions, state=PresenceState.PRESENT).exists():
        raise ValidationError(
            {"on": _("Presences are already recorded on that day: it cannot become a closure day.")}
        )
    closure, created = ClosureDay.objects.get_or_create(
        programme=programme, on=on, defaults={"reason": reason}
    )
    if not created:
        raise ValidationError({"on": _("This day is already a closure day.")})
    sessions.update(cancelled=True)
    Presence.objects.filter(session__in=sessions, state=PresenceState.ABSENT).delete()
    audit_record(action=AuditAction.CREATE, actor=actor, obj=closure, programme=programme)
    return closure


# -- presence ----------------------------------------------------------------------------------


def _check_markable(session: Session, participant: Participant, *, today: date) -> None:
    if participant.programme_id != session.workshop.programme_id:
        raise ValidationError(_("This person is not in this programme."))
    if session.cancelled:
        raise ValidationError(_("This session is cancelled (closure day)."))
    if session.on > today:
        raise ValidationError(
            _("This session is on %(date)s: presence is recorded on the day.")
            % {"date": date_format(session.on, "SHORT_DATE_FORMAT")}
        )
    if ClosureDay.objects.filter(programme_id=participant.programme_id, on=session.on).exists():
        raise ValidationError(_("The workshops are closed that day."))
    # Marked present: who holds a place, accompanied or on a pause (the door stays open).
    if not participant.is_occupying:
        raise ValidationError(
            _("%(name)s is not accompanied at the moment (%(status)s).")
            % {"name": participant, "status": mid_sentence(participant.get_status_display())}
        )


def _clock(at: time | None, session: Session, today: date) -> time | None:
    """The time of a tap, kept within the session's day; None for a past session entered
    afterwards (no arrival time then)."""
    if session.on != today:
        return None  # entered afterwards: the time of the tap says nothing of the arrival
    now = timezone.localtime().time().replace(second=0, microsecond=0)
    if at is None or at > now:
        return now
    return at.replace(second=0, microsecond=0)


@transaction.atomic
def presence_mark(
    *,
    session: Session,
    participant: Participant,
    actor: Actor,
    at: time | None = None,
    source: str = PresenceSource.TEAM,
) -> Presence:
    """Mark someone present.  A second tap (or a retry, or another tablet) keeps the first
    arrival time and raises no error.  The presence and its audit event: both or neither."""
    today = timezone.localdate()
    _check_markable(session, participant, today=today)
    arrived = _clock(at, session, today)
    # get_or_create inserts in a savepoint: when the other tablet won the race, the
    # insert fails, the savepoint is rolled back and the other tablet's row is returned.
    presence, created = Presence.objects.get_or_create(
        session=session,
        participant=participant,
        defaults={
            "state": PresenceState.PRESENT,
            "arrived_at": arrived,
            "recorded_by": actor.user,
            "source": source,
        },
    )
    if not created and presence.state == PresenceState.ABSENT:
        presence.state = PresenceState.PRESENT
        presence.absence_reason = ""
        presence.arrived_at = arrived
        presence.recorded_by = actor.user
        presence.source = source
        presence.recorded_at = timezone.now()
        presence.save()
        created = True
    if created:
        _audit(presence, AuditAction.CREATE, actor, state="present", source=source)
    return presence


def presence_mark_absent(
    *,
    session: Session,
    participant: Participant,
    reason: str = "",
    actor: Actor,
) -> Presence:
    """Note an absence, with an optional, descriptive reason (ill, appointment, no news)."""
    if reason and reason not in AbsenceReason.values:
        raise ValidationError(_("Unknown reason."))
    _check_markable(session, participant, today=timezone.localdate())
    with transaction.atomic():
        presence, _created = Presence.objects.select_for_update().get_or_create(
            session=session,
            participant=participant,
            defaults={"state": PresenceState.ABSENT, "recorded_by": actor.user},
        )
        presence.state = PresenceState.ABSENT
        presence.absence_reason = reason
        presence.arrived_at = presence.left_at = None
        presence.medium = None
        presence.recorded_by = actor.user
        presence.recorded_at = timezone.now()
        presence.save()
        _audit(presence, AuditAction.UPDATE, actor, state="absent", reason=reason)
    return presence


@transaction.atomic
def presence_set_medium(*, presence: Presence, medium: Medium | None, actor: Actor) -> Presence:
    if presence.state != PresenceState.PRESENT:
        raise ValidationError(_("Mark the person present first."))
    if medium is not None and medium.organisation_id not in (
        None,
        presence.session.workshop.programme.organisation_id,
    ):
        raise ValidationError(_("Unknown medium."))
    presence.medium = medium
    presence.save(update_fields=["medium"])
    _audit(presence, AuditAction.UPDATE, actor, medium=medium.code if medium else "")
    return presence


@transaction.atomic
def presence_leave(*, presence: Presence, at: time | None, actor: Actor) -> Presence:
    if presence.state != PresenceState.PRESENT:
        raise ValidationError(_("Mark the person present first."))
    left = _clock(at, presence.session, timezone.localdate()) or presence.session.ends_at
    if presence.arrived_at and left < presence.arrived_at:
        raise ValidationError(_("The departure cannot be before the arrival."))
    presence.left_at = left
    presence.save(update_fields=["left_at"])
    _audit(presence, AuditAction.UPDATE, actor, left=left.strftime("%H:%M"))
    return presence


@transaction.atomic
def presence_clear(*, session: Session, participant: Participant, actor: Actor) -> None:
    """Undo a mark made by mistake."""
    presence = Presence.objects.filter(session=session, participant=participant).first()
    if presence is None:
        return
    _audit(presence, AuditAction.DELETE, actor, state=presence.state)
    presence.delete()


def _audit(presence: Presence, action: str, actor: Actor, **detail: Any) -> None:
    audit_record(
        action=action,
        actor=actor,
        obj=presence,
        programme=presence.participant.programme_id,
        detail={"participant": presence.participant_id, "session": presence.session_id, **detail},
    )


def parse_tap_time(raw: str | None) -> time | None:
    """'09:14' or an ISO datetime from the tablet → a time, or None."""
    if not raw:
        return None
    for fmt in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.strptime(raw, fmt).time()  # noqa: DTZ007 - a wall-clock time
        except ValueError:
            continue
    try:
        return timezone.localtime(datetime.fromisoformat(raw)).time()
    except (ValueError, TypeError, OverflowError):
        return None
