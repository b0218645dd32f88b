"""The privacy app's part of the audit log in words (:mod:`isa.core.auditlog`)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from isa.core.auditlog import detail_words, said
from isa.core.models import AuditAction, Programme
from isa.core.registry import AuditLine

OBJECT_TYPES = (
    "privacy.anonymisation",
    "privacy.retentionpolicy",
    "privacy.study",
    "privacy.backup",
)


def describe(lines: Sequence[AuditLine], programme: Programme) -> None:
    for line in lines:
        event, detail = line.event, line.event.detail or {}
        values = {"actor": line.actor, "person": line.person or _("a person not shown here")}
        kind = event.object_type.partition(".")[2]
        if kind == "anonymisation":
            if detail.get("reason") == "request":
                line.sentence = (
                    _("%(actor)s anonymised the file of %(person)s at their request") % values
                )
            else:
                line.sentence = (
                    _("%(actor)s anonymised the file of %(person)s (end of the retention period)")
                    % values
                )
        elif kind == "retentionpolicy":
            line.sentence = _("%(actor)s set the retention period to %(years)s years") % {
                "actor": line.actor,
                "years": detail.get("years", "?"),
            }
        elif kind == "study" and event.action == AuditAction.EXPORT:
            line.sentence = _("%(actor)s exported research data of %(count)s people") % {
                "actor": line.actor,
                "count": detail.get("people", 0),
            }
        elif kind == "study":
            line.sentence = said(line, _("the study “%(name)s”") % {"name": detail.get("name", "")})
        else:
            line.sentence = _("%(actor)s made a backup") % values
        line.details = detail_words(detail, skip=("participant", "reason", "researchers"))
