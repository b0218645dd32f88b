"""What people make: works, their images, exhibitions, credits and the public gallery.

A work is shown outside the team (an exhibition catalogue, the public gallery) only while
*every* creator has given the matching consent, checked at the moment of use: a
withdrawal takes effect at once.  Each creator chooses how they are credited.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.models import TEAM_ROLES, AnyUser, Programme, Role, User
from isa.core.validators import (
    LONG_TEXT_LENGTH,
    TEXT_LENGTH,
    between,
    multiline_text,
    no_control_characters,
)
from isa.people.models import ConsentKind, Participant
from isa.presence.models import Medium

#: Who may add and change works and exhibitions (SECURITY.md: facilitators change works).
WORK_EDITOR_ROLES = frozenset({Role.HEAD, Role.SOCIAL_WORKER, Role.FACILITATOR})
#: Who sets a person's credit on their behalf (the participant's own space comes later).
CREDIT_ROLES = frozenset({Role.HEAD, Role.SOCIAL_WORKER})
#: Who switches the public gallery on or off.
GALLERY_ROLES = frozenset({Role.HEAD})


class WorkState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")
    GIVEN = "given", _("Given away")
    SOLD = "sold", _("Sold")
    EXHIBITED = "exhibited", _("Exhibited")


class CreditMode(models.TextChoices):
    FULL_NAME = "full_name", _("Full name")
    FIRST_NAME = "first_name", _("First name only")
    PSEUDONYM = "pseudonym", _("A pseudonym")
    ANONYMOUS = "anonymous", _("Anonymous")


#: Privacy by default (nFADP art. 7): until the person chooses, works are credited anonymously.
DEFAULT_CREDIT = CreditMode.ANONYMOUS


def _team_programmes(user: AnyUser) -> list[int]:
    if not user.is_authenticated or not user.is_active:
        return []
    return [pid for pid, roles in user.roles_by_programme.items() if roles & TEAM_ROLES]


# -- works -------------------------------------------------------------------------------------


class WorkQuerySet(models.QuerySet["Work"]):
    def visible_to(self, user: AnyUser) -> WorkQuerySet:
        """Works of the programmes where ``user`` is on the team (all of them, consent or
        not: the team sees what is made, the public only what is consented)."""
        return self.filter(programme_id__in=_team_programmes(user))

    def in_programme(self, programme: Programme | int) -> WorkQuerySet:
        return self.filter(programme=programme)

    def by(self, participant: Participant | int) -> WorkQuerySet:
        return self.filter(creators=participant)

    def by_any(self, people: models.QuerySet[Participant]) -> WorkQuerySet:
        """Works made (alone or with others) by any of ``people``: each work once."""
        made = Work.creators.through.objects.filter(participant__in=people)
        return self.filter(pk__in=made.values("work_id"))

    def consented(
        self, kind: str, *, on: date | None = None, programme: Programme | int | None = None
    ) -> WorkQuerySet:
        """Works with at least one creator, every one of whom has given consent ``kind`` in
        force on ``on`` (today by default).  One SQL query, whatever the number of works.
        Give ``programme`` when the works are of one programme: the consents read are then
        those of its people only, not of the whole database (creators are always people of
        the work's programme)."""
        from isa.people.services import participants_consenting

        through = Work.creators.through
        consenting = participants_consenting(kind=kind, on=on, programme=programme).values("pk")
        has_creator = through.objects.filter(work_id=OuterRef("pk"))
        lacking = has_creator.exclude(participant_id__in=consenting)
        return self.filter(Exists(has_creator)).exclude(Exists(lacking))

    def publicly_shown(self, programme: Programme | int, *, on: date | None = None) -> WorkQuerySet:
        """Works of ``programme`` the public gallery may show: ONLINE consent of every
        creator (the gallery itself must also be enabled: see :class:`GallerySettings`)."""
        return self.in_programme(programme).consented(
            ConsentKind.ONLINE, on=on, programme=programme
        )


class Work(models.Model):
    """A creation: one or several creators (collective works exist), one medium."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="works", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    medium = models.ForeignKey(
        Medium, on_delete=models.PROTECT, related_name="works", verbose_name=_("medium")
    )
    creators = models.ManyToManyField(Participant, related_name="works", verbose_name=_("made by"))
    made_on = models.DateField(
        _("date"), default=timezone.localdate, help_text=_("When it was made or finished.")
    )
    technique = models.CharField(
        _("technique"),
        max_length=200,
        blank=True,
        help_text=_("For example: acrylic on canvas"),
        validators=[no_control_characters],
    )
    dimensions = models.CharField(
        _("dimensions"),
        max_length=100,
        blank=True,
        help_text=_("For example: 40 × 50 cm"),
        validators=[no_control_characters],
    )
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_LENGTH, validators=multiline_text(TEXT_LENGTH)
    )
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_("For a written work: the text itself."),
        max_length=LONG_TEXT_LENGTH,
        validators=multiline_text(LONG_TEXT_LENGTH),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=WorkState.choices, default=WorkState.IN_PROGRESS
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = WorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("work")
        verbose_name_plural = _("works")
        ordering = ["-made_on", "-pk"]
        indexes = [
            models.Index(fields=["programme", "-made_on"], name="work_programme_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("work_detail", args=[self.programme_id, self.pk])

    @property
    def is_writing(self) -> bool:
        return bool(self.text.strip())


def _image_folder() -> str:
    return f"works/{uuid.uuid4().hex}"


class WorkImage(models.Model):
    """One image of a work, normalised (decoded, re-encoded, metadata stripped) with two
    renditions.  Files live under MEDIA_ROOT, never served directly: only through views.
    ``key`` (random) names the image in URLs, so that no URL reveals a database id."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="images")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    alt_text = models.CharField(
        _("description for screen readers"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, in a sentence."),
        validators=[no_control_characters],
    )
    original = models.FileField(max_length=200)
    display = models.FileField(max_length=200)
    thumbnail = models.FileField(max_length=200)
    format = models.CharField(max_length=10)  # JPEG | PNG | WEBP (of the original)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()  # bytes of the normalised original
    uploaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["work", "order", "pk"]

    def __str__(self) -> str:
        return self.alt_text or str(self.key)


# -- credits -----------------------------------------------------------------------------------


class Credit(models.Model):
    """How a person wants to be named beside their works (chosen by them, recorded by the
    team on their behalf for now)."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="work_credit"
    )
    mode = models.CharField(
        _("credited as"), max_length=20, choices=CreditMode.choices, default=DEFAULT_CREDIT
    )
    pseudonym = models.CharField(
        _("pseudonym"), max_length=100, blank=True, validators=[no_control_characters]
    )
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        constraints = [
            models.CheckConstraint(
                condition=~Q(mode="pseudonym") | ~Q(pseudonym=""), name="credit_pseudonym_named"
            )
        ]

    def __str__(self) -> str:
        return self.get_mode_display()


# -- exhibitions -------------------------------------------------------------------------------


#: More than any exhibition of the programme could welcome: a typing slip, not a count.
MAX_VISITORS = 1_000_000


class ExhibitionQuerySet(models.QuerySet["Exhibition"]):
    def visible_to(self, user: AnyUser) -> ExhibitionQuerySet:
        return self.filter(programme_id__in=_team_programmes(user))


class Exhibition(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="exhibitions")
    title = models.CharField(_("title"), max_length=200, validators=[no_control_characters])
    venue = models.CharField(_("venue"), max_length=200, validators=[no_control_characters])
    starts_on = models.DateField(_("opening"))
    ends_on = models.DateField(_("closing"), null=True, blank=True)
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_LENGTH, validators=multiline_text(TEXT_LENGTH)
    )
    visitors = models.PositiveIntegerField(
        _("visitors"), null=True, blank=True, validators=between(0, MAX_VISITORS)
    )
    works = models.ManyToManyField(Work, through="ExhibitionWork", related_name="exhibitions")
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = ExhibitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("exhibition")
        verbose_name_plural = _("exhibitions")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="exhibition_closes_after_opening",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("exhibition_detail", args=[self.programme_id, self.pk])


class ExhibitionWork(models.Model):
    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="entries")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="exhibition_entries")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["exhibition", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "work"], name="exhibition_work_once")
        ]

    def __str__(self) -> str:
        return f"{self.exhibition_id}:{self.work_id}"


class PressMention(models.Model):
    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="press")
    outlet = models.CharField(
        _("outlet"),
        max_length=150,
        help_text=_("For example: Le Nouvelliste"),
        validators=[no_control_characters],
    )
    on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300, validators=[no_control_characters])
    url = models.URLField(_("link"), blank=True, max_length=500, validators=[no_control_characters])

    class Meta:
        verbose_name = _("press mention")
        verbose_name_plural = _("press mentions")
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.outlet}: {self.title}"


# -- public gallery ----------------------------------------------------------------------------


class GallerySettings(models.Model):
    """The programme's public gallery: off by default, switched on by the head."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="gallery_settings"
    )
    enabled = models.BooleanField(_("public gallery open"), default=False)
    introduction = models.TextField(
        _("introduction"),
        blank=True,
        max_length=TEXT_LENGTH,
        validators=multiline_text(TEXT_LENGTH),
    )
    updated_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("gallery settings")
        verbose_name_plural = _("gallery settings")

    def __str__(self) -> str:
        return f"{self.programme}: {'on' if self.enabled else 'off'}"
