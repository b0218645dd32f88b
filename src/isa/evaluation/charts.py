"""Charts of the evaluation as accessible, deterministic SVG (matplotlib, no pyplot).

Figures are built with the object-oriented API (``matplotlib.figure.Figure`` and the SVG
canvas), never pyplot, so rendering holds no global figure state; the few global settings
(fonts, SVG hash salt) are applied inside a lock.  Text is drawn as paths in DejaVu Sans
(shipped with matplotlib) so the chart looks the same everywhere; what it shows is given
in words in the SVG's ``<title>`` and ``<desc>`` for screen readers.  The same data always
give the same bytes (fixed hash salt, no date in the metadata).
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape

import matplotlib
import matplotlib.patches
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

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

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "svg.fonttype": "path",
    "svg.hashsalt": "isa-evaluation",
    "axes.edgecolor": LINE,
    "axes.labelcolor": MUTED,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "text.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_LOCK = threading.Lock()


def _fmt(value: float) -> str:
    if value == int(value):
        return str(int(value))
    return number_format(round(value, 1), decimal_pos=1)


def _day(day: date) -> str:
    return day.strftime("%d.%m.%Y")


def _render(draw, *, title: str, desc: str, size: tuple[float, float]) -> str:
    with _LOCK, matplotlib.rc_context(_RC):
        figure = Figure(figsize=size, facecolor="white")
        FigureCanvasSVG(figure)
        draw(figure)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _accessible(buffer.getvalue(), title=title, desc=desc)


def _accessible(svg: str, *, title: str, desc: str) -> str:
    """Drop the XML prologue, make the SVG fluid and give it a title and a description."""
    svg = svg[svg.index("<svg") :]
    opening_end = svg.index(">")
    opening = svg[:opening_end]
    opening = re.sub(r'\swidth="[^"]*"', ' width="100%"', opening, count=1)
    opening = re.sub(r'\sheight="[^"]*"', "", opening, count=1)
    # Ids unique per content (and stable), so several charts can share a page.
    key = hashlib.sha256(f"{title}\n{desc}".encode()).hexdigest()[:10]
    opening += f' role="img" aria-labelledby="chart-{key}-title chart-{key}-desc"'
    heading = (
        f'<title id="chart-{key}-title">{escape(title or desc)}</title>'
        f'<desc id="chart-{key}-desc">{escape(desc)}</desc>'
    )
    return opening + ">\n" + heading + svg[opening_end + 1 :]


def _empty(axes, message: str) -> None:
    axes.set_axis_off()
    axes.text(
        0.5,
        0.5,
        message,
        ha="center",
        va="center",
        color=MUTED,
        fontsize=11,
        transform=axes.transAxes,
    )


def _bands(axes, score: Score, *, right_labels: bool = True) -> None:
    """Shade the bands; gaps between discrete bands (28 and 32) are split at their midpoint."""
    bands = score.bands
    for index, band in enumerate(bands):
        low = score.minimum if index == 0 else (bands[index - 1].high + band.low) / 2
        high = score.maximum if index == len(bands) - 1 else (band.high + bands[index + 1].low) / 2
        axes.axhspan(low, high, color=BAND_TINTS[index % 2], zorder=0, linewidth=0)
        if right_labels:
            axes.text(
                1.01,
                (low + high) / 2,
                band.label,
                transform=axes.get_yaxis_transform(),
                va="center",
                ha="left",
                fontsize=8,
                color=MUTED,
            )


def _score_axis(axes, score: Score) -> None:
    span = score.maximum - score.minimum
    axes.set_ylim(score.minimum - span * 0.03, score.maximum + span * 0.03)
    axes.set_ylabel(score.label)
    axes.grid(axis="y", color=LINE, linewidth=0.6, alpha=0.7)
    axes.set_axisbelow(True)


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

    def draw(figure):
        axes = figure.add_axes((0.1, 0.14, 0.66 if score.bands else 0.86, 0.76))
        if not known:
            _empty(axes, _("No score yet."))
            return
        _bands(axes, score)
        _score_axis(axes, score)
        xs = list(range(len(known)))
        values = [value for _day_, value in known]
        axes.plot(
            xs,
            values,
            color=ACCENT,
            linewidth=2,
            marker="o",
            markersize=7,
            markerfacecolor="white",
            markeredgewidth=2,
            zorder=3,
        )
        for x, value in zip(xs, values, strict=True):
            axes.annotate(
                _fmt(value),
                (x, value),
                textcoords="offset points",
                xytext=(0, 9),
                ha="center",
                fontsize=9,
                color=INK,
            )
        axes.set_xticks(xs, [_day(day) for day, _value in known])
        axes.set_xlim(-0.5, len(xs) - 0.5)
        if title:
            axes.set_title(title, loc="left", fontsize=11, color=INK)

    return _render(draw, title=title or score.label, desc=desc, size=(7.2, 3.4 if known else 1.2))


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
    if n:
        values_before = sorted(b for b, _a in pairs)
        values_after = sorted(a for _b, a in pairs)
        median_before = _median(values_before)
        median_after = _median(values_after)
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
    else:
        desc = _("%(score)s: no one has answered both times yet.") % {"score": score.label}

    def draw(figure):
        axes = figure.add_axes((0.12, 0.12, 0.6 if score.bands else 0.84, 0.78))
        if not n:
            _empty(axes, _("No pairs of answers yet."))
            return
        _bands(axes, score)
        _score_axis(axes, score)
        xb = _spread([b for b, _a in pairs], 0.0)
        xa = _spread([a for _b, a in pairs], 1.0)
        for (b, a), x0, x1 in zip(pairs, xb, xa, strict=True):
            change = (a - b) if score.higher_is_better else (b - a)
            colour = OK if change > 0 else WARM if change < 0 else NEUTRAL
            axes.plot([x0, x1], [b, a], color=colour, linewidth=1.2, alpha=0.55, zorder=2)
        axes.scatter(xb, [b for b, _a in pairs], s=30, color=MUTED, zorder=3, linewidths=0)
        axes.scatter(xa, [a for _b, a in pairs], s=30, color=ACCENT, zorder=3, linewidths=0)
        for x, median, side in ((0.0, median_before, -1), (1.0, median_after, 1)):
            axes.plot(
                [x - 0.2, x + 0.2],
                [median, median],
                color=INK,
                linewidth=3,
                zorder=4,
                solid_capstyle="butt",
            )
            axes.annotate(
                _("median %(value)s") % {"value": _fmt(median)},
                (x + side * 0.23, median),
                va="center",
                ha="left" if side > 0 else "right",
                fontsize=8,
                color=INK,
            )
        axes.set_xticks([0, 1], [_("Before"), _("After")])
        axes.set_xlim(-0.75, 1.75)
        axes.set_title(
            title or ngettext("%(n)d person", "%(n)d people", n) % {"n": n},
            loc="left",
            fontsize=11,
            color=INK,
        )

    return _render(draw, title=title or score.label, desc=desc, size=(6.4, 4.0 if n else 1.2))


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
    if total:
        desc = _(
            "Of %(total)d people: %(improved)d improved, %(unchanged)d no reliable change, "
            "%(deteriorated)d deteriorated."
        ) % {
            "total": total,
            "improved": improved,
            "unchanged": unchanged,
            "deteriorated": deteriorated,
        }
    else:
        desc = _("No one has answered both times yet.")

    def draw(figure):
        axes = figure.add_axes((0.03, 0.38, 0.94, 0.34))
        if not total:
            _empty(axes, _("No pairs of answers yet."))
            return
        left = 0
        for _label, count, colour in parts:
            if count:
                axes.barh(
                    0, count, left=left, color=colour, height=0.8, edgecolor="white", linewidth=2
                )
                axes.text(
                    left + count / 2,
                    0,
                    str(count),
                    ha="center",
                    va="center",
                    color="white",
                    fontsize=12,
                    fontweight="bold",
                )
            left += count
        axes.set_xlim(0, total)
        axes.set_ylim(-0.5, 0.5)
        axes.set_axis_off()
        handles = [
            matplotlib.patches.Patch(color=colour, label=f"{label} ({count})")
            for label, count, colour in parts
        ]
        figure.legend(
            handles=handles,
            loc="lower left",
            ncols=3,
            frameon=False,
            fontsize=9,
            bbox_to_anchor=(0.02, 0.02),
            handlelength=1.2,
        )
        figure.text(
            0.03,
            0.84,
            title or ngettext("%(n)d person", "%(n)d people", total) % {"n": total},
            fontsize=11,
            color=INK,
        )

    return _render(draw, title=title or _("Change per person"), desc=desc, size=(6.4, 1.6))
