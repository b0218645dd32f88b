"""The participant's timeline of small steps (*petits pas*), fed by every app.

people/ never imports the apps above it: they register a *source* here, a function
``source(participants, user) -> iterable of TimelineItem`` that returns what ``user`` may
see of those participants.  The file page merges all sources, newest first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from isa.core.models import User
from isa.core.text import mid_sentence
from isa.people.models import Participant

Source = Callable[[Participant, User], Iterable["TimelineItem"]]

_sources: list[Source] = []


@dataclass(frozen=True)
class TimelineItem:
    on: date
    kind: str  # a css-friendly family: stay, milestone, pact, consent, referral, presence, work…
    title: str
    detail: str = ""
    url: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)


def register_source(source: Source) -> Source:
    if source not in _sources:
        _sources.append(source)
    return source


def timeline_for(participant: Participant, user: User) -> list[TimelineItem]:
    items: list[TimelineItem] = []
    for source in _sources:
        items.extend(source(participant, user))
    return sorted(items, key=lambda i: i.on, reverse=True)


def people_items(participant: Participant, user: User) -> Iterable[TimelineItem]:
    """The people app's own steps: referral, stays, pauses, warming-up, pact versions,
    consent decisions."""
    for referral in participant.referrals.all():
        yield TimelineItem(
            referral.referred_on,
            "referral",
            _("Referred by %(service)s") % {"service": referral.referring_service},
        )
    stays = list(participant.stays.all())
    for index, stay in enumerate(stays):
        yield TimelineItem(
            stay.admitted_on,
            "stay",
            _("Came back") if index else _("Admitted"),
        )
        for pause in stay.pauses.all():
            yield TimelineItem(pause.started_on, "pause", _("Pause"), pause.reason)
            if pause.ended_on and pause.ended_on != stay.exited_on:
                yield TimelineItem(pause.ended_on, "pause", _("End of the pause"))
        if stay.exited_on:
            yield TimelineItem(
                stay.exited_on,
                "stay",
                _("Left: %(reason)s") % {"reason": stay.get_exit_reason_display()},
                stay.exit_comment,
            )
    for milestone in participant.milestones.all():
        yield TimelineItem(milestone.on, "milestone", milestone.get_kind_display(), milestone.note)
    for pact in participant.pacts.all():
        yield TimelineItem(
            pact.valid_from,
            "pact",
            _("Pact: %(days)s")
            % {"days": ", ".join(pact.half_day_labels()) or _("no fixed half-day")},
            pact.note,
        )
    for consent in participant.consents.all():
        yield TimelineItem(
            consent.on,
            "consent",
            f"{consent.get_kind_display()}: {mid_sentence(consent.get_state_display())}",
        )
