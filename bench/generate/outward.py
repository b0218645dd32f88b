"""What the pages on top need in the measured programme: the funders' report (a published
version of last year, and a draft of this year) and one participant's own space.

Built with the demo's own builders and the services (audit events included), not row by
row: ``reports.demo.seed_reports`` publishes last year's report of the programme in French,
``portal.services.access_create`` opens the access of the measured file's person (the
benchmark signs in as that person; the password is never needed).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from isa.core.demo import demo_actor
from isa.core.models import Programme, User
from isa.people.models import Participant
from isa.portal.services import access_create
from isa.reports import services as reports
from isa.reports.demo import seed_reports
from isa.reports.models import ReportVersion


def fill_outward(programme: Programme, head: User, participant: Participant) -> dict[str, int]:
    """The report versions and the portal's account; what the benchmark requests."""
    seed_reports({"programme": programme, "head": head})
    year = timezone.localdate().year - 1
    published = (
        ReportVersion.objects.of_period(programme, date(year, 1, 1), date(year, 12, 31), "fr")
        .published()
        .get()
    )
    today = timezone.localdate()
    draft = reports.report_draft_save(
        actor=demo_actor(head),
        programme=programme,
        start=date(today.year, 1, 1),
        end=max(date(today.year, 1, 1), today - timedelta(days=1)),
        language="fr",
        foreword="Brouillon de l'année en cours (données fictives).",
        deadweight=published.deadweight,
        deadweight_reason=published.deadweight_reason,
        attribution=published.attribution,
        attribution_reason=published.attribution_reason,
    )
    access, _invitation, _code = access_create(
        participant=participant,
        agreement_note="Demandé lors de l'entretien (données fictives).",
        language="fr",
        actor=demo_actor(head),
    )
    return {
        "report_published_id": published.pk,
        "report_draft_id": draft.pk,
        "portal_user_id": access.user_id,
    }
