from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.safestring import mark_safe

from isa.core.text import mid_sentence
from isa.formats import long_date

register = template.Library()


@register.filter
def chf(value: object) -> str:
    """1234.5 → 1'234.50 (Swiss style, whatever the language)."""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return mark_safe(sign + "'".join(groups) + "." + cents)  # digits, ' and . only


@register.filter
def percent_of(part: int, whole: int) -> int:
    if not whole:
        return 0
    return min(100, round(100 * part / whole))


@register.filter(name="mid_sentence")
def mid_sentence_filter(value: object) -> str:
    """See :func:`isa.core.text.mid_sentence`."""
    return mid_sentence(value)


@register.filter(name="long_date")
def long_date_filter(value: object, leave_out: str = "") -> str:
    """A date in words in the page's language: ``{{ day|long_date }}`` (*Donnerstag,
    3. Dezember 2026*), ``|long_date:"weekday"`` or ``|long_date:"year"`` leaves one out."""
    if not isinstance(value, date):
        return ""
    return long_date(value, weekday=leave_out != "weekday", year=leave_out != "year")
