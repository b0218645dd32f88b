"""Check-in symbols: a shape and a colour a participant chooses for the kiosk, drawn as SVG
(no font, no image, nothing to read)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

SHAPES = {
    "circle": '<circle cx="50" cy="50" r="38"/>',
    "square": '<rect x="14" y="14" width="72" height="72" rx="6"/>',
    "triangle": '<polygon points="50,10 90,86 10,86"/>',
    "diamond": '<polygon points="50,8 92,50 50,92 8,50"/>',
    "star": '<polygon points="50,6 61,38 95,38 67,58 78,92 50,71 22,92 33,58 5,38 39,38"/>',
    "heart": (
        '<path d="M50 88 C20 66 6 50 6 32 C6 18 17 8 30 8 C39 8 46 13 50 20 '
        'C54 13 61 8 70 8 C83 8 94 18 94 32 C94 50 80 66 50 88 Z"/>'
    ),
}
COLOURS = {
    "blue": "#1f5f8b",
    "red": "#b3261e",
    "green": "#2d6a3e",
    "orange": "#c25e00",
    "purple": "#6b3fa0",
    "black": "#1d2a3a",
}

#: The symbol codes, for validation and the demo.
CODES = [f"{shape}-{colour}" for shape in SHAPES for colour in COLOURS]

#: The name of every symbol, whole: each language puts the colour where it belongs and makes
#: it agree with the shape (une étoile bleue, un cercle bleu; ein blauer Stern, ein blaues
#: Herz), which a shape and a colour translated apart cannot do.
NAMES: dict[str, Promise] = {
    "circle-blue": _("blue circle"),
    "circle-red": _("red circle"),
    "circle-green": _("green circle"),
    "circle-orange": _("orange circle"),
    "circle-purple": _("purple circle"),
    "circle-black": _("black circle"),
    "square-blue": _("blue square"),
    "square-red": _("red square"),
    "square-green": _("green square"),
    "square-orange": _("orange square"),
    "square-purple": _("purple square"),
    "square-black": _("black square"),
    "triangle-blue": _("blue triangle"),
    "triangle-red": _("red triangle"),
    "triangle-green": _("green triangle"),
    "triangle-orange": _("orange triangle"),
    "triangle-purple": _("purple triangle"),
    "triangle-black": _("black triangle"),
    "diamond-blue": _("blue diamond"),
    "diamond-red": _("red diamond"),
    "diamond-green": _("green diamond"),
    "diamond-orange": _("orange diamond"),
    "diamond-purple": _("purple diamond"),
    "diamond-black": _("black diamond"),
    "star-blue": _("blue star"),
    "star-red": _("red star"),
    "star-green": _("green star"),
    "star-orange": _("orange star"),
    "star-purple": _("purple star"),
    "star-black": _("black star"),
    "heart-blue": _("blue heart"),
    "heart-red": _("red heart"),
    "heart-green": _("green heart"),
    "heart-orange": _("orange heart"),
    "heart-purple": _("purple heart"),
    "heart-black": _("black heart"),
}


def symbol_name(code: str) -> str:
    """The name of a symbol in the current language, or "" for an unknown code."""
    name = NAMES.get(code)
    return str(name) if name is not None else ""


def symbol_choices() -> list[tuple[str, str]]:
    """Every symbol with its name in the current language (built per call: lazy names)."""
    return [(code, symbol_name(code)) for code in CODES]


def symbol_svg(code: str, size: int = 64) -> SafeString:
    shape, _sep, colour = code.partition("-")
    if shape not in SHAPES or colour not in COLOURS:
        return mark_safe("")
    return format_html(
        '<svg class="symbol" viewBox="0 0 100 100" width="{}" height="{}" role="img" '
        'aria-label="{}" fill="{}">{}</svg>',
        size,
        size,
        symbol_name(code),
        COLOURS[colour],
        mark_safe(SHAPES[shape]),
    )
