"""``{{ timeline|timeline_items }}``: the file's timeline as list items, built in Python.

A file holds hundreds of steps (presence milestones, journal entries); the template loop
with two ``date`` filters per step was a third of the page (issue 17).  The markup is the
same as the loop's; each date is formatted once."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from isa.people.timeline import TimelineItem

register = template.Library()


@register.filter
def timeline_items(items: Iterable[TimelineItem]) -> SafeString:
    shown: dict[object, str] = {}

    def row(item: TimelineItem) -> tuple[object, ...]:
        if item.on not in shown:
            shown[item.on] = date_format(item.on, "SHORT_DATE_FORMAT")
        title = format_html('<a href="{}">{}</a>', item.url, item.title) if item.url else item.title
        detail = (
            format_html('<span class="timeline-detail">{}</span>', item.detail)
            if item.detail
            else ""
        )
        return (item.kind, item.on.isoformat(), shown[item.on], title, detail)

    items = list(items)
    if not items:
        return format_html("<li>{}</li>", _("Nothing yet."))
    return format_html_join(
        "\n",
        '<li class="timeline-item timeline-{}"><time datetime="{}">{}</time> '
        '<span class="timeline-title">{}</span> {}</li>',
        (row(item) for item in items),
    )
