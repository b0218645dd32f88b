"""The journal of small steps: what the team notices, descriptive, never a judgement.

An entry concerns one or several participants (a group moment).  Its visibility decides
who reads it: the team; the social workers and the head only (restricted); or the team and
the participant (shared).  A correction never rewrites silently: each earlier wording is
kept as a version the head can read.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.models import TEAM_ROLES, AnyUser, Programme, Role, User
from isa.core.validators import LONG_TEXT_LENGTH, multiline_text
from isa.people.models import Participant


class EntryKind(models.TextChoices):
    OBSERVATION = "observation", _("Observation")
    CONVERSATION = "conversation", _("Conversation")
    SMALL_STEP = "small_step", _("Small step")
    EVENT = "event", _("Event")
    CONCERN = "concern", _("Concern")


class Tag(models.TextChoices):
    """The four verbs of *ab-compagnement* (Soulet)."""

    CONTAIN = "contenir", _("contain")
    MAINTAIN = "maintenir", _("maintain")
    PRESERVE = "preserver", _("preserve")
    WARM = "rechauffer", _("warm up")


class Posture(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("as social worker")
    FACILITATOR = "facilitator", _("as facilitator")
    WATCHER = "watcher", _("as watcher")


class Visibility(models.TextChoices):
    TEAM = "team", _("Team")
    RESTRICTED = "restricted", _("Restricted (social workers and head)")
    SHARED = "shared", _("Shared with the participant")


#: Who reads restricted entries.
RESTRICTED_ROLES = frozenset({Role.HEAD, Role.SOCIAL_WORKER})


class EntryQuerySet(models.QuerySet["Entry"]):
    def visible_to(self, user: AnyUser) -> EntryQuerySet:
        """Team entries and shared ones for the whole team; restricted ones for the social
        workers and the head only; nothing outside the user's programmes."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        team = [pid for pid, roles in user.roles_by_programme.items() if roles & TEAM_ROLES]
        restricted = [
            pid for pid, roles in user.roles_by_programme.items() if roles & RESTRICTED_ROLES
        ]
        return self.filter(
            Q(programme_id__in=team, visibility__in=[Visibility.TEAM, Visibility.SHARED])
            | Q(programme_id__in=restricted, visibility=Visibility.RESTRICTED)
        )

    def about(self, participant: Participant) -> EntryQuerySet:
        return self.filter(participants=participant)

    def shared_with(self, participant: Participant | int) -> EntryQuerySet:
        """What ``participant`` reads of the journal (their own space, the answer to their
        access request): the entries about them shared with them, never a team or a
        restricted one."""
        return self.filter(participants=participant, visibility=Visibility.SHARED)


class Entry(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="journal_entries"
    )
    participants = models.ManyToManyField(
        Participant, related_name="journal_entries", verbose_name=_("participants")
    )
    author = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="journal_entries", verbose_name=_("author")
    )
    written_on = models.DateField(_("date"), default=timezone.localdate, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    tags = models.JSONField(_("ab-compagnement"), default=list, blank=True)
    posture = models.CharField(_("posture"), max_length=20, choices=Posture.choices)
    visibility = models.CharField(
        _("who reads it"), max_length=20, choices=Visibility.choices, default=Visibility.TEAM
    )
    text = models.TextField(
        _("text"), max_length=LONG_TEXT_LENGTH, validators=multiline_text(LONG_TEXT_LENGTH)
    )
    #: Lower case, no accents: for the simple search on SQLite.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-written_on", "-pk"]
        indexes = [
            models.Index(fields=["programme", "-written_on"], name="entry_programme_date"),
            models.Index(fields=["programme", "kind", "-written_on"], name="entry_programme_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.written_on:%d.%m.%Y}"

    def save(self, *args: object, **kwargs: object) -> None:
        from isa.people.models import normalize_name

        self.search_text = normalize_name(self.text)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "search_text" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "search_text"]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("journal_entry", args=[self.programme_id, self.pk])

    def tag_labels(self) -> list[str]:
        labels = dict(Tag.choices)
        return [str(labels[t]) for t in Tag.values if t in self.tags]


class EntryVersion(models.Model):
    """An earlier wording of an entry, kept when it was corrected."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(
        _("text"), max_length=LONG_TEXT_LENGTH, validators=multiline_text(LONG_TEXT_LENGTH)
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    tags = models.JSONField(default=list)
    visibility = models.CharField(max_length=20, choices=Visibility.choices)
    participant_ids = models.JSONField(default=list)
    written_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    replaced_at = models.DateTimeField(_("replaced"), default=timezone.now)
    replaced_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")
        ordering = ["entry", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="entry_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"
