"""Reading a generated PDF back: where each piece of text stands, and how wide it is.

pypdf reports every text run with its position; ReportLab's ``stringWidth`` in the font the
run was drawn with gives its width.  Two runs on the same line overlap when one starts before
the other ends: that is how a layout is tested, rather than by eye.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import pairwise

from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from isa.core.documents import pdf

#: The embedded font (by the end of its PostScript name) → the registered house font.
FONTS = {"-Bold": pdf.FONT_BOLD, "-Oblique": pdf.FONT_ITALIC, "-Roman": pdf.FONT}


@dataclass(frozen=True)
class Run:
    text: str
    x: float
    y: float
    size: float
    font: str

    @property
    def width(self) -> float:
        return stringWidth(self.text, self.font, self.size)

    @property
    def end(self) -> float:
        return self.x + self.width


def runs(content: bytes, page: int = 0) -> list[Run]:
    """The text runs of one page, blank ones left out."""
    pdf.register_fonts()
    found: list[Run] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:  # type: ignore[no-untyped-def]
        text = text.strip("\n")
        if not text.strip() or font_dict is None:
            return
        base = str(font_dict.get("/BaseFont", ""))
        font = next((f for end, f in FONTS.items() if base.endswith(end)), None)
        assert font is not None, f"text {text!r} in an unexpected font {base}"
        found.append(
            Run(
                text=text,
                x=cm[4] + tm[4] * cm[0],
                y=round(cm[5] + tm[5] * cm[3], 1),
                size=font_size * tm[0] * cm[0],
                font=font,
            )
        )

    PdfReader(io.BytesIO(content)).pages[page].extract_text(visitor_text=visit)
    return found


def lines(found: list[Run]) -> dict[float, list[Run]]:
    """Runs by baseline, left to right."""
    by_y: dict[float, list[Run]] = {}
    for run in found:
        by_y.setdefault(run.y, []).append(run)
    return {y: sorted(line, key=lambda r: r.x) for y, line in by_y.items()}


def overlaps(found: list[Run]) -> list[tuple[Run, Run]]:
    """Pairs of neighbouring runs on one line where the first ends after the second starts."""
    return [
        (a, b) for line in lines(found).values() for a, b in pairwise(line) if a.end > b.x + 0.01
    ]
