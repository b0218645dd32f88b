"""Report versions (a draft the head prepares, published versions frozen for the funders),
and the organisation's cost–benefit proxies.

A published version is never changed: a correction is a new version, with its reason.
Its ``figures`` are the protected figures as the funders received them, with the date of
the data and the version of the code that made them, so it can always be shown again.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.models import Organisation, Programme, User
from isa.core.validators import NOTE_LENGTH, TEXT_LENGTH, multiline_text, no_control_characters

#: Languages a report is written in.
REPORT_LANGUAGES = (("fr", _("French")), ("de", _("German")), ("en", _("English")))


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ReportVersionQuerySet(models.QuerySet["ReportVersion"]):
    def published(self) -> ReportVersionQuerySet:
        return self.filter(status=ReportStatus.PUBLISHED)

    def drafts(self) -> ReportVersionQuerySet:
        return self.filter(status=ReportStatus.DRAFT)

    def of_period(self, programme: Programme | int, start: object, end: object, language: str):
        return self.filter(
            programme=programme, period_start=start, period_end=end, language=language
        )


class ReportVersion(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="report_versions"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    language = models.CharField(_("language"), max_length=2, choices=REPORT_LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    number = models.PositiveIntegerField(_("version"), null=True, blank=True)
    foreword = models.TextField(
        _("foreword"), blank=True, max_length=TEXT_LENGTH, validators=multiline_text(TEXT_LENGTH)
    )
    highlights = models.TextField(
        _("highlights"),
        blank=True,
        max_length=TEXT_LENGTH,
        validators=multiline_text(TEXT_LENGTH),
    )
    #: Cost–benefit adjustments the head sets, each with its reason (fractions 0..1).
    deadweight = models.DecimalField(
        _("deadweight"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.3"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    deadweight_reason = models.CharField(
        _("why this deadweight"),
        max_length=NOTE_LENGTH,
        blank=True,
        validators=[no_control_characters],
    )
    attribution = models.DecimalField(
        _("attribution to others"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.3"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    attribution_reason = models.CharField(
        _("why this attribution"),
        max_length=NOTE_LENGTH,
        blank=True,
        validators=[no_control_characters],
    )
    #: The protected figures as published (JSON of :func:`report_build`), with the data
    #: date and code version inside; empty for a draft.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    data_date = models.DateField(_("date of the data"), null=True, blank=True)
    code_version = models.CharField(_("code version"), max_length=40, blank=True)
    correction_reason = models.TextField(
        _("reason for the correction"),
        blank=True,
        max_length=NOTE_LENGTH,
        validators=multiline_text(NOTE_LENGTH),
    )
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report version")
        verbose_name_plural = _("report versions")
        ordering = ["-period_end", "language", "-number", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="report_period_order"
            ),
            models.UniqueConstraint(
                fields=["programme", "period_start", "period_end", "language", "number"],
                condition=Q(status="published"),
                name="report_one_number_per_version",
            ),
            models.UniqueConstraint(
                fields=["programme", "period_start", "period_end", "language"],
                condition=Q(status="draft"),
                name="report_one_draft_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} {self.period_start:%d.%m.%Y}–{self.period_end:%d.%m.%Y}"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class ProxyOverride(models.Model):
    """An organisation's own value for a cost–benefit proxy (the shipped file's values are
    the default), always with its source."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="proxy_overrides"
    )
    code = models.SlugField(_("proxy"), max_length=60)
    value = models.DecimalField(
        _("value (CHF)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    source = models.CharField(_("source"), max_length=300, validators=[no_control_characters])
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("cost–benefit proxy")
        verbose_name_plural = _("cost–benefit proxies")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="proxy_one_per_code"),
            models.CheckConstraint(condition=Q(value__gte=0), name="proxy_not_negative"),
            models.CheckConstraint(condition=~Q(source=""), name="proxy_has_source"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.value}"
