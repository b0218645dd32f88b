"""Core pages: home, programme, team, audit log, account and two-factor authentication."""

from __future__ import annotations

import math
from datetime import datetime, time
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from isa.core import services
from isa.core.access import get_membership_for_user, get_programme_for_user, require_head
from isa.core.forms import (
    AuditFilterForm,
    EmailAuthenticationForm,
    GrantRoleForm,
    InviteForm,
    OTPTokenForm,
    apply_service_errors,
)
from isa.core.lists import paginate
from isa.core.models import AuditAction, AuditEvent, BreakGlass, Membership, Programme, Role
from isa.core.registry import occupancy, programme_panels

# -- home and programme ------------------------------------------------------------------------


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    programmes = list(Programme.objects.visible_to(request.user).select_related("organisation"))
    headed = [p.pk for p in programmes if Role.HEAD in request.user.roles_on(p)]
    # Roles someone gave themselves on a programme I head, until a head has read why.
    break_glasses = list(
        BreakGlass.objects.pending().filter(programme_id__in=headed).select_related("programme")
    )
    counts = occupancy([p.pk for p in programmes])
    rows = [
        {
            "programme": p,
            "roles": [
                Role(r).label for r in sorted(request.user.roles_on(p), key=Role.values.index)
            ],
            "active": counts.get(p.pk, 0),
            "full": counts.get(p.pk, 0) >= p.capacity,
        }
        for p in programmes
    ]
    return render(request, "core/home.html", {"rows": rows, "break_glasses": break_glasses})


@login_required
@require_GET
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id)
    roles = request.user.roles_on(programme)
    active = occupancy([programme.pk]).get(programme.pk, 0)
    return render(
        request,
        "core/programme.html",
        {
            "programme": programme,
            "roles": roles,
            "role_labels": [Role(r).label for r in sorted(roles, key=Role.values.index)],
            "is_head": Role.HEAD in roles,
            "active": active,
            "free": max(programme.capacity - active, 0),
            "above": max(active - programme.capacity, 0),  # after a head's override
            "panels": programme_panels(request, programme),
        },
    )


# -- team --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def team(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = require_head(request, programme_id)
    grant_form = GrantRoleForm(prefix="grant")
    invite_form = InviteForm(prefix="invite")
    if request.method == "POST":
        if "grant-email" in request.POST:
            grant_form = GrantRoleForm(request.POST, prefix="grant")
            if grant_form.is_valid():
                try:
                    services.membership_grant(
                        programme=programme,
                        user=grant_form.cleaned_data["email"],
                        role=grant_form.cleaned_data["role"],
                        actor=request.actor,
                        reason=grant_form.cleaned_data["reason"],
                    )
                except ValidationError as exc:
                    apply_service_errors(grant_form, exc)
                else:
                    messages.success(request, _("The role was granted."))
                    return redirect("team", programme_id=programme.pk)
        else:
            invite_form = InviteForm(request.POST, prefix="invite")
            if invite_form.is_valid():
                data = invite_form.cleaned_data
                services.user_invite(
                    programme=programme,
                    email=data["email"],
                    full_name=data["full_name"],
                    role=data["role"],
                    password=data["password"],
                    actor=request.actor,
                )
                messages.success(request, _("The account was created."))
                return redirect("team", programme_id=programme.pk)
    memberships = (
        Membership.objects.filter(programme=programme)
        .select_related("user")
        .order_by("user__full_name", "role")
    )
    people: dict[int, dict[str, Any]] = {}
    for m in memberships:
        entry = people.setdefault(m.user_id, {"user": m.user, "memberships": []})
        entry["memberships"].append(m)
    return render(
        request,
        "core/team.html",
        {
            "programme": programme,
            "people": list(people.values()),
            "grant_form": grant_form,
            "invite_form": invite_form,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def membership_revoke(request: HttpRequest, programme_id: int, membership_id: int) -> HttpResponse:
    programme, membership = get_membership_for_user(request, programme_id, membership_id)
    if membership is None:
        messages.info(request, _("This role had already been revoked."))
        return redirect("team", programme_id=programme.pk)
    try:
        services.membership_revoke(membership=membership, actor=request.actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The role was revoked."))
    return redirect("team", programme_id=programme.pk)


@login_required
@require_POST
def breakglass_acknowledge(
    request: HttpRequest, programme_id: int, breakglass_id: int
) -> HttpResponse:
    """A head has read why someone gave themselves a role on the programme."""
    programme = require_head(request, programme_id)
    glass = BreakGlass.objects.filter(programme=programme, pk=breakglass_id).first()
    if glass is None:
        raise Http404
    try:
        services.breakglass_acknowledge(breakglass=glass, actor=request.actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Noted: the notice is closed for every head."))
    return redirect("home")


# -- audit log ---------------------------------------------------------------------------------


@login_required
@require_GET
def audit_log(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = require_head(request, programme_id)
    form = AuditFilterForm(request.GET or None)
    # Recorded first, so that the page counts and shows its own reading.
    services.audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,
        object_type="core.auditevent",
        programme=programme,
        detail={"filters": {k: v for k, v in request.GET.items() if k != "page" and v}},
    )
    events = AuditEvent.objects.for_programme(programme)
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["actor"]:
            events = events.filter(actor_label__icontains=data["actor"])
        if data["object_type"]:
            events = events.filter(object_type__icontains=data["object_type"])
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            events = events.filter(at__gte=datetime.combine(data["date_from"], time.min, tz))
        if data["date_to"]:
            events = events.filter(at__lte=datetime.combine(data["date_to"], time.max, tz))
    page, query = paginate(request, events.order_by("-at", "-id"), 50)
    return render(
        request,
        "core/audit_log.html",
        {"programme": programme, "form": form, "page": page, "query": query},
        status=200 if form.is_valid() or not request.GET else 400,
    )


# -- accounts ----------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: EmailAuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # Speak the user's language from the first page after signing in.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            form.get_user().language,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' lockout: a clear page saying how long to wait."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=429,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """The change is audited where every password change is (isa.core.signals)."""

    success_url = reverse_lazy("account")

    @transaction.atomic
    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    has_device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists()
    return render(request, "core/account.html", {"has_device": has_device})


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@transaction.atomic
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP device: scan the QR code, then confirm with a first code.

    The device's creation and confirmation are audited where every device's are
    (isa.core.signals), in this view's transaction."""
    user = request.user
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        messages.info(request, _("Two-factor authentication is already set up."))
        return redirect("account")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="ISA", confirmed=False)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is now on."))
            return redirect("home")
        form.add_error("token", _("This code is not valid. Check the time of your phone."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#1d2a3a")
    secret = _b32_secret(device)
    return render(
        request,
        "registration/otp_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "required": settings.ISA_REQUIRE_2FA},
        status=400 if request.method == "POST" else 200,
    )


def _b32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step of signing in for users with a confirmed TOTP device."""
    if request.user.is_verified() or not user_has_device(request.user, confirmed=True):
        return redirect(_safe_next(request, "/"))
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        for device in TOTPDevice.objects.devices_for_user(request.user, confirmed=True):
            if device.verify_is_allowed()[0] and device.verify_token(token):
                otp_login(request, device)
                return redirect(_safe_next(request, "/"))
        services.audit_record(action=AuditAction.OTP_FAILED, actor=request.actor, obj=request.user)
        form.add_error("token", _("This code is not valid or was already used."))
    return render(
        request,
        "registration/otp_verify.html",
        {"form": form, "next": _safe_next(request, "/")},
        status=400 if request.method == "POST" else 200,
    )


# -- operations --------------------------------------------------------------------------------


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the app answers and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
