"""A participant's access to their own space, the invitations that open it, and the
correction requests they send.

The principal is an ordinary :class:`~isa.core.models.User` with no role and no e-mail of
its own (``<login>@participants.isa.invalid``), linked one-to-one to the participant by a
:class:`ParticipantAccess` (docs/decisions.md: passwords, lockout, second factor, sessions
and the audit of sign-ins come from the house's one authentication).
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.models import Language, User
from isa.core.validators import no_control_characters, no_control_characters_multiline
from isa.people.models import Participant

#: Every participant's account has an address in this reserved domain (RFC 2606):
#: no e-mail is ever sent to it, and no team member can hold one.
PORTAL_DOMAIN = "participants.isa.invalid"
#: The longest correction request and answer: a few sentences.
CORRECTION_LENGTH = 1000
#: The characters of a one-time code: no 0/O, 1/I/L that are mistaken for each other.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12


def portal_email(login: str) -> str:
    return f"{login}@{PORTAL_DOMAIN}"


def is_portal_email(email: str) -> bool:
    return email.lower().endswith("@" + PORTAL_DOMAIN)


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """What the person typed, as stored: upper case, without spaces or dashes."""
    return "".join(c for c in raw.upper() if c.isalnum())


def code_digest(code: str) -> str:
    """Only a keyed digest of a code is stored: a copy of the database opens no account."""
    key = settings.SECRET_KEY.encode()
    return hashlib.blake2b(normalise_code(code).encode(), key=key[:64], digest_size=32).hexdigest()


class ParticipantAccessQuerySet(models.QuerySet["ParticipantAccess"]):
    def active(self) -> ParticipantAccessQuerySet:
        return self.filter(disabled_at__isnull=True, user__is_active=True)


class ParticipantAccess(models.Model):
    """The participant's own access to their space, created with them, only if they want it."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="portal_access"
    )
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="portal_access")
    login = models.CharField(_("sign-in name"), max_length=60, unique=True)
    language = models.CharField(
        _("language of the space"), max_length=2, choices=Language.choices, default=Language.FR
    )
    agreement_note = models.CharField(
        _("how the person agreed"),
        max_length=300,
        validators=[no_control_characters],
        help_text=_("For example: asked for it during the talk of 3 March, with Sophie."),
    )
    agreed_on = models.DateField(_("the person agreed on"), default=timezone.localdate)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    disabled_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ParticipantAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant's access")
        verbose_name_plural = _("participants' accesses")

    def __str__(self) -> str:
        return self.login

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None and self.user.is_active


class Invitation(models.Model):
    """A one-time code printed on a letter: it lets the person choose their password once,
    before ``expires_at``."""

    access = models.ForeignKey(
        ParticipantAccess, on_delete=models.CASCADE, related_name="invitations"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.access} {self.created_at:%d.%m.%Y}"

    def is_open(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


class CorrectionRequestQuerySet(models.QuerySet["CorrectionRequest"]):
    def unanswered(self) -> CorrectionRequestQuerySet:
        return self.filter(answered_at__isnull=True)


class CorrectionTopic(models.TextChoices):
    FILE = "file", _("My information")
    PACT = "pact", _("My pact")
    PRESENCE = "presence", _("My days at the workshop")
    WORKS = "works", _("My works")
    JOURNAL = "journal", _("The notes shared with me")
    QUESTIONNAIRES = "questionnaires", _("My questionnaires")
    CONSENTS = "consents", _("My consents")
    OTHER = "other", _("Something else")


class CorrectionRequest(models.Model):
    """ "This is not right": a participant's request about a piece of their data.  The team
    answers; nothing of the file changes by itself."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="correction_requests"
    )
    topic = models.CharField(
        _("about"), max_length=20, choices=CorrectionTopic.choices, default=CorrectionTopic.OTHER
    )
    text = models.TextField(
        _("what is not right"),
        max_length=CORRECTION_LENGTH,
        validators=[no_control_characters_multiline],
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answer = models.TextField(
        _("answer"),
        blank=True,
        max_length=CORRECTION_LENGTH,
        validators=[no_control_characters_multiline],
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CorrectionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="correction_answer_written",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} {self.sent_at:%d.%m.%Y}"
