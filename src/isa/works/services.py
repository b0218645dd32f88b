"""Writes with rules for works, images, exhibitions, credits and the public gallery.

Keyword-only ``<noun>_<verb>`` functions, each in one transaction with its audit event.
Refusals raise ``ValidationError`` with a message for the person at the screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from isa.core.actor import Actor
from isa.core.models import AuditAction, Programme
from isa.core.services import StaleVersion, audit_record, lock_version
from isa.people.models import ConsentKind, Participant
from isa.people.services import date_not_in_future, participants_consenting
from isa.presence.models import Medium
from isa.works import images
from isa.works.models import (
    DEFAULT_CREDIT,
    Credit,
    CreditMode,
    Exhibition,
    ExhibitionWork,
    GallerySettings,
    PressMention,
    Work,
    WorkImage,
    WorkState,
    _image_folder,
)

#: Fields of a work that a form sets.
WORK_FIELDS = ("title", "medium", "made_on", "technique", "dimensions", "description", "text")


# -- credits -----------------------------------------------------------------------------------


def credit_name(participant: Participant, credit: Credit | None = None) -> str:
    """How ``participant`` is named beside a work shown outside the team."""
    mode = credit.mode if credit else DEFAULT_CREDIT
    if mode == CreditMode.FULL_NAME:
        return f"{participant.first_name} {participant.last_name}"
    if mode == CreditMode.FIRST_NAME:
        return participant.first_name
    if mode == CreditMode.PSEUDONYM and credit and credit.pseudonym:
        return credit.pseudonym
    return _("Anonymous")


def credits_for(participants: Iterable[Participant]) -> dict[int, Credit]:
    """The credit choices of ``participants``, in one query (absent: the default)."""
    ids = {p.pk for p in participants}
    return {c.participant_id: c for c in Credit.objects.filter(participant_id__in=ids)}


def credit_line(work: Work, credits: dict[int, Credit]) -> str:
    """ "Anna, Le Hibou" for a work's (prefetched) creators.  Anonymous creators are named once."""
    names: list[str] = []
    for person in work.creators.all():
        name = credit_name(person, credits.get(person.pk))
        if name not in names:
            names.append(name)
    return ", ".join(names)


def portfolio_owner_name(participant: Participant, credit: Credit | None) -> str:
    """The name on the cover of a portfolio given to the person: their full name, unless
    they chose a pseudonym or their first name (anonymous makes no sense on their own copy)."""
    if credit and credit.mode in (CreditMode.PSEUDONYM, CreditMode.FIRST_NAME):
        return credit_name(participant, credit)
    return f"{participant.first_name} {participant.last_name}"


@transaction.atomic
def credit_set(
    *,
    participant: Participant,
    mode: str,
    pseudonym: str = "",
    actor: Actor,
) -> Credit:
    """Record how the person wants to be credited (their choice, recorded on their behalf)."""
    if mode not in CreditMode.values:
        raise ValidationError({"mode": _("Unknown choice.")})
    pseudonym = pseudonym.strip()
    if mode == CreditMode.PSEUDONYM and not pseudonym:
        raise ValidationError({"pseudonym": _("Write the pseudonym the person chose.")})
    if mode != CreditMode.PSEUDONYM:
        pseudonym = ""
    credit, _created = Credit.objects.update_or_create(
        participant=participant,
        defaults={"mode": mode, "pseudonym": pseudonym, "updated_by": actor.user},
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=credit,
        programme=participant.programme_id,
        detail={"participant": participant.pk, "mode": mode},
    )
    return credit


# -- consent at the moment of use --------------------------------------------------------------


def creators_without_consent(
    works: Sequence[Work], kind: str, *, on: date | None = None
) -> dict[int, list[Participant]]:
    """For each work (creators prefetched), the creators who have not given consent ``kind``
    in force on ``on``: one query for all the works."""
    people = {p.pk for w in works for p in w.creators.all()}
    if not people:
        return {w.pk: [] for w in works}
    consenting = set(
        participants_consenting(kind=kind, on=on).filter(pk__in=people).values_list("pk", flat=True)
    )
    return {w.pk: [p for p in w.creators.all() if p.pk not in consenting] for w in works}


# -- works -------------------------------------------------------------------------------------


def _check_work(
    *, programme: Programme, creators: Sequence[Participant], data: dict[str, Any]
) -> None:
    if not creators:
        raise ValidationError({"creators": _("Choose at least one person.")})
    if any(p.programme_id != programme.pk for p in creators):
        raise ValidationError({"creators": _("Someone chosen is not in this programme.")})
    if not str(data.get("title", "")).strip():
        raise ValidationError({"title": _("Give the work a title (“Untitled” is a title).")})
    medium = data.get("medium")
    if not isinstance(medium, Medium) or not (
        medium.organisation_id is None or medium.organisation_id == programme.organisation_id
    ):
        raise ValidationError({"medium": _("Choose a medium of this programme.")})
    date_not_in_future(data["made_on"], "made_on")
    if data.get("state", WorkState.IN_PROGRESS) not in WorkState.values:
        raise ValidationError({"state": _("Unknown state.")})


@transaction.atomic
def work_create(
    *,
    programme: Programme,
    title: str,
    medium: Medium,
    creators: Sequence[Participant],
    made_on: date | None = None,
    technique: str = "",
    dimensions: str = "",
    description: str = "",
    text: str = "",
    state: str = WorkState.IN_PROGRESS,
    actor: Actor,
) -> Work:
    made_on = made_on or timezone.localdate()
    data = {
        "title": title,
        "medium": medium,
        "made_on": made_on,
        "technique": technique,
        "dimensions": dimensions,
        "description": description,
        "text": text,
        "state": state,
    }
    _check_work(programme=programme, creators=creators, data=data)
    work = Work.objects.create(
        programme=programme,
        created_by=actor.user,
        **{k: v.strip() if isinstance(v, str) else v for k, v in data.items()},
    )
    work.creators.set(creators)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=work,
        detail={"creators": [p.pk for p in creators]},
    )
    return work


class StaleWork(StaleVersion):
    """The work was changed by someone else meanwhile."""


@transaction.atomic
def work_update(
    *,
    work: Work,
    expected_version: int,
    title: str,
    medium: Medium,
    creators: Sequence[Participant],
    made_on: date,
    technique: str = "",
    dimensions: str = "",
    description: str = "",
    text: str = "",
    state: str,
    actor: Actor,
) -> Work:
    current = lock_version(
        work,
        expected_version,
        _("Someone else changed this work meanwhile. Reload it, then apply your change."),
        error=StaleWork,
    )
    data = {
        "title": title,
        "medium": medium,
        "made_on": made_on,
        "technique": technique,
        "dimensions": dimensions,
        "description": description,
        "text": text,
        "state": state,
    }
    _check_work(programme=current.programme, creators=creators, data=data)
    for key, value in data.items():
        setattr(current, key, value.strip() if isinstance(value, str) else value)
    current.version += 1
    current.save()
    current.creators.set(creators)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=current,
        detail={"creators": [p.pk for p in creators], "state": state},
    )
    return current


@transaction.atomic
def work_set_state(*, work: Work, state: str, actor: Actor) -> Work:
    if state not in WorkState.values:
        raise ValidationError({"state": _("Unknown state.")})
    current = Work.objects.select_for_update().get(pk=work.pk)
    previous = current.state
    current.state = state
    current.version += 1
    current.save(update_fields=["state", "version", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=current,
        detail={"state": [previous, state]},
    )
    return current


# -- images ------------------------------------------------------------------------------------


def _delete_files(names: Iterable[str | None]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


@transaction.atomic
def work_add_image(
    *,
    work: Work,
    upload: IO[bytes] | bytes,
    alt_text: str = "",
    actor: Actor,
) -> WorkImage:
    """Decode, check and store one image with its renditions (see :mod:`isa.works.images`).

    ``upload`` is an uploaded file, any binary file object, or bytes.
    """
    normalised = images.validate_and_normalise(upload)
    display, _w, _h = images.make_thumbnail(normalised.data, images.DISPLAY_SIZE)
    thumb, _w, _h = images.make_thumbnail(normalised.data, images.THUMBNAIL_SIZE)
    folder = _image_folder()
    names = [
        default_storage.save(
            f"{folder}/original.{normalised.extension}", ContentFile(normalised.data)
        ),
        default_storage.save(f"{folder}/display.jpg", ContentFile(display)),
        default_storage.save(f"{folder}/thumb.jpg", ContentFile(thumb)),
    ]
    try:
        with transaction.atomic():
            order = (work.images.aggregate(m=Max("order"))["m"] or 0) + 1
            image = WorkImage.objects.create(
                work=work,
                order=order,
                alt_text=alt_text.strip()[:300],
                original=names[0],
                display=names[1],
                thumbnail=names[2],
                format=normalised.format,
                width=normalised.width,
                height=normalised.height,
                size=normalised.size,
                uploaded_by=actor.user,
            )
            audit_record(
                action=AuditAction.CREATE,
                actor=actor,
                obj=image,
                programme=work.programme_id,
                detail={"work": work.pk, "format": normalised.format, "bytes": normalised.size},
            )
    except Exception:
        # Files are not transactional: those written above go when the row could not be.
        _delete_files(names)
        raise
    return image


@transaction.atomic
def work_image_update(*, image: WorkImage, alt_text: str, actor: Actor) -> WorkImage:
    image.alt_text = alt_text.strip()[:300]
    image.save(update_fields=["alt_text"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=image,
        programme=image.work.programme_id,
        detail={"work": image.work_id},
    )
    return image


@transaction.atomic
def work_image_move(*, image: WorkImage, offset: int, actor: Actor) -> None:
    """Move an image one place earlier (-1) or later (+1) among its work's images."""
    ordered = list(WorkImage.objects.select_for_update().filter(work_id=image.work_id))
    ids = [i.pk for i in ordered]
    index = ids.index(image.pk)
    target = max(0, min(len(ids) - 1, index + offset))
    ids.insert(target, ids.pop(index))
    work_images_reorder(work=image.work, image_ids=ids, actor=actor)


@transaction.atomic
def work_images_reorder(*, work: Work, image_ids: Sequence[int], actor: Actor) -> None:
    current = {i.pk: i for i in WorkImage.objects.select_for_update().filter(work=work)}
    if set(image_ids) != set(current):
        raise ValidationError(_("The list of images changed meanwhile: reload the page."))
    for position, pk in enumerate(image_ids, start=1):
        if current[pk].order != position:
            current[pk].order = position
            current[pk].save(update_fields=["order"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=work,
        detail={"images": list(image_ids)},
    )


@transaction.atomic
def work_image_delete(*, image: WorkImage, actor: Actor) -> None:
    names = [image.original.name, image.display.name, image.thumbnail.name]
    audit_record(
        action=AuditAction.DELETE,
        actor=actor,
        obj=image,
        programme=image.work.programme_id,
        detail={"work": image.work_id},
    )
    image.delete()
    transaction.on_commit(lambda: _delete_files(names))


# -- exhibitions -------------------------------------------------------------------------------

EXHIBITION_FIELDS = ("title", "venue", "starts_on", "ends_on", "description", "visitors")


def _check_exhibition(data: dict[str, Any]) -> None:
    if not str(data.get("title", "")).strip():
        raise ValidationError({"title": _("Give the exhibition a title.")})
    if not str(data.get("venue", "")).strip():
        raise ValidationError({"venue": _("Say where the exhibition takes place.")})
    if data.get("ends_on") and data["ends_on"] < data["starts_on"]:
        raise ValidationError({"ends_on": _("The closing is before the opening.")})
    if data.get("visitors") is not None and data["visitors"] < 0:
        raise ValidationError({"visitors": _("A number of visitors cannot be negative.")})


def _exhibition_data(
    title: str,
    venue: str,
    starts_on: date,
    ends_on: date | None,
    description: str,
    visitors: int | None,
) -> dict[str, Any]:
    """The exhibition's fields, trimmed and checked (create and update alike)."""
    data = {
        "title": title.strip(),
        "venue": venue.strip(),
        "starts_on": starts_on,
        "ends_on": ends_on,
        "description": description.strip(),
        "visitors": visitors,
    }
    _check_exhibition(data)
    return data


@transaction.atomic
def exhibition_create(
    *,
    programme: Programme,
    title: str,
    venue: str,
    starts_on: date,
    ends_on: date | None = None,
    description: str = "",
    visitors: int | None = None,
    actor: Actor,
) -> Exhibition:
    data = _exhibition_data(title, venue, starts_on, ends_on, description, visitors)
    exhibition = Exhibition.objects.create(programme=programme, created_by=actor.user, **data)
    audit_record(action=AuditAction.CREATE, actor=actor, obj=exhibition)
    return exhibition


class StaleExhibition(StaleVersion):
    """The exhibition was changed by someone else meanwhile."""


@transaction.atomic
def exhibition_update(
    *,
    exhibition: Exhibition,
    expected_version: int,
    title: str,
    venue: str,
    starts_on: date,
    ends_on: date | None = None,
    description: str = "",
    visitors: int | None = None,
    actor: Actor,
) -> Exhibition:
    current = lock_version(
        exhibition,
        expected_version,
        _("Someone else changed this exhibition meanwhile. Reload it, then apply your change."),
        error=StaleExhibition,
    )
    data = _exhibition_data(title, venue, starts_on, ends_on, description, visitors)
    for key, value in data.items():
        setattr(current, key, value)
    current.version += 1
    current.save()
    audit_record(action=AuditAction.UPDATE, actor=actor, obj=current)
    return current


@transaction.atomic
def exhibition_add_work(*, exhibition: Exhibition, work: Work, actor: Actor) -> ExhibitionWork:
    """Show ``work`` in ``exhibition`` (last place).  Whether it reaches the catalogue is
    decided at the moment of use, by the creators' exhibition consent
    (:func:`creators_without_consent` tells the team who has not given it)."""
    if work.programme_id != exhibition.programme_id:
        raise ValidationError({"work": _("This work is not in this programme.")})
    # Two people adding works at once: one waits for the other (the order, the duplicate).
    Exhibition.objects.select_for_update().filter(pk=exhibition.pk).first()
    if ExhibitionWork.objects.filter(exhibition=exhibition, work=work).exists():
        raise ValidationError({"work": _("This work is already in the exhibition.")})
    order = (exhibition.entries.aggregate(m=Max("order"))["m"] or 0) + 1
    entry = ExhibitionWork.objects.create(exhibition=exhibition, work=work, order=order)
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=exhibition,
        detail={"added_work": work.pk},
    )
    return entry


@transaction.atomic
def exhibition_remove_work(*, exhibition: Exhibition, work: Work, actor: Actor) -> None:
    ExhibitionWork.objects.filter(exhibition=exhibition, work=work).delete()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=exhibition,
        detail={"removed_work": work.pk},
    )


@transaction.atomic
def exhibition_move_work(
    *,
    exhibition: Exhibition,
    work: Work,
    offset: int,
    actor: Actor,
) -> None:
    """Move a work one place earlier (-1) or later (+1) in the exhibition's order."""
    entries = list(ExhibitionWork.objects.select_for_update().filter(exhibition=exhibition))
    ids = [e.work_id for e in entries]
    if work.pk not in ids:
        raise ValidationError(_("This work is not in the exhibition."))
    index = ids.index(work.pk)
    target = max(0, min(len(ids) - 1, index + offset))
    entries.insert(target, entries.pop(index))
    for position, entry in enumerate(entries, start=1):
        if entry.order != position:
            entry.order = position
            entry.save(update_fields=["order"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=exhibition,
        detail={"order": [e.work_id for e in entries]},
    )


@transaction.atomic
def press_mention_add(
    *,
    exhibition: Exhibition,
    outlet: str,
    on: date,
    title: str,
    url: str = "",
    actor: Actor,
) -> PressMention:
    if not outlet.strip() or not title.strip():
        raise ValidationError(_("Name the outlet and the title of the article."))
    mention = PressMention.objects.create(
        exhibition=exhibition, outlet=outlet.strip(), on=on, title=title.strip(), url=url.strip()
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=mention,
        programme=exhibition.programme_id,
        detail={"exhibition": exhibition.pk},
    )
    return mention


@transaction.atomic
def press_mention_delete(*, mention: PressMention, actor: Actor) -> None:
    audit_record(
        action=AuditAction.DELETE,
        actor=actor,
        obj=mention,
        programme=mention.exhibition.programme_id,
        detail={"exhibition": mention.exhibition_id},
    )
    mention.delete()


def catalogue_works(exhibition: Exhibition, *, on: date | None = None) -> list[Work]:
    """The works of the catalogue, in the exhibition's order: those whose every creator has
    given the exhibition consent, checked now (a withdrawal takes them out at once)."""
    consented = Work.objects.consented(
        ConsentKind.EXHIBITION, on=on, programme=exhibition.programme_id
    )
    return exhibition_works(exhibition, only=consented)


def exhibition_works(exhibition: Exhibition, *, only: Any = None) -> list[Work]:
    """The works of ``exhibition`` in its order, medium, creators and images read at once."""
    entries = ExhibitionWork.objects.filter(exhibition=exhibition)
    if only is not None:
        entries = entries.filter(work__in=only.values("pk"))
    entries = (
        entries.select_related("work__medium")
        .prefetch_related(
            "work__creators",
            Prefetch("work__images", queryset=WorkImage.objects.order_by("order", "pk")),
        )
        .order_by("order", "pk")
    )
    return [entry.work for entry in entries]


# -- the public gallery ------------------------------------------------------------------------


def gallery_settings_for(programme: Programme | int) -> GallerySettings | None:
    pid = programme if isinstance(programme, int) else programme.pk
    return GallerySettings.objects.filter(programme_id=pid).first()


@transaction.atomic
def gallery_settings_set(
    *,
    programme: Programme,
    enabled: bool,
    introduction: str = "",
    actor: Actor,
) -> GallerySettings:
    settings, _created = GallerySettings.objects.update_or_create(
        programme=programme,
        defaults={
            "enabled": enabled,
            "introduction": introduction.strip(),
            "updated_by": actor.user,
        },
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=settings,
        programme=programme,
        detail={"enabled": enabled},
    )
    return settings
