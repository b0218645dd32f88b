"""Every user-facing string is translated in French, German and English."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LOCALES = ["fr", "de", "en"]


def catalogue(lang: str):
    path = Path(settings.LOCALE_PATHS[0]) / lang / "LC_MESSAGES" / "django.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


@pytest.mark.parametrize("lang", LOCALES)
def test_every_message_is_translated(lang: str):
    untranslated = [
        m.id
        for m in catalogue(lang)
        if m.id and (m.fuzzy or not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    assert not untranslated, f"{lang}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"


@pytest.mark.parametrize("lang", LOCALES)
def test_placeholders_are_kept(lang: str):
    problems = [(m.id, errors) for m, errors in catalogue(lang).check() if errors]
    assert not problems, problems[:5]


def test_the_three_catalogues_hold_the_same_messages():
    ids = [
        {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(lang)} for lang in LOCALES
    ]
    assert ids[0] == ids[1] == ids[2]


def test_swiss_german_spelling():
    assert not [m.id for m in catalogue("de") if "ß" in str(m.string)]
