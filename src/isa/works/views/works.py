"""The team's pages of works: list, create, read, edit, state, images."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isa.core.access import get_programme_for_user, id_or_none, known_or_404
from isa.core.forms import apply_service_errors, posted_version
from isa.core.lists import audit_list_read, paginate
from isa.core.models import TEAM_ROLES, AuditAction, Programme
from isa.core.services import audit_record
from isa.people.models import OCCUPYING, ConsentKind, Participant, Status, normalize_name
from isa.presence.models import Medium
from isa.works import images, services
from isa.works.access import get_image_for_user, get_work_for_user, open_rendition
from isa.works.forms import (
    ImageEditForm,
    ImageUploadForm,
    StateForm,
    WorkCreateForm,
    WorkFilterForm,
    WorkForm,
)
from isa.works.models import CREDIT_ROLES, WORK_EDITOR_ROLES, Work, WorkImage

PER_PAGE = 24


def people_for(request: HttpRequest, programme: Programme, *, also: Any = ()) -> Any:
    """Who can be named as a creator: the participants of this programme the user sees who
    came to the workshops (accompanied, on a pause, or since left), and ``also``."""
    return (
        Participant.objects.visible_to(request.user)
        .filter(programme=programme)
        .filter(Q(status__in=[*OCCUPYING, Status.EXITED]) | Q(pk__in=[p.pk for p in also]))
        .order_by("search_name")
    )


def media_for(programme: Programme) -> Any:
    return Medium.objects.for_programme(programme)


def ordered_images() -> Prefetch:
    return Prefetch("images", queryset=WorkImage.objects.order_by("order", "pk"))


def consent_notes(works: list[Work]) -> dict[int, dict[str, list[Participant]]]:
    """For each work, who has not given the online and the exhibition consent (2 queries)."""
    online = services.creators_without_consent(works, ConsentKind.ONLINE)
    shown = services.creators_without_consent(works, ConsentKind.EXHIBITION)
    return {w.pk: {"online": online[w.pk], "exhibition": shown[w.pk]} for w in works}


@login_required
@require_GET
def work_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    people = people_for(request, programme)
    form = WorkFilterForm(request.GET or None, people=people, media=media_for(programme))
    works = Work.objects.visible_to(request.user).filter(programme=programme)
    if form.is_valid():
        data = form.cleaned_data
        if data["medium"]:
            works = works.filter(medium=data["medium"])
        if data["state"]:
            works = works.filter(state=data["state"])
        if data["creator"]:
            works = works.by(data["creator"])
        if words := normalize_name(data["person"]).split():
            named = people
            for word in words:
                named = named.filter(search_name__contains=word)
            works = works.by_any(named)
    page, query = paginate(
        request,
        works.select_related("medium")
        .prefetch_related("creators", ordered_images())
        .order_by("-made_on", "-pk"),
        PER_PAGE,
    )
    rows = list(page)
    notes = consent_notes(rows)
    audit_list_read(request, programme=programme, object_type="works.work", name="works", page=page)
    return render(
        request,
        "works/work_list.html",
        {
            "programme": programme,
            "form": form,
            "page": page,
            "rows": [(w, notes[w.pk]) for w in rows],
            "query": query,
            "can_edit": request.user.has_role(programme, WORK_EDITOR_ROLES),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def work_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=WORK_EDITOR_ROLES)
    people = people_for(request, programme)
    initial: dict[str, Any] = {}
    if asked := id_or_none(request.GET.get("participant")):
        initial["creators"] = people.filter(pk=asked)
    form = WorkCreateForm(
        request.POST or None,
        request.FILES or None,
        people=people,
        media=media_for(programme),
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    work = services.work_create(
                        programme=programme,
                        title=data["title"],
                        medium=data["medium"],
                        creators=list(data["creators"]),
                        made_on=data["made_on"],
                        technique=data["technique"],
                        dimensions=data["dimensions"],
                        description=data["description"],
                        text=data["text"],
                        state=data["state"],
                        actor=request.actor,
                    )
                    if data.get("image"):
                        services.work_add_image(
                            work=work,
                            upload=data["image"],
                            alt_text=data["alt_text"],
                            actor=request.actor,
                        )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The work was saved."))
                return redirect(work)
    return render(
        request,
        "works/work_form.html",
        {"programme": programme, "form": form, "title": _("A new work"), "multipart": True},
        status=status,
    )


@login_required
@require_GET
def work_detail(request: HttpRequest, programme_id: int, work_id: int) -> HttpResponse:
    work = get_work_for_user(request, programme_id, work_id)
    creators = list(work.creators.all())
    work_images = list(work.images.order_by("order", "pk"))
    notes = consent_notes([work])[work.pk]
    credits = services.credits_for(creators)
    audit_record(action=AuditAction.VIEW, actor=request.actor, obj=work)
    can_edit = request.user.has_role(work.programme_id, WORK_EDITOR_ROLES)
    return render(
        request,
        "works/work_detail.html",
        {
            "programme": work.programme,
            "work": work,
            "creators": [
                (p, services.credit_name(p, credits.get(p.pk)), credits.get(p.pk)) for p in creators
            ],
            "images": work_images,
            "notes": notes,
            "exhibitions": work.exhibitions.order_by("-starts_on"),
            "can_edit": can_edit,
            "can_credit": request.user.has_role(work.programme_id, CREDIT_ROLES),
            "state_form": StateForm(initial={"state": work.state}),
            "upload_form": ImageUploadForm(),
            "max_bytes": images.MAX_BYTES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def work_edit(request: HttpRequest, programme_id: int, work_id: int) -> HttpResponse:
    work = get_work_for_user(request, programme_id, work_id, roles=WORK_EDITOR_ROLES)
    programme = work.programme
    current_creators = list(work.creators.all())
    initial = {
        "title": work.title,
        "medium": work.medium,
        "creators": current_creators,
        "made_on": work.made_on,
        "technique": work.technique,
        "dimensions": work.dimensions,
        "description": work.description,
        "text": work.text,
        "state": work.state,
    }
    form = WorkForm(
        request.POST or None,
        people=people_for(request, programme, also=current_creators),
        media=media_for(programme) | Medium.objects.filter(pk=work.medium_id),
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 400
        expected = posted_version(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.work_update(
                    work=work,
                    expected_version=expected,
                    title=data["title"],
                    medium=data["medium"],
                    creators=list(data["creators"]),
                    made_on=data["made_on"],
                    technique=data["technique"],
                    dimensions=data["dimensions"],
                    description=data["description"],
                    text=data["text"],
                    state=data["state"],
                    actor=request.actor,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The work was saved."))
                return redirect(work)
    return render(
        request,
        "works/work_form.html",
        {
            "programme": programme,
            "form": form,
            "work": work,
            "version": request.POST.get("version", work.version),
            "title": _("Change the work"),
        },
        status=status,
    )


@login_required
@require_POST
def work_state(request: HttpRequest, programme_id: int, work_id: int) -> HttpResponse:
    work = get_work_for_user(request, programme_id, work_id, roles=WORK_EDITOR_ROLES)
    form = StateForm(request.POST)
    if form.is_valid():
        services.work_set_state(work=work, state=form.cleaned_data["state"], actor=request.actor)
        messages.success(request, _("The state was changed."))
    else:
        messages.error(request, _("Unknown state."))
    return redirect(work)


@login_required
@require_POST
def work_image_add(request: HttpRequest, programme_id: int, work_id: int) -> HttpResponse:
    work = get_work_for_user(request, programme_id, work_id, roles=WORK_EDITOR_ROLES)
    form = ImageUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.work_add_image(
                work=work,
                upload=form.cleaned_data["image"],
                alt_text=form.cleaned_data["alt_text"],
                actor=request.actor,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The image was added."))
            return redirect(work)
    # Refused: the work's page again, with the message and what was typed.
    creators = list(work.creators.all())
    credits = services.credits_for(creators)
    return render(
        request,
        "works/work_detail.html",
        {
            "programme": work.programme,
            "work": work,
            "creators": [
                (p, services.credit_name(p, credits.get(p.pk)), credits.get(p.pk)) for p in creators
            ],
            "images": list(work.images.order_by("order", "pk")),
            "notes": consent_notes([work])[work.pk],
            "exhibitions": work.exhibitions.order_by("-starts_on"),
            "can_edit": True,
            "can_credit": request.user.has_role(work.programme_id, CREDIT_ROLES),
            "state_form": StateForm(initial={"state": work.state}),
            "upload_form": form,
            "max_bytes": images.MAX_BYTES,
        },
        status=400,
    )


@login_required
@require_POST
def work_image_edit(
    request: HttpRequest, programme_id: int, work_id: int, image_id: int
) -> HttpResponse:
    """One image: save its description, move it earlier or later, or delete it."""
    image = get_image_for_user(
        request, programme_id, image_id, roles=WORK_EDITOR_ROLES, work_id=work_id
    )
    action = request.POST.get("action", "save")
    if action == "delete":
        services.work_image_delete(image=image, actor=request.actor)
        messages.success(request, _("The image was deleted."))
    elif action in ("up", "down"):
        services.work_image_move(
            image=image, offset=-1 if action == "up" else 1, actor=request.actor
        )
    else:
        form = ImageEditForm(request.POST)
        if form.is_valid():
            services.work_image_update(
                image=image,
                alt_text=form.cleaned_data["alt_text"],
                actor=request.actor,
            )
            messages.success(request, _("The description was saved."))
    return redirect(image.work)


RENDITIONS = {"thumb": "thumbnail", "display": "display", "original": "original"}


def image_response(image: WorkImage, size: str, *, public: bool) -> FileResponse:
    """The file of one rendition, with its type and cache rules; nosniff always."""
    handle = open_rendition(getattr(image, RENDITIONS[size]))
    content_type = (
        images.CONTENT_TYPES.get(image.format, "application/octet-stream")
        if size == "original"
        else "image/jpeg"
    )
    response = FileResponse(handle, content_type=content_type)
    if public:
        response["Cache-Control"] = "public, max-age=300"
    elif size == "original":
        response["Cache-Control"] = "no-store"  # the full file stays off shared tablets' disks
    else:
        # The team's lists show dozens of thumbnails: a browser may keep them five minutes,
        # for this signed-in user only.
        response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    return response


@login_required
@require_GET
def work_image(request: HttpRequest, programme_id: int, image_id: int, size: str) -> HttpResponse:
    """A work's image for the team (original kept private: only through this view)."""
    known_or_404(size, RENDITIONS)
    image = get_image_for_user(request, programme_id, image_id)
    if size == "original":
        # The original as uploaded (metadata already stripped) leaves the app: an export.
        audit_record(
            action=AuditAction.EXPORT,
            actor=request.actor,
            obj=image.work,
            programme=image.work.programme_id,
            detail={"image": image.pk, "rendition": "original"},
        )
    return image_response(image, size, public=False)
