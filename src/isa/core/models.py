"""Organisations, programmes, staff roles and the audit log.

Roles are granted per programme through :class:`Membership` rows; everything a user may see
is derived from them in one place (:mod:`isa.core.access`).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from isa.core.actor import Channel
from isa.core.validators import NOTE_LENGTH, TEXT_LENGTH, multiline_text, no_control_characters

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AnonymousUser


class Role(models.TextChoices):
    HEAD = "head", _("Head of sector")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    FACILITATOR = "facilitator", _("Facilitator")
    WATCHER = "watcher", _("Watcher")
    REFERRER = "referrer", _("Referrer")
    FUNDER = "funder", _("Funder")
    RESEARCHER = "researcher", _("Researcher")


#: The hybrid team that works with participants every day.
TEAM_ROLES = frozenset({Role.HEAD, Role.SOCIAL_WORKER, Role.FACILITATOR, Role.WATCHER})
#: Roles from outside the workshop, each with a narrow window onto the programme.
EXTERNAL_ROLES = frozenset({Role.REFERRER, Role.FUNDER, Role.RESEARCHER})


class Language(models.TextChoices):
    FR = "fr", _("French")
    DE = "de", _("German")
    IT = "it", _("Italian")
    EN = "en", _("English")


# -- users -------------------------------------------------------------------------------------


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: object) -> User:
        if not email:
            raise ValueError("users need an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: staff, an external partner or (later) a participant.

    Login is by e-mail.  ``is_staff`` only opens Django's technical admin (system
    administrators); what a user sees of people comes from their programme memberships.
    """

    email = models.EmailField(_("e-mail"), unique=True, validators=[no_control_characters])
    full_name = models.CharField(_("name"), max_length=150, validators=[no_control_characters])
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FR
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An inactive account cannot sign in and its open sessions end."),
    )
    is_staff = models.BooleanField(
        _("system administrator"),
        default=False,
        help_text=_("Opens the technical administration. Gives no access to personal data."),
    )
    date_joined = models.DateTimeField(_("created"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args: object, **kwargs: object) -> None:
        # One transaction for the row and the audit of its password, activity and rights
        # (isa.core.signals), whoever saves: the admin, a form of Django's, a command.
        with transaction.atomic(using=kwargs.get("using") or router.db_for_write(User)):  # type: ignore[arg-type]
            super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles_by_programme(self) -> dict[int, frozenset[str]]:
        """Every role this user holds, by programme id: one query, cached per request."""
        roles: dict[int, set[str]] = {}
        rows = Membership.objects.filter(user=self).order_by().values_list("programme_id", "role")
        for programme_id, role in rows:
            roles.setdefault(programme_id, set()).add(role)
        return {pid: frozenset(r) for pid, r in roles.items()}

    def roles_on(self, programme: Programme | int) -> frozenset[str]:
        pid = programme if isinstance(programme, int) else programme.pk
        return self.roles_by_programme.get(pid, frozenset())

    def has_role(self, programme: Programme | int, roles: Iterable[str]) -> bool:
        return bool(self.roles_on(programme) & set(roles))

    @property
    def is_team_member(self) -> bool:
        return any(r & TEAM_ROLES for r in self.roles_by_programme.values())

    @property
    def requires_two_factor(self) -> bool:
        """Everyone who holds a role on a programme (the team, and referrers, funders and
        researchers, who see names or data about people too), and system administrators."""
        return self.is_staff or self.is_superuser or bool(self.roles_by_programme)


#: ``request.user``: a signed-in user or an anonymous visitor.  The ``visible_to`` QuerySets
#: take either and show an anonymous visitor nothing.
AnyUser: TypeAlias = "User | AnonymousUser"


# -- organisations and programmes --------------------------------------------------------------


class Organisation(models.Model):
    name = models.CharField(
        _("name"), max_length=200, unique=True, validators=[no_control_characters]
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def visible_to(self, user: AnyUser, roles: Iterable[str] | None = None) -> ProgrammeQuerySet:
        """Programmes on which ``user`` holds a role (one of ``roles``, when given)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        memberships = Membership.objects.filter(user=user)
        if roles is not None:
            memberships = memberships.filter(role__in=list(roles))
        return self.filter(pk__in=memberships.values("programme_id"))


class Programme(models.Model):
    """A measure (*mesure*) such as ISA Sion: one place, one team, its participants."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200, validators=[no_control_characters])
    place = models.CharField(_("place"), max_length=200, validators=[no_control_characters])
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Number of places for active participants."),
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        help_text=_("Languages in which people are welcomed."),
    )
    annual_budget_chf = models.DecimalField(
        _("annual budget (CHF)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    funders = models.TextField(
        _("funders"), blank=True, max_length=TEXT_LENGTH, validators=multiline_text(TEXT_LENGTH)
    )
    started_on = models.DateField(_("running since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="programme_unique_name_in_organisation"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="programme_capacity_gte_1"),
            models.CheckConstraint(
                condition=Q(annual_budget_chf__gte=0), name="programme_budget_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("programme", kwargs={"programme_id": self.pk})

    def clean(self) -> None:
        unknown = set(self.languages or []) - set(Language.values)
        if unknown:
            raise ValidationError({"languages": _("Unknown language code.")})

    def language_labels(self) -> list[str]:
        labels = dict(Language.choices)
        return [str(labels.get(code, code)) for code in self.languages or []]


class Membership(models.Model):
    """One role of one user on one programme.  A person may hold several."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("programme"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    granted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["programme", "user__full_name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme", "role"], name="membership_unique_role"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_known"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.programme}"


class BreakGlassQuerySet(models.QuerySet["BreakGlass"]):
    def pending(self) -> BreakGlassQuerySet:
        """Not yet acknowledged by a head."""
        return self.filter(acknowledged_at__isnull=True)


class BreakGlass(models.Model):
    """A role someone gave themselves (*break-glass* access), typically a system
    administrator making himself head of a programme.  Its written reason is shown to the
    programme's heads until one of them (not the person) acknowledges it."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="break_glasses",
        verbose_name=_("programme"),
    )
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    user_label = models.CharField(_("by"), max_length=254)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    reason = models.TextField(
        _("reason"), max_length=NOTE_LENGTH, validators=multiline_text(NOTE_LENGTH)
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    acknowledged_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        verbose_name = _("break-glass access")
        verbose_name_plural = _("break-glass accesses")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="breakglass_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.user_label} — {self.get_role_display()} — {self.programme}"


# -- audit log ---------------------------------------------------------------------------------


class AuditAction(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOCKOUT = "lockout", _("Account locked")
    LOGOUT = "logout", _("Signed out")
    PASSWORD_CHANGE = "password_change", _("Password changed")
    OTP_ENABLED = "otp_enabled", _("Two-factor authentication enabled")
    OTP_FAILED = "otp_failed", _("Two-factor code refused")
    VIEW = "view", _("Viewed")
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    EXPORT = "export", _("Exported")
    ROLE_GRANT = "role_grant", _("Role granted")
    ROLE_REVOKE = "role_revoke", _("Role revoked")
    BREAK_GLASS = "break_glass", _("Role granted to oneself (break-glass)")
    BREAK_GLASS_ACKNOWLEDGED = "break_glass_ack", _("Break-glass access acknowledged")
    PASSWORD_SET = "password_set", _("Password set by someone else")
    ACCOUNT_ACTIVATED = "account_activated", _("Account activated")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("Account deactivated")
    PRIVILEGES_CHANGED = "privileges_changed", _("System administration rights changed")
    OTP_DEVICE_ADDED = "otp_device_added", _("Two-factor device added")
    OTP_DEVICE_REMOVED = "otp_device_removed", _("Two-factor device removed")
    OTP_DISABLED = "otp_disabled", _("Two-factor device no longer confirmed")
    OVERRIDE = "override", _("Rule overridden")
    PASSWORD_RESET_REQUESTED = "password_reset_request", _("Password reset requested by e-mail")
    PASSWORD_RESET = "password_reset", _("Password reset through the e-mailed link")


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")

    def for_programme(
        self, programme: Programme, members: Iterable[User] | None = None
    ) -> AuditEventQuerySet:
        """Events about ``programme``, plus the sign-in events of its members.

        Only heads may read these (checked by the caller through
        :func:`isa.core.access.require_head`).  Member ids are listed rather than joined,
        so the log can live in a database of its own.  Failed sign-ins and lockouts have no
        actor: they count for a member when the e-mail typed is the member's.
        """
        if members is None:
            members = programme_members(programme)
        members = {user.pk: user.email for user in members}
        return self.filter(
            Q(programme_id=programme.pk)
            | Q(programme_id__isnull=True, actor_id__in=list(members))
            # what others did to a member's account: a password set, a device added…
            | Q(
                programme_id__isnull=True,
                object_type="core.user",
                object_id__in=[str(pk) for pk in members],
            )
            | Q(
                programme_id__isnull=True,
                action__in=[AuditAction.LOGIN_FAILED, AuditAction.LOCKOUT],
                detail__attempted__in=[email.lower() for email in members.values()],
            )
        )


def programme_members(programme: Programme) -> list[User]:
    """Everyone who holds a role on ``programme`` (name and e-mail only), by name."""
    return list(
        User.objects.filter(memberships__programme=programme)
        .distinct()
        .order_by("full_name")
        .only("full_name", "email")
    )


class AuditEvent(models.Model):
    """Who did what to which record, when and from where. Written, never changed.

    Deliberately without foreign keys: the log can live in a database of its own
    (``ISA_AUDIT_DATABASE_URL``) and must survive the deletion of what it speaks about.
    Database triggers (migrations 0002, 0004) refuse UPDATE, DELETE and TRUNCATE on SQLite and
    PostgreSQL; only :mod:`isa.core.maintenance` opens the way, for the owner, on purpose.
    """

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    programme_id = models.BigIntegerField(_("programme id"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["programme_id", "-at"], name="audit_programme_time"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            # The two other branches of ``for_programme`` read only events outside any
            # programme (sign-ins, accounts: a quarter of the log), each through its own
            # small index rather than every such event (issue 17: the log's count at 100×).
            models.Index(
                fields=["actor_id"],
                condition=Q(programme_id__isnull=True),
                name="audit_actor_unscoped",
            ),
            # (the action first: SQLite's own spelling of the address differs between the
            # index and the query, so it uses this index by the action alone)
            models.Index(
                models.F("action"),
                models.F("detail__attempted"),
                condition=Q(programme_id__isnull=True),
                name="audit_unscoped_action",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")
