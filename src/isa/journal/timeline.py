"""Journal entries on the participant's timeline, as the reader may see them.

Up to 200 entries, so the labels, tag names and the entries' address are worked out once
per timeline, not once per entry (``get_kind_display``, ``tag_labels`` and ``reverse``
cost about a tenth of a millisecond each; issue 17)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.text import Truncator

from isa.core.models import User
from isa.journal.models import Entry, EntryKind, Tag
from isa.people.models import Participant
from isa.people.timeline import TimelineItem


def journal_items(participant: Participant, user: User) -> Iterable[TimelineItem]:
    entries = (
        Entry.objects.visible_to(user)
        .about(participant)
        .select_related("author")
        .only("pk", "written_on", "kind", "tags", "text", "author__full_name", "author__email")
        .order_by("-written_on", "-pk")[:200]
    )
    kinds = {value: str(label) for value, label in EntryKind.choices}
    tags = {value: str(label) for value, label in Tag.choices}
    # The entries' address: the journal's, then the entry's id (journal/urls.py).
    base = reverse("journal_list", args=[participant.programme_id])
    for entry in entries:
        yield TimelineItem(
            entry.written_on,
            f"journal-{entry.kind}",
            f"{kinds.get(entry.kind, entry.kind)} · {entry.author.get_short_name()}",
            Truncator(entry.text).words(40),
            url=f"{base}{entry.pk}/",
            tags=tuple(tags[t] for t in Tag.values if t in entry.tags),
        )
