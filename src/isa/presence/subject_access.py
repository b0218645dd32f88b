"""This app's part of the subject-access export: the days the person came (and the
half-days noted absent), and the symbol they chose for the kiosk."""

from __future__ import annotations

from django.utils.translation import gettext as _

from isa.core.registry import SubjectSection
from isa.people.models import Participant
from isa.presence.models import CheckInSymbol, Presence

COVERS = ["presence.presence", "presence.checkinsymbol"]


def export(participant: Participant) -> list[SubjectSection]:
    presences = (
        Presence.objects.filter(participant=participant)
        .select_related("session__workshop", "medium")
        .order_by("session__on", "session__part")
    )
    rows = [
        {
            "on": p.session.on,
            "part": p.session.get_part_display(),
            "workshop": p.session.workshop.title,
            "state": p.get_state_display(),
            "medium": str(p.medium) if p.medium else "",
            "arrived_at": p.arrived_at,
            "left_at": p.left_at,
        }
        for p in presences
    ]
    symbol = CheckInSymbol.objects.filter(participant=participant).first()
    return [
        SubjectSection(
            key="presence.days",
            title=_("Your days at the workshop"),
            purpose=_("To take care of you: the team notices when you do not come."),
            source=_("The team, or you at the tablet by the door."),
            recipients=_("The team. Funders only see numbers without names."),
            retention=_("As long as you are accompanied, then 10 years after you leave."),
            columns=[
                ("on", _("date")),
                ("part", _("half-day")),
                ("workshop", _("workshop")),
                ("state", _("presence")),
                ("medium", _("medium")),
                ("arrived_at", _("arrival")),
                ("left_at", _("departure")),
            ],
            rows=rows,
        ),
        SubjectSection(
            key="presence.symbol",
            title=_("Your symbol on the tablet"),
            purpose=_("To find your name quickly at the door."),
            source=_("You."),
            recipients=_("The team."),
            retention=_("As long as you are accompanied."),
            columns=[("symbol", _("symbol"))],
            rows=[{"symbol": symbol.symbol}] if symbol else [],
        ),
    ]
