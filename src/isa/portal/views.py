"""The participant's space (``/portal/``): their own data only, in easy words; and the
team's side of it on the file (open an access, print a letter, disable it, answer a
correction request, answer an access request on paper)."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, update_session_auth_hash
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from isa.core.access import known_or_404
from isa.core.actor import Actor, Channel
from isa.core.forms import OTPTokenForm, apply_service_errors
from isa.evaluation.results import answers_in_words
from isa.journal.models import Entry
from isa.journal.search import search as journal_search
from isa.people.models import ConsentKind, HalfDay, latest_consents
from isa.people.services import pact_current
from isa.portal import reads, services
from isa.portal.access import (
    get_correction_for_team,
    get_own_access,
    get_own_image,
    get_own_participant,
    get_participant_for_access_admin,
    is_portal_user,
    portal_actor,
)
from isa.portal.forms import (
    AccessCreateForm,
    AnswerForm,
    CorrectionForm,
    CreditForm,
    PasswordForm,
    PortalLoginForm,
    RedeemForm,
    SearchForm,
)
from isa.portal.letter import invitation_letter
from isa.portal.models import ParticipantAccess, portal_email
from isa.works.models import Work
from isa.works.services import credit_name
from isa.works.views.works import image_response

#: The consents a participant decides on in their space, in the order they read them.
PORTAL_CONSENTS = [
    ConsentKind.DATA,
    ConsentKind.HEALTH,
    ConsentKind.EXHIBITION,
    ConsentKind.ONLINE,
    ConsentKind.PHOTO,
    ConsentKind.RESEARCH,
]


def portal_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the participant's space: an anonymous visitor is sent to its sign-in page,
    every account that is not an active participant's gets 404 (get_own_access)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("portal_login"))
        get_own_access(request)
        return view(request, *args, **kwargs)

    return wrapped


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    access = get_own_access(request)
    context.setdefault("participant", access.participant)
    context["access"] = access
    return render(request, template, context, status=status)


def _read(request: HttpRequest, what: str) -> None:
    services.portal_read(
        participant=get_own_participant(request), what=what, actor=portal_actor(request)
    )


# -- signing in --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def portal_login(request: HttpRequest) -> HttpResponse:
    if is_portal_user(request.user):
        return redirect("portal_home")
    form = PortalLoginForm(
        request.POST or None, initial={"login": request.GET.get("login", "")[:60]}
    )
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=portal_email(form.cleaned_data["login"]),
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            from isa.core.views import lockout_response

            return lockout_response(request)
        access = (
            ParticipantAccess.objects.active().filter(user=user).first()
            if user is not None
            else None
        )
        device = None
        if access is not None:
            devices = list(TOTPDevice.objects.devices_for_user(user, confirmed=True))
            if devices:
                token = form.cleaned_data["token"].replace(" ", "")
                device = next((d for d in devices if token and d.verify_token(token)), None)
                if device is None:
                    form.add_error("token", _("Type the code that your phone shows now."))
                    access = None
        if access is not None:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if device is not None:
                otp_login(request, device)
            request.session.set_expiry(settings.ISA_PORTAL_IDLE_MINUTES * 60)
            actor = Actor(
                user=user,
                ip=Actor.from_request(request).ip,
                channel=Channel.PORTAL,
                participant_id=access.participant_id,
            )
            services.portal_sign_in(participant=access.participant, actor=actor)
            response = redirect("portal_home")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
            return response
        if not form.errors:
            form.add_error(None, _("The name or the password is not right."))
    return render(
        request,
        "portal/login.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def portal_welcome(request: HttpRequest) -> HttpResponse:
    """The page of the letter: type the code, choose a password."""
    if is_portal_user(request.user):
        return redirect("portal_home")
    initial = {"code": request.GET.get("code", "")[:40]}
    form = RedeemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            access = services.invitation_redeem(
                code=form.cleaned_data["code"],
                password=form.cleaned_data["password"],
                actor=request.actor,
            )
        except services.InvitationRefused as exc:
            form.add_error("code", exc)
        except ValidationError as exc:
            form.add_error("password", exc)
        else:
            messages.success(request, _("Your password is saved. You can sign in now."))
            return redirect(f"{reverse('portal_login')}?login={access.login}")
    return render(
        request,
        "portal/welcome.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# -- the pages ---------------------------------------------------------------------------------


@portal_page
@require_GET
def portal_home(request: HttpRequest) -> HttpResponse:
    participant = get_own_participant(request)
    answered = reads.requests_of(participant).filter(answered_at__isnull=False)
    return _page(request, "portal/home.html", {"answers": answered.count()})


@portal_page
@require_GET
def portal_pact(request: HttpRequest) -> HttpResponse:
    participant = get_own_participant(request)
    _read(request, "pact")
    pact = pact_current(participant)
    days = [str(h.label) for h in HalfDay if pact and h.value in pact.half_days]
    return _page(request, "portal/pact.html", {"pact": pact, "days": days})


def _month(raw: str) -> date:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in raw.split("-"))
        return date(year, month, 1) if 2000 <= year <= today.year + 1 else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


@portal_page
@require_GET
def portal_days(request: HttpRequest) -> HttpResponse:
    """The days the person came, as a calendar: never a rate, never a count to reach."""
    participant = get_own_participant(request)
    first = _month(request.GET.get("month", ""))
    _read(request, "days")
    came = reads.days_came(participant, first)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    previous = (first.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    following = (first.replace(day=28) + timezone.timedelta(days=5)).replace(day=1)
    return _page(
        request,
        "portal/days.html",
        {
            "month": first,
            "weeks": [[(d, d in came, d.month == first.month) for d in week] for week in weeks],
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m") if following <= timezone.localdate() else "",
        },
    )


@portal_page
@require_http_methods(["GET", "POST"])
def portal_works(request: HttpRequest) -> HttpResponse:
    participant = get_own_participant(request)
    credit = reads.credit_of(participant)
    form = CreditForm(
        request.POST or None,
        initial={
            "mode": credit.mode if credit else "anonymous",
            "pseudonym": credit.pseudonym if credit else "",
        },
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.portal_credit_choose(
                    participant=participant,
                    mode=form.cleaned_data["mode"],
                    pseudonym=form.cleaned_data["pseudonym"],
                    actor=portal_actor(request),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Saved. Your works now carry this name."))
                return redirect("portal_works")
    else:
        _read(request, "works")
    works = list(Work.objects.by(participant).select_related("medium").prefetch_related("images"))
    return _page(
        request,
        "portal/works.html",
        {"works": works, "form": form, "shown_as": credit_name(participant, credit)},
        status=400 if request.method == "POST" else 200,
    )


@portal_page
@require_GET
def portal_image(request: HttpRequest, image_id: int, size: str) -> HttpResponse:
    known_or_404(size, {"thumb", "display"})
    return image_response(get_own_image(request, image_id), size, public=False)


@portal_page
@require_GET
def portal_journal(request: HttpRequest) -> HttpResponse:
    participant = get_own_participant(request)
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    entries = Entry.objects.shared_with(participant).select_related("author")
    if query.strip():
        entries = journal_search(entries, query)
    _read(request, "journal")
    return _page(
        request,
        "portal/journal.html",
        {"entries": list(entries[:200]), "query": query, "form": form},
        status=200 if form.is_valid() else 400,
    )


@portal_page
@require_GET
def portal_questionnaires(request: HttpRequest) -> HttpResponse:
    participant = get_own_participant(request)
    administrations = reads.questionnaires_of(participant)
    _read(request, "questionnaires")
    return _page(
        request,
        "portal/questionnaires.html",
        {"readings": [answers_in_words(a) for a in administrations]},
    )


@portal_page
@require_http_methods(["GET", "POST"])
def portal_consents(request: HttpRequest) -> HttpResponse:
    participant = get_own_participant(request)
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        decision = request.POST.get("decision", "")
        if kind not in PORTAL_CONSENTS or decision not in ("give", "withdraw"):
            return _page(
                request,
                "portal/consents.html",
                _consents_context(participant, _("Choose a consent and a decision.")),
                status=400,
            )
        consent = services.portal_consent_set(
            participant=participant, kind=kind, give=decision == "give", actor=portal_actor(request)
        )
        if consent is None:
            messages.info(request, _("Nothing changed: it was already so."))
        elif decision == "give":
            messages.success(request, _("Thank you. Your yes is saved."))
        else:
            messages.success(request, _("Saved. From now on, we do not do it any more."))
        return redirect("portal_consents")
    _read(request, "consents")
    return _page(request, "portal/consents.html", _consents_context(participant))


def _consents_context(participant: Any, error: str = "") -> dict[str, Any]:
    current = latest_consents([participant])[participant.pk]
    return {
        "consents": [(kind, current.get(kind)) for kind in PORTAL_CONSENTS],
        "history": list(participant.consents.all()),
        "error": error,
    }


@portal_page
@require_http_methods(["GET", "POST"])
def portal_corrections(request: HttpRequest) -> HttpResponse:
    participant = get_own_participant(request)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_request_send(
                participant=participant,
                topic=form.cleaned_data["topic"],
                text=form.cleaned_data["text"],
                actor=portal_actor(request),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Sent. The team will answer you here."))
            return redirect("portal_corrections")
    elif request.method == "GET":
        _read(request, "corrections")
    return _page(
        request,
        "portal/corrections.html",
        {"form": form, "requests": list(reads.requests_of(participant))},
        status=400 if request.method == "POST" else 200,
    )


@portal_page
@require_GET
def portal_data(request: HttpRequest) -> HttpResponse:
    return _page(request, "portal/data.html", {})


@portal_page
@require_POST
def portal_data_download(request: HttpRequest, fmt: str) -> HttpResponse:
    known_or_404(fmt, {"pdf", "zip"})
    participant = get_own_participant(request)
    content = services.subject_access_export(
        participant=participant, fmt=fmt, actor=portal_actor(request)
    )
    return _download(content, fmt, participant)


def _download(content: bytes, fmt: str, participant: Any) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/pdf" if fmt == "pdf" else "application/zip"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="isa-my-data-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@portal_page
@require_http_methods(["GET", "POST"])
def portal_second_factor(request: HttpRequest) -> HttpResponse:
    """An optional second factor: a code from a phone app, asked at each sign-in."""
    import segno

    access = get_own_access(request)
    user = access.user
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return _page(request, "portal/second_factor.html", {"done": True})
    device = TOTPDevice.objects.filter(
        user=user, confirmed=False
    ).first() or TOTPDevice.objects.create(user=user, name="ISA", confirmed=False)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Done. From now on, you also type the code of your phone."))
            return redirect("portal_home")
        form.add_error("token", _("This code is not valid. Check the time of your phone."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1d2a3a")
    return _page(
        request,
        "portal/second_factor.html",
        {"form": form, "qr_svg": qr_svg, "done": False},
        status=400 if request.method == "POST" else 200,
    )


@portal_page
@require_http_methods(["GET", "POST"])
def portal_password(request: HttpRequest) -> HttpResponse:
    """A new password, chosen by the person (the change is audited where every password
    change is: isa.core.signals); the other sessions of the account end, this one stays."""
    access = get_own_access(request)
    form = PasswordForm(access.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.portal_password_change(
            access=access, password=form.cleaned_data["password"], actor=portal_actor(request)
        )
        update_session_auth_hash(request, access.user)
        messages.success(request, _("Done. Your new password works from now on."))
        return redirect("portal_home")
    return _page(
        request,
        "portal/password.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


# -- the team's side ---------------------------------------------------------------------------


@login_required
@require_GET
def access_manage(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    participant = get_participant_for_access_admin(request, programme_id, participant_id)
    access = reads.access_of(participant)
    return render(
        request,
        "portal/team_access.html",
        {
            "programme": participant.programme,
            "participant": participant,
            "access": access,
            "second_factor": access is not None
            and TOTPDevice.objects.devices_for_user(access.user, confirmed=True).exists(),
            "form": AccessCreateForm(initial={"language": translation.get_language()}),
            "requests": list(reads.requests_of(participant)),
            "answer_form": AnswerForm(),
        },
    )


def _letter_response(request: HttpRequest, invitation: Any, code: str) -> HttpResponse:
    access = invitation.access
    base = settings.ISA_SITE_URL or request.build_absolute_uri("/").rstrip("/")
    link = f"{base}{reverse('portal_welcome')}?code={code}"
    with translation.override(access.language):
        content = invitation_letter(invitation, code, link)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="isa-letter-{access.login}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def access_create(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    participant = get_participant_for_access_admin(request, programme_id, participant_id)
    form = AccessCreateForm(request.POST)
    if form.is_valid():
        try:
            _access, invitation, code = services.access_create(
                participant=participant,
                agreement_note=form.cleaned_data["agreement_note"],
                language=form.cleaned_data["language"],
                actor=request.actor,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _letter_response(request, invitation, code)
    return render(
        request,
        "portal/team_access.html",
        {
            "programme": participant.programme,
            "participant": participant,
            "access": reads.access_of(participant),
            "form": form,
            "requests": list(reads.requests_of(participant)),
            "answer_form": AnswerForm(),
        },
        status=400,
    )


@login_required
@require_POST
def access_letter(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    participant = get_participant_for_access_admin(request, programme_id, participant_id)
    access = reads.access_of(participant)
    if access is None:
        messages.error(request, _("This person has no access yet."))
        return redirect("portal_access", programme_id, participant_id)
    invitation, code = services.invitation_issue(access=access, actor=request.actor)
    return _letter_response(request, invitation, code)


@login_required
@require_POST
def access_disable(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    participant = get_participant_for_access_admin(request, programme_id, participant_id)
    access = reads.access_of(participant)
    if access is not None:
        services.access_disable(access=access, actor=request.actor)
        messages.success(request, _("The access is closed. The person can no longer sign in."))
    return redirect("portal_access", programme_id, participant_id)


@login_required
@require_POST
def access_second_factor_remove(
    request: HttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    participant = get_participant_for_access_admin(request, programme_id, participant_id)
    access = reads.access_of(participant)
    if access is not None and services.access_second_factor_remove(
        access=access, actor=request.actor
    ):
        messages.success(
            request, _("The second factor is removed. The person signs in with their password.")
        )
    return redirect("portal_access", programme_id, participant_id)


@login_required
@require_POST
def correction_answer(
    request: HttpRequest, programme_id: int, participant_id: int, correction_id: int
) -> HttpResponse:
    correction = get_correction_for_team(request, programme_id, participant_id, correction_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.correction_answer(
                correction=correction, answer=form.cleaned_data["answer"], actor=request.actor
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Answer sent. The person reads it in their space."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("portal_access", programme_id, participant_id)


@login_required
@require_GET
def subject_access_team(
    request: HttpRequest, programme_id: int, participant_id: int, fmt: str
) -> HttpResponse:
    """The same answer for a request on paper, in the person's language."""
    known_or_404(fmt, {"pdf", "zip"})
    participant = get_participant_for_access_admin(request, programme_id, participant_id)
    access = reads.access_of(participant)
    language = access.user.language if access else translation.get_language()
    with translation.override(language):
        content = services.subject_access_export(
            participant=participant, fmt=fmt, actor=request.actor
        )
    return _download(content, fmt, participant)


def file_panel(
    request: HttpRequest, participant: Any, rights: Any
) -> tuple[str, dict[str, Any]] | None:
    """On the file, for the head and the social workers: the access, and the requests."""
    if not rights.roles & services.ACCESS_ROLES:
        return None
    return "portal/_file_panel.html", {
        "participant": participant,
        "programme": participant.programme,
        **reads.panel_facts(participant),
    }
