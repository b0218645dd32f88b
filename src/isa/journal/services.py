"""Writing and correcting journal entries.  A correction keeps the earlier wording."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from isa.core.actor import Actor
from isa.core.models import AuditAction, Programme
from isa.core.services import StaleVersion, audit_record, lock_version
from isa.journal.models import Entry, EntryVersion, Posture, Tag, Visibility
from isa.people.models import Participant
from isa.people.services import date_not_in_future


def _check(
    *,
    programme: Programme,
    participants: list[Participant],
    written_on: date,
    tags: list[str],
    posture: str,
    visibility: str,
    text: str,
) -> None:
    if not participants:
        raise ValidationError({"participants": _("Choose at least one person.")})
    if any(p.programme_id != programme.pk for p in participants):
        raise ValidationError({"participants": _("Someone chosen is not in this programme.")})
    date_not_in_future(written_on, "written_on")
    if set(tags) - set(Tag.values):
        raise ValidationError({"tags": _("Unknown tag.")})
    if posture not in Posture.values or visibility not in Visibility.values:
        raise ValidationError(_("Unknown choice."))
    if not text.strip():
        raise ValidationError({"text": _("The entry is empty.")})


@transaction.atomic
def entry_write(
    *,
    programme: Programme,
    participants: list[Participant],
    actor: Actor,
    written_on: date,
    kind: str,
    tags: list[str],
    posture: str,
    visibility: str,
    text: str,
) -> Entry:
    """Write an entry; its author is the acting user."""
    _check(
        programme=programme,
        participants=participants,
        written_on=written_on,
        tags=tags,
        posture=posture,
        visibility=visibility,
        text=text,
    )
    entry = Entry.objects.create(
        programme=programme,
        author=actor.signed_in_user(),
        written_on=written_on,
        kind=kind,
        tags=[t for t in Tag.values if t in tags],
        posture=posture,
        visibility=visibility,
        text=text.strip(),
    )
    entry.participants.set(participants)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=entry,
        detail={
            "participants": [p.pk for p in participants],
            "kind": kind,
            "visibility": visibility,
        },
    )
    return entry


class StaleEntry(StaleVersion):
    """The entry was corrected by someone else meanwhile."""


@transaction.atomic
def entry_correct(
    *,
    entry: Entry,
    expected_version: int,
    participants: list[Participant],
    kind: str,
    tags: list[str],
    visibility: str,
    text: str,
    actor: Actor,
) -> Entry:
    """Correct an entry: the previous wording is kept as a version (read by the head)."""
    current = lock_version(
        entry,
        expected_version,
        _(
            "Someone else corrected this entry meanwhile. Reload it, then apply your "
            "correction again."
        ),
        error=StaleEntry,
    )
    _check(
        programme=current.programme,
        participants=participants,
        written_on=current.written_on,
        tags=tags,
        posture=current.posture,
        visibility=visibility,
        text=text,
    )
    EntryVersion.objects.create(
        entry=current,
        number=current.version,
        text=current.text,
        kind=current.kind,
        tags=current.tags,
        visibility=current.visibility,
        participant_ids=sorted(current.participants.values_list("pk", flat=True)),
        written_by=current.author,
        replaced_by=actor.signed_in_user(),
    )
    current.kind = kind
    current.tags = [t for t in Tag.values if t in tags]
    current.visibility = visibility
    current.text = text.strip()
    current.version += 1
    current.save()
    current.participants.set(participants)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=current,
        detail={"version": current.version, "visibility": visibility},
    )
    return current
