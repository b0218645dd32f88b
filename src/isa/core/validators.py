"""Validators every app uses on what people type: text without hidden characters, dates
and numbers within what makes sense (and what Python's dates and the database can hold).

Each field says its own bounds next to its definition (``validators=[...]`` on the model
field, the same on the form field); these are the shared pieces.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

#: Directional embeddings, overrides and isolates: they reorder what a reader sees
#: ("Trojan source"), and nobody types them in a name or a note.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

#: C0 and C1 controls (NUL, escape, backspace…), DEL and the bidirectional controls.
_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
#: The same, but a multi-line text keeps its line breaks and tabs.
_MULTILINE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI_CONTROLS}]")

#: The dates ISA accepts anywhere: wide enough for a birth date or an old receipt, narrow
#: enough that adding a year or a week never leaves Python's calendar.
FIRST_YEAR = 1900
LAST_YEAR = 2100

#: Sizes of free texts, in characters.
NOTE_LENGTH = 2_000
TEXT_LENGTH = 5_000
LONG_TEXT_LENGTH = 20_000


def no_control_characters(value: str) -> None:
    """A name or a single line of text: no control or bidirectional-override character."""
    if isinstance(value, str) and _LINE.search(value):
        raise ValidationError(
            _(
                "This text contains an invisible control character (perhaps pasted from "
                "another program): please type it again."
            ),
            code="control_character",
        )


def no_control_characters_multiline(value: str) -> None:
    """A text of several lines: line breaks and tabs, but no other control character."""
    if isinstance(value, str) and _MULTILINE.search(value):
        raise ValidationError(
            _(
                "This text contains an invisible control character (perhaps pasted from "
                "another program): please type it again."
            ),
            code="control_character",
        )


def sane_date(value: date | None) -> None:
    """A date between 1900 and 2100."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Please give a date between %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


def multiline_text(max_length: int) -> list[object]:
    """The validators of a free text of at most ``max_length`` characters."""
    return [MaxLengthValidator(max_length), no_control_characters_multiline]


def between(minimum: int, maximum: int) -> list[object]:
    """The validators of a whole number from ``minimum`` to ``maximum``."""
    return [MinValueValidator(minimum), MaxValueValidator(maximum)]
