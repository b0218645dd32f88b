"""The audit log as a head reads it: each event a sentence in the reader's language.

*Claire read the file of Christophe Bagnoud*, *Léa recorded the presence of …*: core writes
the sentences of what it knows (sign-ins, accounts, roles) and a plain sentence for the rest;
each app completes the lines of its own object types through a describer
(:func:`isa.core.registry.register_audit_describer`), in bulk, without core importing it.
Details are written in words ("role: Social worker"), never as ``filters: {}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, time
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from isa.core.actor import Channel
from isa.core.models import AuditAction, AuditEvent, Programme, Role, User
from isa.core.registry import AuditLine, audit_person_finders, describe_audit

A = AuditAction

#: What someone did to a record; ``%(object)s`` names it (accusative, in German).
ACTION_SENTENCES = {
    A.VIEW: gettext_lazy("%(actor)s read %(object)s"),
    A.CREATE: gettext_lazy("%(actor)s created %(object)s"),
    A.UPDATE: gettext_lazy("%(actor)s changed %(object)s"),
    A.DELETE: gettext_lazy("%(actor)s deleted %(object)s"),
    A.EXPORT: gettext_lazy("%(actor)s exported %(object)s"),
    A.OVERRIDE: gettext_lazy("%(actor)s overrode a rule for %(object)s"),
}

#: What happened to an account; ``%(account)s`` names it, ``%(email)s`` is the address typed.
ACCOUNT_SENTENCES = {
    A.LOGIN: gettext_lazy("%(actor)s signed in"),
    A.LOGOUT: gettext_lazy("%(actor)s signed out"),
    A.LOGIN_FAILED: gettext_lazy("Failed sign-in with the e-mail %(email)s"),
    A.LOCKOUT: gettext_lazy("The account %(email)s was locked after repeated failed sign-ins"),
    A.PASSWORD_CHANGE: gettext_lazy("%(actor)s changed their password"),
    A.PASSWORD_SET: gettext_lazy("%(actor)s set a new password for %(account)s"),
    A.PASSWORD_RESET_REQUESTED: gettext_lazy(
        "Someone asked for a link to choose a new password for %(email)s"
    ),
    A.PASSWORD_RESET: gettext_lazy("%(actor)s chose a new password through the e-mailed link"),
    A.OTP_ENABLED: gettext_lazy("%(actor)s turned on two-factor authentication for %(account)s"),
    A.OTP_FAILED: gettext_lazy("%(actor)s gave a wrong two-factor code"),
    A.OTP_DEVICE_ADDED: gettext_lazy("%(actor)s added a two-factor device for %(account)s"),
    A.OTP_DEVICE_REMOVED: gettext_lazy("%(actor)s removed a two-factor device of %(account)s"),
    A.OTP_DISABLED: gettext_lazy(
        "%(actor)s turned off the two-factor device of %(account)s until it is confirmed again"
    ),
    A.ROLE_GRANT: gettext_lazy("%(actor)s gave %(account)s the role %(role)s"),
    A.ROLE_REVOKE: gettext_lazy("%(actor)s took the role %(role)s from %(account)s"),
    A.BREAK_GLASS: gettext_lazy("%(actor)s gave themselves the role %(role)s (break-glass)"),
    A.BREAK_GLASS_ACKNOWLEDGED: gettext_lazy(
        "%(actor)s acknowledged the role %(role)s that %(by)s gave themselves"
    ),
    A.ACCOUNT_ACTIVATED: gettext_lazy("%(actor)s activated the account of %(account)s"),
    A.ACCOUNT_DEACTIVATED: gettext_lazy("%(actor)s deactivated the account of %(account)s"),
    A.PRIVILEGES_CHANGED: gettext_lazy(
        "%(actor)s changed the system administration rights of %(account)s"
    ),
    A.CREATE: gettext_lazy("%(actor)s created the account of %(account)s"),
    A.UPDATE: gettext_lazy("%(actor)s changed the account of %(account)s"),
    A.DELETE: gettext_lazy("%(actor)s deleted the account of %(account)s"),
}

#: Details already said by the sentence, or only ids: not repeated.
_SAID = frozenset(
    {
        "participant",
        "participants",
        "attempted",
        "role",
        "by",
        "language",
        "ids",
        "session",
        "work",
        "image",
        "alert",
        "break_glass",
    }
)

#: Names of the details, in words.
DETAIL_LABELS = {
    "action": gettext_lazy("action"),
    "active": gettext_lazy("active"),
    "actor": gettext_lazy("by"),
    "cause": gettext_lazy("cause"),
    "date_from": gettext_lazy("from"),
    "date_to": gettext_lazy("to"),
    "deleted": gettext_lazy("deleted"),
    "device": gettext_lazy("device"),
    "format": gettext_lazy("format"),
    "is_active": gettext_lazy("active"),
    "is_staff": gettext_lazy("system administrator"),
    "is_superuser": gettext_lazy("all rights"),
    "kind": gettext_lazy("kind"),
    "month": gettext_lazy("month"),
    "name": gettext_lazy("name"),
    "object_type": gettext_lazy("kind of record"),
    "on": gettext_lazy("date"),
    "page": gettext_lazy("page"),
    "person": gettext_lazy("person"),
    "reason": gettext_lazy("reason"),
    "results": gettext_lazy("results"),
    "state": gettext_lazy("state"),
    "status": gettext_lazy("status"),
    "usable": gettext_lazy("usable"),
    "visibility": gettext_lazy("visibility"),
    "year": gettext_lazy("year"),
}


# -- reading -----------------------------------------------------------------------------------


def audit_lines(
    events: Iterable[AuditEvent], programme: Programme, known: Iterable[User] = ()
) -> list[AuditLine]:
    """The events in words, for a head of ``programme``: a constant number of queries.
    ``known``: users already at hand (the programme's members), not looked up again."""
    events = list(events)
    users = {u.pk: u for u in known}
    user_ids = {e.actor_id for e in events if e.actor_id} | {
        int(e.object_id) for e in events if e.object_type == "core.user" and e.object_id.isdigit()
    }
    if user_ids - users.keys():
        others = User.objects.filter(pk__in=user_ids - users.keys()).only("full_name", "email")
        users.update((u.pk, u) for u in others)
    lines = [AuditLine(event=e, actor=_actor_name(e, users)) for e in events]
    for line in lines:
        line.details = detail_words(line.event.detail)
    describe_audit(lines, programme)
    for line in lines:
        if not line.sentence:
            line.sentence = _plain_sentence(line, users)
    return lines


def _actor_name(event: AuditEvent, users: Mapping[int, User]) -> str:
    user = users.get(event.actor_id) if event.actor_id else None
    if user is not None:
        return str(user)
    if event.actor_label:
        return event.actor_label
    return _("Someone not signed in")


def _plain_sentence(line: AuditLine, users: Mapping[int, User]) -> str:
    event = line.event
    if event.object_type == "core.user" and event.action in ACCOUNT_SENTENCES:
        account = users.get(int(event.object_id)) if event.object_id.isdigit() else None
        detail = event.detail or {}
        role = detail.get("role", "")
        values = {
            "actor": line.actor,
            "account": str(account) if account else _("an account deleted since"),
            "email": detail.get("attempted") or _("(not an e-mail)"),
            "role": Role(role).label if role in Role.values else role,
            "by": detail.get("by", ""),
        }
        if event.action == A.UPDATE and set(detail) == {"language"}:
            return _("%(actor)s chose to read ISA in %(language)s") % {
                "actor": line.actor,
                "language": _language_name(detail["language"]),
            }
        return str(ACCOUNT_SENTENCES[event.action]) % values
    if event.object_type == "core.auditevent":
        verb = ACTION_SENTENCES.get(event.action, ACTION_SENTENCES[A.VIEW])
        return str(verb) % {"actor": line.actor, "object": _("the audit log")}
    if event.action in ACCOUNT_SENTENCES and event.action not in ACTION_SENTENCES:
        role = (event.detail or {}).get("role", "")
        return str(ACCOUNT_SENTENCES[event.action]) % {
            "actor": line.actor,
            "account": line.person or _("an account"),
            "email": (event.detail or {}).get("attempted", ""),
            "role": Role(role).label if role in Role.values else role,
            "by": (event.detail or {}).get("by", ""),
        }
    return said(line, record_noun(event.object_type, line.person))


def record_noun(object_type: str, person: str = "") -> str:
    """A record of a kind without a describer: "a record “stay” of Christophe Bagnoud"."""
    kind = _model_name(object_type)
    if person:
        return _("a record “%(kind)s” about %(person)s") % {"kind": kind, "person": person}
    return _("a record “%(kind)s”") % {"kind": kind}


def _model_name(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type.rpartition(".")[2] or _("unknown")


def said(line: AuditLine, noun: str) -> str:
    """The sentence of ``line``'s action done to ``noun`` ("the file of …")."""
    action = line.event.action
    verb = ACTION_SENTENCES.get(action)
    if verb is None:
        label = AuditAction(action).label if action in AuditAction.values else action
        return _("%(actor)s: %(action)s, %(object)s") % {
            "actor": line.actor,
            "action": label,
            "object": noun,
        }
    return str(verb) % {"actor": line.actor, "object": noun}


def _language_name(code: str) -> str:
    from django.conf import settings

    return str(dict(settings.LANGUAGES).get(code, code))


# -- details in words --------------------------------------------------------------------------


def detail_words(detail: Mapping[str, Any] | None, *, skip: Iterable[str] = ()) -> list[str]:
    """``{"role": "head", "filters": {}}`` → ``["…"]``: each fact as "name: value", in
    words; empty values, ids and what the sentence already says are left out."""
    words = []
    skipped = _SAID | set(skip)
    for key, value in (detail or {}).items():
        if key in skipped or value in ("", None, [], {}):
            continue
        if key == "filters" and isinstance(value, Mapping):
            words.extend(filter_words(value))
            continue
        if isinstance(value, list):
            words.append(_("%(name)s: %(count)s") % {"name": _label(key), "count": len(value)})
            continue
        words.append(_("%(name)s: %(value)s") % {"name": _label(key), "value": _value(value)})
    return words


def filter_words(filters: Mapping[str, Any]) -> list[str]:
    """The filters a head chose on the log, in words."""
    words = []
    for key, value in filters.items():
        if key == "action" and value in AuditAction.values:
            value = AuditAction(value).label
        words.append(_("filter %(name)s: %(value)s") % {"name": _label(key), "value": value})
    return words


def _label(key: str) -> str:
    return str(DETAIL_LABELS.get(key, key.replace("_", " ")))


def _value(value: Any) -> str:
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, Mapping):
        return ", ".join(f"{_label(k)} {_value(v)}" for k, v in value.items())
    if isinstance(value, str) and value in Role.values:
        return str(Role(value).label)
    return str(value)


# -- filtering ---------------------------------------------------------------------------------


def filter_events(events: Any, programme: Programme, data: Mapping[str, Any]) -> Any:
    """The events matching the log's filters: action, member of the team (name or e-mail),
    person concerned (name, through the apps' finders), kind of record and period."""
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("actor"):
        words = data["actor"].strip()
        named = User.objects.filter(full_name__icontains=words).values_list("pk", flat=True)
        events = events.filter(Q(actor_label__icontains=words) | Q(actor_id__in=list(named)))
    if data.get("person"):
        found = [q for f in audit_person_finders() if (q := f(programme, data["person"]))]
        if not found:
            return events.none()
        condition = found[0]
        for q in found[1:]:
            condition |= q
        events = events.filter(condition)
    if data.get("object_type"):
        events = events.filter(object_type__icontains=data["object_type"])
    tz = timezone.get_current_timezone()
    if data.get("date_from"):
        events = events.filter(at__gte=datetime.combine(data["date_from"], time.min, tz))
    if data.get("date_to"):
        events = events.filter(at__lte=datetime.combine(data["date_to"], time.max, tz))
    return events


# -- export ------------------------------------------------------------------------------------


def export_rows(lines: Sequence[AuditLine]) -> list[list[Any]]:
    """The filtered log as rows of a spreadsheet, header first."""
    rows: list[list[Any]] = [
        [
            _("Time"),
            _("By"),
            _("Event"),
            _("Person concerned"),
            _("Details"),
            _("IP address"),
            _("Channel"),
        ]
    ]
    for line in lines:
        event = line.event
        channel = Channel(event.channel).label if event.channel in Channel.values else ""
        rows.append(
            [
                timezone.localtime(event.at),
                line.actor,
                line.sentence,
                line.person,
                " · ".join(line.details),
                event.ip or "",
                str(channel),
            ]
        )
    return rows
