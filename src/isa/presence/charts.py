"""A calendar heat-map of presence, drawn as accessible SVG (no script, no image file).

One square per weekday for the last weeks, coloured by what happened: came, came on a
half-day outside the pact, a pact half-day without coming, or nothing expected.  The
legend and a text summary say the same in words.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from isa.presence.rates import PersonFigures

CELL = 13
GAP = 3
COLOURS = {
    "present": "#2d6a3e",
    "extra": "#7fb48d",
    "missed": "#e3b27a",
    "closed": "#ffffff",
    "none": "#ece8e1",
}


def day_states(person: PersonFigures, open_days: set[date]) -> Callable[[date], str]:
    """A function giving the state of a day, with the sets built once."""
    present = {d for d, _part in person.present_days}
    expected = {d for d, _part in person.expected_days}

    def state(day: date) -> str:
        if day in present:
            return "present" if day in expected else "extra"
        if day in expected:
            return "missed"
        if day not in open_days:
            return "closed"
        return "none"

    return state


def heatmap_svg(
    person: PersonFigures, start: date, end: date, open_half_days: set[tuple[date, str]]
) -> SafeString:
    open_days = {d for d, _part in open_half_days}
    first = start - timedelta(days=start.weekday())  # the Monday of the first week
    weeks = (end - first).days // 7 + 1
    cells = []
    labels = state_labels()
    state_of = day_states(person, open_days)
    day = first
    while day <= end:
        if day.weekday() < 5 and day >= start:
            state = state_of(day)
            x = ((day - first).days // 7) * (CELL + GAP)
            y = day.weekday() * (CELL + GAP) + 16
            cells.append(
                (
                    x,
                    y,
                    CELL,
                    CELL,
                    COLOURS[state],
                    state,
                    f"{day:%d.%m.%Y}: {labels[state]}",
                )
            )
        day += timedelta(days=1)
    months = []
    last_column = -3
    day = first
    while day <= end:
        column = (day - first).days // 7
        week_end = day + timedelta(days=6)
        # Label a month at the week holding its first day (or the first week shown), when
        # there is room after the previous label.
        month_start = week_end.replace(day=1)
        if (month_start >= day or column == 0) and column - last_column >= 3:
            months.append((column * (CELL + GAP), date_format(max(month_start, start), "M")))
            last_column = column
        day += timedelta(days=7)
    width = weeks * (CELL + GAP)
    height = 5 * (CELL + GAP) + 16
    return format_html(
        '<svg class="heatmap" viewBox="0 0 {} {}" width="{}" height="{}" role="img" '
        'aria-label="{}" xmlns="http://www.w3.org/2000/svg">{}{}</svg>',
        width,
        height,
        width,
        height,
        _("Presence from %(start)s to %(end)s")
        % {
            "start": date_format(start, "SHORT_DATE_FORMAT"),
            "end": date_format(end, "SHORT_DATE_FORMAT"),
        },
        format_html_join("", '<text x="{}" y="11" class="heatmap-month">{}</text>', months),
        # About 130 cells: numbers and the states' own colours and names, only the title
        # escaped (format_html escaped every argument of every cell; issue 17).
        mark_safe(
            "".join(
                f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="2" fill="{fill}" '
                f'class="hm-{state}"><title>{html.escape(str(title))}</title></rect>'
                for x, y, w, h, fill, state, title in cells
            )
        ),
    )


def state_labels() -> dict[str, str]:
    return {
        "present": _("came (pact)"),
        "extra": _("came (outside the pact)"),
        "missed": _("pact half-day, did not come"),
        "closed": _("workshops closed"),
        "none": _("nothing expected"),
    }


def legend() -> list[tuple[str, str, str]]:
    labels = state_labels()
    return [
        (state, COLOURS[state], labels[state]) for state in ("present", "extra", "missed", "none")
    ]
