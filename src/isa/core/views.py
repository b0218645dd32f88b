"""Core pages: home, programme, team, audit log, account and two-factor authentication."""

from __future__ import annotations

import math
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from isa.core import auditlog, services
from isa.core.access import (
    client_ip,
    get_breakglass_for_head,
    get_membership_for_user,
    get_programme_for_user,
    require_head,
)
from isa.core.actor import Actor, acting
from isa.core.documents import spreadsheets
from isa.core.forms import (
    AuditFilterForm,
    EmailAuthenticationForm,
    GrantRoleForm,
    InviteForm,
    LanguageForm,
    OTPTokenForm,
    ResetRequestForm,
    apply_service_errors,
)
from isa.core.lists import paginate
from isa.core.models import (
    AuditAction,
    AuditEvent,
    BreakGlass,
    Membership,
    Programme,
    Role,
    User,
    programme_members,
)
from isa.core.registry import account_panels, occupancy, programme_panels
from isa.core.signals import RESET_MARK

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
    glass = get_breakglass_for_head(request, programme_id, breakglass_id)
    try:
        services.breakglass_acknowledge(breakglass=glass, actor=request.actor)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Noted: the notice is closed for every head."))
    return redirect("home")


# -- audit log ---------------------------------------------------------------------------------


def _audit_filters(request: HttpRequest) -> dict[str, Any]:
    """The filters chosen on the log, for its own audit event: never the words typed as a
    person's name (SEARCH_PARAMETERS), only that there were some."""
    filters: dict[str, Any] = {k: v for k, v in request.GET.items() if k != "page" and v}
    if filters.get("person"):
        filters["person"] = True
    return filters


def _audit_events(
    request: HttpRequest, programme: Programme, members: list[User]
) -> tuple[AuditFilterForm, Any]:
    form = AuditFilterForm(request.GET or None)
    events = AuditEvent.objects.for_programme(programme, members)
    if form.is_valid():
        events = auditlog.filter_events(events, programme, form.cleaned_data)
    return form, events.order_by("-at", "-id")


@login_required
@require_GET
def audit_log(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = require_head(request, programme_id)
    # Recorded first, so that the page counts and shows its own reading.
    services.audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,
        object_type="core.auditevent",
        programme=programme,
        detail={"filters": _audit_filters(request)},
    )
    members = programme_members(programme)
    form, events = _audit_events(request, programme, members)
    page, query = paginate(request, events, 50)
    return render(
        request,
        "core/audit_log.html",
        {
            "programme": programme,
            "form": form,
            "page": page,
            "lines": auditlog.audit_lines(page, programme, members),
            "query": query,
            "members": members,
        },
        status=200 if form.is_valid() or not request.GET else 400,
    )


@login_required
@require_GET
def audit_log_export(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The filtered log as a CSV file, itself an audited export."""
    programme = require_head(request, programme_id)
    members = programme_members(programme)
    form, events = _audit_events(request, programme, members)
    if request.GET and not form.is_valid():
        return redirect(f"{reverse('audit_log', args=[programme.pk])}?{request.GET.urlencode()}")
    lines = auditlog.audit_lines(events[:AUDIT_EXPORT_LIMIT], programme, members)
    services.audit_record(
        action=AuditAction.EXPORT,
        actor=request.actor,
        object_type="core.auditevent",
        programme=programme,
        detail={"filters": _audit_filters(request), "format": "csv", "results": len(lines)},
    )
    response = HttpResponse(
        spreadsheets.csv_bytes(auditlog.export_rows(lines)), content_type=spreadsheets.CSV_TYPE
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="isa-audit-{stamp}.csv"'
    return response


#: At most this many events in one export (the newest): narrow the filters for older ones.
AUDIT_EXPORT_LIMIT = 20000


# -- accounts ----------------------------------------------------------------------------------


#: Session key holding the language chosen before signing in, kept on the account at sign-in.
CHOSEN_LANGUAGE_KEY = "isa_language_chosen"


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, and the choice kept on the account: a signed-in user's at
    once, a visitor's (on the sign-in page) when they sign in."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            services.user_language_set(user=request.user, language=language, actor=request.actor)
        else:
            request.session[CHOSEN_LANGUAGE_KEY] = language
    return response


class LoginView(auth_views.LoginView):
    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form: EmailAuthenticationForm) -> HttpResponse:
        chosen = self.request.session.pop(CHOSEN_LANGUAGE_KEY, None)
        response = super().form_valid(form)
        if chosen:
            # Chosen on the sign-in page: from now on the account's language.
            services.user_language_set(
                user=form.get_user(), language=chosen, actor=Actor.from_request(self.request)
            )
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


# -- password reset by e-mail ------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for a link by e-mail.  The answer is the same whether the address belongs to an
    account or not (nobody learns who has one); the request is audited either way."""

    form_class = ResetRequestForm
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form: ResetRequestForm) -> HttpResponse:
        self.extra_email_context = {"reset_minutes": reset_minutes()}
        email = form.cleaned_data["email"].strip().lower()
        account = User.objects.filter(email__iexact=email).values_list("pk", flat=True).first()
        services.audit_record(
            action=AuditAction.PASSWORD_RESET_REQUESTED,
            actor=self.request.actor,
            object_type=User._meta.label_lower,
            object_id=account or "",
            detail={"attempted": email},
        )
        return super().form_valid(form)


def reset_minutes() -> int:
    """How long an e-mailed link to choose a new password works."""
    return settings.PASSWORD_RESET_TIMEOUT // 60


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "reset_minutes": reset_minutes()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Sets the new password from the e-mailed link, which works once and for
    ``PASSWORD_RESET_TIMEOUT``.  The person is not signed in: they sign in with the new
    password, then give their two-factor code as always."""

    post_reset_login = False

    @transaction.atomic
    def form_valid(self, form: Any) -> HttpResponse:
        # Recorded as a reset by the account's owner, who proved to read its mailbox.
        form.user.__dict__[RESET_MARK] = True
        with acting(Actor.of(form.user, ip=client_ip(self.request))):
            return super().form_valid(form)


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    has_device = TOTPDevice.objects.devices_for_user(request.user, confirmed=True).exists()
    language_form = LanguageForm(initial={"language": request.user.language})
    return render(
        request,
        "core/account.html",
        {
            "has_device": has_device,
            "language_form": language_form,
            "panels": account_panels(request),
        },
    )


def _safe_next(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or default
    # Only a path of this site: ``redirect`` would take a bare word for a URL name.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
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
