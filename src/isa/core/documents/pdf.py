"""The house style of every PDF (ReportLab): one look, one page, no global setting touched.

A document module builds a *story* (paragraphs, tables, pictures) with the styles and helpers
here and hands it to :func:`build_pdf`, which lays it on pages that all carry

- a running header: the programme and the document's title on the left and, when the data is
  the fictional demo, the demo mark on the right (the cover page of a catalogue has none);
- a footer: "ISA · Generated on 07.03.2025 14:05" on the left and "Page 2 / 5" on the right.

Fonts are Bitstream Vera, shipped with ReportLab: they cover accented Latin names (é, ü, ç,
ş, ł…) that the PDF core fonts lack, with nothing to install.  Pictures go in as the JPEG
bytes they are (:func:`jpeg_image`): no decoding to pixels, no ASCII85 text encoding (the
pure-Python encoder took 70 % of a catalogue's time), and no change to ``rl_config.useA85``
either, which would change every other PDF the process makes.
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFImageXObject
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from isa.core.documents.formats import fictional_mark, generated_on, is_fictional

FONT = "IsaVera"
FONT_BOLD = "IsaVeraBold"
FONT_ITALIC = "IsaVeraItalic"

INK = colors.HexColor("#1D2A3A")  # text, rules
MUTED = colors.HexColor("#4A5868")  # facts, header and footer
WARM = colors.HexColor("#A3471B")  # accents, the demo mark
PAPER = colors.HexColor("#F3EFE8")  # table headers
ZEBRA = colors.HexColor("#F8F6F2")  # every other table row
GRID = colors.HexColor("#D9D4CA")  # table grid

PORTRAIT = A4
LANDSCAPE = landscape(A4)


@functools.cache
def register_fonts() -> None:
    """Register the house fonts in ReportLab's font registry, once per process (every helper
    here that measures or styles text calls it first)."""
    registered = pdfmetrics.getRegisteredFontNames()
    folder = Path(rl_config.__file__).parent / "fonts"
    for name, file in ((FONT, "Vera.ttf"), (FONT_BOLD, "VeraBd.ttf"), (FONT_ITALIC, "VeraIt.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))


# -- styles ------------------------------------------------------------------------------------


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of the house, fresh for each document."""
    register_fonts()
    return {
        # covers
        "kicker": ParagraphStyle(
            "kicker", fontName=FONT_BOLD, fontSize=11, leading=14, textColor=WARM
        ),
        "cover": ParagraphStyle(
            "cover", fontName=FONT_BOLD, fontSize=28, leading=34, textColor=INK, spaceAfter=12
        ),
        "cover_line": ParagraphStyle(
            "cover_line", fontName=FONT, fontSize=14, leading=20, textColor=INK
        ),
        # titles and running text
        "title": ParagraphStyle(
            "title", fontName=FONT_BOLD, fontSize=16, leading=20, textColor=INK, spaceAfter=4
        ),
        "accent": ParagraphStyle(
            "accent", fontName=FONT_BOLD, fontSize=11, leading=14, textColor=WARM, spaceAfter=4
        ),
        "facts": ParagraphStyle("facts", fontName=FONT, fontSize=9.5, leading=13, textColor=MUTED),
        "text": ParagraphStyle("text", fontName=FONT, fontSize=10, leading=14, textColor=INK),
        "small": ParagraphStyle("small", fontName=FONT, fontSize=8.5, leading=11, textColor=INK),
        "writing": ParagraphStyle(
            "writing", fontName=FONT_ITALIC, fontSize=11, leading=16, textColor=INK, leftIndent=8
        ),
        # dense tables
        "cell": ParagraphStyle("cell", fontName=FONT, fontSize=6.5, leading=7.5, textColor=INK),
        "cell_bold": ParagraphStyle(
            "cell_bold", fontName=FONT_BOLD, fontSize=6.5, leading=7.5, textColor=INK
        ),
        "cell_header": ParagraphStyle(
            "cell_header",
            fontName=FONT_BOLD,
            fontSize=6.5,
            leading=7.5,
            textColor=INK,
            alignment=TA_CENTER,
        ),
    }


def paragraph(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped: a name with "<" or "&" prints as typed)."""
    return Paragraph(escape(str(text)), style)


def paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    """Plain text with blank lines between paragraphs and line breaks kept."""
    story: list[Flowable] = []
    for block in text.strip().split("\n\n"):
        story.append(Paragraph(escape(block.strip()).replace("\n", "<br/>"), style))
        story.append(Spacer(1, 6))
    return story


def fitting(text: str, width: float, style: ParagraphStyle, smallest: float = 4.5) -> Paragraph:
    """A paragraph in a font small enough for its longest word to fit ``width`` (German
    compounds in narrow table headers)."""
    register_fonts()
    longest = max(text.split() or [""], key=lambda w: stringWidth(w, style.fontName, 1))
    size = style.fontSize
    while size > smallest and stringWidth(longest, style.fontName, size) > width:
        size -= 0.5
    fitted = ParagraphStyle(f"{style.name}-{size}", parent=style, fontSize=size, leading=size + 1)
    return paragraph(text, fitted)


@dataclass(frozen=True)
class Label:
    """A short text for a narrow table cell (lines split by "\\n"), in the size it fits at."""

    text: str
    size: float


def text_width(text: str, font: str, size: float) -> float:
    """The width of the widest line of ``text``."""
    register_fonts()
    return max(stringWidth(line, font, size) for line in text.split("\n"))


def fit_labels(
    options: Sequence[Sequence[str]], width: float, *, font: str = FONT_BOLD, size: float = 6
) -> list[Label]:
    """One label per entry of ``options`` (each entry: its forms, longest first), all in the
    same form and size, none wider than ``width``: the first form in which every label fits
    at ``size``, else the shortest form in the largest size that fits (quarter points)."""
    if not options:
        return []
    for form in range(len(options[0])):
        if all(text_width(o[form], font, size) <= width for o in options):
            return [Label(o[form], size) for o in options]
    widest = max(text_width(o[-1], font, 1) for o in options) or 1.0
    fitted = max(min(size, math.floor(4 * width / widest) / 4), 1.0)
    return [Label(o[-1], fitted) for o in options]


def table_style(*, header_rows: int = 1, total_row: bool = False) -> list[tuple[Any, ...]]:
    """The commands of a house data table: header rows on paper colour under a rule, rows
    striped, a light grid in a dark box, and a closing total row above a rule."""
    last_body = -2 if total_row else -1
    commands: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 6.5),
        ("LEADING", (0, 0), (-1, -1), 7.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("FONT", (0, 0), (-1, header_rows - 1), FONT_BOLD, 6),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), PAPER),
        ("ROWBACKGROUNDS", (0, header_rows), (-1, last_body), [colors.white, ZEBRA]),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.6, INK),
        ("INNERGRID", (0, 0), (-1, -1), 0.25, GRID),
        ("BOX", (0, 0), (-1, -1), 0.6, INK),
    ]
    if total_row:
        commands += [
            ("FONT", (0, -1), (-1, -1), FONT_BOLD, 6.5),
            ("LINEABOVE", (0, -1), (-1, -1), 0.6, INK),
        ]
    return commands


# -- pictures ----------------------------------------------------------------------------------


class _JpegXObject(PDFImageXObject):
    """A JPEG image XObject holding the file's bytes as they are (DCTDecode), whatever
    ``rl_config.useA85`` says."""

    def __init__(self, name: str, data: bytes, size: tuple[int, int], colour_space: str):
        super().__init__(name)
        self.width, self.height = size
        self.bitsPerComponent = 8
        self.colorSpace = colour_space
        # the bytes as they are, as reportlab's own loadImageFromJPEG keeps them; the stubs say str
        self.streamContent = data  # type: ignore[assignment]
        self._filters = ("DCTDecode",)
        self.mask = None


class JpegImage(Flowable):
    """A picture drawn from JPEG bytes, at ``width`` × ``height`` points.  The same bytes
    drawn twice in a document are stored once."""

    COLOUR_SPACES = {"L": "DeviceGray", "RGB": "DeviceRGB"}

    def __init__(
        self, data: bytes, pixels: tuple[int, int], mode: str, width: float, height: float
    ) -> None:
        super().__init__()
        self.data = data
        self.pixels = pixels
        self.colour_space = self.COLOUR_SPACES[mode]
        self.width = width
        self.height = height
        self.hAlign = "LEFT"

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (self.width, self.height)

    def draw(self) -> None:
        canvas = self.canv
        name = "IsaJpeg" + hashlib.sha256(self.data).hexdigest()[:24]
        if not canvas.hasForm(name):
            xobject = _JpegXObject(name, self.data, self.pixels, self.colour_space)
            # what canvas.drawImage does, without A85; the stubs leave out the private _doc
            canvas._doc.addForm(name, xobject)  # type: ignore[attr-defined]
        canvas.saveState()
        canvas.scale(self.width, self.height)
        canvas.doForm(name)
        canvas.restoreState()


def jpeg_image(data: bytes, max_width: float, max_height: float) -> JpegImage | None:
    """A picture scaled to fit (never enlarged); None when ``data`` is no readable image.
    JPEG in grey or RGB goes in as it is; anything else is re-encoded as JPEG first."""
    try:
        with PILImage.open(io.BytesIO(data)) as probe:
            pixels, mode, kind = probe.size, probe.mode, probe.format
            if kind != "JPEG" or mode not in JpegImage.COLOUR_SPACES:
                converted = io.BytesIO()
                probe.convert("RGB").save(converted, "JPEG", quality=90)
                data, mode = converted.getvalue(), "RGB"
    except (OSError, ValueError, PILImage.DecompressionBombError):
        return None
    width, height = pixels
    scale = min(max_width / width, max_height / height, 1.0)
    return JpegImage(data, pixels, mode, width * scale, height * scale)


# -- the page and the document -----------------------------------------------------------------

HEADER_SIZE = 7


@dataclass(frozen=True)
class Page:
    """What every page of a document carries."""

    size: tuple[float, float]
    margin: float
    heading: str  # "ISA Sion · Attendance sheet · March 2025"
    footer: str  # "ISA · Generated on …"
    fictional: bool
    cover: bool  # the first page is a cover: no running header on it

    def decorate(self, canvas: Canvas, number: int, total: int) -> None:
        width, height = self.size
        canvas.saveState()
        canvas.setFont(FONT, HEADER_SIZE)
        canvas.setFillColor(MUTED)
        header_y = height - self.margin + 4 * mm
        mark_width = 0.0
        if self.fictional:
            mark = fictional_mark()
            canvas.setFont(FONT_BOLD, HEADER_SIZE)
            canvas.setFillColor(WARM)
            canvas.drawRightString(width - self.margin, header_y, mark)
            mark_width = stringWidth(mark, FONT_BOLD, HEADER_SIZE) + 6 * mm
            canvas.setFont(FONT, HEADER_SIZE)
            canvas.setFillColor(MUTED)
        if not (self.cover and number == 1):
            room = width - 2 * self.margin - mark_width
            canvas.drawString(self.margin, header_y, _shorten(self.heading, room))
            canvas.setStrokeColor(GRID)
            canvas.setLineWidth(0.4)
            canvas.line(self.margin, header_y - 2 * mm, width - self.margin, header_y - 2 * mm)
        footer_y = 6 * mm
        page_text = _("Page %(page)s / %(pages)s") % {"page": number, "pages": total}
        canvas.drawString(self.margin, footer_y, _shorten(self.footer, width / 2))
        canvas.drawRightString(width - self.margin, footer_y, page_text)
        canvas.restoreState()


def _shorten(text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` in the header font."""
    if stringWidth(text, FONT, HEADER_SIZE) <= width:
        return text
    while text and stringWidth(text + "…", FONT, HEADER_SIZE) > width:
        text = text[:-1]
    return text.rstrip() + "…"


class _PagedCanvas(Canvas):
    """A canvas that holds its pages until the end, to write "Page 2 / 5" on each."""

    def __init__(self, *args: Any, page: Page, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._isa_page = page
        self._isa_pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._isa_pages.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # private, left out of the stubs

    def save(self) -> None:
        total = len(self._isa_pages)
        for number, state in enumerate(self._isa_pages, start=1):
            self.__dict__.update(state)
            self._isa_page.decorate(self, number, total)
            super().showPage()
        super().save()


class _ContentsDocument(SimpleDocTemplate):
    """A document whose headings made by :func:`heading` feed a table of contents."""

    def afterFlowable(self, flowable: Flowable) -> None:
        level = getattr(flowable, "_isa_contents_level", None)
        if level is not None and isinstance(flowable, Paragraph):
            self.notify("TOCEntry", (level, flowable.getPlainText(), self.page))


def heading(text: str, style: ParagraphStyle, level: int = 0) -> Paragraph:
    """A heading listed in the table of contents (:func:`contents`) of its document; never
    left alone at the foot of a page (it keeps with what follows it)."""
    if not getattr(style, "keepWithNext", 0):
        style = ParagraphStyle(f"{style.name}-kept", parent=style, keepWithNext=1)
    para = paragraph(text, style)
    para._isa_contents_level = level  # type: ignore[attr-defined]
    return para


def contents(levels: Sequence[ParagraphStyle]) -> Flowable:
    """The table of contents: the document's headings with their page numbers (the
    document must be built with ``contents=True``)."""
    from reportlab.platypus.tableofcontents import TableOfContents

    toc = TableOfContents()
    toc.levelStyles = list(levels)
    return toc


def build_pdf(
    story: list[Flowable],
    *,
    title: str,
    subject: str,
    heading: str,
    size: tuple[float, float] = PORTRAIT,
    margin: float = 18 * mm,
    cover: bool = False,
    fictional: bool | None = None,
    contents: bool = False,
) -> bytes:
    """The PDF of ``story`` in the house style.  ``title`` and ``subject`` are the file's
    metadata; ``heading`` runs at the top of every page; ``fictional`` (by default: whether
    this instance holds the demo) adds the demo mark to every page; ``contents``: the story
    holds a :func:`contents` table, filled from its :func:`heading` s (two passes)."""
    register_fonts()
    page = Page(
        size=size,
        margin=margin,
        heading=heading,
        footer=f"ISA · {generated_on()}",
        fictional=is_fictional() if fictional is None else fictional,
        cover=cover,
    )
    buffer = io.BytesIO()
    template = _ContentsDocument if contents else SimpleDocTemplate
    doc = template(
        buffer,
        pagesize=size,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin + 4 * mm,
        bottomMargin=max(margin, 12 * mm),
        title=title,
        author="ISA",
        subject=subject,
        creator="ISA",
    )
    canvasmaker: Callable[..., Canvas] = functools.partial(_PagedCanvas, page=page)
    if contents:  # a table of contents needs the page numbers of a first pass
        doc.multiBuild(story, canvasmaker=canvasmaker)
    else:
        doc.build(story, canvasmaker=canvasmaker)
    return buffer.getvalue()
