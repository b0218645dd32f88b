"""The API app's part of the audit log in words: the personal tokens made and revoked.
(Calls made through the API are recorded by the services they reach, channel ``api``.)"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from isa.core.auditlog import said
from isa.core.models import AuditAction, Programme
from isa.core.registry import AuditLine

OBJECT_TYPES = ["api.apitoken"]


def describe(lines: Sequence[AuditLine], programme: Programme) -> None:
    for line in lines:
        event, detail = line.event, line.event.detail or {}
        values = {"actor": line.actor, "name": detail.get("name", "")}
        if event.action == AuditAction.CREATE:
            line.sentence = _("%(actor)s made the API token “%(name)s”") % values
        elif event.action == AuditAction.DELETE:
            line.sentence = _("%(actor)s revoked the API token “%(name)s”") % values
        else:
            line.sentence = said(line, _("the API token “%(name)s”") % values)
