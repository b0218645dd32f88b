"""The demo's report: ISA Sion's published report for the last complete year, in French,
seen by the demo funder (fictional data, marked as such)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils import timezone

from isa.core.demo import demo_actor
from isa.core.models import Programme, User
from isa.reports import services
from isa.reports.models import ReportVersion


def seed_reports(context: dict[str, object]) -> None:
    programme = context["programme"]
    head = context["head"]
    assert isinstance(programme, Programme) and isinstance(head, User)
    year = timezone.localdate().year - 1
    start, end = date(year, 1, 1), date(year, 12, 31)
    if ReportVersion.objects.of_period(programme, start, end, "fr").published().exists():
        return
    actor = demo_actor(head)
    draft = services.report_draft_save(
        actor=actor,
        programme=programme,
        start=start,
        end=end,
        language="fr",
        foreword=(
            "Une année de petits pas à l'atelier du Grand-Pont. Les personnes sont venues à "
            "leur rythme; l'équipe a tenu le cadre et gardé la porte ouverte. "
            "(Données fictives de démonstration.)"
        ),
        highlights="Une exposition au printemps. De nouvelles personnes accueillies.",
        deadweight=Decimal("0.3"),
        deadweight_reason="Une partie des changements serait arrivée sans l'atelier.",
        attribution=Decimal("0.3"),
        attribution_reason="Le CMS et les médecins accompagnent aussi ces personnes.",
    )
    services.report_publish(actor=actor, version=draft)
