"""The watch (*veille*): rules per programme, the alerts they raise, and the outreach log.

An absence is never a fault here: an alert is a prompt to take news of someone, worded as
care.  An open alert belongs to whoever holds a watch role on its programme *now*: no fixed
assignee is stored, so a watcher who leaves hands their alerts back without anyone doing
anything.  ``taken_by`` only records who said "I'm on it"; it counts while that person still
holds a watch role on the programme.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.models import AnyUser, Membership, Programme, Role, User
from isa.core.validators import NOTE_LENGTH, multiline_text
from isa.people.models import Participant

#: Who sees the alerts and acts on them (SECURITY.md: the watcher; the head and the social
#: workers, who see everything of the files).  Facilitators do not.
WATCH_ROLES = frozenset({Role.WATCHER, Role.HEAD, Role.SOCIAL_WORKER})
#: Who receives the daily digest.
DIGEST_ROLES = frozenset({Role.WATCHER})
#: Who sets the rules of a programme.
RULE_ROLES = frozenset({Role.HEAD})


def watch_holders(programme: Programme | int) -> set[int]:
    """Ids of the users who hold a watch role on ``programme`` now (one query)."""
    return set(
        Membership.objects.filter(programme=programme, role__in=list(WATCH_ROLES))
        .order_by()
        .values_list("user_id", flat=True)
    )


class WatchRule(models.Model):
    """One rule of one programme: on or off, with its parameters.  Created on demand with
    the defaults of the rule's registration (:mod:`isa.watch.rules`)."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="watch_rules", verbose_name=_("programme")
    )
    kind = models.CharField(_("rule"), max_length=60)
    enabled = models.BooleanField(_("on"), default=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("watch rule")
        verbose_name_plural = _("watch rules")
        ordering = ["programme", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "kind"], name="watchrule_one_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({'on' if self.enabled else 'off'})"


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class AlertQuerySet(models.QuerySet["Alert"]):
    def visible_to(self, user: AnyUser) -> AlertQuerySet:
        """Alerts of the programmes where ``user`` holds a watch role; nothing elsewhere."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        programmes = [pid for pid, roles in user.roles_by_programme.items() if roles & WATCH_ROLES]
        return self.filter(programme_id__in=programmes)

    def open(self) -> AlertQuerySet:
        return self.filter(status=AlertStatus.OPEN)

    def resolved(self) -> AlertQuerySet:
        return self.filter(status=AlertStatus.RESOLVED)


class Alert(models.Model):
    """A situation a rule noticed about one person, raised once and kept with its outreach
    and its resolution."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("programme")
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="alerts", verbose_name=_("participant")
    )
    kind = models.CharField(_("rule"), max_length=60)
    #: What the rule noticed, as a key: "absent:2025-03-03", "rate:2025-W11", "concern:42".
    #: The same situation never raises a second alert (UniqueConstraint).
    situation = models.CharField(_("situation"), max_length=120)
    #: Descriptive, never the text of a journal entry.  Rules that describe their alerts in
    #: the reader's language keep the figures in ``facts``; ``summary`` is the fallback.
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    #: The journal entry behind the alert, if any: an id, shown as a link only to those who
    #: may read the entry (the watch reads the journal through its QuerySets only).
    entry_id = models.PositiveBigIntegerField(_("journal entry"), null=True, blank=True)
    opened_on = models.DateField(_("noticed on"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    taken_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken in hand by"),
    )
    taken_at = models.DateTimeField(_("taken in hand"), null=True, blank=True)
    resolution = models.TextField(
        _("resolution"), blank=True, max_length=NOTE_LENGTH, validators=multiline_text(NOTE_LENGTH)
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["opened_on", "opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind", "situation"], name="alert_once_per_situation"
            ),
            models.CheckConstraint(
                condition=Q(status=AlertStatus.OPEN)
                | (Q(resolved_at__isnull=False) & ~Q(resolution="")),
                name="alert_resolved_with_comment",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AlertStatus.values), name="alert_status_known"
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status", "opened_on"], name="alert_board"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.situation}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("watch_alert", args=[self.programme_id, self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == AlertStatus.OPEN

    def days_open(self, today: date | None = None) -> int:
        """Days since the situation was noticed (until the resolution, once resolved)."""
        if self.resolved_at is not None:
            end = timezone.localdate(self.resolved_at)
        else:
            end = today or timezone.localdate()
        return max((end - self.opened_on).days, 0)

    def holder(self, holders: Iterable[int]) -> User | None:
        """Who has it in hand: ``taken_by`` while they hold a watch role on the programme
        (``holders``, from :func:`watch_holders`), else nobody: back to all the watchers."""
        if self.taken_by_id is not None and self.taken_by_id in set(holders):
            return self.taken_by
        return None

    @property
    def label(self) -> str:
        from isa.watch.rules import rule_label

        return rule_label(self.kind)

    @property
    def description(self) -> str:
        """The summary in the reader's language when the rule can describe it."""
        from isa.watch.rules import describe

        return describe(self)


class OutreachKind(models.TextChoices):
    PHONE = "phone", _("Phone call")
    MESSAGE = "message", _("Message")
    LETTER = "letter", _("Letter")
    HOME_VISIT = "home_visit", _("Home visit")
    WORKSHOP = "workshop", _("Met at the workshop")


class Outreach(models.Model):
    """One way the team reached out, or tried to: the outreach log of an alert."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="outreaches")
    kind = models.CharField(_("how"), max_length=20, choices=OutreachKind.choices)
    on = models.DateField(_("date"))
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("What happened, descriptively. The person's words if possible."),
        max_length=NOTE_LENGTH,
        validators=multiline_text(NOTE_LENGTH),
    )
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("outreach")
        verbose_name_plural = _("outreach")
        ordering = ["on", "recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutreachKind.values), name="outreach_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on:%d.%m.%Y}"


class DigestLog(models.Model):
    """The daily digest sent to one user on one day: never twice."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    alert_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        ordering = ["-day", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"
