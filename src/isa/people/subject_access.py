"""This app's part of everything held about a person (nFADP art. 25): the file, referrals,
stays, warming-up moments, pacts and consents.  Registered in :mod:`isa.people.apps`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from isa.core.exports import model_section
from isa.core.registry import SubjectSection
from isa.people.models import Consent, Milestone, Pact, Participant, Pause, Referral, Stay

COVERS = [
    "people.participant",
    "people.referral",
    "people.stay",
    "people.pause",
    "people.milestone",
    "people.pact",
    "people.consent",
]

FILE_FIELDS = [
    "last_name",
    "official_first_names",
    "usual_first_name",
    "birth_date",
    "gender",
    "languages",
    "phone",
    "email",
    "address",
    "avs_number",
    "social_aid_reference",
    "status",
    "accompanied_since",
]


def export(participant: Participant) -> list[SubjectSection]:
    keep_file = _("As long as you are accompanied, then 10 years after you leave.")
    team = _("The team of the programme. Nobody outside it.")
    stays = list(Stay.objects.filter(participant=participant))
    return [
        model_section(
            "people.file",
            _("Your file"),
            Participant,
            FILE_FIELDS,
            [participant],
            purpose=_("To know who you are and to reach you."),
            source=_("You, and the service that sent you to the programme."),
            recipients=team,
            retention=keep_file,
        ),
        model_section(
            "people.referrals",
            _("How you came to the programme"),
            Referral,
            ["referred_on", "referring_service", "referring_person", "context", "status"],
            Referral.objects.filter(participant=participant),
            purpose=_("To welcome you well."),
            source=_("The service that sent you (for example the CMS)."),
            recipients=_("The head and the social workers of the programme."),
            retention=keep_file,
        ),
        model_section(
            "people.stays",
            _("Your time at the programme"),
            Stay,
            ["admitted_on", "exited_on", "exit_reason"],
            stays,
            purpose=_("To know since when you come."),
            source=_("The team."),
            recipients=_("The team. Funders only see numbers without names."),
            retention=keep_file,
        ),
        model_section(
            "people.pauses",
            _("Your pauses"),
            Pause,
            ["started_on", "ended_on", "reason"],
            Pause.objects.filter(stay__participant=participant),
            purpose=_("To keep your place while you are away."),
            source=_("You and the team."),
            recipients=team,
            retention=keep_file,
        ),
        model_section(
            "people.milestones",
            _("Your first steps"),
            Milestone,
            ["kind", "on", "note"],
            Milestone.objects.filter(participant=participant),
            purpose=_("To remember how you started, at your pace."),
            source=_("The team."),
            recipients=team,
            retention=keep_file,
        ),
        model_section(
            "people.pacts",
            _("Your pact"),
            Pact,
            ["valid_from", "half_days", "note"],
            Pact.objects.filter(participant=participant),
            purpose=_("To know when you usually come."),
            source=_("You and the team, together."),
            recipients=team,
            retention=keep_file,
        ),
        model_section(
            "people.consents",
            _("Your consents"),
            Consent,
            ["kind", "state", "on", "method", "note"],
            Consent.objects.filter(participant=participant),
            purpose=_("To do only what you agreed to."),
            source=_("You."),
            recipients=team,
            retention=keep_file,
        ),
    ]
