"""Scenes of the participant's space shared by its tests."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

from isa.journal.services import entry_write
from isa.people.models import Participant
from tests.conftest import Cast


def write(cast: Cast, visibility: str, text: str, who: Participant | None = None):
    return entry_write(
        programme=cast.programme,
        participants=[who or cast.participant],
        actor=cast.actor("social_worker"),
        written_on=date(2024, 4, 2),
        kind="observation",
        tags=[],
        posture="social_worker",
        visibility=visibility,
        text=text,
    )


def zip_files(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_text(content: bytes) -> str:
    return "\n".join(
        data.decode("utf-8-sig")
        for name, data in zip_files(content).items()
        if name.endswith((".json", ".csv"))
    )


def zip_json(content: bytes, name: str) -> list:
    return json.loads(zip_files(content)[name])
