"""Charts on the pages: the SVG as an ``<img>``, with a data: URI or at its own address.

Inline SVG from matplotlib styles its shapes with ``style`` attributes, which the
Content-Security-Policy (no inline styles) blocks: the shapes would turn black.  An SVG
loaded as an image is its own document, rendered as drawn; its <title>/<desc> become the
image's alternative text.
"""

from __future__ import annotations

import base64
import html
import re

from django.utils.html import format_html
from django.utils.safestring import SafeString

_DESC = re.compile(r"<desc[^>]*>(.*?)</desc>", re.S)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.S)


def svg_alt(svg: str) -> str:
    """The chart's title and description, said as the image's alternative text."""
    parts = [m.group(1).strip() for m in (_TITLE.search(svg), _DESC.search(svg)) if m]
    return html.unescape(". ".join(p for p in parts if p))


def svg_link(url: str, svg: str, *, css: str = "eval-chart-img") -> SafeString | str:
    """An ``<img>`` of the chart served at ``url`` (the page stays light), described by the
    words of ``svg``."""
    if not svg:
        return ""
    return format_html('<img class="{}" src="{}" alt="{}" loading="lazy">', css, url, svg_alt(svg))


def svg_img(svg: str, *, css: str = "eval-chart-img") -> SafeString | str:
    if not svg:
        return ""
    alt = svg_alt(svg)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return format_html(
        '<img class="{}" src="data:image/svg+xml;base64,{}" alt="{}">', css, data, alt
    )
