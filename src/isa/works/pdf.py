"""PDFs of works: an exhibition catalogue and a person's portfolio, in the house style of the
document layer (:mod:`isa.core.documents.pdf`).

The callers decide *which* works appear (the catalogue gets consented works only, checked at
the moment of the export); this module only lays them out.  Images are the display-size
renditions, already stripped of metadata.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer

from isa.core.documents import pdf
from isa.core.models import Programme
from isa.formats import long_date
from isa.people.models import Participant
from isa.works.models import Credit, Exhibition, Work
from isa.works.services import credit_line, credit_name

MARGIN = 18 * mm
WIDTH = pdf.PORTRAIT[0] - 2 * MARGIN


def _image_flowable(work: Work, max_width: float, max_height: float) -> pdf.JpegImage | None:
    """The work's first image (display size), scaled to fit; None without a readable image."""
    image = next(iter(work.images.all()), None)
    if image is None:
        return None
    try:
        with default_storage.open(image.display.name, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return pdf.jpeg_image(data, max_width, max_height)


def _facts(work: Work) -> str:
    parts = [work.medium.label]
    if work.technique:
        parts.append(work.technique)
    if work.dimensions:
        parts.append(work.dimensions)
    parts.append(str(work.made_on.year))
    return " · ".join(parts)


def _work_entry(work: Work, credit: str, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    head: list[Flowable] = []
    image = _image_flowable(work, WIDTH, 120 * mm)
    if image is not None:
        head += [image, Spacer(1, 4 * mm)]
    head += [
        pdf.paragraph(work.title, st["title"]),
        pdf.paragraph(credit, st["accent"]),
        pdf.paragraph(_facts(work), st["facts"]),
        Spacer(1, 3 * mm),
    ]
    story: list[Flowable] = [CondPageBreak(60 * mm), KeepTogether(head)]
    if work.description:
        story += pdf.paragraphs(work.description, st["text"])
    if work.text:
        story += pdf.paragraphs(work.text, st["writing"])
    story.append(Spacer(1, 10 * mm))
    return story


def _dates(exhibition: Exhibition) -> str:
    start = long_date(exhibition.starts_on, weekday=False)
    if exhibition.ends_on and exhibition.ends_on != exhibition.starts_on:
        return _("%(start)s – %(end)s") % {
            "start": start,
            "end": long_date(exhibition.ends_on, weekday=False),
        }
    return _("from %(start)s") % {"start": start}


def catalogue_pdf(
    exhibition: Exhibition, works: Sequence[Work], credits: dict[int, Credit]
) -> bytes:
    """Cover (title, venue, dates), then one entry per work: image, title, credit as each
    creator chose, medium, technique, dimensions, year; written works print their text."""
    st = pdf.styles()
    story: list[Flowable] = [
        Spacer(1, 60 * mm),
        pdf.paragraph(exhibition.programme.name, st["kicker"]),
        pdf.paragraph(exhibition.title, st["cover"]),
        pdf.paragraph(exhibition.venue, st["cover_line"]),
        pdf.paragraph(_dates(exhibition), st["cover_line"]),
    ]
    if exhibition.description:
        story += [Spacer(1, 10 * mm), *pdf.paragraphs(exhibition.description, st["text"])]
    story.append(PageBreak())
    if not works:
        story.append(pdf.paragraph(_("No work to show in the catalogue."), st["text"]))
    for work in works:
        story += _work_entry(work, credit_line(work, credits), st)
    return pdf.build_pdf(
        story,
        title=exhibition.title,
        subject=_("Exhibition catalogue"),
        heading=f"{exhibition.programme.name} · {exhibition.title} · {exhibition.venue}",
        margin=MARGIN,
        cover=True,
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
    st = pdf.styles()
    story: list[Flowable] = [
        Spacer(1, 60 * mm),
        pdf.paragraph(_("Portfolio"), st["kicker"]),
        pdf.paragraph(owner_name, st["cover"]),
        pdf.paragraph(programme.name, st["cover_line"]),
        pdf.paragraph(
            _("%(n)s works") % {"n": len(works)} if len(works) != 1 else _("1 work"),
            st["cover_line"],
        ),
        PageBreak(),
    ]
    if not works:
        story.append(pdf.paragraph(_("No work yet."), st["text"]))
    for work in works:
        names = [
            owner_name if p.pk == owner.pk else credit_name(p, credits.get(p.pk))
            for p in work.creators.all()
        ]
        story += _work_entry(work, ", ".join(dict.fromkeys(names)), st)
    return pdf.build_pdf(
        story,
        title=_("Portfolio of %(name)s") % {"name": owner_name},
        subject=_("Portfolio"),
        heading=f"{programme.name} · {_('Portfolio')} · {owner_name}",
        margin=MARGIN,
        cover=True,
    )
