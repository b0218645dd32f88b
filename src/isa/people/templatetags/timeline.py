"""``{{ timeline|timeline_items }}``: the file's timeline as list items, built in Python.

A file holds hundreds of steps (presence milestones, journal entries); the template loop
with two ``date`` filters per step was a third of the page (issue 17).  The markup is the
same as the loop's; each date is formatted once."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from isa.core.text import escaped
from isa.people.timeline import TimelineItem

register = template.Library()


@register.filter
def timeline_items(items: Iterable[TimelineItem]) -> SafeString:
    items = list(items)
    if not items:
        return format_html("<li>{}</li>", _("Nothing yet."))
    # Hundreds of steps: each distinct date formatted once, with the format looked up once
    # (what ``date_format`` does on every call), and every value escaped once with plain
    # string building instead of ``format_html`` per step (``escaped``: without Django's
    # lazy-argument wrapper, a thousand calls per file).
    fmt = get_format("SHORT_DATE_FORMAT")
    shown: dict[object, str] = {}
    rows = []
    for item in items:
        if item.on not in shown:
            shown[item.on] = dateformat.format(item.on, fmt)
        title = escaped(item.title)
        if item.url:
            title = f'<a href="{escaped(item.url)}">{title}</a>'
        detail = (
            f'<span class="timeline-detail">{escaped(item.detail)}</span>' if item.detail else ""
        )
        rows.append(
            f'<li class="timeline-item timeline-{escaped(item.kind)}">'
            f'<time datetime="{item.on.isoformat()}">{escaped(shown[item.on])}</time> '
            f'<span class="timeline-title">{title}</span> {detail}</li>'
        )
    return mark_safe("\n".join(rows))  # every value above is escaped
