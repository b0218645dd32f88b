"""Writes with rules for the calendar, the set-up (workshops, closure days, media, check-in
symbols) and presence.

Marking a presence is the most frequent write of the system: one request, a constant number
of queries, idempotent (a retried tap or two tablets at once give one presence, no error).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from isa.core.actor import Actor
from isa.core.models import TEAM_ROLES, AuditAction, Membership, Programme, User
from isa.core.services import audit_record
from isa.core.text import mid_sentence
from isa.people.models import Participant
from isa.presence.models import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    AbsenceReason,
    CheckInSymbol,
    ClosureDay,
    HalfDayPart,
    Medium,
    Presence,
    PresenceSource,
    PresenceState,
    Recurrence,
    Session,
    Weekday,
    Workshop,
    recurrence_problems,
)
from isa.presence.symbols import CODES as SYMBOLS

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


@transaction.atomic
def sessions_extend(
    *, programme: Programme, weeks: int, actor: Actor, start: date | None = None
) -> int:
    """Bring the calendar of the coming ``weeks`` (from ``start``, today by default) in line
    with the recurrences (:func:`sessions_generate`), with an audit event when sessions were
    created: the head's button and the daily ``generate-sessions``.  How many were created."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValidationError(
            {"weeks": _("Between 1 and %(max)s weeks ahead.") % {"max": MAX_WEEKS}}
        )
    start = start or timezone.localdate()
    end = start + timedelta(days=7 * weeks)
    created = sessions_generate(programme=programme, start=start, end=end)
    if created:
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            object_type="presence.session",
            programme=programme,
            detail={"created": created, "from": start.isoformat(), "until": end.isoformat()},
        )
    return created


@transaction.atomic
def closure_delete(*, closure: ClosureDay, actor: Actor) -> int:
    """Reopen a coming day: its sessions take place again, and are created when the
    calendar already reaches that day.  A past closure day stays in the record.  Returns
    how many cancelled sessions were restored."""
    day, programme = closure.on, closure.programme
    if day < timezone.localdate():
        raise ValidationError(
            _("The closure day of %(date)s is past: it stays in the record.")
            % {"date": date_format(day, "SHORT_DATE_FORMAT")}
        )
    sessions = Session.objects.of_programme(programme)
    restored = sessions.filter(on=day).update(cancelled=False)
    audit_record(
        action=AuditAction.DELETE,
        actor=actor,
        obj=closure,
        programme=programme,
        detail={"on": day.isoformat(), "reason": closure.reason, "restored": restored},
    )
    closure.delete()
    horizon = sessions.aggregate(last=Max("on"))["last"]
    if horizon is not None and day <= horizon:
        sessions_generate(programme=programme, start=day, end=day)
    return restored


# -- set-up: workshops, media, check-in symbols --------------------------------------------


@dataclass(frozen=True)
class RecurrenceRow:
    """A weekly recurrence as the head sets it: ``pk`` names the one it changes, None for a
    new one."""

    weekday: int
    part: str
    starts_on: date
    ends_on: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    pk: int | None = None

    def values(self) -> dict[str, Any]:
        return {
            "weekday": self.weekday,
            "part": self.part,
            "starts_on": self.starts_on,
            "ends_on": self.ends_on,
            "start_time": self.start_time,
            "end_time": self.end_time,
        }


class WorkshopSaved(NamedTuple):
    workshop: Workshop
    sessions_created: int


#: A workshop's own fields, in the order of the form, with the value of a new workshop.
_WORKSHOP_FIELDS: dict[str, Any] = {
    "title": "",
    "media": [],
    "facilitators": [],
    "room": "",
    "capacity": None,
    "active": True,
}


@transaction.atomic
def workshop_create(
    *,
    programme: Programme,
    title: str,
    actor: Actor,
    media: Iterable[Medium] = (),
    facilitators: Iterable[User] = (),
    room: str = "",
    capacity: int | None = None,
    active: bool = True,
    recurrences: Sequence[RecurrenceRow] = (),
) -> WorkshopSaved:
    """A new workshop with its weekly recurrences; the coming weeks' sessions follow."""
    return _workshop_save(
        Workshop(programme=programme),
        AuditAction.CREATE,
        actor,
        recurrences,
        title=title,
        media=list(media),
        facilitators=list(facilitators),
        room=room,
        capacity=capacity,
        active=active,
    )


@transaction.atomic
def workshop_update(
    *,
    workshop: Workshop,
    title: str,
    actor: Actor,
    media: Iterable[Medium] = (),
    facilitators: Iterable[User] = (),
    room: str = "",
    capacity: int | None = None,
    active: bool = True,
    recurrences: Sequence[RecurrenceRow] = (),
) -> WorkshopSaved:
    """Change a workshop and set its recurrences: ``recurrences`` lists those it keeps
    (changed or not) and the new ones; the others are removed.  Sessions already held and
    their presences stay; the coming weeks follow the new rhythm."""
    return _workshop_save(
        workshop,
        AuditAction.UPDATE,
        actor,
        recurrences,
        title=title,
        media=list(media),
        facilitators=list(facilitators),
        room=room,
        capacity=capacity,
        active=active,
    )


def _workshop_save(
    workshop: Workshop,
    action: str,
    actor: Actor,
    recurrences: Sequence[RecurrenceRow],
    **values: Any,
) -> WorkshopSaved:
    programme = workshop.programme
    values["title"] = values["title"].strip()
    values["room"] = values["room"].strip()
    existing = {r.pk: r for r in workshop.recurrences.all()} if workshop.pk else {}
    before = _WORKSHOP_FIELDS.copy()
    if workshop.pk:  # as stored (a form may have changed the object in hand already)
        stored = Workshop.objects.select_for_update().get(pk=workshop.pk)
        before = {name: getattr(stored, name) for name in _WORKSHOP_FIELDS}
        before["media"] = list(stored.media.all())
        before["facilitators"] = list(stored.facilitators.all())
    _check_workshop(programme, values, before["media"])
    _check_recurrences(recurrences, existing)

    for name in ("title", "room", "capacity", "active"):
        setattr(workshop, name, values[name])
    workshop.save()
    workshop.media.set(values["media"])
    workshop.facilitators.set(values["facilitators"])

    kept = {row.pk for row in recurrences if row.pk is not None}
    removed = [pk for pk in existing if pk not in kept]
    Recurrence.objects.filter(pk__in=removed).delete()
    changed = 0
    for row in recurrences:
        if row.pk is None:
            continue
        recurrence = existing[row.pk]
        if any(getattr(recurrence, name) != value for name, value in row.values().items()):
            for name, value in row.values().items():
                setattr(recurrence, name, value)
            recurrence.save()
            changed += 1
    new = [Recurrence(workshop=workshop, **row.values()) for row in recurrences if row.pk is None]
    Recurrence.objects.bulk_create(new)

    today = timezone.localdate()
    created = sessions_generate(
        programme=programme, start=today, end=today + timedelta(days=7 * DEFAULT_WEEKS)
    )
    fields = [name for name in _WORKSHOP_FIELDS if _differs(before[name], values[name])]
    audit_record(
        action=action,
        actor=actor,
        obj=workshop,
        programme=programme,
        detail={
            "fields": fields,
            "recurrences": {"added": len(new), "changed": changed, "removed": len(removed)},
            "sessions_created": created,
        },
    )
    return WorkshopSaved(workshop, created)


def _differs(before: Any, after: Any) -> bool:
    if isinstance(before, list):  # media, facilitators: the same ones in any order
        return {o.pk for o in before} != {o.pk for o in after}
    return bool(before != after)


def _check_workshop(programme: Programme, values: dict[str, Any], current: list[Medium]) -> None:
    """The workshop's own fields: a title, a capacity of at least one, the team of the
    programme as facilitators, media of its organisation (those set aside only when the
    workshop has them already)."""
    errors: dict[str, str] = {}
    if not values["title"]:
        errors["title"] = _("Give the workshop a title.")
    if values["capacity"] is not None and values["capacity"] < 1:
        errors["capacity"] = _("Leave empty, or give at least one place.")
    offered = set(
        Medium.objects.for_organisation(programme.organisation_id)
        .filter(Q(active=True) | Q(pk__in=[m.pk for m in current]))
        .values_list("pk", flat=True)
    )
    if any(m.pk not in offered for m in values["media"]):
        errors["media"] = _("Unknown medium.")
    team = set(
        Membership.objects.filter(programme=programme, role__in=TEAM_ROLES).values_list(
            "user_id", flat=True
        )
    )
    if any(user.pk not in team for user in values["facilitators"]):
        errors["facilitators"] = _("Only members of the team of this programme can facilitate.")
    if errors:
        raise ValidationError(errors)


def _check_recurrences(rows: Sequence[RecurrenceRow], existing: dict[int, Recurrence]) -> None:
    seen: set[tuple[int, str]] = set()
    for row in rows:
        if row.pk is not None and row.pk not in existing:
            raise ValidationError(_("This recurrence is not one of this workshop's."))
        if row.weekday not in Weekday.values or row.part not in HalfDayPart.values:
            raise ValidationError(_("Choose a weekday and a half-day."))
        problems = recurrence_problems(
            part=row.part,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            start_time=row.start_time,
            end_time=row.end_time,
        )
        if problems:
            raise ValidationError(list(problems.values()))
        if (row.weekday, row.part) in seen:
            raise ValidationError(
                _("This workshop already has a recurrence on this weekday and half-day.")
            )
        seen.add((row.weekday, row.part))


@transaction.atomic
def medium_create(
    *, programme: Programme, code: str, name_fr: str, name_de: str, name_en: str, actor: Actor
) -> Medium:
    """A medium of the programme's organisation, offered to all its programmes.  Its code is
    free among the built-in media and the organisation's own."""
    code = code.strip().lower()
    names = {"name_fr": name_fr.strip(), "name_de": name_de.strip(), "name_en": name_en.strip()}
    if not re.fullmatch(r"[-a-zA-Z0-9_]+", code):  # validate_slug's own rule
        raise ValidationError({"code": validate_slug.message})
    if not all(names.values()):
        raise ValidationError(
            {
                field: _("Give the medium's name in French, German and English.")
                for field, name in names.items()
                if not name
            }
        )
    taken = ValidationError({"code": _("This code is already used by another medium.")})
    if Medium.objects.for_organisation(programme.organisation_id).filter(code=code).exists():
        raise taken
    try:
        with transaction.atomic():  # the same code added at the same moment elsewhere
            medium = Medium.objects.create(
                organisation_id=programme.organisation_id, code=code, **names
            )
    except IntegrityError:
        raise taken from None
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=medium,
        programme=programme,
        detail={"code": medium.code},
    )
    return medium


@transaction.atomic
def medium_set_active(
    *, programme: Programme, medium: Medium, active: bool, actor: Actor
) -> Medium:
    """Set one of the organisation's own media aside (no longer offered; past records keep
    it), or back in use.  The built-in media are the same for every organisation."""
    if medium.organisation_id is None or medium.organisation_id != programme.organisation_id:
        raise ValidationError(_("Only the organisation's own media can be set aside."))
    if medium.active != active:
        medium.active = active
        medium.save(update_fields=["active"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=medium,
            programme=programme,
            detail={"code": medium.code, "active": active},
        )
    return medium


@transaction.atomic
def checkin_symbol_set(*, participant: Participant, symbol: str, actor: Actor) -> None:
    """The symbol the person chose to find themselves on the kiosk; "" for none."""
    if symbol and symbol not in SYMBOLS:
        raise ValidationError(_("Choose a symbol from the list."))
    if symbol:
        CheckInSymbol.objects.update_or_create(participant=participant, defaults={"symbol": symbol})
    else:
        CheckInSymbol.objects.filter(participant=participant).delete()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=participant,
        detail={"checkin_symbol": symbol},
    )


# -- presence ----------------------------------------------------------------------------------
#
# The five register services take the same arguments (the session, the person, the actor,
# then the action's own) and look the presence up themselves: a tap reads it once, in the
# transaction that changes it, and the view renders the presence they return.


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
    if session.on_closure_day():
        raise ValidationError(_("The workshops are closed that day."))
    # Marked present: who holds a place, accompanied or on a pause (the door stays open).
    if not participant.is_occupying:
        raise ValidationError(
            _("%(name)s is not accompanied at the moment (%(status)s).")
            % {"name": participant, "status": mid_sentence(participant.get_status_display())}
        )


#: How far the time a tablet gives for a tap may be from the server's clock.  Further, the
#: tablet's clock is wrong (a device on another time zone wrote 05:49 for 06:49): the
#: server's time is kept instead.
TAP_CLOCK_TOLERANCE = timedelta(minutes=10)


def _clock(at: time | None, session: Session, today: date) -> time | None:
    """The time of a tap, checked against the server's clock: the tablet's own time when it
    is at most ``TAP_CLOCK_TOLERANCE`` before now (a tap sent again after a short loss of
    network keeps its moment), else now.  None for a past session entered afterwards (no
    arrival time then)."""
    if session.on != today:
        return None  # entered afterwards: the time of the tap says nothing of the arrival
    now = timezone.localtime().time().replace(second=0, microsecond=0)
    if at is None or at > now:
        return now
    at = at.replace(second=0, microsecond=0)
    drift = datetime.combine(today, now) - datetime.combine(today, at)
    return now if drift > TAP_CLOCK_TOLERANCE else at


def _presence(session: Session, participant: Participant, *, lock: bool = False) -> Presence | None:
    """The presence of ``participant`` in ``session`` with its medium, or None; locked until
    the end of the transaction with ``lock`` (PostgreSQL; SQLite writes one at a time)."""
    presences = Presence.objects.filter(session=session, participant=participant)
    if lock:
        presences = presences.select_for_update(of=("self",))
    presence = presences.select_related("medium").first()
    if presence is not None:
        presence.session, presence.participant = session, participant  # no query to reach them
    return presence


def _present(session: Session, participant: Participant) -> Presence:
    """The presence, which must say the person is here: what a medium or a departure needs."""
    presence = _presence(session, participant)
    if presence is None or presence.state != PresenceState.PRESENT:
        raise ValidationError(_("Mark the person present first."))
    return presence


def _again_after_a_race(write: Callable[[], Presence]) -> Presence:
    """Run ``write`` (a transaction that reads the presence, then inserts or updates it) once
    more when another tablet inserted the same presence between its read and its insert: the
    unique constraint refused the second row, the transaction was rolled back, and the second
    run finds the other tablet's row.  No savepoint on the usual way, no error on the rare."""
    try:
        return write()
    except IntegrityError:
        return write()


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

    def write() -> Presence:
        with transaction.atomic():
            presence = _presence(session, participant, lock=True)
            if presence is not None and presence.state == PresenceState.PRESENT:
                return presence  # marked already: the first arrival time stays
            if presence is None:
                presence = Presence(session=session, participant=participant)
            # New, or noted absent and here after all.
            presence.state = PresenceState.PRESENT
            presence.absence_reason = ""
            presence.arrived_at = arrived
            presence.recorded_by = actor.user
            presence.source = source
            presence.recorded_at = timezone.now()
            presence.save()
            _audit(presence, AuditAction.CREATE, actor, state="present", source=source)
            return presence

    return _again_after_a_race(write)


def presence_mark_absent(
    *,
    session: Session,
    participant: Participant,
    actor: Actor,
    reason: str = "",
) -> Presence:
    """Note an absence, with an optional, descriptive reason (ill, appointment, no news)."""
    if reason and reason not in AbsenceReason.values:
        raise ValidationError(_("Unknown reason."))
    _check_markable(session, participant, today=timezone.localdate())

    def write() -> Presence:
        with transaction.atomic():
            presence = _presence(session, participant, lock=True)
            if presence is None:
                presence = Presence(session=session, participant=participant)
            presence.state = PresenceState.ABSENT
            presence.absence_reason = reason
            presence.arrived_at = presence.left_at = None
            presence.medium = None
            presence.recorded_by = actor.user
            presence.recorded_at = timezone.now()
            presence.save()
            _audit(presence, AuditAction.UPDATE, actor, state="absent", reason=reason)
            return presence

    return _again_after_a_race(write)


@transaction.atomic
def presence_set_medium(
    *, session: Session, participant: Participant, actor: Actor, medium: Medium | None
) -> Presence:
    """What the person worked on (or nothing); they must be marked present."""
    if medium is not None and medium.organisation_id not in (
        None,
        participant.programme.organisation_id,
    ):
        raise ValidationError(_("Unknown medium."))
    presence = _present(session, participant)
    presence.medium = medium
    presence.save(update_fields=["medium"])
    _audit(presence, AuditAction.UPDATE, actor, medium=medium.code if medium else "")
    return presence


@transaction.atomic
def presence_leave(
    *, session: Session, participant: Participant, actor: Actor, at: time | None = None
) -> Presence:
    """The person left: now (or at ``at``) on the day, at the end of the session afterwards."""
    presence = _present(session, participant)
    left = _clock(at, session, timezone.localdate()) or session.ends_at
    if presence.arrived_at and left < presence.arrived_at:
        raise ValidationError(_("The departure cannot be before the arrival."))
    presence.left_at = left
    presence.save(update_fields=["left_at"])
    _audit(presence, AuditAction.UPDATE, actor, left=left.strftime("%H:%M"))
    return presence


@transaction.atomic
def presence_clear(*, session: Session, participant: Participant, actor: Actor) -> None:
    """Undo a mark made by mistake (nothing to do when there is none)."""
    presence = _presence(session, participant, lock=True)
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
