"""Small makers for the works tests and the permission matrix: images, works, consents."""

from __future__ import annotations

import io
import struct
import zlib
from datetime import date

from django.utils import timezone
from PIL import Image, ImageDraw

from isa.core.actor import Actor
from isa.people import services as people
from isa.people.models import ConsentKind, Participant
from isa.presence.models import Medium
from isa.works import services
from isa.works.models import Work, WorkImage


def medium(code: str = "painting") -> Medium:
    return Medium.objects.get(organisation__isnull=True, code=code)


def image_bytes(fmt: str = "PNG", size: tuple[int, int] = (64, 48), colour: str = "teal") -> bytes:
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).rectangle([0, 0, size[0] // 2, size[1] // 2], fill="orange")
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid 1-bit PNG of width × height pixels in a few KB, built row by row (the raw
    pixels, 50 MB, never exist in memory at once)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    packer = zlib.compressobj(9)
    parts = [packer.compress(row) for _ in range(height)]
    parts.append(packer.flush())
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", b"".join(parts))
        + chunk(b"IEND", b"")
    )


def give(participant: Participant, kind: str, by, on: date | None = None) -> None:
    people.consent_record(
        participant=participant,
        kind=kind,
        state="given",
        on=on or date(2024, 3, 4),
        method="paper",
        actor=Actor.of(by),
    )


def withdraw(participant: Participant, kind: str, by) -> None:
    people.consent_record(
        participant=participant,
        kind=kind,
        state="withdrawn",
        on=timezone.localdate(),
        method="oral",
        actor=Actor.of(by),
    )


def make_work(
    cast, *, creators=None, title: str = "Les vignes de Savièse", image: bool = False, **extra
) -> Work:
    work = services.work_create(
        programme=cast.programme,
        title=title,
        medium=extra.pop("medium", None) or medium(),
        creators=creators or [cast.participant],
        made_on=extra.pop("made_on", date(2024, 5, 2)),
        technique=extra.pop("technique", "acrylique sur toile"),
        dimensions=extra.pop("dimensions", "40 × 50 cm"),
        actor=cast.actor("facilitator"),
        **extra,
    )
    if image:
        services.work_add_image(work=work, upload=image_bytes(), actor=cast.actor("facilitator"))
    return work


def first_image(work: Work) -> WorkImage:
    return work.images.order_by("order").first()


def shown_online(cast) -> Work:
    """A work with an image, its creator consenting to online publication, gallery open."""
    give(cast.participant, ConsentKind.ONLINE, cast.users["social_worker"])
    services.gallery_settings_set(programme=cast.programme, enabled=True, actor=cast.actor("head"))
    return make_work(cast, image=True)


def newcomer(cast, last_name: str, first_names: str) -> Participant:
    """Another participant of the cast's programme, accompanied since March 2024."""
    from tests.conftest import refer

    person = refer(cast.programme, cast.users["head"], last_name, first_names).participant
    people.participant_admit(participant=person, on=date(2024, 3, 4), actor=cast.actor("head"))
    person.refresh_from_db()
    return person
