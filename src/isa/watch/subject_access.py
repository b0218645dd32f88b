"""This app's part of the subject-access export: what the watch noticed about the person
and how the team reached out."""

from __future__ import annotations

from django.utils.translation import gettext as _

from isa.core.exports import model_section
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
        model_section(
            "watch.alerts",
            _("When the team was worried about you"),
            Alert,
            ALERT_FIELDS,
            alerts,
            **texts,
        ),
        model_section(
            "watch.outreach",
            _("How the team reached out to you"),
            Outreach,
            OUTREACH_FIELDS,
            outreach,
            **texts,
        ),
    ]
