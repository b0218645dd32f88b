"""This app's part of the subject-access export: the entries shared with the person.

Team and restricted entries are not in it (docs/decisions.md, "What of the journal is in
the access answer"): they hold the team's working notes and, often, other people; the person
may ask to read them with a social worker, who answers under nFADP art. 26.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from isa.core.registry import SubjectSection
from isa.journal.models import Entry
from isa.people.models import Participant

COVERS = ["journal.entry"]


def export(participant: Participant) -> list[SubjectSection]:
    entries = Entry.objects.shared_with(participant).select_related("author")
    return [
        SubjectSection(
            key="journal.shared",
            title=_("The notes shared with you"),
            purpose=_("To keep a trace of the small steps, with you."),
            source=_("The team."),
            recipients=_("The team and you."),
            retention=_("As long as you are accompanied, then 10 years after you leave."),
            columns=[
                ("written_on", _("date")),
                ("kind", _("kind")),
                ("author", _("author")),
                ("text", _("text")),
            ],
            rows=[
                {
                    "written_on": e.written_on,
                    "kind": e.get_kind_display(),
                    "author": e.author.full_name,
                    "text": e.text,
                }
                for e in entries
            ],
            note=_(
                "The team also writes working notes that are not shared with you. You may "
                "ask a social worker to read them with you."
            ),
        )
    ]
