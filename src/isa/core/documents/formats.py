"""Swiss formats for documents, in every language: dates dd.mm.yyyy, amounts 1'234.50.

The separators and date formats come from :mod:`isa.formats.swiss`, the same module that
formats the pages, so a figure reads the same on screen, on paper and in a spreadsheet.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as django_format
from django.utils.translation import gettext as _

from isa.formats import swiss


def swiss_date(value: date) -> str:
    """ "07.03.2025", whatever the language."""
    return django_format(value, swiss.SHORT_DATE_FORMAT)


def swiss_datetime(value: datetime) -> str:
    """ "07.03.2025 14:05" in the local time zone, whatever the language."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return django_format(value, swiss.SHORT_DATETIME_FORMAT)


def swiss_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """ "1'234.5": thousands grouped by an apostrophe, a point before the decimals, rounded
    half up (as people round, not as floats do)."""
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _point, fraction = f"{abs(rounded):f}".partition(".")
    groups: list[str] = []
    while len(whole) > swiss.NUMBER_GROUPING:
        groups.insert(0, whole[-swiss.NUMBER_GROUPING :])
        whole = whole[: -swiss.NUMBER_GROUPING]
    grouped = swiss.THOUSAND_SEPARATOR.join([whole, *groups])
    return sign + grouped + (swiss.DECIMAL_SEPARATOR + fraction if fraction else "")


def swiss_amount(value: int | float | Decimal) -> str:
    """ "1'234.50": an amount in francs and centimes."""
    return swiss_number(value, 2)


def chf(value: int | float | Decimal) -> str:
    """ "CHF 1'234.50"."""
    return f"CHF {swiss_amount(value)}"


def generated_on() -> str:
    """ "Generated on 07.03.2025 14:05", in the current language."""
    return _("Generated on %(date)s") % {"date": swiss_datetime(timezone.now())}


def is_fictional() -> bool:
    """Whether the data is the fictional demo: the same rule as the banner on every page
    (``ISA_DEMO``, on by default with ``ISA_DEBUG``)."""
    return bool(settings.ISA_DEMO_BANNER)


def fictional_mark() -> str:
    """The words that mark fictional data on every page of a document (the banner of the
    pages says it at length)."""
    return _("Demonstration: fictional data")
