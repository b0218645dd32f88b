"""Presence on the participant's timeline: the first time they came, and each first time
in a new medium (registered with the people timeline)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from isa.core.models import User
from isa.core.text import mid_sentence
from isa.people.models import Participant
from isa.people.timeline import TimelineItem
from isa.presence.models import Medium, Presence, PresenceState


def presence_items(participant: Participant, user: User) -> Iterable[TimelineItem]:
    rows = (
        Presence.objects.filter(participant=participant, state=PresenceState.PRESENT)
        .order_by("session__on", "session__part")
        .values_list("session__on", "session__workshop__title", "medium_id")
    )
    media = {m.pk: m for m in Medium.objects.all()}
    first = True
    seen: set[int] = set()
    for day, workshop, medium_id in rows:
        if first:
            yield TimelineItem(
                day,
                "presence",
                _("First time at the workshop (%(workshop)s)") % {"workshop": workshop},
            )
            first = False
        if medium_id is not None and medium_id not in seen:
            seen.add(medium_id)
            medium = media.get(medium_id)
            if medium is not None:
                yield TimelineItem(
                    day,
                    "presence",
                    _("First time in %(medium)s") % {"medium": mid_sentence(medium.label)},
                )
