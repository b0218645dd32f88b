"""The portal's part of the audit log in words (:mod:`isa.core.auditlog`): the person each
event concerns is named by the people app (``detail.participant``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from isa.core.auditlog import said
from isa.core.models import AuditAction, Programme
from isa.core.registry import AuditLine

A = AuditAction
OBJECT_TYPES = ["portal.participantaccess", "portal.invitation", "portal.correctionrequest"]


def describe(lines: Sequence[AuditLine], programme: Programme) -> None:
    for line in lines:
        event = line.event
        values = {"actor": line.actor, "person": line.person or _("a person not shown here")}
        kind = event.object_type.rpartition(".")[2]
        if kind == "participantaccess" and event.action == A.CREATE:
            line.sentence = _("%(actor)s opened the own space of %(person)s") % values
        elif kind == "participantaccess" and event.action == A.ACCOUNT_DEACTIVATED:
            line.sentence = _("%(actor)s closed the own space of %(person)s") % values
        elif kind == "participantaccess" and event.action == A.PASSWORD_CHANGE:
            line.sentence = _("%(person)s chose a password with the letter's code") % values
        elif kind == "invitation":
            line.sentence = _("%(actor)s printed an invitation letter for %(person)s") % values
        elif kind == "correctionrequest" and event.action == A.CREATE:
            line.sentence = _("%(person)s asked for a correction") % values
        elif kind == "correctionrequest" and event.action == A.UPDATE:
            line.sentence = _("%(actor)s answered a correction request of %(person)s") % values
        else:
            line.sentence = said(line, str(event.object_type))
