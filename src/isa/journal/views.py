"""Journal pages: list and search, write, read, correct, and the writing aid."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isa.core.access import get_programme_for_user, id_or_none
from isa.core.forms import apply_service_errors, posted_version
from isa.core.lists import audit_list_read, paginate
from isa.core.models import TEAM_ROLES, AuditAction, Programme, Role
from isa.core.services import audit_record
from isa.journal import aid, services
from isa.journal.access import get_entry_for_user
from isa.journal.forms import CorrectionForm, EntryForm, JournalFilterForm
from isa.journal.models import Entry
from isa.journal.search import search
from isa.people.models import OCCUPYING, Participant, Status


def _people(request: HttpRequest, programme: Programme) -> Any:
    """Who an entry can be about: everyone accompanied, waiting or on a pause."""
    return (
        Participant.objects.visible_to(request.user)
        .in_programme(programme)
        .filter(status__in=[*OCCUPYING, Status.WAITING])
        .order_by("search_name")
    )


@login_required
@require_GET
def journal_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    form = JournalFilterForm(request.GET or None, people=_people(request, programme))
    entries = Entry.objects.visible_to(request.user).filter(programme=programme)
    if form.is_valid():
        data = form.cleaned_data
        if data["participant"]:
            entries = entries.about(data["participant"])
        if data["kind"]:
            entries = entries.filter(kind=data["kind"])
        if data["tag"]:
            # The JSON text holds "rechauffer" with its quotes: the same lookup on both
            # databases (SQLite has no JSON containment).
            entries = entries.filter(tags__icontains=f'"{data["tag"]}"')
        if data["q"]:
            entries = search(entries, data["q"])
    page, query = paginate(
        request,
        entries.select_related("author")
        .prefetch_related("participants")
        .order_by("-written_on", "-pk"),
        30,
    )
    audit_list_read(
        request, programme=programme, object_type="journal.entry", name="journal", page=page
    )
    return render(
        request,
        "journal/list.html",
        {"programme": programme, "form": form, "page": page, "query": query},
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    roles = request.user.roles_on(programme)
    people = _people(request, programme)
    initial = {}
    if asked := id_or_none(request.GET.get("participant")):
        initial["participants"] = people.filter(pk=asked)
    form = EntryForm(request.POST or None, people=people, roles=roles, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.entry_write(
                    programme=programme,
                    participants=list(data["participants"]),
                    actor=request.actor,
                    written_on=data["written_on"],
                    kind=data["kind"],
                    tags=data["tags"],
                    posture=data["posture"],
                    visibility=data["visibility"],
                    text=data["text"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The entry was saved."))
                participants = list(data["participants"])
                if len(participants) == 1:
                    return redirect(participants[0])
                return redirect(entry)
    findings = aid.check(form["text"].value() or "") if form.is_bound else []
    return render(
        request,
        "journal/entry_form.html",
        {
            "programme": programme,
            "form": form,
            "findings": findings,
            "title": _("Write in the journal"),
        },
        status=status,
    )


@login_required
@require_GET
def entry_detail(request: HttpRequest, programme_id: int, entry_id: int) -> HttpResponse:
    entry = get_entry_for_user(request, programme_id, entry_id)
    roles = request.user.roles_on(entry.programme_id)
    audit_record(action=AuditAction.VIEW, actor=request.actor, obj=entry)
    return render(
        request,
        "journal/entry_detail.html",
        {
            "programme": entry.programme,
            "entry": entry,
            "participants": entry.participants.all(),
            "versions": entry.versions.select_related("written_by", "replaced_by")
            if Role.HEAD in roles
            else None,
            "can_correct": entry.author_id == request.user.pk or Role.HEAD in roles,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_correct(request: HttpRequest, programme_id: int, entry_id: int) -> HttpResponse:
    entry = get_entry_for_user(request, programme_id, entry_id)
    roles = request.user.roles_on(entry.programme_id)
    if entry.author_id != request.user.pk and Role.HEAD not in roles:
        raise PermissionDenied
    initial = {
        "participants": entry.participants.all(),
        "kind": entry.kind,
        "tags": entry.tags,
        "visibility": entry.visibility,
        "text": entry.text,
    }
    form = CorrectionForm(
        request.POST or None,
        people=_people(request, entry.programme) | entry.participants.all(),
        roles=roles,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 400
        expected = posted_version(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.entry_correct(
                    entry=entry,
                    expected_version=expected,
                    participants=list(data["participants"]),
                    kind=data["kind"],
                    tags=data["tags"],
                    visibility=data["visibility"],
                    text=data["text"],
                    actor=request.actor,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The correction was saved; the earlier wording is kept.")
                )
                return redirect(entry)
    findings = aid.check(form["text"].value() or "")
    return render(
        request,
        "journal/entry_form.html",
        {
            "programme": entry.programme,
            "form": form,
            "findings": findings,
            "entry": entry,
            "version": request.POST.get("version", entry.version),
            "title": _("Correct an entry"),
        },
        status=status,
    )


@login_required
@require_POST
def writing_aid(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The writing aid, called while typing (htmx, debounced): suggestions, never a block.

    The text is checked in its own language, or in every language when that is unclear;
    the template explains the findings in the interface language.
    """
    get_programme_for_user(request, programme_id, roles=TEAM_ROLES)
    text = request.POST.get("text", "")[:20000]
    return render(request, "journal/_aid.html", {"findings": aid.check(text)})


def file_panel(
    request: HttpRequest, participant: Participant, rights: Any
) -> tuple[str, dict[str, Any]] | None:
    """On the participant's file: a way to write about them (entries are on the timeline)."""
    if not rights.roles & TEAM_ROLES:
        return None
    return "journal/_file_panel.html", {
        "participant": participant,
        "programme": participant.programme,
    }
