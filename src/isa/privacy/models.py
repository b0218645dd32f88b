"""Retention policies, anonymised files and research studies.

Nothing here copies personal data: the models say *when* a file ends (an organisation's
retention policy), *that* it ended (an :class:`Anonymisation`), and *who* may export what
for research (a :class:`Study`); the data stays in the apps that hold it.
"""

from __future__ import annotations

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.models import AnyUser, Organisation, Programme, Role, User
from isa.core.validators import NOTE_LENGTH, multiline_text, no_control_characters
from isa.people.models import Participant

#: Default number of years a file is kept after the person's last exit (docs/data-protection.md).
DEFAULT_RETENTION_YEARS = 10
MAX_RETENTION_YEARS = 100


class RetentionPolicy(models.Model):
    """How long the files of one organisation are kept after a person's last exit."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="retention_policy"
    )
    years = models.PositiveSmallIntegerField(
        _("years kept after the last exit"),
        default=DEFAULT_RETENTION_YEARS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RETENTION_YEARS)],
    )
    legal_minimum_years = models.PositiveSmallIntegerField(
        _("legal minimum (years)"),
        default=0,
        validators=[MaxValueValidator(MAX_RETENTION_YEARS)],
        help_text=_("The shortest period the law or the funders' contracts require."),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=300,
        blank=True,
        validators=[no_control_characters],
        help_text=_("For example: the cantonal law on social aid, the funding contract."),
    )
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(years__gte=models.F("legal_minimum_years")) & Q(years__gte=1),
                name="retention_not_below_legal_minimum",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.years}"


class AnonymisationReason(models.TextChoices):
    RETENTION = "retention", _("End of the retention period")
    REQUEST = "request", _("At the person's request")


class Anonymisation(models.Model):
    """The file of ``participant`` was anonymised: when, why, by whom (a label)."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="anonymisation"
    )
    at = models.DateTimeField(_("anonymised"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=20, choices=AnonymisationReason.choices)
    by_label = models.CharField(_("by"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("anonymisation")
        verbose_name_plural = _("anonymisations")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.participant_id} {self.at:%Y-%m-%d}"


# -- research ---------------------------------------------------------------------------------


class StudyQuerySet(models.QuerySet["Study"]):
    def of_programme(self, programme: Programme | int) -> StudyQuerySet:
        return self.filter(programme=programme)

    def for_researcher(self, user: AnyUser) -> StudyQuerySet:
        """The studies ``user`` is a researcher of (and holds the researcher role for)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        programmes = [
            pid for pid, roles in user.roles_by_programme.items() if Role.RESEARCHER in roles
        ]
        return self.filter(programme_id__in=programmes, researchers=user)

    def open_on(self, day: date) -> StudyQuerySet:
        """Studies whose period includes ``day`` (exports allowed)."""
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class Study(models.Model):
    """A research study declared by the head: who may export pseudonymised data, why and
    until when.  Its pseudonyms' key lives outside the database (ISA_RESEARCH_KEY_DIR)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="studies")
    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    purpose = models.TextField(
        _("purpose"), max_length=NOTE_LENGTH, validators=multiline_text(NOTE_LENGTH)
    )
    starts_on = models.DateField(_("period from"))
    ends_on = models.DateField(_("end date"), help_text=_("No export is possible after this date."))
    researchers = models.ManyToManyField(
        User, related_name="studies", verbose_name=_("researchers")
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = StudyQuerySet.as_manager()

    class Meta:
        verbose_name = _("study")
        verbose_name_plural = _("studies")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="study_period_order"
            ),
            models.UniqueConstraint(fields=["programme", "name"], name="study_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on
