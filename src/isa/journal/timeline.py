"""Journal entries on the participant's timeline, as the reader may see them."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.text import Truncator

from isa.core.models import User
from isa.journal.models import Entry
from isa.people.models import Participant
from isa.people.timeline import TimelineItem


def journal_items(participant: Participant, user: User) -> Iterable[TimelineItem]:
    entries = (
        Entry.objects.visible_to(user)
        .about(participant)
        .select_related("author")
        .order_by("-written_on", "-pk")[:200]
    )
    for entry in entries:
        yield TimelineItem(
            entry.written_on,
            f"journal-{entry.kind}",
            f"{entry.get_kind_display()} · {entry.author.get_short_name()}",
            Truncator(entry.text).words(40),
            url=entry.get_absolute_url(),
            tags=tuple(entry.tag_labels()),
        )
