"""A drawn symbol for each medium, shown where a work has no image (a box with the medium's
name alone looked empty).  Line drawings as inline SVG in the text colour: no font, no image
file, nothing the CSP has to allow.  The medium's name stays beside the symbol, which is
therefore hidden from screen readers."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from isa.presence.models import Medium

#: The built-in media's codes (presence migration 0002); a medium an organisation added
#: gets the symbol of "other".
DRAWINGS = {
    "painting": (  # a palette
        '<path d="M24 6C13 6 5 13.5 5 23s8 17 17 17c3 0 4-2 3-4.5s0-4.5 3-4.5h5c6 0 10-4 '
        '10-10C43 12 35 6 24 6z"/><circle cx="15" cy="20" r="2.5"/>'
        '<circle cx="23" cy="14" r="2.5"/><circle cx="32" cy="16" r="2.5"/>'
    ),
    "sculpture": (  # a head on a plinth
        '<path d="M24 8c-5 0-8 4-8 9s3 9 8 9 8-4 8-9-3-9-8-9z"/>'
        '<path d="M20 26l-2 6h12l-2-6"/><rect x="13" y="32" width="22" height="8" rx="1"/>'
    ),
    "drawing": (  # a pencil
        '<path d="M10 38l3-10L32 9l7 7-19 19z"/><path d="M13 28l7 7"/><path d="M28 13l7 7"/>'
    ),
    "photography": (  # a camera
        '<rect x="6" y="14" width="36" height="24" rx="3"/><circle cx="24" cy="26" r="7"/>'
        '<path d="M17 14l3-5h8l3 5"/>'
    ),
    "engraving": (  # a printmaker's roller
        '<rect x="6" y="8" width="28" height="10" rx="5"/><path d="M34 13h5v12H22v15"/>'
    ),
    "writing": (  # a quill
        '<path d="M39 7C25 9 15 19 13 35"/><path d="M13 35c11-2 21-11 26-28"/>'
        '<path d="M13 35l-3 6"/><path d="M19 27h8"/>'
    ),
    "other": (  # a few shapes
        '<circle cx="15" cy="15" r="6"/><rect x="27" y="9" width="12" height="12" rx="1"/>'
        '<path d="M15 27l7 12H8z"/><path d="M33 27l6 6-6 6-6-6z"/>'
    ),
}


def medium_svg(medium: Medium | None, size: int = 64) -> SafeString:
    """The symbol of ``medium`` (that of "other" for an organisation's own medium)."""
    code = medium.code if medium is not None and medium.organisation_id is None else "other"
    return format_html(
        '<svg class="medium-symbol" data-medium="{}" viewBox="0 0 48 48" width="{}" height="{}"'
        ' aria-hidden="true" focusable="false" fill="none" stroke="currentColor"'
        ' stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round">{}</svg>',
        code if code in DRAWINGS else "other",
        size,
        size,
        mark_safe(DRAWINGS.get(code, DRAWINGS["other"])),
    )
