"""Evaluation, voluntary and at the programme's level: questionnaires, the effects grid,
health indicators.

Nothing here is a goal for a person.  Every questionnaire is optional and "declined today"
is a respected answer.  Scores are for the team (head and social workers), never shown to
the participant at the end of a questionnaire, and never to facilitators or watchers.

Health data is used only while the person's health-data consent is in force: the
QuerySets ask at the moment of the request, so a withdrawal hides it at once.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.models import AnyUser, Organisation, Programme, User
from isa.core.validators import between, no_control_characters
from isa.people.models import (
    FILE_EDITOR_ROLES,
    Consent,
    ConsentKind,
    ConsentState,
    Participant,
)

#: Who gives, enters and reads questionnaires, the effects grid and health data
#: (SECURITY.md: the head and the social workers).
EVALUATION_ROLES = FILE_EDITOR_ROLES


def _programmes_for(user: AnyUser) -> list[int]:
    if not user.is_authenticated or not user.is_active:
        return []
    return [pid for pid, roles in user.roles_by_programme.items() if roles & EVALUATION_ROLES]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- instruments loaded by an organisation -----------------------------------------------------


class LoadedInstrumentQuerySet(models.QuerySet["LoadedInstrument"]):
    def for_programme(self, programme: Programme) -> LoadedInstrumentQuerySet:
        return self.filter(organisation_id=programme.organisation_id)


class LoadedInstrument(models.Model):
    """An instrument file (TOML) a head loaded for their organisation, usable like the
    shipped ones.  The text is kept as loaded: answers given with it stay scorable."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="instruments"
    )
    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("instrument file"))
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("loaded"), default=timezone.now)

    objects = LoadedInstrumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("loaded instrument")
        verbose_name_plural = _("loaded instruments")
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code", "version"], name="loadedinstrument_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code} {self.version})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sha256 = text_hash(self.text)
        super().save(*args, **kwargs)

    @property
    def key(self) -> str:
        return f"org{self.pk}"


# -- questionnaires ----------------------------------------------------------------------------


class Mode(models.TextChoices):
    TABLET = "tablet", _("On the tablet")
    PAPER = "paper", _("On paper")


class AdministrationStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Being answered")
    COMPLETE = "complete", _("Answered")
    PARTIAL = "partial", _("Partly answered")
    DECLINED = "declined", _("Declined today")


#: Statuses that count as an answer given (scored when the instrument's rule allows).
ANSWERED = (AdministrationStatus.COMPLETE, AdministrationStatus.PARTIAL)


class AdministrationQuerySet(models.QuerySet["Administration"]):
    def visible_to(self, user: AnyUser) -> AdministrationQuerySet:
        """Questionnaires of the programmes where ``user`` is head or social worker."""
        return self.filter(programme_id__in=_programmes_for(user))

    def answered(self) -> AdministrationQuerySet:
        return self.filter(status__in=ANSWERED)

    def scored(self) -> AdministrationQuerySet:
        """Answered with a primary score (the instrument's missing-answer rule allowed it)."""
        return self.answered().filter(primary_value__isnull=False)

    def chronological(self) -> AdministrationQuerySet:
        return self.order_by("on", "created_at", "pk")


class Administration(models.Model):
    """One questionnaire given to one person on one day: answered on the tablet, entered
    from paper, partly answered, or declined today (a respected answer)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="administrations"
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="administrations",
        verbose_name=_("participant"),
    )
    instrument_code = models.CharField(_("questionnaire"), max_length=40)
    instrument_version = models.CharField(_("version"), max_length=40)
    loaded_instrument = models.ForeignKey(
        LoadedInstrument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: SHA-256 of the instrument's file text when answered: a later change of the file
    #: is visible, and the answers can be scored again with the right version.
    instrument_hash = models.CharField(max_length=64, blank=True)
    instrument_title = models.CharField(_("questionnaire"), max_length=200, blank=True)
    on = models.DateField(_("date"))
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AdministrationStatus.choices,
        default=AdministrationStatus.IN_PROGRESS,
    )
    #: {"1": 3, "2": null, …}: item number → chosen value; null = skipped.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    #: InstrumentResult.as_json() computed when the questionnaire was finished.
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    primary_value = models.FloatField(_("score"), null=True, blank=True)
    signal = models.BooleanField(default=False)
    entered_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = AdministrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-on", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["participant", "instrument_code", "on"], name="admin_person"),
            models.Index(fields=["programme", "instrument_code", "on"], name="admin_programme"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AdministrationStatus.values), name="admin_status_known"
            ),
            models.CheckConstraint(condition=Q(mode__in=Mode.values), name="admin_mode_known"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.on:%d.%m.%Y}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("administration_detail", args=[self.programme_id, self.pk])

    @property
    def instrument_key(self) -> str:
        if self.loaded_instrument_id:
            return f"org{self.loaded_instrument_id}"
        return f"{self.instrument_code}@{self.instrument_version}"

    def answer_map(self) -> dict[int, int | None]:
        return {int(k): v for k, v in (self.answers or {}).items()}

    @property
    def is_answered(self) -> bool:
        return self.status in ANSWERED

    @property
    def scorable(self) -> bool:
        return self.is_answered and self.primary_value is not None

    @property
    def score_values(self) -> dict[str, float | None]:
        return dict((self.scores or {}).get("scores") or {})

    @property
    def score_bands(self) -> dict[str, str | None]:
        return dict((self.scores or {}).get("bands") or {})


# -- the effects grid --------------------------------------------------------------------------


class Perspective(models.TextChoices):
    PARTICIPANT = "participant", _("The participant's view")
    PROFESSIONAL = "professional", _("The professional's view")


class EffectAssessmentQuerySet(models.QuerySet["EffectAssessment"]):
    def visible_to(self, user: AnyUser) -> EffectAssessmentQuerySet:
        return self.filter(programme_id__in=_programmes_for(user))


class EffectAssessment(models.Model):
    """The effects grid filled in once, from one perspective.  The participant's view and
    the professional's are kept apart, never averaged."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="effect_assessments"
    )
    on = models.DateField(_("date"))
    perspective = models.CharField(_("whose view"), max_length=20, choices=Perspective.choices)
    #: {effect code: {"level": 1..5 | null, "comment": "…"}}
    values = models.JSONField(_("effects"), default=dict)
    entered_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = EffectAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("effects grid")
        verbose_name_plural = _("effects grids")
        ordering = ["on", "perspective", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(perspective__in=Perspective.values), name="effects_perspective_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_perspective_display()} {self.on:%d.%m.%Y}"

    def level(self, code: str) -> int | None:
        return (self.values.get(code) or {}).get("level")

    def comment(self, code: str) -> str:
        return (self.values.get(code) or {}).get("comment") or ""


# -- health indicators -------------------------------------------------------------------------


class PeriodKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline: the 12 months before entry")
    FOLLOW_UP = "follow_up", _("Period during the accompaniment")


class MedicationClass(models.TextChoices):
    ANTIDEPRESSANTS = "antidepressants", _("Antidepressants")
    ANXIOLYTICS = "anxiolytics", _("Anxiolytics")
    ANTIPSYCHOTICS = "antipsychotics", _("Antipsychotics")
    OPIOID_SUBSTITUTION = "opioid_substitution", _("Opioid substitution")
    OTHER = "other", _("Other")


class MedicationChange(models.TextChoices):
    STOPPED = "stopped", _("Stopped")
    REDUCED = "reduced", _("Reduced")
    SAME = "same", _("Same")
    INCREASED = "increased", _("Increased")


def health_consent_state(on: date | None = None) -> Subquery:
    """The health-data decision in force on ``on`` for ``OuterRef("participant_id")``."""
    return Subquery(
        Consent.objects.filter(
            participant_id=OuterRef("participant_id"),
            kind=ConsentKind.HEALTH,
            on__lte=on or timezone.localdate(),
        )
        .order_by("-on", "-recorded_at", "-pk")
        .values("state")[:1]
    )


#: Health figures of one period (a period is a year at most: the baseline is the 12 months
#: before entry).
MAX_HOSPITAL_DAYS = 366
MAX_EMERGENCY_VISITS = 999


class HealthPeriodQuerySet(models.QuerySet["HealthPeriod"]):
    def with_consent(self, on: date | None = None) -> HealthPeriodQuerySet:
        """Only people whose health-data consent is in force now (SECURITY.md rule 7)."""
        return self.annotate(_health_consent=health_consent_state(on)).filter(
            _health_consent=ConsentState.GIVEN
        )

    def visible_to(self, user: AnyUser) -> HealthPeriodQuerySet:
        """Head and social workers, and only while the person's consent is in force."""
        return self.filter(programme_id__in=_programmes_for(user)).with_consent()

    def removable_by(self, user: AnyUser) -> HealthPeriodQuerySet:
        """Head and social workers, whatever the consent: only to remove periods (after a
        withdrawal, a period stays hidden but can still be deleted; its values are never
        shown)."""
        return self.filter(programme_id__in=_programmes_for(user))


class HealthPeriod(models.Model):
    """Health indicators of one person over one period: the baseline (the 12 months before
    entry) or a period during the accompaniment.  Each figure is optional."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="health_periods"
    )
    kind = models.CharField(_("period"), max_length=12, choices=PeriodKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    costs_chf = models.DecimalField(
        _("health costs (CHF)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    cost_source = models.CharField(
        _("source of the amount"),
        max_length=200,
        blank=True,
        help_text=_("For example: the insurer's yearly statement."),
        validators=[no_control_characters],
    )
    #: Set only when the person's file is anonymised, on the two periods the before/after
    #: comparison uses: the health costs of the period brought to twelve months (exact, so
    #: that a report rebuilt after the anonymisation gives the same figures), while the
    #: amount itself and its source are removed.  See
    #: :func:`isa.evaluation.results.cost_per_year`.
    anonymised_cost_per_year = models.FloatField(
        _("health costs per person-year (CHF), kept after anonymisation"),
        null=True,
        blank=True,
        editable=False,
    )
    hospital_days = models.PositiveIntegerField(
        _("psychiatric hospital days"),
        null=True,
        blank=True,
        validators=between(0, MAX_HOSPITAL_DAYS),
    )
    emergency_visits = models.PositiveIntegerField(
        _("emergency visits"), null=True, blank=True, validators=between(0, MAX_EMERGENCY_VISITS)
    )
    #: {medication class: stopped | reduced | same | increased}
    medications = models.JSONField(_("medication changes"), default=dict, blank=True)
    entered_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = HealthPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("health period")
        verbose_name_plural = _("health periods")
        ordering = ["starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="health_period_order"
            ),
            models.CheckConstraint(
                condition=Q(costs_chf__isnull=True) | Q(costs_chf__gte=0),
                name="health_costs_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(anonymised_cost_per_year__isnull=True)
                | Q(anonymised_cost_per_year__gte=0),
                name="health_kept_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=PeriodKind.values), name="health_period_kind_known"
            ),
            # One baseline per person (the service says so kindly first).
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(kind=PeriodKind.BASELINE),
                name="health_one_baseline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"

    def medication_rows(self) -> list[tuple[str, str]]:
        labels = dict(MedicationClass.choices)
        changes = dict(MedicationChange.choices)
        return [
            (str(labels[c]), str(changes[self.medications[c]]))
            for c in MedicationClass.values
            if self.medications.get(c) in changes
        ]
