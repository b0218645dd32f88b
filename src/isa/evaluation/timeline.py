"""Questionnaires on the participant's timeline: a title only, never a score, and only for
the head and the social workers."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from isa.core.models import User
from isa.evaluation.models import EVALUATION_ROLES, AdministrationStatus
from isa.evaluation.results import administrations_of, instrument_title
from isa.people.models import Participant
from isa.people.timeline import TimelineItem


def evaluation_items(participant: Participant, user: User) -> Iterable[TimelineItem]:
    if not user.has_role(participant.programme_id, EVALUATION_ROLES):
        return
    rows = [
        a for a in administrations_of(participant) if a.status != AdministrationStatus.IN_PROGRESS
    ]
    for a in rows:
        title = instrument_title(a)
        if a.status == AdministrationStatus.DECLINED:
            text = _("%(questionnaire)s: declined today") % {"questionnaire": title}
        else:
            text = _("%(questionnaire)s answered") % {"questionnaire": title}
        yield TimelineItem(a.on, "questionnaire", text, url=a.get_absolute_url())
