"""This app's part of the subject-access export: whether the person's file was anonymised
(when, why, by whom).  Research exports hold pseudonyms only and are not about a person the
programme can name: they are said in the record of processing activities, not here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from isa.core.exports import model_section
from isa.core.registry import SubjectSection
from isa.people.models import Participant
from isa.privacy.models import Anonymisation

COVERS = ["privacy.anonymisation"]
FIELDS = ["at", "reason", "by_label"]


def export(participant: Participant) -> list[SubjectSection]:
    rows = Anonymisation.objects.filter(participant=participant)
    return [
        model_section(
            "privacy.anonymisation",
            _("When your file was made anonymous"),
            Anonymisation,
            FIELDS,
            rows,
            purpose=_("To show that your file was made anonymous, and why."),
            source=_("The team, or the end of the time your file is kept."),
            recipients=_("The team."),
            retention=_("As long as the file exists."),
        )
    ]
