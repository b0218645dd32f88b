"""Report pages: the list, the head's draft (texts, adjustments, internal preview), a
version (HTML), its downloads, publication and correction, the proxies, and the
cross-programme report of a funder."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from isa.core.access import known_or_404
from isa.core.documents.spreadsheets import CSV_TYPE, XLSX_TYPE
from isa.core.forms import apply_service_errors
from isa.core.models import TEAM_ROLES, AuditAction
from isa.core.services import audit_record
from isa.journal import aid
from isa.reports import documents, present, services
from isa.reports.access import (
    can_edit,
    funded_programmes,
    get_draft_for_head,
    get_funded_programmes_for_user,
    get_proxy_override_for_head,
    get_report_version_for_user,
    get_reports_programme_for_head,
    get_reports_programme_for_user,
    versions_for_user,
)
from isa.reports.charts import bars_svg
from isa.reports.costbenefit import default_proxies, proxies_for, proxy_line
from isa.reports.figures import Period, report_build
from isa.reports.forms import CorrectionForm, DraftForm, ProxyForm
from isa.reports.models import ReportVersion
from isa.reports.published import assumptions_for

FORMATS = {"pdf": "application/pdf", "xlsx": XLSX_TYPE}


def _figures(version: ReportVersion) -> dict[str, Any]:
    """The published figures as frozen, or, for a draft, the internal figures of today."""
    if version.is_published:
        return version.figures
    figures = report_build(
        version.programme,
        Period(version.period_start, version.period_end),
        version.language,
        protected=False,
        deadweight=version.deadweight,
        attribution=version.attribution,
    )
    figures["texts"] = {
        "foreword": version.foreword,
        "highlights": version.highlights,
        "deadweight_reason": version.deadweight_reason,
        "attribution_reason": version.attribution_reason,
    }
    return figures


def _page_context(figures: dict[str, Any]) -> dict[str, Any]:
    """The report laid out in its own language (the template writes its own words of the
    report inside ``{% language %}``); the page's title in the reader's."""
    page_title = documents.title_of(figures)
    reader = {"language": translation.get_language(), "csv": _("This table as CSV")}
    with present.report_language(figures):
        sections = present.sections(figures)
        for section in sections:
            for view in [*section.tables, *(t for s in section.subsections for t in s.tables)]:
                view.chart = bars_svg(view)
        return {
            "figures": figures,
            "sections": sections,
            "appendix": present.appendix(figures),
            "title": documents.title_of(figures),
            "page_title": page_title,
            "reader": reader,
            "texts": figures.get("texts", {}),
            "proxies": present.proxies_table(figures),
        }


def programme_panel(request: HttpRequest, programme: Any) -> Any:
    """On the programme page, for the team: the way to the reports (the head prepares them
    there).  Funders have the link in their navigation, which the team's is too full for."""
    if not request.user.has_role(programme, TEAM_ROLES):
        return None
    return "reports/_programme_panel.html", {"programme": programme}


@login_required
@require_GET
def report_list(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = get_reports_programme_for_user(request, programme_id)
    versions = versions_for_user(request, programme)
    year = timezone.localdate().year - 1
    return render(
        request,
        "reports/list.html",
        {
            "programme": programme,
            "versions": versions,
            "can_edit": can_edit(request.user, programme),
            "is_funder": "funder" in request.user.roles_on(programme),
            "form": DraftForm(
                initial={
                    "start": date(year, 1, 1),
                    "end": date(year, 12, 31),
                    "language": request.LANGUAGE_CODE[:2],
                }
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_draft(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Start or update a draft: period, language, foreword, highlights, adjustments."""
    programme = get_reports_programme_for_head(request, programme_id)
    form = DraftForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                draft = services.report_draft_save(
                    actor=request.actor,
                    programme=programme,
                    start=data["start"],
                    end=data["end"],
                    language=data["language"],
                    foreword=data["foreword"],
                    highlights=data["highlights"],
                    deadweight=data["deadweight"],
                    deadweight_reason=data["deadweight_reason"],
                    attribution=data["attribution"],
                    attribution_reason=data["attribution_reason"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(
                    request, _("The draft was saved. Check the preview, then publish.")
                )
                return redirect("report_version", programme.pk, draft.pk)
    text = f"{form['foreword'].value() or ''}\n\n{form['highlights'].value() or ''}"
    return render(
        request,
        "reports/draft.html",
        {
            "programme": programme,
            "form": form,
            "findings": aid.check(text) if form.is_bound else [],
        },
        status=status,
    )


@login_required
@require_GET
def report_version(request: HttpRequest, programme_id: int, version_id: int) -> HttpResponse:
    version = get_report_version_for_user(request, programme_id, version_id)
    figures = _figures(version)
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,
        obj=version,
        detail={"internal": not version.is_published},
    )
    context = _page_context(figures)
    context.update(
        {
            "programme": version.programme,
            "version": version,
            "can_edit": can_edit(request.user, version.programme_id),
            "correction_form": CorrectionForm(),
            "draft_form": DraftForm(
                initial={
                    "start": version.period_start,
                    "end": version.period_end,
                    "language": version.language,
                    "foreword": version.foreword,
                    "highlights": version.highlights,
                    "deadweight": version.deadweight,
                    "deadweight_reason": version.deadweight_reason,
                    "attribution": version.attribution,
                    "attribution_reason": version.attribution_reason,
                }
            ),
            "csv_tables": list(figures["tables"]),
            "findings": []
            if version.is_published
            else aid.check(f"{version.foreword}\n\n{version.highlights}"),
        }
    )
    return render(request, "reports/report.html", context)


@login_required
@require_POST
def report_publish(request: HttpRequest, programme_id: int, version_id: int) -> HttpResponse:
    version = get_draft_for_head(request, programme_id, version_id)
    published = services.report_publish(actor=request.actor, version=version)
    messages.success(request, _("Version %(n)d is published.") % {"n": published.number})
    return redirect("report_version", published.programme_id, published.pk)


@login_required
@require_POST
def report_correct(request: HttpRequest, programme_id: int, version_id: int) -> HttpResponse:
    version = get_draft_for_head(request, programme_id, version_id)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            correction = services.report_correct(
                actor=request.actor, version=version, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Version %(n)d is published.") % {"n": correction.number})
            return redirect("report_version", correction.programme_id, correction.pk)
    else:
        messages.error(request, _("Say what the correction changes and why."))
    return redirect("report_version", version.programme_id, version.pk)


def _download(
    request: HttpRequest,
    figures: dict[str, Any],
    *,
    fmt: str,
    number: int | None,
    object_type: str,
    object_id: str,
    programme: Any,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    if fmt == "pdf":
        content = documents.report_pdf(figures, number=number)
    else:
        content = documents.report_xlsx(figures, number=number)
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.actor,
        object_type=object_type,
        object_id=object_id,
        programme=programme,
        detail={"format": fmt, "protected": figures["protected"], **(extra or {})},
    )
    stem = documents.filename_stem(figures, number)
    return HttpResponse(
        content,
        content_type=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{stem}.{fmt}"'},
    )


@login_required
@require_GET
def report_download(
    request: HttpRequest, programme_id: int, version_id: int, fmt: str
) -> HttpResponse:
    version = get_report_version_for_user(request, programme_id, version_id)
    known_or_404(fmt, FORMATS)
    return _download(
        request,
        _figures(version),
        fmt=fmt,
        number=version.number,
        object_type="reports.reportversion",
        object_id=str(version.pk),
        programme=version.programme,
    )


@login_required
@require_GET
def report_table_csv(
    request: HttpRequest, programme_id: int, version_id: int, table: str
) -> HttpResponse:
    version = get_report_version_for_user(request, programme_id, version_id)
    figures = _figures(version)
    if table != documents.PROXIES_TABLE or not figures.get("cost_benefit", {}).get("proxies"):
        known_or_404(table, figures["tables"])
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.actor,
        obj=version,
        detail={"format": "csv", "table": table, "protected": figures["protected"]},
    )
    stem = documents.filename_stem(figures, version.number)
    return HttpResponse(
        documents.table_csv(figures, table),
        content_type=CSV_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{stem}-{table}.csv"'},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_proxies(request: HttpRequest, programme_id: int) -> HttpResponse:
    """The cost–benefit proxies of the organisation: the shipped values, and its own."""
    programme = get_reports_programme_for_head(request, programme_id)
    form = ProxyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.proxy_set(
                    actor=request.actor,
                    organisation=programme.organisation,
                    code=data["code"],
                    value=data["value"],
                    year=data["year"],
                    source=data["source"],
                    programme=programme,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("The proxy was saved."))
                return redirect("report_proxies", programme.pk)
    shipped = default_proxies()
    lines = [
        (proxy_line(p), proxy_line(shipped[p.code]) if p.code in shipped else None)
        for p in proxies_for(programme.organisation_id).values()
    ]
    return render(
        request,
        "reports/proxies.html",
        {"programme": programme, "lines": lines, "form": form},
        status=status,
    )


@login_required
@require_POST
def report_proxy_remove(request: HttpRequest, programme_id: int, code: str) -> HttpResponse:
    """Back to the national value: the organisation's own value of a proxy removed (the
    page asks for confirmation first).  Published versions keep their figures."""
    programme, override = get_proxy_override_for_head(request, programme_id, code)
    services.proxy_override_delete(actor=request.actor, override=override, programme=programme)
    messages.success(
        request,
        _("Your value was removed: the reports now use the national value again."),
    )
    return redirect("report_proxies", programme.pk)


# -- the funder's cross-programme report -------------------------------------------------------


@login_required
@require_GET
def funded_reports(request: HttpRequest) -> HttpResponse:
    """The programmes a funder funds, their published versions, and the combined years."""
    programmes = funded_programmes(request.user)
    versions = list(
        ReportVersion.objects.published()
        .filter(programme__in=programmes)
        .select_related("programme")
    )
    years = sorted(
        {
            v.period_start.year
            for v in versions
            if Period(v.period_start, v.period_end).is_calendar_year
        },
        reverse=True,
    )
    return render(
        request,
        "reports/funded.html",
        {
            "programmes": programmes,
            "versions": versions,
            "years": years,
            "combined": len(programmes) > 1,
        },
    )


def _combined(request: HttpRequest, year: int) -> tuple[list[Any], dict[str, Any]]:
    programmes = get_funded_programmes_for_user(request, year)
    language = (
        request.LANGUAGE_CODE[:2] if request.LANGUAGE_CODE[:2] in {"fr", "de", "en"} else "fr"
    )
    period = Period.year(year)
    figures = report_build(
        programmes,
        period,
        language,
        protected=True,
        assumptions=assumptions_for(programmes, period),
    )
    return programmes, figures


@login_required
@require_GET
def funded_combined(request: HttpRequest, year: int) -> HttpResponse:
    programmes, figures = _combined(request, year)
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,
        object_type="reports.combined",
        object_id=str(year),
        detail={"programmes": [p.pk for p in programmes]},
    )
    context = _page_context(figures)
    context.update({"year": year, "programmes": programmes, "combined": True})
    return render(request, "reports/report.html", context)


@login_required
@require_GET
def funded_combined_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    known_or_404(fmt, FORMATS)
    programmes, figures = _combined(request, year)
    return _download(
        request,
        figures,
        fmt=fmt,
        number=None,
        object_type="reports.combined",
        object_id=str(year),
        programme=None,
        extra={"programmes": [p.pk for p in programmes]},
    )
