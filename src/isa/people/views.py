"""Participant pages: list, file, referral, waiting list, stays, pact, consents, import."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, prefetch_related_objects
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isa.core.access import get_programme_for_user, known_or_404
from isa.core.documents import spreadsheets
from isa.core.forms import apply_service_errors, posted_version
from isa.core.lists import audit_list_read, paginate
from isa.core.models import TEAM_ROLES, AuditAction, Programme, Role
from isa.core.services import audit_record
from isa.people import importer, services
from isa.people.access import (
    FileRights,
    get_participant_for_user,
    get_referral_for_user,
    rights_for,
)
from isa.people.forms import (
    SORTS,
    AdmitForm,
    ConsentForm,
    ExitForm,
    IdentityForm,
    ImportForm,
    MilestoneForm,
    PactForm,
    ParticipantFilterForm,
    PauseForm,
    ReferralForm,
    ReferralStatusForm,
    ResumeForm,
)
from isa.people.models import (
    FILE_EDITOR_ROLES,
    REFERRAL_ROLES,
    ConsentKind,
    Participant,
    Referral,
    Status,
    normalize_name,
)
from isa.people.panels import file_panels
from isa.people.timeline import timeline_for

#: People per page of the participant list: a programme's whole group fits on one page.
PAGE_SIZE = 50


#: How many of the people waiting the programme page names (the oldest referrals first).
WAITING_ON_HOME = 5


def programme_panel(request: HttpRequest, programme: Any) -> tuple[str, dict[str, Any]] | None:
    """The people section of the programme page: who is accompanied, who is waiting."""
    rights = rights_for(request.user, programme)
    is_referrer = Role.REFERRER in rights.roles
    if not rights.roles & TEAM_ROLES and not is_referrer:
        return None
    context: dict[str, Any] = {"programme": programme, "rights": rights, "is_referrer": is_referrer}
    if rights.roles & TEAM_ROLES:
        context["counts"] = dict(
            Participant.objects.visible_to(request.user)
            .in_programme(programme)
            .values_list("status")
            .order_by()
            .annotate(n=Count("id"))
        )
    if rights.admit:
        waiting = (
            Referral.objects.visible_to(request.user)
            .filter(participant__programme=programme)
            .waiting_list()
        )
        context["waiting"] = waiting.count()
        today = timezone.localdate()
        first = list(waiting.select_related("participant")[:WAITING_ON_HOME])
        context["first_waiting"] = [{"referral": r, "days": r.waiting_days(today)} for r in first]
        if first:
            audit_record(
                action=AuditAction.VIEW,
                actor=request.actor,
                object_type="people.referral",
                programme=programme,
                detail={"list": "waiting", "page": "programme", "shown": len(first)},
            )
    return "people/_programme_panel.html", context


# -- list --------------------------------------------------------------------------------------


@login_required
@require_GET
def participant_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    rights = rights_for(request.user, programme)
    reachable = Participant.objects.visible_to(request.user).in_programme(programme)
    if not rights.never_admitted:  # files they cannot open (get_participant_for_user)
        reachable = reachable.exclude(accompanied_since__isnull=True)
    people = reachable
    # The services that referred someone of the programme: read through the people the
    # user sees (a facilitator does not see referrals, only who sent people).
    referrers = sorted(
        set(
            people.filter(referrals__isnull=False)
            .values_list("referrals__referring_service", flat=True)
            .order_by()
            .distinct()
        )
    )
    form = ParticipantFilterForm(request.GET or None, referrers=referrers)
    sort = "name"
    if form.is_valid():
        data = form.cleaned_data
        for word in normalize_name(data["q"]).split():
            people = people.filter(search_name__contains=word)
        if data["status"]:
            people = people.filter(status=data["status"])
        if data["referrer"]:
            people = people.filter(referrals__referring_service=data["referrer"]).distinct()
        sort = data["sort"] or "name"
    elif not request.GET:
        people = people.occupying()
    page, query = paginate(request, people.order_by(*SORTS[sort]), PAGE_SIZE)
    audit_list_read(
        request,
        programme=programme,
        object_type="people.participant",
        name="participants",
        page=page,
    )
    counts = {
        row["status"]: row["n"]
        for row in reachable.values("status").order_by().annotate(n=Count("id"))
    }
    return render(
        request,
        "people/participant_list.html",
        {
            "programme": programme,
            "form": form,
            "people": page,
            "page": page,
            "query": query,
            "status_rows": [(v, label, counts.get(v, 0)) for v, label in Status.choices],
            "rights": rights,
            "default_view": not request.GET,
        },
    )


# -- the file ----------------------------------------------------------------------------------


@login_required
@require_GET
def participant_detail(
    request: HttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    participant, rights = get_participant_for_user(request, programme_id, participant_id)
    # Read each part of the file once; the page, the timeline and the panels share it.
    prefetch_related_objects(
        [participant], "referrals", "stays__pauses", "milestones", "pacts", "consents"
    )
    stays = list(participant.stays.all())
    today = timezone.localdate()
    total_days = sum(s.days(today) for s in stays)
    current = participant.consents_in_force(today)
    audit_record(action=AuditAction.VIEW, actor=request.actor, obj=participant)
    return render(
        request,
        "people/participant_detail.html",
        {
            "programme": participant.programme,
            "participant": participant,
            "rights": rights,
            "stays": stays,
            "total_days": total_days,
            "pact": participant.pact_on(today),
            "consents": [(kind, current.get(kind.value)) for kind in ConsentKind],
            "timeline": timeline_for(participant, request.user),
            "referrals": participant.referrals.all(),
            "age": participant.age_on(today),
            "milestone_form": MilestoneForm(),
            "panels": file_panels(request, participant, rights),
            "is_head": Role.HEAD in rights.roles,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_edit(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    participant, rights = get_participant_for_user(
        request, programme_id, participant_id, roles=FILE_EDITOR_ROLES
    )
    form = IdentityForm(request.POST or None, instance=participant, rights=rights)
    status = 200
    if request.method == "GET":
        audit_record(
            action=AuditAction.VIEW, actor=request.actor, obj=participant, detail={"page": "edit"}
        )
    if request.method == "POST":
        status = 400
        expected = posted_version(request)
        if form.is_valid():
            try:
                services.participant_update(
                    participant=participant,
                    data=form.cleaned_data,
                    expected_version=expected,
                    actor=request.actor,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The file was saved."))
                return redirect(participant)
    return render(
        request,
        "people/participant_edit.html",
        {
            "programme": participant.programme,
            "participant": participant,
            "form": form,
            "version": request.POST.get("version", participant.version),
        },
        status=status,
    )


# -- referral and waiting list -----------------------------------------------------------------


def _referrer_defaults(
    request: HttpRequest, programme: Programme, rights: FileRights
) -> dict[str, str]:
    """A referrer refers on their own behalf: the form names them, and their service as
    they wrote it last time.  The team records referrals for others: nothing to assume."""
    if Role.REFERRER not in rights.roles:
        return {}
    defaults = {"referring_person": request.user.full_name}
    last_service = (
        Referral.objects.visible_to(request.user)
        .filter(participant__programme=programme, referred_by=request.user)
        .exclude(referring_service="")
        .order_by("-referred_on", "-pk")
        .values_list("referring_service", flat=True)
        .first()
    )
    if last_service:
        defaults["referring_service"] = last_service
    return defaults


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=REFERRAL_ROLES)
    rights = rights_for(request.user, programme)
    identity = IdentityForm(request.POST or None, prefix="id")
    referral = ReferralForm(
        request.POST or None, prefix="ref", initial=_referrer_defaults(request, programme, rights)
    )
    duplicates: list[Participant] = []
    status = 200
    if request.method == "POST":
        status = 400
        if identity.is_valid() and referral.is_valid():
            data = identity.cleaned_data
            duplicates = services.identity_possible_duplicates(programme=programme, identity=data)
            if duplicates and not referral.cleaned_data["not_a_duplicate"]:
                referral.add_error(None, services.duplicate_warning())
            else:
                try:
                    created = services.referral_create(
                        programme=programme,
                        identity=data,
                        referral=referral.cleaned_data,
                        actor=request.actor,
                    )
                except ValidationError as exc:
                    apply_service_errors(referral, exc)
                else:
                    messages.success(
                        request,
                        _("The referral of %(name)s was recorded.") % {"name": created.participant},
                    )
                    if rights.admit:
                        return redirect(created.participant)
                    return redirect("referral_list", programme_id=programme.pk)
    return render(
        request,
        "people/referral_form.html",
        {
            "programme": programme,
            "identity": identity,
            "referral": referral,
            "duplicates": duplicates,
            "can_open_files": bool(rights.roles & TEAM_ROLES),
        },
        status=status,
    )


@login_required
@require_GET
def referral_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    """A referrer's view: the referrals they sent and where each stands; nothing else."""
    programme = get_programme_for_user(request, programme_id, roles=REFERRAL_ROLES)
    referrals = (
        Referral.objects.visible_to(request.user)
        .filter(participant__programme=programme)
        .select_related("participant", "referred_by")
        .order_by("-referred_on", "-pk")
    )
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,
        object_type="people.referral",
        programme=programme,
        detail={"list": "referrals"},
    )
    return render(
        request,
        "people/referral_list.html",
        {
            "programme": programme,
            "referrals": referrals,
            "team": bool(rights_for(request.user, programme).roles & TEAM_ROLES),
        },
    )


@login_required
@require_GET
def waiting_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=FILE_EDITOR_ROLES)
    referrals = (
        Referral.objects.visible_to(request.user)
        .filter(participant__programme=programme)
        .waiting_list()
        .select_related("participant")
    )
    occupied = (
        Participant.objects.visible_to(request.user).in_programme(programme).occupying().count()
    )
    today = timezone.localdate()
    rows = [{"referral": r, "days": r.waiting_days(today)} for r in referrals]
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,
        object_type="people.referral",
        programme=programme,
        detail={"list": "waiting"},
    )
    return render(
        request,
        "people/waiting_list.html",
        {
            "programme": programme,
            "rows": rows,
            "occupied": occupied,
            "free": max(programme.capacity - occupied, 0),
            "above": max(occupied - programme.capacity, 0),
            "status_form": ReferralStatusForm(),
            "rights": rights_for(request.user, programme),
        },
    )


@login_required
@require_POST
def referral_status(request: HttpRequest, programme_id: int, referral_id: int) -> HttpResponse:
    get_programme_for_user(request, programme_id, roles=FILE_EDITOR_ROLES)
    referral = get_referral_for_user(request, programme_id, referral_id)
    form = ReferralStatusForm(request.POST)
    if form.is_valid():
        try:
            services.referral_set_status(
                referral=referral,
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
                actor=request.actor,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The status was changed."))
    else:
        messages.error(request, _("Choose a status."))
    return redirect("waiting_list", programme_id=programme_id)


# -- stays, pact, milestones, consents: one small form each ----------------------------------


def _step_view(
    request: HttpRequest,
    programme_id: int,
    participant_id: int,
    *,
    form_class: type[Form],
    template_title: str,
    action: Any,
    success: str,
    roles: frozenset[str] = FILE_EDITOR_ROLES,
    form_kwargs: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """GET shows the form; POST calls ``action(participant, data)`` and goes back to the
    file, or shows the form again with the reason and every value kept."""
    participant, rights = get_participant_for_user(
        request, programme_id, participant_id, roles=roles
    )
    kwargs = dict(form_kwargs or {})
    if form_class is AdmitForm:
        kwargs["rights"] = rights
    form = form_class(request.POST or None, **kwargs)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                action(participant, form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, success)
                return redirect(participant)
    context = {
        "programme": participant.programme,
        "participant": participant,
        "form": form,
        "title": template_title,
        "rights": rights,
    }
    context.update(extra or {})
    return render(request, "people/step_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def participant_admit(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=FILE_EDITOR_ROLES)
    occupied = (
        Participant.objects.visible_to(request.user).in_programme(programme).occupying().count()
    )
    return _step_view(
        request,
        programme_id,
        participant_id,
        form_class=AdmitForm,
        template_title=_("Admission"),
        action=lambda p, d: services.participant_admit(
            participant=p,
            on=d["on"],
            actor=request.actor,
            override_capacity=d.get("override_capacity", False),
        ),
        success=_("Welcome: the admission was recorded."),
        extra={
            "occupied": occupied,
            "capacity": programme.capacity,
            "full": occupied >= programme.capacity,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_pause(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    return _step_view(
        request,
        programme_id,
        participant_id,
        form_class=PauseForm,
        template_title=_("A pause"),
        action=lambda p, d: services.participant_pause(
            participant=p, on=d["on"], reason=d["reason"], actor=request.actor
        ),
        success=_("The pause was recorded. The place is kept."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_resume(
    request: HttpRequest, programme_id: int, participant_id: int
) -> HttpResponse:
    return _step_view(
        request,
        programme_id,
        participant_id,
        form_class=ResumeForm,
        template_title=_("End of the pause"),
        action=lambda p, d: services.participant_resume(
            participant=p, on=d["on"], actor=request.actor
        ),
        success=_("Welcome back: the pause is over."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_exit(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    return _step_view(
        request,
        programme_id,
        participant_id,
        form_class=ExitForm,
        template_title=_("Leaving"),
        action=lambda p, d: services.participant_exit(
            participant=p,
            on=d["on"],
            reason=d["reason"],
            comment=d["comment"],
            actor=request.actor,
        ),
        success=_("The exit was recorded. The file stays, and the door stays open."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def pact_edit(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    participant, _rights = get_participant_for_user(
        request, programme_id, participant_id, roles=FILE_EDITOR_ROLES
    )
    current = services.pact_current(participant)
    initial = {"half_days": current.half_days, "note": current.note} if current else {}
    return _step_view(
        request,
        programme_id,
        participant_id,
        form_class=PactForm,
        form_kwargs={"initial": initial},
        template_title=_("The pact"),
        action=lambda p, d: services.pact_renegotiate(
            participant=p,
            valid_from=d["valid_from"],
            half_days=d["half_days"],
            note=d["note"],
            actor=request.actor,
        ),
        success=_("The pact was recorded."),
        extra={"pacts": participant.pacts.all()},
    )


@login_required
@require_POST
def milestone_add(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    return _step_view(
        request,
        programme_id,
        participant_id,
        form_class=MilestoneForm,
        roles=TEAM_ROLES,
        template_title=_("A warming-up moment"),
        action=lambda p, d: services.milestone_record(
            participant=p,
            kind=d["kind"],
            on=d["on"],
            note=d["note"],
            actor=request.actor,
        ),
        success=_("The moment was added to the timeline."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_edit(request: HttpRequest, programme_id: int, participant_id: int) -> HttpResponse:
    participant, _rights = get_participant_for_user(
        request, programme_id, participant_id, roles=FILE_EDITOR_ROLES
    )
    return _step_view(
        request,
        programme_id,
        participant_id,
        form_class=ConsentForm,
        form_kwargs={"initial": {"kind": request.GET.get("kind", "")}},
        template_title=_("Consents"),
        action=lambda p, d: services.consent_record(
            participant=p,
            kind=d["kind"],
            state=d["state"],
            on=d["on"],
            method=d["method"],
            note=d["note"],
            actor=request.actor,
        ),
        success=_("The decision was recorded."),
        extra={"history": participant.consents.select_related("recorded_by")},
    )


# -- import ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def participant_import(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles={Role.HEAD})
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    problem = None  # the file as a whole: shown above the form, at the page's full width
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = importer.read_rows(upload.name, upload.read(importer.MAX_BYTES + 1))
            except importer.ImportFileError as exc:
                problem = exc
            else:
                result = importer.participants_import(
                    programme=programme, rows=rows, actor=request.actor
                )
                if result.ok:
                    messages.success(
                        request,
                        _("%(n)s files were imported.") % {"n": len(result.created)},
                    )
                    return redirect("participant_list", programme_id=programme.pk)
    return render(
        request,
        "people/import.html",
        {
            "programme": programme,
            "form": form,
            "result": result,
            "problem": problem,
            "columns": [
                {
                    "label": importer.column_label(code),
                    "description": description,
                    "required": code in importer.REQUIRED,
                    "also": importer.other_spellings(code),
                }
                for code, description in importer.COLUMNS.items()
            ],
        },
        status=status,
    )


@login_required
@require_GET
def import_template(request: HttpRequest, programme_id: int, fmt: str) -> HttpResponse:
    get_programme_for_user(request, programme_id, roles={Role.HEAD})
    known_or_404(fmt, {"csv", "xlsx"})
    header, descriptions, example = importer.template_rows()
    if fmt == "csv":
        response = HttpResponse(
            spreadsheets.csv_bytes([header, example]), content_type=spreadsheets.CSV_TYPE
        )
    else:
        book = spreadsheets.Workbook(title=_("Import participants"))
        sheet = book.sheet("participants")
        sheet.header(header, notes=descriptions)
        sheet.row(example, as_text=True)  # dates and AVS numbers stay as typed
        response = HttpResponse(book.to_bytes(), content_type=spreadsheets.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="isa-participants-template.{fmt}"'
    return response
