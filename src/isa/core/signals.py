"""Audit of authentication events and of the writes that Django's and libraries' own code
makes to accounts and two-factor devices.

No business logic lives here (STYLE.md): only the audit of writes that no service of ours
makes — the technical admin's user and device pages, Django's password forms,
``createsuperuser`` and ``changepassword``, django-otp's devices.  The actor is the current
request's or command's (:func:`isa.core.actor.current_actor`).  Each event is written inside
the transaction of the save: :meth:`User.save` opens one, and the admin's pages and our
two-factor views are atomic (docs/decisions.md, "Accounts and devices are audited where
they are saved").
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.apps import apps
from django.contrib.auth.hashers import is_password_usable
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.models import Device

from isa.core.access import client_ip
from isa.core.actor import Actor, current_actor
from isa.core.models import AuditAction, User


def _record(**kwargs: Any) -> None:
    from isa.core.services import audit_record

    audit_record(**kwargs)


def _actor(request: Any, user: User | None = None) -> Actor:
    """Who acts in an authentication event: ``user`` (signing in or out, while
    ``request.user`` is still or not yet them), from the request's address, if any."""
    return Actor.of(user, ip=client_ip(request))


@receiver(user_logged_in, dispatch_uid="isa_audit_login")
def audit_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    _record(action=AuditAction.LOGIN, actor=_actor(request, user), obj=user)


@receiver(user_logged_out, dispatch_uid="isa_audit_logout")
def audit_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        _record(action=AuditAction.LOGOUT, actor=_actor(request, user), obj=user)


def _attempted(credentials: dict[str, Any]) -> str:
    # Only what looks like an e-mail: a password typed into the wrong field is never logged.
    # Lower-cased, as accounts are found: the log shows it to the heads of the member.
    name = str(credentials.get("username") or credentials.get("email") or "").strip().lower()
    return name[:254] if "@" in name and " " not in name else ""


@receiver(user_login_failed, dispatch_uid="isa_audit_login_failed")
def audit_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    _record(
        action=AuditAction.LOGIN_FAILED,
        actor=_actor(request),
        object_type="core.user",
        detail={"attempted": _attempted(credentials)},
    )


@receiver(user_locked_out, dispatch_uid="isa_audit_lockout")
def audit_lockout(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    _record(
        action=AuditAction.LOCKOUT,
        actor=_actor(request),
        object_type="core.user",
        detail={"attempted": _attempted({"username": username})},
    )


# -- accounts ----------------------------------------------------------------------------------

#: Set on a user whose new password comes through an e-mailed reset link
#: (:class:`isa.core.views.PasswordResetConfirmView`): the change is recorded as a reset.
RESET_MARK = "_audit_reset"

#: What the audit follows on an account.
_ACCOUNT_FIELDS = ("password", "is_active", "is_staff", "is_superuser")


@receiver(pre_save, sender=User, dispatch_uid="isa_audit_account_before")
def account_before(
    sender: Any, instance: User, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    instance.__dict__.pop("_audit_before", None)
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(_ACCOUNT_FIELDS):
        return  # the sign-in's last_login, a changed name…
    instance.__dict__["_audit_before"] = (
        User.objects.filter(pk=instance.pk).values(*_ACCOUNT_FIELDS).first()
    )


@receiver(post_save, sender=User, dispatch_uid="isa_audit_account")
def audit_account(
    sender: Any, instance: User, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    actor = current_actor()
    before = instance.__dict__.pop("_audit_before", None)
    if created:
        _record(
            action=AuditAction.CREATE,
            actor=actor,
            obj=instance,
            detail={f: getattr(instance, f) for f in _ACCOUNT_FIELDS[1:]},
        )
        return
    if before is None:
        return
    # set_password() leaves the new password in _password until the save ends; a hash
    # upgraded at sign-in does not (it is no change of password).
    password_set = getattr(instance, "_password", None) is not None or (
        is_password_usable(before["password"]) != is_password_usable(instance.password)
    )
    reset = instance.__dict__.pop(RESET_MARK, False)
    if password_set:
        own = actor.user_id == instance.pk
        if reset:
            action = AuditAction.PASSWORD_RESET
        else:
            action = AuditAction.PASSWORD_CHANGE if own else AuditAction.PASSWORD_SET
        _record(
            action=action,
            actor=actor,
            obj=instance,
            detail={} if instance.has_usable_password() else {"usable": False},
        )
    if before["is_active"] != instance.is_active:
        _record(
            action=AuditAction.ACCOUNT_ACTIVATED
            if instance.is_active
            else AuditAction.ACCOUNT_DEACTIVATED,
            actor=actor,
            obj=instance,
        )
    rights = {f: getattr(instance, f) for f in ("is_staff", "is_superuser")}
    if any(before[f] != value for f, value in rights.items()):
        _record(action=AuditAction.PRIVILEGES_CHANGED, actor=actor, obj=instance, detail=rights)


# -- two-factor devices ------------------------------------------------------------------------


def _device_detail(device: Device, **extra: Any) -> dict[str, Any]:
    return {"device": device._meta.model_name, "name": device.name, **extra}


def _record_device(action: str, device: Device, user_id: int, **extra: Any) -> None:
    _record(
        action=action,
        actor=current_actor(),
        object_type=User._meta.label_lower,
        object_id=user_id,
        detail=_device_detail(device, **extra),
    )


def device_before(
    sender: Any, instance: Device, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    instance.__dict__.pop("_audit_before", None)
    if raw or instance._state.adding or instance.pk is None:
        return
    if update_fields is not None and not {"confirmed", "user"} & set(update_fields):
        return  # a code checked: last_t, throttling counters
    instance.__dict__["_audit_before"] = (
        type(instance)
        ._default_manager.filter(pk=instance.pk)
        .values("user_id", "confirmed")
        .first()
    )


def audit_device(
    sender: Any, instance: Device, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    before = instance.__dict__.pop("_audit_before", None)
    if created:
        _record_device(
            AuditAction.OTP_DEVICE_ADDED, instance, instance.user_id, confirmed=instance.confirmed
        )
        return
    if before is None:
        return
    if before["user_id"] != instance.user_id:  # a device handed to another account
        _record_device(AuditAction.OTP_DEVICE_REMOVED, instance, before["user_id"])
        _record_device(
            AuditAction.OTP_DEVICE_ADDED, instance, instance.user_id, confirmed=instance.confirmed
        )
    elif before["confirmed"] != instance.confirmed:
        _record_device(
            AuditAction.OTP_ENABLED if instance.confirmed else AuditAction.OTP_DISABLED,
            instance,
            instance.user_id,
        )


def audit_device_removed(sender: Any, instance: Device, **kwargs: Any) -> None:
    _record_device(AuditAction.OTP_DEVICE_REMOVED, instance, instance.user_id)


def connect_device_audit() -> None:
    """Follow every kind of django-otp device installed (TOTP, static codes…)."""
    for model in apps.get_models():
        if issubclass(model, Device):
            uid = f"isa_audit_{model._meta.label_lower}"
            pre_save.connect(device_before, sender=model, dispatch_uid=f"{uid}_before")
            post_save.connect(audit_device, sender=model, dispatch_uid=uid)
            post_delete.connect(audit_device_removed, sender=model, dispatch_uid=f"{uid}_delete")
