"""Writes with rules in the participant's space.  Keyword-only ``<noun>_<verb>`` functions,
each in one transaction with its audit event.

The team creates an access with the person (who agreed), prints an invitation, disables it;
the participant redeems the invitation, reads their data, chooses their credit, gives or
withdraws their consents, asks for a correction and downloads everything: each of those is
an audit event with the participant as the actor (channel ``portal``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from isa.core.actor import Actor, Channel, acting
from isa.core.models import AuditAction, Language, Role, User
from isa.core.services import audit_record
from isa.people.models import Consent, ConsentKind, ConsentMethod, ConsentState, Participant
from isa.people.services import consent_record, consent_state
from isa.portal.models import (
    CORRECTION_LENGTH,
    CorrectionRequest,
    CorrectionTopic,
    Invitation,
    ParticipantAccess,
    code_digest,
    new_code,
    normalise_code,
    portal_email,
)
from isa.works.models import Credit
from isa.works.services import credit_set

#: Who creates and disables an access, and answers correction requests.
ACCESS_ROLES = frozenset({Role.HEAD, Role.SOCIAL_WORKER})


def _require_team(actor: Actor, participant: Participant) -> None:
    if actor.channel == Channel.PORTAL or not actor.has_role(
        participant.programme_id, ACCESS_ROLES
    ):
        raise PermissionDenied


def _require_self(actor: Actor, participant: Participant) -> None:
    """Only the participant, in their own space, acts on their own behalf here."""
    if actor.channel != Channel.PORTAL or actor.participant_id != participant.pk:
        raise PermissionDenied


def invitation_days() -> int:
    return int(getattr(settings, "ISA_PORTAL_INVITATION_DAYS", 14))


# -- the team's side ---------------------------------------------------------------------------


def _new_login(participant: Participant) -> str:
    base = slugify(participant.first_name)[:30] or "participant"
    while True:
        login = f"{base}-{get_random_string(4, '23456789')}"
        if not ParticipantAccess.objects.filter(login=login).exists():
            return login


def _issue(access: ParticipantAccess, actor: Actor) -> tuple[Invitation, str]:
    now = timezone.now()
    # Earlier letters stop working: only the newest code opens the access.
    access.invitations.filter(used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = new_code()
    invitation = Invitation.objects.create(
        access=access,
        digest=code_digest(code),
        expires_at=now + timedelta(days=invitation_days()),
        created_by=actor.user,
    )
    return invitation, code


@transaction.atomic
def access_create(
    *, participant: Participant, agreement_note: str, language: str, actor: Actor
) -> tuple[ParticipantAccess, Invitation, str]:
    """Open a participant's access with them (they agreed: ``agreement_note`` says how) and
    issue its first invitation; returns the access, the invitation and its code (shown once,
    on the letter: only a digest is kept)."""
    _require_team(actor, participant)
    agreement_note = agreement_note.strip()
    if not agreement_note:
        raise ValidationError(
            {"agreement_note": _("Write how the person said they want an access.")}
        )
    if language not in Language.values:
        raise ValidationError({"language": _("Unknown language.")})
    if ParticipantAccess.objects.filter(participant=participant).exists():
        raise ValidationError(_("This person already has an access."), code="exists")
    login = _new_login(participant)
    # No password yet (unusable): the person chooses one with the letter's code.
    user = User.objects.create_user(
        email=portal_email(login), full_name=str(participant)[:150], language=language
    )
    access = ParticipantAccess.objects.create(
        participant=participant,
        user=user,
        login=login,
        language=language,
        agreement_note=agreement_note,
        created_by=actor.user,
    )
    invitation, code = _issue(access, actor)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=access,
        programme=participant.programme_id,
        detail={"participant": participant.pk, "agreement": agreement_note},
    )
    return access, invitation, code


@transaction.atomic
def invitation_issue(*, access: ParticipantAccess, actor: Actor) -> tuple[Invitation, str]:
    """A new letter (the first one lost, or expired); an access that was disabled opens
    again with it, since the person asked for it anew."""
    participant = access.participant
    _require_team(actor, participant)
    if access.disabled_at is not None:
        access.disabled_at = None
        access.disabled_by = None
        access.save(update_fields=["disabled_at", "disabled_by"])
        access.user.is_active = True
        access.user.save(update_fields=["is_active"])
    invitation, code = _issue(access, actor)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=invitation,
        programme=participant.programme_id,
        detail={"participant": participant.pk, "expires": invitation.expires_at.isoformat()},
    )
    return invitation, code


@transaction.atomic
def access_disable(*, access: ParticipantAccess, actor: Actor) -> ParticipantAccess:
    """Close the access at once: the account cannot sign in and its sessions end."""
    participant = access.participant
    _require_team(actor, participant)
    access = ParticipantAccess.objects.select_for_update().get(pk=access.pk)
    if access.disabled_at is None:
        access.disabled_at = timezone.now()
        access.disabled_by = actor.user
        access.save(update_fields=["disabled_at", "disabled_by"])
        access.invitations.filter(used_at__isnull=True).update(expires_at=timezone.now())
        user = access.user
        user.is_active = False
        user.save(update_fields=["is_active"])  # an inactive account's session is over
        audit_record(
            action=AuditAction.ACCOUNT_DEACTIVATED,
            actor=actor,
            obj=access,
            programme=participant.programme_id,
            detail={"participant": participant.pk},
        )
    return access


@transaction.atomic
def access_second_factor_remove(*, access: ParticipantAccess, actor: Actor) -> int:
    """The person lost their phone: the team removes the second factor of their space, so
    that they sign in with their password alone (and may add a new one).  Each device's
    removal is audited where every device removal is (isa.core.signals), as done by the
    team member.  Returns how many devices were removed."""
    from django_otp import devices_for_user  # type: ignore[import-untyped]

    _require_team(actor, access.participant)
    removed = 0
    with acting(actor):
        for device in list(devices_for_user(access.user, confirmed=None)):
            device.delete()
            removed += 1
    return removed


@transaction.atomic
def correction_answer(
    *, correction: CorrectionRequest, answer: str, actor: Actor
) -> CorrectionRequest:
    """The team's answer to a correction request, shown to the participant in their space.
    Any change to the file itself is made by the team, through the file's own forms."""
    participant = correction.participant
    _require_team(actor, participant)
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write an answer.")})
    if len(answer) > CORRECTION_LENGTH:
        raise ValidationError(
            {"answer": _("At most %(n)s characters, please.") % {"n": CORRECTION_LENGTH}}
        )
    correction = CorrectionRequest.objects.select_for_update().get(pk=correction.pk)
    correction.answer = answer
    correction.answered_at = timezone.now()
    correction.answered_by = actor.user
    correction.full_clean()
    correction.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=correction,
        programme=participant.programme_id,
        detail={"participant": participant.pk, "answered": True},
    )
    return correction


# -- the participant's side --------------------------------------------------------------------


class InvitationRefused(ValidationError):
    """The code is unknown, used or expired: nothing is created."""


@transaction.atomic
def invitation_redeem(*, code: str, password: str, actor: Actor) -> ParticipantAccess:
    """The person types the code of their letter and chooses a password (the staff's rules).
    An unknown, expired or already used code is refused with a clear message."""
    code = normalise_code(code)
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("access__user", "access__participant")
        .filter(digest=code_digest(code))
        .first()
        if code
        else None
    )
    if invitation is None:
        raise InvitationRefused(
            _("This code is not right. Check the letter, or ask the team for a new one."),
            code="unknown",
        )
    if invitation.used_at is not None:
        raise InvitationRefused(
            _(
                "This code was already used. Sign in with your password, "
                "or ask the team for a new letter."
            ),
            code="used",
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(
            _("This code is too old. Ask the team for a new letter."), code="expired"
        )
    access = invitation.access
    if access.disabled_at is not None:
        raise InvitationRefused(
            _("This access is closed. Ask the team if you want it again."), code="disabled"
        )
    user = access.user
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    audit_record(
        action=AuditAction.PASSWORD_CHANGE,
        actor=Actor(
            user=user,
            ip=actor.ip,
            channel=Channel.PORTAL,
            participant_id=access.participant_id,
        ),
        obj=access,
        programme=access.participant.programme_id,
        detail={"participant": access.participant_id, "invitation": invitation.pk},
    )
    return access


@transaction.atomic
def portal_sign_in(*, participant: Participant, actor: Actor) -> None:
    """A participant entered their space (the account's own sign-in is audited by core)."""
    _require_self(actor, participant)
    audit_record(
        action=AuditAction.LOGIN,
        actor=actor,
        obj=participant,
        programme=participant.programme_id,
        detail={"participant": participant.pk},
    )


@transaction.atomic
def portal_read(*, participant: Participant, what: str, actor: Actor) -> None:
    """A participant read a part of their own data (nFADP ordinance art. 4: every reading)."""
    _require_self(actor, participant)
    audit_record(
        action=AuditAction.VIEW,
        actor=actor,
        obj=participant,
        programme=participant.programme_id,
        detail={"participant": participant.pk, "portal": what},
    )


@transaction.atomic
def portal_credit_choose(
    *, participant: Participant, mode: str, pseudonym: str = "", actor: Actor
) -> Credit:
    """The participant chooses how they are named beside their works (the works service
    records it, audited with the participant as actor)."""
    _require_self(actor, participant)
    return credit_set(participant=participant, mode=mode, pseudonym=pseudonym, actor=actor)


@transaction.atomic
def portal_consent_set(
    *, participant: Participant, kind: str, give: bool, actor: Actor
) -> Consent | None:
    """The participant gives or withdraws a consent themselves, effective at once everywhere
    it is checked.  Asking for what is already in force records nothing (no duplicate in the
    history) and returns None."""
    _require_self(actor, participant)
    if kind not in ConsentKind.values:
        raise ValidationError(_("Unknown consent."))
    Participant.objects.select_for_update().filter(pk=participant.pk).first()  # one at a time
    current = consent_state(participant, kind)
    if give and current == ConsentState.GIVEN:
        return None
    if not give and current != ConsentState.GIVEN:
        return None  # never given, refused or already withdrawn: nothing to withdraw
    return consent_record(
        participant=participant,
        kind=kind,
        state=ConsentState.GIVEN if give else ConsentState.WITHDRAWN,
        on=timezone.localdate(),
        method=ConsentMethod.PORTAL,
        note=_("Through the participant's space"),
        actor=actor,
    )


@transaction.atomic
def correction_request_send(
    *, participant: Participant, topic: str, text: str, actor: Actor
) -> CorrectionRequest:
    """ "This is not right": the request goes to the team, on the file; nothing changes in the
    file by itself."""
    _require_self(actor, participant)
    text = text.strip()
    errors: dict[str, Any] = {}
    if topic not in CorrectionTopic.values:
        errors["topic"] = _("Choose what it is about.")
    if not text:
        errors["text"] = _("Write what is not right.")
    elif len(text) > CORRECTION_LENGTH:
        errors["text"] = _(
            "Your message is too long: at most %(n)s characters. Write the main thing, "
            "the team will talk with you."
        ) % {"n": CORRECTION_LENGTH}
    if errors:
        raise ValidationError(errors)
    correction = CorrectionRequest(participant=participant, topic=topic, text=text)
    correction.full_clean()
    correction.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=correction,
        programme=participant.programme_id,
        detail={"participant": participant.pk, "topic": topic},
    )
    return correction


@transaction.atomic
def subject_access_export(*, participant: Participant, fmt: str, actor: Actor) -> bytes:
    """Everything held about ``participant`` (nFADP art. 25), as a readable PDF or a ZIP of
    JSON, CSV and the works' images: the participant's own download, or the team's answer
    to a request on paper.  Audited as an export, whoever asks."""
    from isa.portal.subject_export import build_pdf_answer, build_zip_answer

    if actor.channel == Channel.PORTAL:
        _require_self(actor, participant)
    else:
        _require_team(actor, participant)
    if fmt not in ("pdf", "zip"):
        raise ValidationError(_("Unknown format."))
    content = build_pdf_answer(participant) if fmt == "pdf" else build_zip_answer(participant)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        obj=participant,
        programme=participant.programme_id,
        detail={"participant": participant.pk, "format": fmt, "subject_access": True},
    )
    return content


@transaction.atomic
def portal_password_change(*, access: ParticipantAccess, password: str, actor: Actor) -> None:
    """The person chooses a new password for their own space (the same rules as every
    password).  Audited as a password change by the participant, where every change of
    password is (isa.core.signals), in this transaction."""
    if actor.participant_id != access.participant_id or access.disabled_at is not None:
        raise PermissionDenied
    user = access.user
    validate_password(password, user)
    user.set_password(password)
    with acting(actor):
        user.save(update_fields=["password"])
