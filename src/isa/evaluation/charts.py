"""Charts of the evaluation as accessible, deterministic SVG, written by hand.

A trajectory of a few points, a strip of before/after pairs and one stacked bar need no
plotting library: each is a few dozen SVG elements computed here, in well under a
millisecond, so no page pays matplotlib's drawing (25–60 ms a chart) or its import (see
docs/decisions.md).  The look is the house's (the colours of ``isa.css``, DejaVu Sans or
the system's sans-serif); what a chart shows is given in words in its ``<title>`` and
``<desc>`` for screen readers (the pages show it as an image with that alternative text,
and the figures also stand in a table next to it).  The same data always give the same
bytes.  Shapes carry presentation attributes, never ``style``: the Content-Security-Policy
allows no inline styles.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .instruments import Score
from .memo import memoised

# House colours (src/isa/static/isa/isa.css).
INK = "#1d2a3a"
MUTED = "#4a5868"
LINE = "#d9d4ca"
PAPER = "#fbfaf7"
ACCENT = "#1f5f8b"
WARM = "#a3471b"
OK = "#2d6a3e"
NEUTRAL = "#6b7785"  # 4.6:1 with white text
BAND_TINTS = ("#f1efe9", "#e7eef4")
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


def _fmt(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return number_format(round(value, 1), decimal_pos=1)


def _day(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _n(value: float) -> str:
    """A coordinate: two decimals at most, no trailing zeros (stable bytes)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class _Canvas:
    """The elements of one SVG, in drawing order."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.parts: list[str] = []

    def _element(self, name: str, attrs: dict[str, object], text: str | None = None) -> None:
        rendered = " ".join(
            f"{key.replace('_', '-')}={quoteattr(_n(v) if isinstance(v, float) else str(v))}"
            for key, v in attrs.items()
            if v is not None
        )
        if text is None:
            self.parts.append(f"<{name} {rendered}/>")
        else:
            self.parts.append(f"<{name} {rendered}>{escape(text)}</{name}>")

    def rect(self, x: float, y: float, w: float, h: float, fill: str, **attrs: object) -> None:
        self._element(
            "rect",
            {
                "x": float(x),
                "y": float(y),
                "width": float(w),
                "height": float(h),
                "fill": fill,
                **attrs,
            },
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, stroke: str, **attrs: object
    ) -> None:
        self._element(
            "line",
            {
                "x1": float(x1),
                "y1": float(y1),
                "x2": float(x2),
                "y2": float(y2),
                "stroke": stroke,
                **attrs,
            },
        )

    def polyline(self, points: Sequence[tuple[float, float]], stroke: str, **attrs: object) -> None:
        self._element(
            "polyline",
            {
                "points": " ".join(f"{_n(x)},{_n(y)}" for x, y in points),
                "fill": "none",
                "stroke": stroke,
                **attrs,
            },
        )

    def circle(self, x: float, y: float, r: float, fill: str, **attrs: object) -> None:
        self._element(
            "circle", {"cx": float(x), "cy": float(y), "r": float(r), "fill": fill, **attrs}
        )

    def text(
        self,
        x: float,
        y: float,
        content: str,
        *,
        size: float = 13,
        fill: str = MUTED,
        anchor: str = "start",
        weight: str | None = None,
        baseline: str | None = "middle",
        **attrs: object,
    ) -> None:
        self._element(
            "text",
            {
                "x": float(x),
                "y": float(y),
                "font_size": float(size),
                "fill": fill,
                "text_anchor": anchor,
                "font_weight": weight,
                "dominant_baseline": baseline,
                **attrs,
            },
            content,
        )

    def render(self, *, title: str, desc: str) -> str:
        # Ids unique per content (and stable), so several charts can share a page.
        key = hashlib.sha256(f"{title}\n{desc}".encode()).hexdigest()[:10]
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="100%" '
            f'viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-labelledby="chart-{key}-title chart-{key}-desc" '
            f"font-family={quoteattr(FONT)}>\n"
            f'<title id="chart-{key}-title">{escape(title or desc)}</title>'
            f'<desc id="chart-{key}-desc">{escape(desc)}</desc>\n'
            f'<rect width="100%" height="100%" fill="white"/>\n'
            + "\n".join(self.parts)
            + "\n</svg>"
        )


def _empty(width: int, message: str, *, title: str, desc: str) -> str:
    canvas = _Canvas(width, 86)
    canvas.text(width / 2, 43, message, size=15, anchor="middle")
    return canvas.render(title=title, desc=desc)


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round values between low and high, about ``count`` of them (1, 2, 2.5 or 5 × 10ⁿ)."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    values = []
    value = first
    while value <= high + 1e-9:
        values.append(round(value, 6))
        value += step
    return values


class _Plot:
    """A plot area: score on the vertical axis (with a 3 % margin), positions across."""

    def __init__(
        self,
        canvas: _Canvas,
        box: tuple[float, float, float, float],
        score: Score,
        x_range: tuple[float, float],
    ) -> None:
        self.canvas = canvas
        self.left, self.top, self.width, self.height = box
        span = score.maximum - score.minimum
        self.y_low = score.minimum - span * 0.03
        self.y_high = score.maximum + span * 0.03
        self.x_low, self.x_high = x_range
        self.score = score

    def x(self, value: float) -> float:
        return self.left + (value - self.x_low) / (self.x_high - self.x_low) * self.width

    def y(self, value: float) -> float:
        fraction = (value - self.y_low) / (self.y_high - self.y_low)
        return self.top + self.height * (1 - fraction)

    def bands(self) -> None:
        """Shade the bands; gaps between discrete bands (28 and 32) split at their midpoint."""
        bands = self.score.bands
        right = self.left + self.width
        for index, band in enumerate(bands):
            low = self.score.minimum if index == 0 else (bands[index - 1].high + band.low) / 2
            high = (
                self.score.maximum
                if index == len(bands) - 1
                else (band.high + bands[index + 1].low) / 2
            )
            top, bottom = self.y(high), self.y(low)
            self.canvas.rect(self.left, top, self.width, bottom - top, BAND_TINTS[index % 2])
            self.canvas.text(right + 8, (top + bottom) / 2, band.label, size=11)

    def axes(self, x_labels: Sequence[tuple[float, str]]) -> None:
        canvas = self.canvas
        bottom = self.top + self.height
        for tick in _ticks(self.score.minimum, self.score.maximum):
            y = self.y(tick)
            canvas.line(self.left, y, self.left + self.width, y, LINE, stroke_width="0.8")
            canvas.text(self.left - 8, y, _fmt(tick), size=12, anchor="end")
        canvas.line(self.left, self.top, self.left, bottom, LINE, stroke_width="1")
        canvas.line(self.left, bottom, self.left + self.width, bottom, LINE, stroke_width="1")
        for value, label in x_labels:
            x = self.x(value)
            canvas.line(x, bottom, x, bottom + 5, LINE, stroke_width="1")
            canvas.text(x, bottom + 18, label, size=12, anchor="middle")
        middle = self.top + self.height / 2
        canvas.text(
            18,
            middle,
            self.score.label,
            size=12,
            anchor="middle",
            transform=f"rotate(-90 18 {_n(middle)})",
        )


@memoised
def trajectory_svg(
    points: Sequence[tuple[date, float | None]], *, score: Score, title: str = ""
) -> str:
    """One person's scores over time, the score's bands shaded behind."""
    known = sorted((day, value) for day, value in points if value is not None)
    if known:
        listing = "; ".join(f"{_day(day)}: {_fmt(value)}" for day, value in known)
        desc = _("%(score)s over time. %(listing)s.") % {"score": score.label, "listing": listing}
    else:
        desc = _("%(score)s: no score yet.") % {"score": score.label}
    heading = title or score.label
    if not known:
        return _empty(720, _("No score yet."), title=heading, desc=desc)
    canvas = _Canvas(720, 340)
    plot_width = 720 * (0.66 if score.bands else 0.86)
    plot = _Plot(canvas, (72, 44, plot_width, 248), score, (-0.5, len(known) - 0.5))
    plot.bands()
    plot.axes([(i, _day(day)) for i, (day, _value) in enumerate(known)])
    coordinates = [(plot.x(i), plot.y(value)) for i, (_day_, value) in enumerate(known)]
    if len(coordinates) > 1:
        canvas.polyline(coordinates, ACCENT, stroke_width="2.5")
    for (x, y), (_when, value) in zip(coordinates, known, strict=True):
        canvas.circle(x, y, 5, "white", stroke=ACCENT, stroke_width="2.5")
        canvas.text(x, y - 15, _fmt(value), size=12, fill=INK, anchor="middle")
    if title:
        canvas.text(72, 22, title, size=15, fill=INK)
    return canvas.render(title=heading, desc=desc)


def _spread(values: Sequence[float], centre: float, width: float = 0.16) -> list[float]:
    """Horizontal positions that place equal values side by side instead of on top of each other."""
    seen: dict[float, int] = {}
    totals: dict[float, int] = {}
    for value in values:
        totals[value] = totals.get(value, 0) + 1
    positions = []
    for value in values:
        index = seen.get(value, 0)
        seen[value] = index + 1
        count = totals[value]
        offset = 0.0 if count == 1 else (index / (count - 1) - 0.5) * min(width, 0.04 * count)
        positions.append(centre + offset)
    return positions


@memoised
def distribution_svg(
    before: Sequence[float | None],
    after: Sequence[float | None],
    *,
    score: Score,
    title: str = "",
) -> str:
    """The group's values before and after: each person's pair joined by a line, medians marked."""
    pairs = [(b, a) for b, a in zip(before, after, strict=True) if b is not None and a is not None]
    n = len(pairs)
    heading = title or score.label
    if not n:
        desc = _("%(score)s: no one has answered both times yet.") % {"score": score.label}
        return _empty(640, _("No pairs of answers yet."), title=heading, desc=desc)
    median_before = _median([b for b, _a in pairs])
    median_after = _median([a for _b, a in pairs])
    desc = ngettext(
        "%(score)s of %(n)d person, before and after. "
        "Median before %(before)s, median after %(after)s.",
        "%(score)s of %(n)d people, before and after. "
        "Median before %(before)s, median after %(after)s.",
        n,
    ) % {
        "score": score.label,
        "n": n,
        "before": _fmt(median_before),
        "after": _fmt(median_after),
    }
    canvas = _Canvas(640, 400)
    plot_width = 640 * (0.6 if score.bands else 0.84)
    plot = _Plot(canvas, (76, 44, plot_width, 310), score, (-0.75, 1.75))
    plot.bands()
    plot.axes([(0, _("Before")), (1, _("After"))])
    xb = _spread([b for b, _a in pairs], 0.0)
    xa = _spread([a for _b, a in pairs], 1.0)
    for (b, a), x0, x1 in zip(pairs, xb, xa, strict=True):
        change = (a - b) if score.higher_is_better else (b - a)
        colour = OK if change > 0 else WARM if change < 0 else NEUTRAL
        canvas.line(
            plot.x(x0),
            plot.y(b),
            plot.x(x1),
            plot.y(a),
            colour,
            stroke_width="1.6",
            stroke_opacity="0.55",
        )
    for x, (b, _a) in zip(xb, pairs, strict=True):
        canvas.circle(plot.x(x), plot.y(b), 4, MUTED)
    for x, (_b, a) in zip(xa, pairs, strict=True):
        canvas.circle(plot.x(x), plot.y(a), 4, ACCENT)
    for x, median, side in ((0.0, median_before, -1), (1.0, median_after, 1)):
        y = plot.y(median)
        canvas.line(plot.x(x - 0.2), y, plot.x(x + 0.2), y, INK, stroke_width="4")
        canvas.text(
            plot.x(x + side * 0.23),
            y,
            _("median %(value)s") % {"value": _fmt(median)},
            size=11,
            fill=INK,
            anchor="start" if side > 0 else "end",
        )
    canvas.text(
        76, 22, title or ngettext("%(n)d person", "%(n)d people", n) % {"n": n}, size=15, fill=INK
    )
    return canvas.render(title=heading, desc=desc)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@memoised
def change_categories_svg(
    improved: int, unchanged: int, deteriorated: int, *, title: str = ""
) -> str:
    """Improved / no reliable change / deteriorated as one horizontal stacked bar with counts."""
    total = improved + unchanged + deteriorated
    parts = [
        (_("improved"), improved, OK),
        (_("no reliable change"), unchanged, NEUTRAL),
        (_("deteriorated"), deteriorated, WARM),
    ]
    heading = title or _("Change per person")
    if not total:
        desc = _("No one has answered both times yet.")
        return _empty(640, _("No pairs of answers yet."), title=heading, desc=desc)
    desc = _(
        "Of %(total)d people: %(improved)d improved, %(unchanged)d no reliable change, "
        "%(deteriorated)d deteriorated."
    ) % {
        "total": total,
        "improved": improved,
        "unchanged": unchanged,
        "deteriorated": deteriorated,
    }
    canvas = _Canvas(640, 160)
    canvas.text(
        19,
        24,
        title or ngettext("%(n)d person", "%(n)d people", total) % {"n": total},
        size=15,
        fill=INK,
    )
    left, width, top, height = 19.0, 602.0, 46.0, 52.0
    x = left
    for _label, count, colour in parts:
        if count:
            w = width * count / total
            canvas.rect(x, top, w, height, colour, stroke="white", stroke_width="2")
            canvas.text(
                x + w / 2,
                top + height / 2,
                str(count),
                size=16,
                fill="white",
                anchor="middle",
                weight="bold",
            )
            x += w
    legend_x = left
    for label, count, colour in parts:
        canvas.rect(legend_x, 124, 16, 12, colour)
        text = f"{label} ({count})"
        canvas.text(legend_x + 22, 130, text, size=12, fill=INK)
        legend_x += 22 + 7.2 * len(text) + 24
    return canvas.render(title=heading, desc=desc)
