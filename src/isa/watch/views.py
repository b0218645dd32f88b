"""Watch pages: the board of alerts, one alert with its outreach log, the rules; and what
the watch adds to the programme page and to a participant's file.

Alerts are for those who watch over people: the watchers, the social workers and the head
(SECURITY.md).  Facilitators and external roles get 403; outside one's programmes, 404.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isa.core.access import get_programme_for_user
from isa.core.forms import apply_service_errors
from isa.core.models import AuditAction, Programme, Role
from isa.core.services import audit_record
from isa.journal.models import Entry
from isa.people.access import rights_for
from isa.people.models import Participant, Status, Stay
from isa.presence.models import Presence, PresenceState
from isa.watch import services
from isa.watch.access import get_alert_for_user
from isa.watch.forms import OutreachForm, ResolveForm, RuleForm
from isa.watch.models import RULE_ROLES, WATCH_ROLES, Alert, watch_holders

RESOLVED_DAYS = 30
RESOLVED_SHOWN = 100
#: "Security without stagnation" (Soulet): accompanied this long…
STAGNATION_ACCOMPANIED = timedelta(days=365)
#: …with no small step noted in the journal for this long.
STAGNATION_QUIET = timedelta(days=90)


def _readable_entries(request: HttpRequest, alerts: list[Alert]) -> set[int]:
    """Ids of the journal entries behind ``alerts`` that this user may read."""
    ids = {a.entry_id for a in alerts if a.entry_id}
    if not ids:
        return set()
    return set(
        Entry.objects.visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True)
    )


# -- the board ---------------------------------------------------------------------------------


@login_required
@require_GET
def board(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=WATCH_ROLES)
    today = timezone.localdate()
    alerts = (
        Alert.objects.visible_to(request.user)
        .filter(programme=programme)
        .select_related("participant", "taken_by")
        .annotate(outreach_count=Count("outreaches"))
    )
    open_alerts = list(alerts.open().order_by("opened_on", "opened_at", "pk"))
    resolved = list(
        alerts.resolved()
        .filter(resolved_at__gte=timezone.now() - timedelta(days=RESOLVED_DAYS))
        .select_related("resolved_by")
        .order_by("-resolved_at", "-pk")[:RESOLVED_SHOWN]
    )
    holders = watch_holders(programme)
    readable = _readable_entries(request, open_alerts + resolved)
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,
        object_type="watch.alert",
        programme=programme,
        detail={"list": "watch board", "open": len(open_alerts)},
    )
    rows = [
        {
            "alert": a,
            "days": a.days_open(today),
            "holder": a.holder(holders),
            "entry_readable": a.entry_id in readable,
        }
        for a in open_alerts
    ]
    return render(
        request,
        "watch/board.html",
        {
            "programme": programme,
            "rows": rows,
            "resolved": [{"alert": a, "entry_readable": a.entry_id in readable} for a in resolved],
            "can_set_rules": request.user.has_role(programme, RULE_ROLES),
            "resolved_days": RESOLVED_DAYS,
        },
    )


# -- one alert ---------------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    alert: Alert,
    *,
    outreach_form: OutreachForm | None = None,
    resolve_form: ResolveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    outreaches = list(alert.outreaches.select_related("by"))
    holder = alert.holder(watch_holders(alert.programme_id))
    last_seen = (
        Presence.objects.visible_to(request.user)
        .filter(participant=alert.participant, state=PresenceState.PRESENT)
        .order_by("-session__on", "-session__part")
        .values_list("session__on", flat=True)
        .first()
    )
    return render(
        request,
        "watch/alert.html",
        {
            "programme": alert.programme,
            "alert": alert,
            "participant": alert.participant,
            "outreaches": outreaches,
            "holder": holder,
            "mine": holder is not None and holder.pk == request.user.pk,
            "contact": rights_for(request.user, alert.programme_id).contact,
            "days": alert.days_open(timezone.localdate()),
            "entry_readable": bool(_readable_entries(request, [alert])),
            "last_seen": last_seen,
            "outreach_form": outreach_form or OutreachForm(),
            "resolve_form": resolve_form or ResolveForm(),
        },
        status=status,
    )


@login_required
@require_GET
def alert_detail(request: HttpRequest, programme_id: int, alert_id: int) -> HttpResponse:
    alert = get_alert_for_user(request, programme_id, alert_id)
    audit_record(action=AuditAction.VIEW, actor=request.actor, obj=alert)
    return _detail(request, alert)


@login_required
@require_POST
def outreach_add(request: HttpRequest, programme_id: int, alert_id: int) -> HttpResponse:
    alert = get_alert_for_user(request, programme_id, alert_id)
    form = OutreachForm(request.POST)
    if form.is_valid():
        try:
            services.outreach_record(
                alert=alert,
                kind=form.cleaned_data["kind"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                actor=request.actor,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The outreach was recorded."))
            return redirect(alert)
    return _detail(request, alert, outreach_form=form, status=400)


@login_required
@require_POST
def alert_resolve(request: HttpRequest, programme_id: int, alert_id: int) -> HttpResponse:
    alert = get_alert_for_user(request, programme_id, alert_id)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.alert_resolve(
                alert=alert,
                resolution=form.cleaned_data["resolution"],
                actor=request.actor,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The alert was resolved."))
            return redirect("watch_board", programme_id=alert.programme_id)
    return _detail(request, alert, resolve_form=form, status=400)


@login_required
@require_POST
def alert_take(request: HttpRequest, programme_id: int, alert_id: int) -> HttpResponse:
    alert = get_alert_for_user(request, programme_id, alert_id)
    release = request.POST.get("release") == "1"
    try:
        services.alert_take(alert=alert, actor=request.actor, release=release)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The alert is back with all the watchers.") if release else _("You are on it."),
        )
    return redirect(alert)


# -- rules -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def rules_settings(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=RULE_ROLES)
    pairs = services.rules_for(programme)
    data = request.POST if request.method == "POST" else None
    forms = [
        RuleForm(
            data,
            rule=rule,
            prefix=rule.code,
            initial={"enabled": row.enabled, **rule.params_or_defaults(row.params)},
        )
        for rule, row in pairs
    ]
    if request.method == "POST" and all(f.is_valid() for f in forms):
        try:
            with transaction.atomic():
                for form in forms:
                    services.rule_update(
                        programme=programme,
                        kind=form.rule.code,
                        enabled=form.cleaned_data["enabled"],
                        params=form.params(),
                        actor=request.actor,
                    )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The rules of the watch were saved."))
            return redirect("watch_rules", programme_id=programme.pk)
    return render(
        request,
        "watch/rules.html",
        {"programme": programme, "forms": forms},
        status=400 if request.method == "POST" else 200,
    )


# -- panels ------------------------------------------------------------------------------------


def stagnation(request: HttpRequest, programme: Programme) -> list[Participant]:
    """People accompanied for more than a year (their current stay) with no small step
    noted in the journal for three months: a prompt for a team discussion, never a score.
    Shown to the head on the programme page, nowhere else (never in a funder's report).

    Every journal entry about the person is one of their small steps, whatever its kind and
    whether it was written about them alone or about a group: their file lists them all under
    "Small steps", and this list must not say "no small step noted yet" beside it."""
    today = timezone.localdate()
    steps = Entry.objects.visible_to(request.user).filter(
        participants=OuterRef("pk"), written_on__lte=today
    )
    open_stay = Stay.objects.open().filter(participant=OuterRef("pk"))
    long_stay = open_stay.filter(admitted_on__lte=today - STAGNATION_ACCOMPANIED)
    return list(
        Participant.objects.visible_to(request.user)
        .filter(programme=programme, status=Status.ACTIVE)
        .filter(Exists(long_stay))
        .annotate(
            last_step=Subquery(steps.order_by("-written_on").values("written_on")[:1]),
            stay_since=Subquery(open_stay.values("admitted_on")[:1]),
        )
        .filter(Q(last_step__isnull=True) | Q(last_step__lt=today - STAGNATION_QUIET))
        .order_by("search_name")
    )


def programme_panel(
    request: HttpRequest, programme: Programme
) -> tuple[str, dict[str, Any]] | None:
    roles = request.user.roles_on(programme)
    if not roles & WATCH_ROLES:
        return None
    today = timezone.localdate()
    open_alerts = Alert.objects.visible_to(request.user).filter(programme=programme).open()
    oldest = open_alerts.order_by("opened_on").values_list("opened_on", flat=True).first()
    context: dict[str, Any] = {
        "programme": programme,
        "open_count": open_alerts.count(),
        "oldest_days": (today - oldest).days if oldest else None,
        "is_head": Role.HEAD in roles,
    }
    if Role.HEAD in roles:
        context["stagnation"] = stagnation(request, programme)
    return "watch/_programme_panel.html", context


def file_panel(
    request: HttpRequest, participant: Participant, rights: Any
) -> tuple[str, dict[str, Any]] | None:
    if not rights.roles & WATCH_ROLES:
        return None
    alerts = list(
        Alert.objects.visible_to(request.user)
        .filter(participant=participant)
        .open()
        .order_by("opened_on", "pk")
    )
    if not alerts:
        return None
    today = timezone.localdate()
    return "watch/_file_panel.html", {
        "programme": participant.programme,
        "participant": participant,
        "rows": [{"alert": a, "days": a.days_open(today)} for a in alerts],
    }
