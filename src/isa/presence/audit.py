"""The presence app's part of the audit log in words (:mod:`isa.core.auditlog`).

The person concerned is named by the people app (``detail.participant``); here, the
sentences: *Léa recorded the presence of Christophe Bagnoud*.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext as _

from isa.core.auditlog import record_noun, said
from isa.core.models import AuditAction, Programme
from isa.core.registry import AuditLine
from isa.formats import written_format

A = AuditAction


def describe(lines: Sequence[AuditLine], programme: Programme) -> None:
    for line in lines:
        line.sentence = _sentence(line)


def _month(detail: dict) -> str:
    try:
        first = date(int(detail["year"]), int(detail["month"]), 1)
    except (KeyError, TypeError, ValueError):
        return ""
    from django.utils.dateformat import format as django_format

    return django_format(first, written_format("YEAR_MONTH_FORMAT"))


def _sentence(line: AuditLine) -> str:
    event, detail = line.event, line.event.detail or {}
    values = {"actor": line.actor, "person": line.person or _("a person not shown here")}
    kind = event.object_type.partition(".")[2]
    if kind == "presence":
        if event.action == A.CREATE:
            return _("%(actor)s recorded the presence of %(person)s") % values
        if event.action == A.UPDATE and detail.get("state") == "absent":
            return _("%(actor)s recorded the absence of %(person)s") % values
        if event.action == A.UPDATE and "left" in detail:
            return _("%(actor)s recorded when %(person)s left") % values
        if event.action == A.DELETE:
            return _("%(actor)s removed the presence of %(person)s") % values
        return said(line, _("the presence of %(person)s") % values)
    if kind == "month":
        month = _month(detail)
        if event.action == A.EXPORT:
            return _("%(actor)s exported the attendance sheet of %(month)s") % {
                **values,
                "month": month,
            }
        return _("%(actor)s read the presence of %(month)s") % {**values, "month": month}
    if kind == "kiosk":
        if detail.get("kiosk") == "end":
            return _("%(actor)s closed the check-in kiosk") % values
        return _("%(actor)s opened the check-in kiosk") % values
    if kind == "session" and event.action == A.VIEW:
        return _("%(actor)s opened the register of a session") % values
    if kind == "session" and event.action == A.CREATE:
        return _("%(actor)s planned sessions") % values
    return said(line, record_noun(event.object_type, line.person))


OBJECT_TYPES = ["presence.presence", "presence.month", "presence.kiosk", "presence.session"]
