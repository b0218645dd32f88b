"""Writes of the watch: evaluate the rules, take an alert in hand, log outreach, resolve,
set the rules, send the daily digest.  Keyword-only ``<noun>_<verb>`` functions, each in a
transaction with its audit events.

Everything here can run twice without doing anything twice: a situation raises one alert
ever (a UniqueConstraint), a user gets one digest a day (another one).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from isa.core.actor import Actor
from isa.core.models import AuditAction, Membership, Programme, User
from isa.core.services import audit_record
from isa.people.models import Participant
from isa.people.services import date_not_in_future
from isa.watch.models import (
    DIGEST_ROLES,
    RULE_ROLES,
    WATCH_ROLES,
    Alert,
    AlertStatus,
    DigestLog,
    Outreach,
    OutreachKind,
    WatchRule,
    watch_holders,
)
from isa.watch.rules import Rule, get_rule, normalize, registered_rules

logger = logging.getLogger(__name__)

SUMMARY_MAX = 300


def _require(actor: Actor, programme: Programme | int, roles: frozenset[str]) -> None:
    if not actor.has_role(programme, roles):
        raise PermissionDenied


# -- rules of a programme ----------------------------------------------------------------------


def rules_for(programme: Programme) -> list[tuple[Rule, WatchRule]]:
    """Every registered rule with the programme's setting for it, created with the rule's
    defaults the first time."""
    rows = {r.kind: r for r in WatchRule.objects.filter(programme=programme)}
    missing = [rule for rule in registered_rules() if rule.code not in rows]
    if missing:
        WatchRule.objects.bulk_create(
            [
                WatchRule(
                    programme=programme,
                    kind=rule.code,
                    enabled=rule.enabled_by_default,
                    params=dict(rule.default_params),
                )
                for rule in missing
            ],
            ignore_conflicts=True,
        )
        rows = {r.kind: r for r in WatchRule.objects.filter(programme=programme)}
    return [(rule, rows[rule.code]) for rule in registered_rules()]


@transaction.atomic
def rule_update(
    *,
    programme: Programme,
    kind: str,
    enabled: bool,
    params: dict[str, Any],
    actor: Actor,
) -> WatchRule:
    """Turn a rule on or off and set its parameters (validated against the rule's bounds)."""
    _require(actor, programme, RULE_ROLES)
    rule = get_rule(kind)
    if rule is None:
        raise ValidationError(_("Unknown rule."))
    clean = rule.clean_params(params)
    row, _created = WatchRule.objects.select_for_update().get_or_create(
        programme=programme,
        kind=kind,
        defaults={"enabled": rule.enabled_by_default, "params": dict(rule.default_params)},
    )
    before = {"enabled": row.enabled, "params": rule.params_or_defaults(row.params)}
    after = {"enabled": bool(enabled), "params": clean}
    if before == after:
        return row
    row.enabled = bool(enabled)
    row.params = clean
    row.updated_by = actor.user
    row.save(update_fields=["enabled", "params", "updated_by", "updated_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=row,
        programme=programme,
        detail={"rule": kind, "before": before, "after": after},
    )
    return row


# -- evaluation --------------------------------------------------------------------------------


@dataclass
class Evaluation:
    created: list[Alert] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # codes of rules that raised an error


def watch_evaluate(
    *,
    programme: Programme,
    actor: Actor,
    today: date | None = None,
    only: Iterable[str] | None = None,
) -> Evaluation:
    """Run every enabled rule of ``programme`` (or those of ``only``) and open an alert for
    each situation not seen before.  Idempotent: running it again the same day (or any
    day) opens nothing twice.  A rule that fails is logged and skipped; the others still
    run."""
    today = today or timezone.localdate()
    result = Evaluation()
    wanted = set(only) if only is not None else None
    for rule, setting in rules_for(programme):
        if not setting.enabled or (wanted is not None and rule.code not in wanted):
            continue
        params = rule.params_or_defaults(setting.params)
        try:
            with transaction.atomic():
                result.created.extend(_apply(rule, programme, params, today, actor))
        except Exception:  # a registered rule of another app must not stop the watch
            logger.exception("watch rule %s failed on programme %s", rule.code, programme.pk)
            result.failed.append(rule.code)
    return result


def _apply(
    rule: Rule, programme: Programme, params: dict[str, int], today: date, actor: Actor
) -> list[Alert]:
    findings = [normalize(f) for f in rule.evaluate(programme, params, today)]
    if not findings:
        return []
    ids = {f.participant_id for f in findings}
    ours = set(
        Participant.objects.filter(programme=programme, pk__in=ids).values_list("pk", flat=True)
    )
    seen: set[tuple[int, str]] = set()
    busy: set[int] = set()  # people with an open alert of this rule
    last_opened: dict[int, date] = {}
    for pid, situation, status, opened_on in Alert.objects.filter(
        kind=rule.code, participant_id__in=ours
    ).values_list("participant_id", "situation", "status", "opened_on"):
        seen.add((pid, situation))
        if status == AlertStatus.OPEN:
            busy.add(pid)
        last_opened[pid] = max(opened_on, last_opened.get(pid, opened_on))
    quiet_since = today - timedelta(days=rule.quiet_days)
    deferred: set[int] = set()  # people another rule already speaks about
    if rule.defer_to:
        deferred = set(
            Alert.objects.filter(kind__in=rule.defer_to, participant_id__in=ours)
            .filter(Q(status=AlertStatus.OPEN) | Q(opened_on__gt=quiet_since))
            .values_list("participant_id", flat=True)
        )
    created: list[Alert] = []
    for finding in findings:
        pid = finding.participant_id
        key = (pid, finding.situation[:120])
        if pid not in ours or key in seen:
            continue
        if (rule.one_open_per_person and pid in busy) or pid in deferred:
            continue
        if rule.quiet_days and pid in last_opened and last_opened[pid] > quiet_since:
            continue
        alert = Alert(
            programme=programme,
            participant_id=pid,
            kind=rule.code,
            situation=key[1],
            facts=finding.facts,
            entry_id=finding.entry_id,
            opened_on=today,
        )
        with translation.override(settings.LANGUAGE_CODE):
            summary = finding.summary or (rule.describe(alert) if rule.describe else "")
        alert.summary = str(summary)[:SUMMARY_MAX]
        try:
            with transaction.atomic():
                alert.save()
        except IntegrityError:  # raised meanwhile by a concurrent run
            continue
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            obj=alert,
            programme=programme,
            detail={
                "rule": rule.code,
                "situation": alert.situation,
                "participant": pid,
                "by": "watch",
            },
        )
        seen.add(key)
        busy.add(pid)
        last_opened[pid] = today
        created.append(alert)
    return created


# -- acting on an alert ------------------------------------------------------------------------


def _locked(alert: Alert) -> Alert:
    fresh = Alert.objects.select_for_update().get(pk=alert.pk)
    for f in alert._meta.concrete_fields:
        setattr(alert, f.attname, getattr(fresh, f.attname))
    return alert


def _still_open(alert: Alert) -> None:
    if not alert.is_open:
        raise ValidationError(_("This alert has already been resolved."), code="resolved")


@transaction.atomic
def alert_take(*, alert: Alert, actor: Actor, release: bool = False) -> Alert:
    """Say "I am on it" (or, with ``release``, hand it back to all the watchers)."""
    _require(actor, alert.programme_id, WATCH_ROLES)
    _locked(alert)
    _still_open(alert)
    if release:
        if alert.taken_by_id != actor.user_id:
            return alert
        alert.taken_by = None
        alert.taken_at = None
    else:
        if alert.taken_by_id == actor.user_id:
            return alert
        alert.taken_by = actor.user
        alert.taken_at = timezone.now()
    alert.save(update_fields=["taken_by", "taken_at"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=alert,
        detail={"taken": not release},
    )
    return alert


@transaction.atomic
def outreach_record(
    *,
    alert: Alert,
    kind: str,
    on: date,
    note: str = "",
    actor: Actor,
) -> Outreach:
    """Log a way the team reached out.  Whoever reaches out has the alert in hand, unless
    someone who still holds a watch role already has."""
    _require(actor, alert.programme_id, WATCH_ROLES)
    if kind not in OutreachKind.values:
        raise ValidationError({"kind": _("Choose how you reached out.")})
    date_not_in_future(on, "on")
    _locked(alert)
    _still_open(alert)
    outreach = Outreach.objects.create(
        alert=alert, kind=kind, on=on, note=note.strip(), by=actor.signed_in_user()
    )
    if alert.holder(watch_holders(alert.programme_id)) is None:
        alert.taken_by = actor.user
        alert.taken_at = timezone.now()
        alert.save(update_fields=["taken_by", "taken_at"])
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=outreach,
        programme=alert.programme_id,
        detail={"alert": alert.pk, "kind": kind, "on": on.isoformat()},
    )
    return outreach


@transaction.atomic
def alert_resolve(*, alert: Alert, resolution: str, actor: Actor) -> Alert:
    """Close an alert with a comment saying how things stand."""
    _require(actor, alert.programme_id, WATCH_ROLES)
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError(
            {"resolution": _("Say in a few words how things stand, to close the alert.")}
        )
    _locked(alert)
    _still_open(alert)
    alert.status = AlertStatus.RESOLVED
    alert.resolution = resolution
    alert.resolved_at = timezone.now()
    alert.resolved_by = actor.user
    alert.save(update_fields=["status", "resolution", "resolved_at", "resolved_by"])
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=alert,
        detail={"status": AlertStatus.RESOLVED},
    )
    return alert


# -- the daily digest --------------------------------------------------------------------------


@dataclass
class DigestResult:
    sent: int = 0
    skipped: int = 0  # already sent today
    failed: list[int] = field(default_factory=list)  # user ids whose e-mail could not go


class _DigestRow(TypedDict):
    """One alert in a watcher's digest (read by ``watch/digest.txt``)."""

    alert: Alert
    holder: User | None
    days: int
    new: bool
    url: str


class _DigestSection(TypedDict):
    """The alerts of one programme in a watcher's digest."""

    programme: Programme
    rows: list[_DigestRow]
    board: str


def _language(user: User) -> str:
    codes = {code for code, _label in settings.LANGUAGES}
    return user.language if user.language in codes else settings.LANGUAGE_CODE


def _site_url() -> str:
    return str(getattr(settings, "ISA_SITE_URL", "") or "").rstrip("/")


def digest_send(*, actor: Actor, today: date | None = None, connection: Any = None) -> DigestResult:
    """E-mail each watcher, once a day, the open alerts of their programmes, in their
    language.  The e-mail names no one: it says which rule noticed what, since when, and
    links to the alert (e-mail is no place for the fact that someone is on social aid)."""
    today = today or timezone.localdate()
    result = DigestResult()
    memberships = (
        Membership.objects.filter(
            role__in=list(DIGEST_ROLES), user__is_active=True, programme__alerts__status="open"
        )
        .exclude(user__email="")
        .select_related("user", "programme")
        .distinct()
        .order_by("user_id", "programme__name")
    )
    programmes_of: dict[int, list[Programme]] = defaultdict(list)
    users: dict[int, User] = {}
    for m in memberships:
        if m.programme not in programmes_of[m.user_id]:
            programmes_of[m.user_id].append(m.programme)
        users[m.user_id] = m.user
    if not users:
        return result
    already = set(
        DigestLog.objects.filter(day=today, user_id__in=list(users)).values_list(
            "user_id", flat=True
        )
    )
    programme_ids = {p.pk for ps in programmes_of.values() for p in ps}
    alerts_of: dict[int, list[Alert]] = defaultdict(list)
    for alert in (
        Alert.objects.open()
        .filter(programme_id__in=programme_ids)
        .select_related("taken_by")
        .order_by("opened_on", "opened_at", "pk")
    ):
        alerts_of[alert.programme_id].append(alert)
    holders: dict[int, set[int]] = defaultdict(set)
    for pid, uid in Membership.objects.filter(
        programme_id__in=programme_ids, role__in=list(WATCH_ROLES)
    ).values_list("programme_id", "user_id"):
        holders[pid].add(uid)

    connection = connection or get_connection()
    site = _site_url()
    for uid, user in users.items():
        if uid in already:
            result.skipped += 1
            continue
        sections: list[_DigestSection] = []
        for programme in programmes_of[uid]:
            rows: list[_DigestRow] = [
                {
                    "alert": a,
                    "holder": a.holder(holders[programme.pk]),
                    "days": a.days_open(today),
                    "new": a.opened_on >= today - timedelta(days=1),
                    "url": site + reverse("watch_alert", args=[programme.pk, a.pk]),
                }
                for a in alerts_of[programme.pk]
            ]
            if rows:
                sections.append(
                    {
                        "programme": programme,
                        "rows": rows,
                        "board": site + reverse("watch_board", args=[programme.pk]),
                    }
                )
        count = sum(len(s["rows"]) for s in sections)
        if not count:
            continue
        with translation.override(_language(user)):
            subject = ngettext(
                "ISA · the watch: %(n)d open alert",
                "ISA · the watch: %(n)d open alerts",
                count,
            ) % {"n": count}
            body = render_to_string(
                "watch/digest.txt",
                {"user": user, "sections": sections, "today": today, "count": count},
            )
        message = EmailMessage(subject, body, to=[user.email], connection=connection)
        try:
            with transaction.atomic():
                DigestLog.objects.create(user=user, day=today, alert_count=count)
                for section in sections:
                    audit_record(
                        action=AuditAction.EXPORT,
                        actor=actor,
                        object_type="watch.digest",
                        object_id=uid,
                        programme=section["programme"],
                        detail={
                            "to": uid,
                            "day": today.isoformat(),
                            "alerts": [r["alert"].pk for r in section["rows"]],
                        },
                    )
                message.send()
        except IntegrityError:  # sent meanwhile by a concurrent run
            result.skipped += 1
        except Exception:  # SMTP trouble: nothing recorded, the next run tries again
            logger.exception("watch digest for user %s could not be sent", uid)
            result.failed.append(uid)
        else:
            result.sent += 1
    return result
