"""Media, workshops, their weekly sessions, closure days and presence.

Presence is recorded to take care of people (the watch) and to report to funders, never to
sanction: there is no "unexcused absence" here, only an optional, descriptive reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from isa.core.models import AnyUser, Organisation, Programme, User
from isa.core.validators import no_control_characters, sane_date
from isa.people.models import HalfDay, Participant


class HalfDayPart(models.TextChoices):
    MORNING = "am", _("Morning")
    AFTERNOON = "pm", _("Afternoon")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


DEFAULT_TIMES = {
    HalfDayPart.MORNING: (time(9, 0), time(12, 0)),
    HalfDayPart.AFTERNOON: (time(13, 30), time(16, 30)),
}

#: How far ahead sessions are generated when nobody says otherwise, and at most.
DEFAULT_WEEKS = 8
MAX_WEEKS = 52


def half_day_code(day: date, part: str) -> str:
    """The pact's half-day code of a date and part, e.g. Monday afternoon → "mon_pm";
    "" at the weekend, which no pact includes."""
    if day.weekday() > 4:
        return ""
    return HalfDay.of(day.weekday(), part == HalfDayPart.AFTERNOON).value


# -- media -------------------------------------------------------------------------------------


class MediumQuerySet(models.QuerySet["Medium"]):
    def for_organisation(self, organisation_id: int) -> MediumQuerySet:
        """Built-in media plus those the organisation added, in use or set aside."""
        return self.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))

    def for_programme(self, programme: Programme) -> MediumQuerySet:
        """The media offered to the programme: built-in ones and its organisation's, in use."""
        return (
            self.for_organisation(programme.organisation_id)
            .filter(active=True)
            .order_by("order", "code")
        )

    def for_workshop(self, workshop: Workshop) -> MediumQuerySet:
        """The media offered to the workshop's programme, the workshop's own first (marked
        ``own``): what the register offers to pick, in one query."""
        own = Workshop.media.through.objects.filter(workshop_id=workshop.pk, medium=OuterRef("pk"))
        return (
            self.for_programme(workshop.programme)
            .annotate(own=Exists(own))
            .order_by("-own", "order", "code")
        )


class Medium(models.Model):
    """A medium of creation (painting, sculpture…).  Data, not code: the head adds more."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="media",
        help_text=_("Empty for the media every programme has."),
    )
    code = models.SlugField(_("code"), max_length=40)
    name_fr = models.CharField(
        _("name (French)"), max_length=80, validators=[no_control_characters]
    )
    name_de = models.CharField(
        _("name (German)"), max_length=80, validators=[no_control_characters]
    )
    name_en = models.CharField(
        _("name (English)"), max_length=80, validators=[no_control_characters]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    objects = MediumQuerySet.as_manager()

    class Meta:
        verbose_name = _("medium")
        verbose_name_plural = _("media")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="medium_unique_code_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(organisation__isnull=True),
                name="medium_unique_builtin_code",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        language = (translation.get_language() or "fr")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fr


# -- workshops ---------------------------------------------------------------------------------


class Workshop(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="workshops", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=150, validators=[no_control_characters])
    media = models.ManyToManyField(Medium, blank=True, verbose_name=_("media"))
    facilitators = models.ManyToManyField(
        User, blank=True, related_name="workshops", verbose_name=_("facilitators")
    )
    room = models.CharField(
        _("room"), max_length=100, blank=True, validators=[no_control_characters]
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), null=True, blank=True, validators=[MaxValueValidator(500)]
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Recurrence(models.Model):
    """Every week on a weekday and half-day, between two dates (the workshop's calendar,
    not a person's)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="recurrences")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    part = models.CharField(_("half-day"), max_length=2, choices=HalfDayPart.choices)
    starts_on = models.DateField(_("from"), validators=[sane_date])
    ends_on = models.DateField(_("until"), null=True, blank=True, validators=[sane_date])
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)

    class Meta:
        verbose_name = _("recurrence")
        verbose_name_plural = _("recurrences")
        ordering = ["weekday", "part"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="recurrence_end_after_start",
                violation_error_message=_("The end date is before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gt=F("start_time")),
                name="recurrence_end_time_after_start_time",
                violation_error_message=_("The end time is before the start time."),
            ),
            models.UniqueConstraint(
                fields=["workshop", "weekday", "part"],
                name="recurrence_one_per_half_day",
                violation_error_message=_("This workshop already meets on that half-day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.get_part_display()}"

    def times(self) -> tuple[time, time]:
        default = DEFAULT_TIMES[HalfDayPart(self.part)]
        return (self.start_time or default[0], self.end_time or default[1])


def recurrence_problems(
    *,
    part: str | None,
    starts_on: date | None,
    ends_on: date | None,
    start_time: time | None,
    end_time: time | None,
) -> dict[str, str]:
    """What is wrong with a weekly recurrence, by field (the set-up form shows it, the
    service refuses it): a last day before the first, a session that would not end after it
    starts (the half-day's usual times fill in a time left empty)."""
    problems = {}
    if starts_on and ends_on and ends_on < starts_on:
        problems["ends_on"] = _("The last day cannot be before the first day (%(date)s).") % {
            "date": date_format(starts_on, "SHORT_DATE_FORMAT")
        }
    if (start_time or end_time) and part in HalfDayPart.values:
        default_start, default_end = DEFAULT_TIMES[HalfDayPart(part)]
        start, end = start_time or default_start, end_time or default_end
        if start >= end:
            problems["end_time" if end_time else "start_time"] = _(
                "The session must end after it starts (%(start)s–%(end)s)."
            ) % {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M")}
    return problems


class ClosureDay(models.Model):
    """A day the workshops are closed (holiday, team training): no session, no absence."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="closures")
    on = models.DateField(_("date"), validators=[sane_date])
    reason = models.CharField(
        _("reason"), max_length=150, blank=True, validators=[no_control_characters]
    )

    class Meta:
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")
        ordering = ["on"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "on"], name="closure_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.on:%d.%m.%Y} {self.reason}"


class SundayWeekday(models.Func):
    """The weekday of a date, 0 = Sunday … 6 = Saturday, computed by the database itself
    (Django's ``ExtractWeekDay`` calls back into Python once per row on SQLite)."""

    arity = 1
    output_field = models.IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(strftime(%s, {sql}) AS integer)", ["%w", *params]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(EXTRACT(dow FROM {sql}) AS integer)", list(params)


class MinuteOfDay(models.Func):
    """The minutes since midnight of a time (seconds dropped), computed by the database:
    no time value to parse in Python for each row."""

    arity = 1
    output_field = models.IntegerField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"(CAST(strftime(%s, {sql}) AS integer) * 60 + CAST(strftime(%s, {sql}) AS integer))",
            ["%H", *params, "%M", *params],
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"CAST(EXTRACT(hour FROM {sql}) * 60 + EXTRACT(minute FROM {sql}) AS integer)",
            [*params, *params],
        )


def half_days_filter(codes: Iterable[str], field: str = "on", part: str = "part") -> Q:
    """Rows whose date and part fall on one of these pact half-days ("mon_pm"…), for a
    queryset annotated with ``SundayWeekday(field)`` as ``<field>_dow``.  No code: no row."""
    by_part: dict[str, list[int]] = {}
    for code in codes:
        day, half = code.split("_")
        by_part.setdefault(half, []).append(PACT_DAYS.index(day) + 1)  # Monday = 1
    condition = Q(pk__in=[])
    for half, weekdays in sorted(by_part.items()):
        condition |= Q(**{f"{field}_dow__in": sorted(weekdays), part: half})
    return condition


PACT_DAYS = ["mon", "tue", "wed", "thu", "fri"]


class SessionQuerySet(models.QuerySet["Session"]):
    def of_programme(self, programme: Programme | int) -> SessionQuerySet:
        return self.filter(workshop__programme=programme)

    def on_half_days(
        self, codes: Iterable[str], *, every_day_from: date | None = None
    ) -> SessionQuerySet:
        """The sessions on these weekday half-days of a pact ("mon_pm", "fri_am"…), the
        weekday worked out by the database; and, with ``every_day_from``, every session
        from that day on."""
        condition = half_days_filter(codes)
        if every_day_from is not None:
            condition |= Q(on__gte=every_day_from)
        return self.annotate(on_dow=SundayWeekday("on")).filter(condition)

    def held(self) -> SessionQuerySet:
        return self.filter(cancelled=False)

    def with_closure(self) -> SessionQuerySet:
        """Each session knows whether its programme is closed that day
        (:meth:`Session.on_closure_day` without a query)."""
        closures = ClosureDay.objects.filter(
            programme_id=OuterRef("workshop__programme_id"), on=OuterRef("on")
        )
        return self.annotate(closure_day=Exists(closures))


class Session(models.Model):
    """One half-day of one workshop."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="sessions")
    recurrence = models.ForeignKey(
        Recurrence, on_delete=models.SET_NULL, null=True, blank=True, related_name="sessions"
    )
    on = models.DateField(_("date"), db_index=True)
    part = models.CharField(_("half-day"), max_length=2, choices=HalfDayPart.choices)
    starts_at = models.TimeField(_("start"))
    ends_at = models.TimeField(_("end"))
    cancelled = models.BooleanField(_("cancelled"), default=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["on", "part", "workshop__title"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "on", "part"], name="session_one_per_half_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workshop} {self.on:%d.%m.%Y} {self.get_part_display()}"

    @property
    def half_day(self) -> str:
        return half_day_code(self.on, self.part)

    def on_closure_day(self) -> bool:
        """Whether the programme is closed that day (a closure day cancels its sessions, but
        a session made by hand on such a day is refused too).  No query when the session was
        read with :meth:`SessionQuerySet.with_closure`."""
        known = self.__dict__.get("closure_day")
        if known is not None:
            return bool(known)
        return ClosureDay.objects.filter(programme__workshops=self.workshop_id, on=self.on).exists()

    @property
    def hours(self) -> float:
        start = self.starts_at.hour * 60 + self.starts_at.minute
        end = self.ends_at.hour * 60 + self.ends_at.minute
        return max(end - start, 0) / 60


class PresenceState(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")


class AbsenceReason(models.TextChoices):
    """Descriptive, optional; never "unexcused"."""

    ILL = "ill", _("Ill")
    APPOINTMENT = "appointment", _("Appointment")
    NO_NEWS = "no_news", _("No news")
    OTHER = "other", _("Other")


class PresenceSource(models.TextChoices):
    TEAM = "team", _("Team")
    KIOSK = "kiosk", _("Self check-in")


class PresenceQuerySet(models.QuerySet["Presence"]):
    def visible_to(self, user: AnyUser) -> PresenceQuerySet:
        return self.filter(participant__in=Participant.objects.visible_to(user))

    def present(self) -> PresenceQuerySet:
        return self.filter(state=PresenceState.PRESENT)


class Presence(models.Model):
    """Someone came (arrival, perhaps departure, the medium worked on), or a noted absence."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="presences")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="presences")
    state = models.CharField(
        _("presence"), max_length=10, choices=PresenceState.choices, default=PresenceState.PRESENT
    )
    arrived_at = models.TimeField(_("arrival"), null=True, blank=True)
    left_at = models.TimeField(_("departure"), null=True, blank=True)
    medium = models.ForeignKey(
        Medium, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("medium")
    )
    absence_reason = models.CharField(
        _("reason"), max_length=20, choices=AbsenceReason.choices, blank=True
    )
    source = models.CharField(
        _("recorded through"),
        max_length=10,
        choices=PresenceSource.choices,
        default=PresenceSource.TEAM,
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = PresenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("presence")
        verbose_name_plural = _("presences")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="presence_one_per_session"
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True)
                | Q(arrived_at__isnull=True)
                | Q(left_at__gte=F("arrived_at")),
                name="presence_leave_after_arrival",
            ),
        ]
        indexes = [models.Index(fields=["participant", "session"], name="presence_participant")]

    def __str__(self) -> str:
        return f"{self.participant} {self.session} {self.state}"

    def clean(self) -> None:
        if self.state == PresenceState.ABSENT and (self.arrived_at or self.medium_id):
            raise ValidationError(_("An absence has no arrival time or medium."))

    @property
    def hours(self) -> float:
        """Hours of activity: arrival to departure, or to the end of the session."""
        if self.state != PresenceState.PRESENT:
            return 0.0
        start = self.arrived_at or self.session.starts_at
        end = self.left_at or self.session.ends_at
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        return max(minutes, 0) / 60


class CheckInSymbol(models.Model):
    """The shape and colour a participant chose to find themselves on the kiosk."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="checkin_symbol"
    )
    symbol = models.CharField(_("symbol"), max_length=30)

    class Meta:
        verbose_name = _("check-in symbol")
        verbose_name_plural = _("check-in symbols")

    def __str__(self) -> str:
        return self.symbol


def symbol_of(participant: Participant) -> str:
    """The code of the symbol ``participant`` chose, or "" (the first name alone).  No
    query when the symbol was read with ``select_related("checkin_symbol")``."""
    try:
        return participant.checkin_symbol.symbol
    except CheckInSymbol.DoesNotExist:
        return ""
