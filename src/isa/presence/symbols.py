"""Check-in symbols: a shape and a colour a participant chooses for the kiosk, drawn as SVG
(no font, no image, nothing to read)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

SHAPES = {
    "circle": (_("circle"), '<circle cx="50" cy="50" r="38"/>'),
    "square": (_("square"), '<rect x="14" y="14" width="72" height="72" rx="6"/>'),
    "triangle": (_("triangle"), '<polygon points="50,10 90,86 10,86"/>'),
    "diamond": (_("diamond"), '<polygon points="50,8 92,50 50,92 8,50"/>'),
    "star": (
        _("star"),
        '<polygon points="50,6 61,38 95,38 67,58 78,92 50,71 22,92 33,58 5,38 39,38"/>',
    ),
    "heart": (
        _("heart"),
        '<path d="M50 88 C20 66 6 50 6 32 C6 18 17 8 30 8 C39 8 46 13 50 20 '
        'C54 13 61 8 70 8 C83 8 94 18 94 32 C94 50 80 66 50 88 Z"/>',
    ),
}
COLOURS = {
    "blue": (_("blue"), "#1f5f8b"),
    "red": (_("red"), "#b3261e"),
    "green": (_("green"), "#2d6a3e"),
    "orange": (_("orange"), "#c25e00"),
    "purple": (_("purple"), "#6b3fa0"),
    "black": (_("black"), "#1d2a3a"),
}


def symbol_choices() -> list[tuple[str, str]]:
    """Every symbol with its name in the current language (built per call: lazy names)."""
    return [
        (f"{shape}-{colour}", f"{shape_label} {colour_label}")
        for shape, (shape_label, _svg) in SHAPES.items()
        for colour, (colour_label, _hex) in COLOURS.items()
    ]


#: The symbol codes, for validation and the demo.
CODES = [f"{shape}-{colour}" for shape in SHAPES for colour in COLOURS]


def symbol_svg(code: str, size: int = 64) -> SafeString:
    shape, _sep, colour = code.partition("-")
    if shape not in SHAPES or colour not in COLOURS:
        return mark_safe("")
    label = f"{SHAPES[shape][0]} {COLOURS[colour][0]}"
    return format_html(
        '<svg class="symbol" viewBox="0 0 100 100" width="{}" height="{}" role="img" '
        'aria-label="{}" fill="{}">{}</svg>',
        size,
        size,
        label,
        COLOURS[colour][1],
        mark_safe(SHAPES[shape][1]),
    )
