"""This app's part of the subject-access export: the person's works with their images, how
they are credited, and the exhibitions their works were shown in."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils.text import slugify
from django.utils.translation import gettext as _

from isa.core.registry import SubjectSection
from isa.people.models import Participant
from isa.works.models import Credit, ExhibitionWork, Work
from isa.works.services import credit_name

COVERS = [
    "works.work",
    "works.workimage",
    "works.credit",
    "works.exhibition",
    "works.exhibitionwork",
]


def export(participant: Participant) -> list[SubjectSection]:
    works = list(Work.objects.by(participant).select_related("medium").prefetch_related("images"))
    rows, files = [], []
    for work in works:
        names = []
        for image in work.images.all():
            name = f"works/{work.pk}-{slugify(work.title) or 'work'}-{image.order + 1}.jpg"
            try:
                with default_storage.open(image.display.name, "rb") as fh:
                    files.append((name, fh.read()))
                names.append(name)
            except OSError:  # a file lost on disk: the rest of the answer still goes out
                continue
        rows.append(
            {
                "title": work.title,
                "medium": str(work.medium),
                "made_on": work.made_on,
                "technique": work.technique,
                "dimensions": work.dimensions,
                "description": work.description,
                "text": work.text,
                "state": work.get_state_display(),
                "images": ", ".join(names),
            }
        )
    credit = Credit.objects.filter(participant=participant).first()
    shown = ExhibitionWork.objects.filter(work__in=works).select_related("exhibition", "work")
    keep = _("As long as you are accompanied, then 10 years after you leave.")
    return [
        SubjectSection(
            key="works.works",
            title=_("Your works"),
            purpose=_("To keep a trace of what you made, and to show it if you agree."),
            source=_("You and the team."),
            recipients=_(
                "The team. The public only sees the works you agreed to show, with the name "
                "you chose."
            ),
            retention=keep,
            columns=[
                ("title", _("title")),
                ("medium", _("medium")),
                ("made_on", _("date")),
                ("technique", _("technique")),
                ("dimensions", _("dimensions")),
                ("description", _("description")),
                ("text", _("text")),
                ("state", _("state")),
                ("images", _("images")),
            ],
            rows=rows,
            files=files,
        ),
        SubjectSection(
            key="works.credit",
            title=_("Your name beside your works"),
            purpose=_("To name you as you chose."),
            source=_("You."),
            recipients=_("The public, beside the works you agreed to show."),
            retention=keep,
            columns=[("credit", _("credited as"))],
            rows=[
                {
                    "credit": (
                        f"{credit.get_mode_display() if credit else _('Anonymous')}: "
                        f"{credit_name(participant, credit)}"
                    )
                }
            ],
        ),
        SubjectSection(
            key="works.exhibitions",
            title=_("Exhibitions of your works"),
            purpose=_("To show your works, if you agree."),
            source=_("The team."),
            recipients=_("The visitors of the exhibition."),
            retention=keep,
            columns=[
                ("work", _("work")),
                ("exhibition", _("exhibition")),
                ("starts_on", _("opening")),
            ],
            rows=[
                {
                    "work": e.work.title,
                    "exhibition": e.exhibition.title,
                    "starts_on": e.exhibition.starts_on,
                }
                for e in shown
            ],
        ),
    ]
