"""Charts on the pages: the SVG as an ``<img>``, with a data: URI or at its own address.

A chart loaded as an image is its own document: the page's Content-Security-Policy does
not reach into it, and its <title>/<desc> become the image's alternative text.  (The charts
were drawn by matplotlib, whose ``style`` attributes the policy blocks inline; they are
hand-written SVG now, but an image keeps the page light and the figures cacheable.)
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
