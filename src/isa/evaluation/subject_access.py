"""This app's part of the subject-access export: the questionnaires the person answered
(with their answers and what they say in words), the effects grids and the health figures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from isa.core.exports import model_columns, model_row
from isa.core.registry import SubjectSection
from isa.evaluation.models import Administration, EffectAssessment, HealthPeriod
from isa.evaluation.results import answers_in_words
from isa.people.models import Participant

COVERS = ["evaluation.administration", "evaluation.effectassessment", "evaluation.healthperiod"]
HEALTH_FIELDS = [
    "kind",
    "starts_on",
    "ends_on",
    "costs_chf",
    "cost_source",
    "anonymised_cost_per_year",
    "hospital_days",
    "emergency_visits",
]


def export(participant: Participant) -> list[SubjectSection]:
    keep = _("As long as you are accompanied, then 10 years after you leave.")
    rows = []
    for administration in Administration.objects.filter(participant=participant).order_by(
        "on", "pk"
    ):
        read = answers_in_words(administration)
        rows.append(
            {
                "on": administration.on,
                "title": read.title,
                "status": administration.get_status_display(),
                "answers": " | ".join(f"{q} → {a}" for q, a in read.answers),
                "meaning": read.meaning,
            }
        )
    effects = EffectAssessment.objects.filter(participant=participant)
    health = HealthPeriod.objects.filter(participant=participant)
    return [
        SubjectSection(
            key="evaluation.questionnaires",
            title=_("Your questionnaires"),
            purpose=_("To know if the programme does you good. Answering is always free."),
            source=_("You."),
            recipients=_(
                "The team. Researchers only with your consent and without your name; "
                "funders only numbers of the whole group."
            ),
            retention=keep,
            columns=[
                ("on", _("date")),
                ("title", _("questionnaire")),
                ("status", _("status")),
                ("answers", _("answers")),
                ("meaning", _("what it says")),
            ],
            rows=rows,
        ),
        SubjectSection(
            key="evaluation.effects",
            title=_("The effects grid"),
            purpose=_("To know if the programme does you good."),
            source=_("You, or a social worker."),
            recipients=_("The team. Funders only numbers of the whole group."),
            retention=keep,
            columns=[
                *model_columns(EffectAssessment, ["on", "perspective"]),
                ("values", _("effects")),
            ],
            rows=[{**model_row(e, ["on", "perspective"]), "values": e.values} for e in effects],
        ),
        SubjectSection(
            key="evaluation.health",
            title=_("Your health figures"),
            purpose=_("To know if the programme helps your health. Only with your consent."),
            source=_("You, or your health insurance."),
            recipients=_(
                "The head and the social workers. Funders only numbers of the whole group."
            ),
            retention=keep,
            columns=[
                *model_columns(HealthPeriod, HEALTH_FIELDS),
                ("medications", _("medication changes")),
            ],
            rows=[
                {
                    **model_row(h, HEALTH_FIELDS),
                    "medications": ", ".join(f"{a}: {b}" for a, b in h.medication_rows()),
                }
                for h in health
            ],
        ),
    ]
