"""Participants and the unconditional accompaniment: referral, stays, pact, consents.

DOMAIN.md is a requirement here: there is no goal, objective, target or planned end date
anywhere in this model.  A stay has an admission and, perhaps one day, an exit; coming
back opens a new stay on the same file, with its whole history.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.ch import ssn

from isa.core.models import TEAM_ROLES, AnyUser, Programme, Role, User
from isa.core.validators import (
    NOTE_LENGTH,
    TEXT_LENGTH,
    multiline_text,
    no_control_characters,
    no_control_characters_multiline,
    sane_date,
)

if TYPE_CHECKING:
    from collections.abc import Iterable


def validate_avs(value: str) -> None:
    """Swiss AVS/AHV number (756.xxxx.xxxx.xx), checked with python-stdnum."""
    from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

    try:
        ssn.validate(value)
    except InvalidLength:
        raise ValidationError(
            _("An AVS number has 13 digits (756.1234.5678.97)."), code="avs_length"
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("The check digit does not match: please check for a typing mistake."),
            code="avs_checksum",
        ) from None
    except (InvalidFormat, InvalidComponent):
        raise ValidationError(
            _("A Swiss AVS number starts with 756 and has only digits and dots."),
            code="avs_format",
        ) from None


def normalize_name(text: str) -> str:
    """Lower case without accents, for matching and sorting names: Délèze → deleze."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


# -- participants ------------------------------------------------------------------------------


class Status(models.TextChoices):
    """Where the person stands with the programme, derived from referral and stays."""

    WAITING = "waiting", _("Waiting")
    ACTIVE = "active", _("Accompanied")
    PAUSED = "paused", _("On a pause")
    EXITED = "exited", _("Left")
    NOT_TAKEN_UP = "not_taken_up", _("Not taken up")


#: Statuses that hold a place in the programme.
OCCUPYING = (Status.ACTIVE, Status.PAUSED)

#: Who sees what of a file (SECURITY.md): contact details and administrative identifiers.
CONTACT_ROLES = frozenset({Role.HEAD, Role.SOCIAL_WORKER, Role.WATCHER})
FILE_EDITOR_ROLES = frozenset({Role.HEAD, Role.SOCIAL_WORKER})
REFERRAL_ROLES = frozenset({Role.HEAD, Role.SOCIAL_WORKER, Role.REFERRER})


class ParticipantQuerySet(models.QuerySet["Participant"]):
    def visible_to(self, user: AnyUser) -> ParticipantQuerySet:
        """Participants of the programmes where ``user`` is on the team."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        programmes = [pid for pid, roles in user.roles_by_programme.items() if roles & TEAM_ROLES]
        return self.filter(programme_id__in=programmes)

    def in_programme(self, programme: Programme | int) -> ParticipantQuerySet:
        return self.filter(programme=programme)

    def occupying(self) -> ParticipantQuerySet:
        return self.filter(status__in=OCCUPYING)


class Participant(models.Model):
    """A person's file.  One per person and programme, kept across every stay."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("programme"),
    )
    last_name = models.CharField(_("last name"), max_length=100, validators=[no_control_characters])
    official_first_names = models.CharField(
        _("official first names"), max_length=150, validators=[no_control_characters]
    )
    usual_first_name = models.CharField(
        _("usual first name"),
        max_length=100,
        blank=True,
        help_text=_("The name the person wants to be called by, if different."),
        validators=[no_control_characters],
    )
    birth_date = models.DateField(_("birth date"), validators=[sane_date])
    gender = models.CharField(
        _("gender"),
        max_length=60,
        blank=True,
        help_text=_("Optional, in the person's own words."),
        validators=[no_control_characters],
    )
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        help_text=_("For example: français, português"),
        validators=[no_control_characters],
    )
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, validators=[no_control_characters]
    )
    email = models.EmailField(_("e-mail"), blank=True, validators=[no_control_characters])
    address = models.TextField(
        _("postal address"), blank=True, max_length=500, validators=multiline_text(500)
    )
    avs_number = models.CharField(
        _("AVS number"),
        max_length=16,
        blank=True,
        validators=[validate_avs],
        help_text=_("Optional. 756.1234.5678.97"),
    )
    social_aid_reference = models.CharField(
        _("social-aid file reference"),
        max_length=60,
        blank=True,
        validators=[no_control_characters],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    #: "zufferey jean-marc jean marc": lower case, no accents; for search and sorting.
    search_name = models.CharField(max_length=400, editable=False, default="")
    accompanied_since = models.DateField(
        _("accompanied since"),
        null=True,
        blank=True,
        help_text=_("First admission, kept across pauses, exits and returns."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["search_name"]
        indexes = [
            models.Index(fields=["programme", "status"], name="participant_prog_status"),
            models.Index(fields=["programme", "search_name"], name="participant_prog_name"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.avs_number:
            self.avs_number = ssn.format(self.avs_number)
        self.search_name = normalize_name(
            f"{self.last_name} {self.usual_first_name} {self.official_first_names}"
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_name" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_name"]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("participant", args=[self.programme_id, self.pk])

    def lock(self) -> Participant:
        """Reload this row under a lock (SELECT … FOR UPDATE), in place: the caller's
        object stays the one that is current after a service changed it."""
        fresh = type(self).objects.select_for_update().get(pk=self.pk)
        for field in self._meta.concrete_fields:
            setattr(self, field.attname, getattr(fresh, field.attname))
        return self

    def move_to(self, status: str, *also: str) -> None:
        """Save a new status (and the fields named in ``also``), bumping the version so
        that an edit started before this change cannot overwrite it."""
        self.status = status
        self.version += 1
        self.save(update_fields=["status", "version", "updated_at", *also])

    def pact_on(self, day: date) -> Pact | None:
        """The pact in force on ``day``: from the prefetched pacts when there are (no
        query), else one query."""
        if "pacts" in getattr(self, "_prefetched_objects_cache", {}):
            return pact_in_force(self.pacts.all(), day)
        return self.pacts.in_force_on(day)

    def consents_in_force(self, on: date) -> dict[str, Consent]:
        """The decision in force on ``on`` for each kind (uses prefetched consents)."""
        current: dict[str, Consent] = {}
        for consent in self.consents.all():  # newest first (Consent.Meta.ordering)
            if consent.on <= on:
                current.setdefault(consent.kind, consent)
        return current

    @property
    def first_name(self) -> str:
        return self.usual_first_name or self.official_first_names.split(" ")[0]

    def age_on(self, day: date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))

    @property
    def is_occupying(self) -> bool:
        return self.status in OCCUPYING


def occupancy_by_programme(programme_ids: Sequence[int]) -> Mapping[int, int]:
    """Registered with core: people holding a place (accompanied or on a pause)."""
    rows = (
        Participant.objects.filter(programme_id__in=list(programme_ids))
        .occupying()
        .values("programme_id")
        .annotate(n=Count("id"))
    )
    return {row["programme_id"]: row["n"] for row in rows}


# -- referrals ---------------------------------------------------------------------------------


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    WAITING = "waiting", _("On the waiting list")
    WELCOMED = "welcomed", _("Welcomed")
    NOT_TAKEN_UP = "not_taken_up", _("Not taken up")


OPEN_REFERRAL = (ReferralStatus.RECEIVED, ReferralStatus.WAITING)


class ReferralQuerySet(models.QuerySet["Referral"]):
    def visible_to(self, user: AnyUser) -> ReferralQuerySet:
        """Team members who handle referrals see those of their programme; a referrer sees
        the referrals they sent, and nothing else."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        handling = [
            pid
            for pid, roles in user.roles_by_programme.items()
            if roles & {Role.HEAD, Role.SOCIAL_WORKER}
        ]
        referring = [
            pid for pid, roles in user.roles_by_programme.items() if Role.REFERRER in roles
        ]
        return self.filter(
            Q(participant__programme_id__in=handling)
            | Q(participant__programme_id__in=referring, referred_by=user)
        )

    def open(self) -> ReferralQuerySet:
        """Referrals still to answer: received, or on the waiting list."""
        return self.filter(status__in=OPEN_REFERRAL)

    def waiting_list(self) -> ReferralQuerySet:
        return self.open().order_by("referred_on", "pk")

    def open_on(self, day: date) -> ReferralQuerySet:
        """Referrals that were open (received or waiting) on ``day``: referred by then, and
        still open or answered only later.  :meth:`Referral.was_open_on` in memory."""
        return self.filter(referred_on__lte=day).filter(
            Q(status__in=OPEN_REFERRAL) | Q(status_changed_on__gt=day)
        )


class Referral(models.Model):
    """An orientation to the programme, most often by a social worker of the CMS."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("participant"),
    )
    referred_on = models.DateField(_("referral date"), default=timezone.localdate)
    referring_service = models.CharField(
        _("referring service"),
        max_length=150,
        help_text=_("For example: CMS de Sion"),
        validators=[no_control_characters],
    )
    referring_person = models.CharField(
        _("referring person"), max_length=150, blank=True, validators=[no_control_characters]
    )
    context = models.TextField(
        _("context"),
        blank=True,
        help_text=_("What the team should know to welcome the person. Describe, do not judge."),
        max_length=TEXT_LENGTH,
        validators=multiline_text(TEXT_LENGTH),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ReferralStatus.choices,
        default=ReferralStatus.RECEIVED,
        db_index=True,
    )
    status_changed_on = models.DateField(_("status since"), default=timezone.localdate)
    status_note = models.CharField(
        _("note on the status"), max_length=300, blank=True, validators=[no_control_characters]
    )
    referred_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals_sent",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.participant} ({self.referred_on:%d.%m.%Y})"

    def was_open_on(self, day: date) -> bool:
        """Whether the referral was open on ``day`` (:meth:`ReferralQuerySet.open_on`)."""
        return self.referred_on <= day and (
            self.status in OPEN_REFERRAL or self.status_changed_on > day
        )

    def waiting_days(self, today: date | None = None) -> int:
        return ((today or timezone.localdate()) - self.referred_on).days


# -- stays -------------------------------------------------------------------------------------


class ExitReason(models.TextChoices):
    EMPLOYMENT = "employment", _("Return to employment")
    OTHER_MEASURE = "other_measure", _("Another measure")
    MOVED = "moved", _("Moved away")
    HEALTH = "health", _("Health")
    OWN_CHOICE = "own_choice", _("Own choice")
    NO_NEWS = "no_news", _("No news")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other")


class StayQuerySet(models.QuerySet["Stay"]):
    def open(self) -> StayQuerySet:
        """Stays not closed by an exit (at most one per person)."""
        return self.filter(exited_on__isnull=True)


class Stay(models.Model):
    """One period of accompaniment: from an admission to an exit, or still open."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="stays", verbose_name=_("participant")
    )
    admitted_on = models.DateField(_("admission"))
    exited_on = models.DateField(_("exit"), null=True, blank=True)
    exit_reason = models.CharField(
        _("reason for leaving"), max_length=20, choices=ExitReason.choices, blank=True
    )
    exit_comment = models.TextField(
        _("comment"), blank=True, max_length=NOTE_LENGTH, validators=multiline_text(NOTE_LENGTH)
    )
    over_capacity = models.BooleanField(
        _("admitted above capacity"), default=False, help_text=_("Decided by the head.")
    )
    admitted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    exited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = StayQuerySet.as_manager()

    class Meta:
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        ordering = ["admitted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(exited_on__isnull=True) | Q(exited_on__gte=F("admitted_on")),
                name="stay_exit_after_admission",
            ),
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(exited_on__isnull=True),
                name="stay_one_open_per_participant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.admitted_on} – {self.exited_on or '…'}"

    def days(self, today: date | None = None) -> int:
        """Days of accompaniment, the admission day counted."""
        end = self.exited_on or (today or timezone.localdate())
        return max((end - self.admitted_on).days + 1, 0)


class Pause(models.Model):
    """A pause inside a stay: the place is kept, the door stays open."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="pauses")
    started_on = models.DateField(_("pause from"))
    ended_on = models.DateField(_("pause until"), null=True, blank=True)
    reason = models.CharField(
        _("reason (optional)"), max_length=300, blank=True, validators=[no_control_characters]
    )

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="pause_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["stay"], condition=Q(ended_on__isnull=True), name="pause_one_open_per_stay"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_on} – {self.ended_on or '…'}"


# -- warming-up --------------------------------------------------------------------------------


class MilestoneKind(models.TextChoices):
    FIRST_CONTACT = "first_contact", _("First contact")
    FIRST_VISIT = "first_visit", _("First visit")
    FIRST_WORKSHOP = "first_workshop", _("First workshop tried")
    REGULAR = "regular_presence", _("Coming regularly")


class Milestone(models.Model):
    """A dated moment of the warming-up (*procédure de réchauffement*): optional, in any
    order, never a stage to reach."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="milestones"
    )
    kind = models.CharField(_("moment"), max_length=20, choices=MilestoneKind.choices)
    on = models.DateField(_("date"))
    note = models.CharField(
        _("note"), max_length=300, blank=True, validators=[no_control_characters]
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("warming-up moment")
        verbose_name_plural = _("warming-up moments")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.on:%d.%m.%Y})"


# -- pact --------------------------------------------------------------------------------------


class HalfDay(models.TextChoices):
    MON_AM = "mon_am", _("Monday morning")
    MON_PM = "mon_pm", _("Monday afternoon")
    TUE_AM = "tue_am", _("Tuesday morning")
    TUE_PM = "tue_pm", _("Tuesday afternoon")
    WED_AM = "wed_am", _("Wednesday morning")
    WED_PM = "wed_pm", _("Wednesday afternoon")
    THU_AM = "thu_am", _("Thursday morning")
    THU_PM = "thu_pm", _("Thursday afternoon")
    FRI_AM = "fri_am", _("Friday morning")
    FRI_PM = "fri_pm", _("Friday afternoon")

    @classmethod
    def of(cls, weekday: int, afternoon: bool) -> HalfDay:
        """The half-day of a date's weekday (0 = Monday) and time of day."""
        return cls(f"{['mon', 'tue', 'wed', 'thu', 'fri'][weekday]}_{'pm' if afternoon else 'am'}")


def pact_in_force(versions: Iterable[Pact], day: date) -> Pact | None:
    """The pact in force on ``day`` among the versions of one person's pact, in any order:
    the latest that had started by then, or None before the first.  The one definition for
    versions already in memory; :meth:`PactQuerySet.in_force_on` is the same rule in SQL."""
    in_force = None
    for pact in versions:  # a plain loop: the rates call this for every half-day
        if pact.valid_from <= day and (in_force is None or pact.valid_from > in_force.valid_from):
            in_force = pact
    return in_force


class PactQuerySet(models.QuerySet["Pact"]):
    def in_force_on(self, day: date) -> Pact | None:
        """The pact in force on ``day`` among these versions (one person's: filter by
        participant first), in one query; :func:`pact_in_force` is the same rule in memory."""
        return self.filter(valid_from__lte=day).order_by("-valid_from", "-pk").first()


class Pact(models.Model):
    """The agreed rhythm: which half-days the person usually comes.  A dated version,
    renegotiable at any time; the latest one in force is what the register and the watch
    expect.  It records a habit, never an obligation."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="pacts")
    valid_from = models.DateField(_("from"))
    half_days = models.JSONField(_("usual half-days"), default=list)
    note = models.CharField(
        _("what was agreed"),
        max_length=500,
        blank=True,
        help_text=_("In the person's words if possible."),
        validators=[no_control_characters_multiline],
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PactQuerySet.as_manager()

    class Meta:
        verbose_name = _("pact")
        verbose_name_plural = _("pacts")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "valid_from"], name="pact_one_per_day")
        ]

    def __str__(self) -> str:
        return ", ".join(self.half_day_labels())

    def clean(self) -> None:
        unknown = set(self.half_days) - set(HalfDay.values)
        if unknown:
            raise ValidationError({"half_days": _("Unknown half-day.")})

    def half_day_labels(self) -> list[str]:
        return [str(HalfDay(h).label) for h in HalfDay.values if h in self.half_days]

    def get_half_days_display(self) -> str:
        """The usual half-days in words, as a reader wants them (an export, a letter)."""
        return ", ".join(self.half_day_labels())


# -- consents ----------------------------------------------------------------------------------


class ConsentKind(models.TextChoices):
    DATA = "data", _("Processing of personal data")
    HEALTH = "health", _("Health data")
    EXHIBITION = "exhibition", _("Works shown in exhibitions")
    ONLINE = "online", _("Works published online")
    PHOTO = "photo", _("Photos of the person")
    RESEARCH = "research", _("Research use")


class ConsentState(models.TextChoices):
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("On paper")
    ORAL = "oral", _("Orally")
    PORTAL = "portal", _("In the participant's space")


class Consent(models.Model):
    """One decision of the person about one use of their data.  Never edited: a new
    decision is a new row, so the whole history stays."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("consent"), max_length=20, choices=ConsentKind.choices)
    state = models.CharField(_("decision"), max_length=20, choices=ConsentState.choices)
    on = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod.choices)
    note = models.CharField(
        _("note"), max_length=300, blank=True, validators=[no_control_characters]
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-on", "-recorded_at", "-pk"]
        indexes = [models.Index(fields=["participant", "kind", "-on"], name="consent_latest")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_state_display()} ({self.on:%d.%m.%Y})"


def latest_consents(
    participants: Iterable[Participant], on: date | None = None
) -> dict[int, dict[str, Consent]]:
    """The decision in force for each participant and kind, in one query."""
    on = on or timezone.localdate()
    ids = [p.pk for p in participants]
    result: dict[int, dict[str, Consent]] = {pid: {} for pid in ids}
    for consent in Consent.objects.filter(participant_id__in=ids, on__lte=on).order_by(
        "participant_id", "kind", "-on", "-recorded_at", "-pk"
    ):
        result[consent.participant_id].setdefault(consent.kind, consent)
    return result
