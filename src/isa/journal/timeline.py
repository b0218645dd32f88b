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
    rows = (
        Entry.objects.visible_to(user)
        .about(participant)
        .order_by("-written_on", "-pk")
        .values_list(
            "pk", "written_on", "kind", "tags", "text", "author__full_name", "author__email"
        )
    )[:200]
    kinds = {value: str(label) for value, label in EntryKind.choices}
    tags = {value: str(label) for value, label in Tag.choices}
    tag_order = list(tags)
    # The entries' address: the journal's, then the entry's id (journal/urls.py).
    base = reverse("journal_list", args=[participant.programme_id])
    # Rows, not model instances: 200 entries and their authors were 400 objects to build.
    # Each author's short name is worked out once, as ``User.get_short_name`` does.
    authors: dict[tuple[str, str], str] = {}
    for pk, written_on, kind, entry_tags, text, full_name, email in rows:
        author = authors.get((full_name, email))
        if author is None:
            author = authors[(full_name, email)] = User(
                full_name=full_name, email=email
            ).get_short_name()
        yield TimelineItem(
            written_on,
            f"journal-{kind}",
            f"{kinds.get(kind, kind)} · {author}",
            Truncator(text).words(40),
            url=f"{base}{pk}/",
            tags=tuple(tags[t] for t in tag_order if t in entry_tags),
        )
