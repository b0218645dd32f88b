"""This app's part of the subject-access export: what the watch noticed about the person
and how the team reached out."""

from __future__ import annotations

from django.utils.translation import gettext as _

from isa.core.exports import model_columns, model_row
from isa.core.registry import SubjectSection
from isa.people.models import Participant
from isa.watch.models import Alert, Outreach

COVERS = ["watch.alert", "watch.outreach"]
ALERT_FIELDS = ["opened_on", "situation", "summary", "status", "resolved_at"]
OUTREACH_FIELDS = ["on", "kind", "note"]


def export(participant: Participant) -> list[SubjectSection]:
    texts = {
        "purpose": _("To take care of you when you do not come for a while."),
        "source": _("The team, from your days at the workshop."),
        "recipients": _("The team."),
        "retention": _("As long as you are accompanied, then 10 years after you leave."),
    }
    alerts = Alert.objects.filter(participant=participant)
    outreach = Outreach.objects.filter(alert__participant=participant)
    return [
        SubjectSection(
            key="watch.alerts",
            title=_("When the team was worried about you"),
            columns=model_columns(Alert, ALERT_FIELDS),
            rows=[model_row(a, ALERT_FIELDS) for a in alerts],
            **texts,
        ),
        SubjectSection(
            key="watch.outreach",
            title=_("How the team reached out to you"),
            columns=model_columns(Outreach, OUTREACH_FIELDS),
            rows=[model_row(o, OUTREACH_FIELDS) for o in outreach],
            **texts,
        ),
    ]
