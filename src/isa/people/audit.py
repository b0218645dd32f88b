"""The people app's part of the audit log in words (:mod:`isa.core.auditlog`).

It names the participant an event concerns, whatever app recorded it (``detail.participant``,
``detail.participants``, a file, a referral), in one query for the whole page, and only for
participants of the programme whose log is read: its heads see their names.  It writes the
sentences of its own records (*Claire read the file of Christophe Bagnoud*) and finds the
events concerning a person for the log's "person" filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.utils.translation import gettext as _

from isa.core.auditlog import detail_words, record_noun, said
from isa.core.models import AuditAction, Programme
from isa.core.registry import AuditLine
from isa.people.models import (
    ConsentKind,
    ConsentState,
    MilestoneKind,
    Participant,
    Referral,
    normalize_name,
)

A = AuditAction


def participant_names(programme: Programme, ids: Iterable[int]) -> dict[int, str]:
    """``{id: "Christophe Bagnoud"}`` for the participants of ``programme`` among ``ids``."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = Participant.objects.filter(programme=programme, pk__in=wanted).only(
        "usual_first_name", "official_first_names", "last_name"
    )
    return {p.pk: str(p) for p in rows}


def participants_named(programme: Programme, words: str) -> list[int]:
    """The participants of ``programme`` whose name holds ``words`` (accents and case aside)."""
    needle = normalize_name(words)
    if not needle:
        return []
    return list(
        Participant.objects.filter(programme=programme, search_name__contains=needle).values_list(
            "pk", flat=True
        )
    )


def _ids(line: AuditLine) -> list[int]:
    event, detail = line.event, line.event.detail or {}
    ids = []
    if event.object_type == "people.participant" and event.object_id.isdigit():
        ids.append(int(event.object_id))
    if isinstance(detail.get("participant"), int):
        ids.append(detail["participant"])
    if isinstance(detail.get("participants"), list):
        ids.extend(i for i in detail["participants"] if isinstance(i, int))
    return ids


def name_people(lines: Sequence[AuditLine], programme: Programme) -> None:
    """Every line's person concerned, by name: two queries at most for the whole page."""
    referrals = {
        int(line.event.object_id)
        for line in lines
        if line.event.object_type == "people.referral"
        and line.event.object_id.isdigit()
        and not _ids(line)
    }
    by_referral = (
        dict(Referral.objects.filter(pk__in=referrals).values_list("pk", "participant_id"))
        if referrals
        else {}
    )
    wanted: dict[int, list[int]] = {}
    for index, line in enumerate(lines):
        ids = _ids(line)
        if (
            not ids
            and line.event.object_type == "people.referral"
            and line.event.object_id.isdigit()
        ):
            ids.append(by_referral.get(int(line.event.object_id), 0))
        wanted[index] = list(dict.fromkeys(i for i in ids if i))
    names = participant_names(programme, {i for ids in wanted.values() for i in ids})
    for index, ids in wanted.items():
        if ids:
            lines[index].person = ", ".join(names.get(i, _("a person not shown here")) for i in ids)


def describe(lines: Sequence[AuditLine], programme: Programme) -> None:
    """The sentences of files, referrals, stays, pacts, milestones and consents."""
    for line in lines:
        line.sentence = _sentence(line)


def _sentence(line: AuditLine) -> str:
    event, detail = line.event, line.event.detail or {}
    values = {"actor": line.actor, "person": line.person or _("a person not shown here")}
    kind = event.object_type.partition(".")[2]
    if kind == "participant":
        if event.action == A.VIEW and "list" in detail:
            return _("%(actor)s read the list of participants") % values
        if event.action == A.CREATE and "import" in detail:
            return _("%(actor)s imported %(count)s files") % {
                "actor": line.actor,
                "count": detail["import"],
            }
        if event.action == A.UPDATE and "pause" in detail:
            return _("%(actor)s paused the stay of %(person)s") % values
        if event.action == A.UPDATE and "resume" in detail:
            return _("%(actor)s ended the pause of %(person)s") % values
        if event.action == A.VIEW:
            return _("%(actor)s read the file of %(person)s") % values
        if event.action == A.CREATE:
            return _("%(actor)s opened a file for %(person)s") % values
        return said(line, _("the file of %(person)s") % values)
    if kind == "referral":
        if event.action == A.VIEW:
            return _("%(actor)s read the list of referrals") % values
        if event.action == A.CREATE:
            return _("%(actor)s recorded the referral of %(person)s") % values
        return said(line, _("the referral of %(person)s") % values)
    if kind == "stay":
        if event.action == A.CREATE and detail.get("return"):
            return _("%(actor)s welcomed %(person)s back") % values
        if event.action == A.CREATE:
            return _("%(actor)s admitted %(person)s") % values
        if event.action == A.UPDATE and "exit" in detail:
            return _("%(actor)s recorded the leaving of %(person)s") % values
        if event.action == A.OVERRIDE:
            return _("%(actor)s admitted someone beyond the capacity") % values
        return said(line, _("the stay of %(person)s") % values)
    if kind == "pact":
        return said(line, _("the pact of %(person)s") % values)
    if kind == "milestone":
        milestone = detail.get("kind", "")
        label = MilestoneKind(milestone).label if milestone in MilestoneKind.values else milestone
        line.details = detail_words(detail, skip={"kind"})
        return _("%(actor)s noted a step of %(person)s: %(step)s") % {**values, "step": label}
    if kind == "consent":
        consent, state = detail.get("kind", ""), detail.get("state", "")
        if consent in ConsentKind.values and state in ConsentState.values:
            line.details = detail_words(detail, skip={"kind", "state"})
            return _("%(actor)s recorded a consent of %(person)s: %(consent)s, %(state)s") % {
                **values,
                "consent": ConsentKind(consent).label,
                "state": ConsentState(state).label.lower(),
            }
        return _("%(actor)s recorded a consent of %(person)s") % values
    return said(line, record_noun(event.object_type, line.person))


def find_person(programme: Programme, words: str) -> Q | None:
    """Events concerning the participants of ``programme`` named ``words``: their files and
    every record that names them (presence, steps, evaluations, works…)."""
    ids = participants_named(programme, words)
    if not ids:
        return None
    return Q(object_type="people.participant", object_id__in=[str(i) for i in ids]) | Q(
        detail__participant__in=ids
    )


#: The object types whose sentences this app writes.
OBJECT_TYPES = [
    "people.participant",
    "people.referral",
    "people.stay",
    "people.pact",
    "people.milestone",
    "people.consent",
]
