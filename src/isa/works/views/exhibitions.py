"""Exhibitions: list, create, read, edit, the works shown, press, and the catalogue PDF."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isa.core.access import get_programme_for_user
from isa.core.forms import apply_service_errors, posted_version
from isa.core.models import TEAM_ROLES, AuditAction
from isa.core.services import audit_record
from isa.people.models import ConsentKind
from isa.works import pdf, services
from isa.works.access import get_exhibition_for_user, get_press_mention, get_work_for_user
from isa.works.forms import ExhibitionAddWorkForm, ExhibitionForm, PressForm
from isa.works.models import WORK_EDITOR_ROLES, Exhibition, Work


@login_required
@require_GET
def exhibition_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    from django.db.models import Count

    exhibitions = (
        Exhibition.objects.visible_to(request.user)
        .filter(programme=programme)
        .annotate(n_works=Count("entries"))
        .order_by("-starts_on", "-pk")
    )
    return render(
        request,
        "works/exhibition_list.html",
        {
            "programme": programme,
            "exhibitions": exhibitions,
            "can_edit": request.user.has_role(programme, WORK_EDITOR_ROLES),
        },
    )


def _exhibition_data(form: ExhibitionForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "venue": data["venue"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "description": data["description"],
        "visitors": data["visitors"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def exhibition_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=WORK_EDITOR_ROLES)
    form = ExhibitionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                exhibition = services.exhibition_create(
                    programme=programme, actor=request.actor, **_exhibition_data(form)
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The exhibition was saved."))
                return redirect(exhibition)
    return render(
        request,
        "works/exhibition_form.html",
        {"programme": programme, "form": form, "title": _("A new exhibition")},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def exhibition_edit(request: HttpRequest, programme_id: int, exhibition_id: int) -> HttpResponse:
    exhibition = get_exhibition_for_user(
        request, programme_id, exhibition_id, roles=WORK_EDITOR_ROLES
    )
    form = ExhibitionForm(
        request.POST or None,
        initial={f: getattr(exhibition, f) for f in services.EXHIBITION_FIELDS},
    )
    status = 200
    if request.method == "POST":
        status = 400
        expected = posted_version(request)
        if form.is_valid():
            try:
                services.exhibition_update(
                    exhibition=exhibition,
                    expected_version=expected,
                    actor=request.actor,
                    **_exhibition_data(form),
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The exhibition was saved."))
                return redirect(exhibition)
    return render(
        request,
        "works/exhibition_form.html",
        {
            "programme": exhibition.programme,
            "form": form,
            "exhibition": exhibition,
            "version": request.POST.get("version", exhibition.version),
            "title": _("Change the exhibition"),
        },
        status=status,
    )


def _detail_context(request: HttpRequest, exhibition: Exhibition, **extra: Any) -> dict[str, Any]:
    works = services.exhibition_works(exhibition)
    missing = services.creators_without_consent(works, ConsentKind.EXHIBITION)
    credits = services.credits_for(p for w in works for p in w.creators.all())
    available = (
        Work.objects.visible_to(request.user)
        .filter(programme=exhibition.programme)
        .exclude(pk__in=[w.pk for w in works])
        .order_by("-made_on", "title")
    )
    return {
        "programme": exhibition.programme,
        "exhibition": exhibition,
        "rows": [(w, missing[w.pk], services.credit_line(w, credits)) for w in works],
        "left_out": sum(1 for w in works if missing[w.pk]),
        "press": exhibition.press.all(),
        "can_edit": request.user.has_role(exhibition.programme_id, WORK_EDITOR_ROLES),
        "add_form": ExhibitionAddWorkForm(works=available),
        "press_form": PressForm(),
        **extra,
    }


@login_required
@require_GET
def exhibition_detail(request: HttpRequest, programme_id: int, exhibition_id: int) -> HttpResponse:
    exhibition = get_exhibition_for_user(request, programme_id, exhibition_id)
    audit_record(action=AuditAction.VIEW, actor=request.actor, obj=exhibition)
    return render(request, "works/exhibition_detail.html", _detail_context(request, exhibition))


@login_required
@require_POST
def exhibition_works(request: HttpRequest, programme_id: int, exhibition_id: int) -> HttpResponse:
    """Add a work (``work``), or remove/move one (``action`` = remove|up|down, ``work``)."""
    exhibition = get_exhibition_for_user(
        request, programme_id, exhibition_id, roles=WORK_EDITOR_ROLES
    )
    works = Work.objects.visible_to(request.user).filter(programme=exhibition.programme)
    action = request.POST.get("action", "add")
    if action in ("remove", "up", "down"):
        work = get_work_for_user(request, exhibition.programme_id, request.POST.get("work"))
        if action == "remove":
            services.exhibition_remove_work(exhibition=exhibition, work=work, actor=request.actor)
        else:
            try:
                services.exhibition_move_work(
                    exhibition=exhibition,
                    work=work,
                    offset=-1 if action == "up" else 1,
                    actor=request.actor,
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        return redirect(exhibition)
    form = ExhibitionAddWorkForm(request.POST, works=works.exclude(exhibitions=exhibition))
    if form.is_valid():
        work = form.cleaned_data["work"]
        try:
            services.exhibition_add_work(exhibition=exhibition, work=work, actor=request.actor)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            prefetch_related_objects([work], "creators")
            missing = services.creators_without_consent([work], ConsentKind.EXHIBITION)[work.pk]
            if missing:
                messages.warning(
                    request,
                    _(
                        "“%(title)s” was added, but %(names)s has not given the consent to "
                        "exhibit works: it stays out of the catalogue until then."
                    )
                    % {"title": work.title, "names": ", ".join(str(p) for p in missing)},
                )
            else:
                messages.success(request, _("The work was added."))
            return redirect(exhibition)
    context = _detail_context(request, exhibition, add_form=form)
    return render(request, "works/exhibition_detail.html", context, status=400)


@login_required
@require_POST
def exhibition_press(request: HttpRequest, programme_id: int, exhibition_id: int) -> HttpResponse:
    """Add a press mention, or delete one (``delete`` = its id)."""
    exhibition = get_exhibition_for_user(
        request, programme_id, exhibition_id, roles=WORK_EDITOR_ROLES
    )
    if request.POST.get("delete"):
        mention = get_press_mention(exhibition, request.POST["delete"])
        services.press_mention_delete(mention=mention, actor=request.actor)
        return redirect(exhibition)
    form = PressForm(request.POST)
    if form.is_valid():
        try:
            services.press_mention_add(
                exhibition=exhibition, actor=request.actor, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The press mention was added."))
            return redirect(exhibition)
    context = _detail_context(request, exhibition, press_form=form)
    return render(request, "works/exhibition_detail.html", context, status=400)


@login_required
@require_GET
def exhibition_catalogue(
    request: HttpRequest, programme_id: int, exhibition_id: int
) -> HttpResponse:
    """The catalogue as PDF: consented works only, checked now; the export is audited."""
    exhibition = get_exhibition_for_user(request, programme_id, exhibition_id)
    works = services.catalogue_works(exhibition)
    credits = services.credits_for(p for w in works for p in w.creators.all())
    content = pdf.catalogue_pdf(exhibition, works, credits)
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.actor,
        obj=exhibition,
        detail={"catalogue": [w.pk for w in works]},
    )
    name = slugify(exhibition.title) or "catalogue"
    return HttpResponse(
        content,
        content_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
    )
