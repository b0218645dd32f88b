"""Small SVG bar charts for the report page, written from a template (no plotting library
at request time).

Each bar sits under its label, which wraps onto as many lines as it needs: nothing is cut,
and the drawing is narrow enough (``WIDTH`` units, drawn at most ``WIDTH`` pixels wide) that
on a 360 px phone it is shown at nearly its own size, its text never under 12 px.  It scales
with its ``viewBox``; the table beside it gives every figure, the ``<desc>`` repeats them."""

from __future__ import annotations

import textwrap

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from isa.core.documents.formats import swiss_number
from isa.reports.present import TableView

WIDTH = 300  # drawing units; the page draws it at most this many pixels wide
FONT = 13  # drawing units: ≥ 12 px as long as the chart is drawn ≥ 277 px wide
LINE = 16  # a label line
BAR = 14  # a bar's height
GAP = 10  # between two rows
CHAR = 0.56 * FONT  # a generous average width of a character of the page's sans-serif


def wrap(label: str, width: float = WIDTH) -> list[str]:
    """``label`` on lines that fit ``width`` drawing units (long words are broken)."""
    columns = max(8, int(width // CHAR))
    return textwrap.wrap(label, columns, break_long_words=True) or [""]


def bars_svg(view: TableView) -> SafeString | str:
    """A horizontal bar per row (the latest column), hidden counts left out; "" when there
    is nothing to draw.  Call it in the report's language (the description is written)."""
    values = [(label, value) for label, value in view.bars if value is not None]
    if not values or max(v for _l, v in values) <= 0:
        return ""
    top = max(v for _l, v in values)
    texts = [swiss_number(value) for _l, value in values]
    room = WIDTH - CHAR * max(len(t) for t in texts) - 8
    bars = []
    y = 0.0
    for (label, value), text in zip(values, texts, strict=True):
        lines = wrap(label)
        bar_y = y + LINE * len(lines) + 4
        width = round(room * value / top, 1)
        bars.append(
            {
                "lines": [
                    {"text": line, "y": round(y + LINE * (i + 1) - 4, 1)}
                    for i, line in enumerate(lines)
                ],
                "bar_y": round(bar_y, 1),
                "width": width,
                "value": text,
                "text_x": round(width + 4, 1),
                "text_y": round(bar_y + BAR - 2, 1),
            }
        )
        y = bar_y + BAR + GAP
    height = round(y - GAP + 2, 1)
    description = _("%(column)s, one bar per line of the table: %(values)s.") % {
        "column": view.bars_label or view.title,
        "values": "; ".join(
            f"{label}: {text}" for (label, _v), text in zip(values, texts, strict=True)
        ),
    }
    return SafeString(
        render_to_string(
            "reports/_bars.svg",
            {
                "id": f"chart-{view.key}",
                "bars": bars,
                "title": view.title,
                "description": description,
                "height": height,
                "width": WIDTH,
                "font": FONT,
            },
        )
    )
