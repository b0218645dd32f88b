"""The portal's part of the subject-access export: the access itself and the correction
requests with their answers."""

from __future__ import annotations

from django.utils.translation import gettext as _

from isa.core.registry import SubjectSection
from isa.people.models import Participant
from isa.portal.models import CorrectionRequest, ParticipantAccess

COVERS = ["portal.participantaccess", "portal.correctionrequest"]


def export(participant: Participant) -> list[SubjectSection]:
    access = ParticipantAccess.objects.filter(participant=participant).first()
    keep = _("As long as you have your space; the requests as long as your file.")
    return [
        SubjectSection(
            key="portal.access",
            title=_("Your own space"),
            purpose=_("So that you can read your data and decide yourself."),
            source=_("You and the team, when you asked for it."),
            recipients=_("Nobody. Only you sign in."),
            retention=keep,
            columns=[
                ("login", _("sign-in name")),
                ("agreed_on", _("the person agreed on")),
                ("agreement_note", _("how the person agreed")),
                ("disabled_at", _("disabled")),
            ],
            rows=[
                {
                    "login": access.login,
                    "agreed_on": access.agreed_on,
                    "agreement_note": access.agreement_note,
                    "disabled_at": access.disabled_at,
                }
            ]
            if access
            else [],
        ),
        SubjectSection(
            key="portal.corrections",
            title=_("Your requests for a correction"),
            purpose=_("So that your data is right."),
            source=_("You, and the team's answers."),
            recipients=_("The head and the social workers."),
            retention=keep,
            columns=[
                ("sent_at", _("sent")),
                ("topic", _("about")),
                ("text", _("what is not right")),
                ("answer", _("answer")),
                ("answered_at", _("answered")),
            ],
            rows=[
                {
                    "sent_at": c.sent_at,
                    "topic": c.get_topic_display(),
                    "text": c.text,
                    "answer": c.answer,
                    "answered_at": c.answered_at,
                }
                for c in CorrectionRequest.objects.filter(participant=participant)
            ],
        ),
    ]
