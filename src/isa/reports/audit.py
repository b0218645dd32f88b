"""The reports' part of the audit log in words (:mod:`isa.core.auditlog`): no person is
concerned, only a report's version, a combined report or a proxy."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from isa.core.auditlog import said
from isa.core.models import AuditAction, Programme
from isa.core.registry import AuditLine

A = AuditAction
OBJECT_TYPES = ("reports.reportversion", "reports.combined", "reports.proxyoverride")


def describe(lines: Sequence[AuditLine], programme: Programme) -> None:
    for line in lines:
        event = line.event
        detail = event.detail or {}
        values = {"actor": line.actor, "format": str(detail.get("format", "")).upper()}
        if event.object_type == "reports.proxyoverride":
            line.sentence = _("%(actor)s set a cost–benefit proxy") % values
        elif event.action == A.EXPORT:
            line.sentence = _("%(actor)s downloaded a report (%(format)s)") % values
        elif event.action == A.VIEW:
            line.sentence = _("%(actor)s read a report") % values
        elif event.action == A.UPDATE and detail.get("published"):
            line.sentence = _("%(actor)s published a report") % values
        elif event.action == A.CREATE and detail.get("corrects"):
            line.sentence = _("%(actor)s published a corrected report") % values
        else:
            line.sentence = said(line, _("a report"))
