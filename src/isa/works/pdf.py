"""PDFs of works: an exhibition catalogue and a person's portfolio (ReportLab, house style).

The callers decide *which* works appear (the catalogue gets consented works only, checked at
the moment of the export); this module only lays them out.  Images are the display-size
renditions, already stripped of metadata.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from isa.core.models import Programme
from isa.people.models import Participant
from isa.works.models import Credit, Exhibition, Work
from isa.works.services import credit_line, credit_name

FONT = "IsaVera"
FONT_BOLD = "IsaVeraBold"
FONT_ITALIC = "IsaVeraItalic"
INK = "#1D2A3A"
MUTED = "#4A5868"
WARM = "#A3471B"


def _register_fonts() -> None:
    """Bitstream Vera, shipped with ReportLab (the same fonts as the attendance sheets): it
    covers accented Latin names without installing anything."""
    from reportlab import rl_config
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # Images go into the PDF as binary streams: ReportLab's pure-Python ASCII85 encoder (its
    # C accelerator is not a wheel) took 70 % of a catalogue's time, for a bigger file.
    rl_config.useA85 = 0
    folder = Path(rl_config.__file__).parent / "fonts"
    registered = pdfmetrics.getRegisteredFontNames()
    for name, file in ((FONT, "Vera.ttf"), (FONT_BOLD, "VeraBd.ttf"), (FONT_ITALIC, "VeraIt.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))


def _styles() -> dict[str, object]:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    ink, muted, warm = colors.HexColor(INK), colors.HexColor(MUTED), colors.HexColor(WARM)
    return {
        "cover_kicker": ParagraphStyle(
            "kicker", fontName=FONT_BOLD, fontSize=11, leading=14, textColor=warm
        ),
        "cover_title": ParagraphStyle(
            "cover", fontName=FONT_BOLD, fontSize=28, leading=34, textColor=ink, spaceAfter=12
        ),
        "cover_line": ParagraphStyle(
            "cover_line", fontName=FONT, fontSize=14, leading=20, textColor=ink
        ),
        "title": ParagraphStyle(
            "title", fontName=FONT_BOLD, fontSize=16, leading=20, textColor=ink, spaceAfter=4
        ),
        "credit": ParagraphStyle(
            "credit", fontName=FONT_BOLD, fontSize=11, leading=14, textColor=warm, spaceAfter=4
        ),
        "facts": ParagraphStyle("facts", fontName=FONT, fontSize=9.5, leading=13, textColor=muted),
        "text": ParagraphStyle("text", fontName=FONT, fontSize=10, leading=14, textColor=ink),
        "writing": ParagraphStyle(
            "writing", fontName=FONT_ITALIC, fontSize=11, leading=16, textColor=ink, leftIndent=8
        ),
    }


def _generated() -> str:
    return _("Generated on %(date)s") % {
        "date": date_format(timezone.localtime(), "SHORT_DATETIME_FORMAT")
    }


def _image_flowable(work: Work, max_width: float, max_height: float):  # type: ignore[no-untyped-def]
    """The work's first image (display size), scaled to fit; None without a readable image."""
    from reportlab.platypus import Image as PdfImage

    image = next(iter(work.images.all()), None)
    if image is None:
        return None
    try:
        with default_storage.open(image.display.name, "rb") as handle:
            data = io.BytesIO(handle.read())
    except OSError:
        return None
    from PIL import Image as PILImage

    with PILImage.open(data) as probe:
        width, height = probe.size
    data.seek(0)
    scale = min(max_width / width, max_height / height, 1.0)
    flowable = PdfImage(data, width=width * scale, height=height * scale)
    flowable.hAlign = "LEFT"
    return flowable


def _facts(work: Work) -> str:
    parts = [work.medium.label]
    if work.technique:
        parts.append(work.technique)
    if work.dimensions:
        parts.append(work.dimensions)
    parts.append(str(work.made_on.year))
    return " · ".join(parts)


def _paragraphs(text: str, style) -> list[object]:  # type: ignore[no-untyped-def]
    from reportlab.platypus import Paragraph, Spacer

    story: list[object] = []
    for block in text.strip().split("\n\n"):
        story.append(Paragraph(escape(block.strip()).replace("\n", "<br/>"), style))
        story.append(Spacer(1, 6))
    return story


def _work_entry(work: Work, credit: str, styles: dict, width: float) -> list[object]:
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, KeepTogether, Paragraph, Spacer

    head: list[object] = []
    image = _image_flowable(work, width, 120 * mm)
    if image is not None:
        head += [image, Spacer(1, 4 * mm)]
    head += [
        Paragraph(escape(work.title), styles["title"]),
        Paragraph(escape(credit), styles["credit"]),
        Paragraph(escape(_facts(work)), styles["facts"]),
        Spacer(1, 3 * mm),
    ]
    story: list[object] = [CondPageBreak(60 * mm), KeepTogether(head)]
    if work.description:
        story += _paragraphs(work.description, styles["text"])
    if work.text:
        story += _paragraphs(work.text, styles["writing"])
    story.append(Spacer(1, 10 * mm))
    return story


def _build(story: list[object], *, title: str, subject: str, footer_text: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    generated = _generated()
    margin = 18 * mm

    def footer(canvas, doc) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor(MUTED))
        canvas.drawString(margin, 8 * mm, f"{footer_text} · {generated}")
        canvas.drawRightString(
            A4[0] - margin, 8 * mm, _("Page %(n)s") % {"n": canvas.getPageNumber()}
        )
        canvas.restoreState()

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=16 * mm,
        title=title,
        author="ISA",
        subject=subject,
        creator="ISA",
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _dates(exhibition: Exhibition) -> str:
    start = date_format(exhibition.starts_on, "j F Y")
    if exhibition.ends_on and exhibition.ends_on != exhibition.starts_on:
        return _("%(start)s – %(end)s") % {
            "start": start,
            "end": date_format(exhibition.ends_on, "j F Y"),
        }
    return _("from %(start)s") % {"start": start}


def catalogue_pdf(
    exhibition: Exhibition, works: Sequence[Work], credits: dict[int, Credit]
) -> bytes:
    """Cover (title, venue, dates), then one entry per work: image, title, credit as each
    creator chose, medium, technique, dimensions, year; written works print their text."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    _register_fonts()
    styles = _styles()
    width = 210 * mm - 36 * mm
    story: list[object] = [
        Spacer(1, 60 * mm),
        Paragraph(escape(exhibition.programme.name), styles["cover_kicker"]),
        Paragraph(escape(exhibition.title), styles["cover_title"]),
        Paragraph(escape(exhibition.venue), styles["cover_line"]),
        Paragraph(escape(_dates(exhibition)), styles["cover_line"]),
    ]
    if exhibition.description:
        story += [Spacer(1, 10 * mm), *_paragraphs(exhibition.description, styles["text"])]
    story.append(PageBreak())
    if not works:
        story.append(Paragraph(escape(_("No work to show in the catalogue.")), styles["text"]))
    for work in works:
        story += _work_entry(work, credit_line(work, credits), styles, width)
    return _build(
        story,
        title=exhibition.title,
        subject=_("Exhibition catalogue"),
        footer_text=f"{exhibition.title} · {exhibition.venue}",
    )


def portfolio_pdf(
    programme: Programme,
    owner: Participant,
    owner_name: str,
    works: Sequence[Work],
    credits: dict[int, Credit],
) -> bytes:
    """A portfolio to give to the person: their name on the cover (see
    :func:`isa.works.services.portfolio_owner_name`), then their works, newest first."""
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, Spacer

    _register_fonts()
    styles = _styles()
    width = 210 * mm - 36 * mm
    story: list[object] = [
        Spacer(1, 60 * mm),
        Paragraph(escape(_("Portfolio")), styles["cover_kicker"]),
        Paragraph(escape(owner_name), styles["cover_title"]),
        Paragraph(escape(programme.name), styles["cover_line"]),
        Paragraph(
            escape(_("%(n)s works") % {"n": len(works)} if len(works) != 1 else _("1 work")),
            styles["cover_line"],
        ),
        PageBreak(),
    ]
    if not works:
        story.append(Paragraph(escape(_("No work yet.")), styles["text"]))
    for work in works:
        names = [
            owner_name if p.pk == owner.pk else credit_name(p, credits.get(p.pk))
            for p in work.creators.all()
        ]
        story += _work_entry(work, ", ".join(dict.fromkeys(names)), styles, width)
    return _build(
        story,
        title=_("Portfolio of %(name)s") % {"name": owner_name},
        subject=_("Portfolio"),
        footer_text=f"{_('Portfolio')} · {owner_name}",
    )
