"""Formats of dates and numbers, by language (``FORMAT_MODULE_PATH``).

Figures follow the Swiss conventions in every language (:mod:`isa.formats.swiss`).  A date
written in words follows its language: *jeudi 3 décembre 2026*, *Donnerstag, 3. Dezember
2026*, *Thursday, 3 December 2026*.  Django's ``date`` filter only knows its own format
names, so these go through :func:`long_date` (the ``long_date`` template filter).
"""

from __future__ import annotations

from datetime import date

from django.utils.dateformat import format as django_format
from django.utils.formats import get_format_modules
from django.utils.translation import get_language

#: The ways of writing a date in words, by what they include.
_FORMATS = {
    (True, True): "LONG_DATE_FORMAT",
    (True, False): "WEEKDAY_DAY_FORMAT",
    (False, True): "WRITTEN_DATE_FORMAT",
    (False, False): "MONTH_DAY_FORMAT",
}


def written_format(name: str, lang: str | None = None) -> str:
    """The format ``name`` of the current language (or ``lang``)."""
    from isa.formats import swiss

    for module in get_format_modules(lang or get_language()):
        if hasattr(module, name):
            return getattr(module, name)
    return getattr(swiss, name)


def long_date(value: date, *, weekday: bool = True, year: bool = True) -> str:
    """``value`` in words, in the current language: *Donnerstag, 3. Dezember 2026*; without
    the weekday (*3. Dezember 2026*), without the year (*Donnerstag, 3. Dezember*)."""
    return django_format(value, written_format(_FORMATS[weekday, year]))
