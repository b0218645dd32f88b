"""The journal's part of the audit log in words (:mod:`isa.core.auditlog`).

Reading an entry records only the entry: the people it concerns are found here, for the
whole page in one query, and named through the people app.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext as _

from isa.core.auditlog import said
from isa.core.models import AuditAction, Programme
from isa.core.registry import AuditLine
from isa.journal.models import Entry
from isa.people.audit import participant_names, participants_named

A = AuditAction


def describe(lines: Sequence[AuditLine], programme: Programme) -> None:
    # Writing an entry records whom it concerns (named already); reading it does not.
    ids = {
        int(line.event.object_id)
        for line in lines
        if line.event.object_id.isdigit() and not line.person
    }
    concerned: dict[int, list[int]] = {}
    if ids:
        links = Entry.participants.through.objects.filter(entry_id__in=ids).values_list(
            "entry_id", "participant_id"
        )
        for entry_id, participant_id in links:
            concerned.setdefault(entry_id, []).append(participant_id)
    names = participant_names(programme, {p for ps in concerned.values() for p in ps})
    for line in lines:
        event = line.event
        people = concerned.get(int(event.object_id), []) if event.object_id.isdigit() else []
        if people:
            line.person = ", ".join(names.get(p, _("a person not shown here")) for p in people)
        values = {"actor": line.actor, "person": line.person or _("a person not shown here")}
        if event.action == A.VIEW and "list" in (event.detail or {}):
            line.sentence = _("%(actor)s read the journal") % values
        elif event.action == A.VIEW:
            line.sentence = _("%(actor)s read a journal entry about %(person)s") % values
        elif event.action == A.CREATE:
            line.sentence = _("%(actor)s wrote a journal entry about %(person)s") % values
        elif event.action == A.UPDATE:
            line.sentence = _("%(actor)s corrected a journal entry about %(person)s") % values
        else:
            line.sentence = said(line, _("a journal entry about %(person)s") % values)


def find_person(programme: Programme, words: str) -> Q | None:
    """The entries about the participants of ``programme`` named ``words``."""
    ids = participants_named(programme, words)
    if not ids:
        return None
    entries = Entry.participants.through.objects.filter(participant_id__in=ids).values_list(
        "entry_id", flat=True
    )
    return Q(object_type="journal.entry", object_id__in=[str(e) for e in entries])


OBJECT_TYPES = ["journal.entry"]
