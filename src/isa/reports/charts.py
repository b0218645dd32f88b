"""Small SVG bar charts for the report page, written from a template (no plotting library
at request time)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from isa.reports.present import TableView

ROW = 22
LABEL = 190
WIDTH = 520


def bars_svg(view: TableView) -> SafeString | str:
    """A horizontal bar per row (the latest column), hidden counts left out; "" when there
    is nothing to draw."""
    values = [(label, value) for label, value in view.bars if value is not None]
    if not values or max(v for _l, v in values) <= 0:
        return ""
    top = max(v for _l, v in values)
    room = WIDTH - LABEL - 40
    bars = [
        {
            "label": label,
            "value": value,
            "y": i * ROW,
            "width": round(room * value / top, 1),
            "text_x": LABEL + round(room * value / top, 1) + 4,
        }
        for i, (label, value) in enumerate(values)
    ]
    return SafeString(
        render_to_string(
            "reports/_bars.svg",
            {
                "bars": bars,
                "title": view.title,
                "height": ROW * len(bars),
                "width": WIDTH,
                "label_width": LABEL,
            },
        )
    )
