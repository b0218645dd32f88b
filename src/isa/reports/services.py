"""Writes of the reports app: a draft's texts and adjustments, publication, correction, an
organisation's proxies.  Keyword-only, with an actor, atomic, audited in the same
transaction."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from isa.core.actor import Actor
from isa.core.models import AuditAction, Organisation, Programme
from isa.core.services import audit_record
from isa.reports.costbenefit import check_proxy
from isa.reports.figures import check_period, report_build
from isa.reports.models import REPORT_LANGUAGES, ProxyOverride, ReportStatus, ReportVersion

LANGUAGE_CODES = {code for code, _label in REPORT_LANGUAGES}


def _check_adjustment(value: Decimal, reason: str, field: str) -> None:
    if not Decimal("0") <= value <= Decimal("1"):
        raise ValidationError(
            {field: _("Give a share between 0 and 1 (0.3 = 30 %).")}, code="adjustment_range"
        )
    if value > 0 and not reason.strip():
        raise ValidationError(
            {f"{field}_reason": _("Say why: a funder will read this reason beside the figure.")},
            code="adjustment_reason",
        )


def report_draft_save(
    *,
    actor: Actor,
    programme: Programme,
    start: date,
    end: date,
    language: str,
    foreword: str = "",
    highlights: str = "",
    deadweight: Decimal = Decimal("0.3"),
    deadweight_reason: str = "",
    attribution: Decimal = Decimal("0.3"),
    attribution_reason: str = "",
) -> ReportVersion:
    """The draft of a programme's report for a period and language, created or updated
    (one draft at a time: publishing it makes it a version)."""
    try:
        check_period(start, end)
    except ValidationError as exc:  # on the period's end, where a form shows it
        raise ValidationError({"end": exc.error_list}) from exc
    if language not in LANGUAGE_CODES:
        raise ValidationError({"language": _("Choose French, German or English.")})
    _check_adjustment(deadweight, deadweight_reason, "deadweight")
    _check_adjustment(attribution, attribution_reason, "attribution")
    with transaction.atomic():
        draft: ReportVersion | None = (
            ReportVersion.objects.select_for_update()
            .of_period(programme, start, end, language)
            .drafts()
            .first()
        )
        created = draft is None
        if draft is None:
            draft = ReportVersion(
                programme=programme,
                period_start=start,
                period_end=end,
                language=language,
                created_by_id=actor.user_id,
            )
        draft.foreword = foreword
        draft.highlights = highlights
        draft.deadweight = deadweight
        draft.deadweight_reason = deadweight_reason
        draft.attribution = attribution
        draft.attribution_reason = attribution_reason
        draft.full_clean()
        draft.save()
        audit_record(
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            actor=actor,
            obj=draft,
            detail={"start": start.isoformat(), "end": end.isoformat(), "language": language},
        )
    return draft


def _freeze(version: ReportVersion) -> None:
    """Compute and store the protected figures of ``version`` as of today."""
    today = timezone.localdate()
    from isa.reports.figures import Period

    figures = report_build(
        version.programme,
        Period(version.period_start, version.period_end),
        version.language,
        protected=True,
        built_on=today,
        deadweight=version.deadweight,
        attribution=version.attribution,
    )
    figures["texts"] = {
        "foreword": version.foreword,
        "highlights": version.highlights,
        "deadweight_reason": version.deadweight_reason,
        "attribution_reason": version.attribution_reason,
    }
    version.figures = figures
    version.data_date = today
    version.code_version = figures["code_version"]


def _next_number(version: ReportVersion) -> int:
    found = (
        ReportVersion.objects.of_period(
            version.programme_id, version.period_start, version.period_end, version.language
        )
        .published()
        .aggregate(n=Max("number"))["n"]
    )
    return (found or 0) + 1


def report_publish(*, actor: Actor, version: ReportVersion) -> ReportVersion:
    """Publish a draft: its protected figures are frozen with the data date and code
    version.  Publishing a version already published changes nothing (no duplicate)."""
    with transaction.atomic():
        version = ReportVersion.objects.select_for_update().get(pk=version.pk)
        if version.is_published:
            return version
        _freeze(version)
        version.status = ReportStatus.PUBLISHED
        version.number = _next_number(version)
        version.published_by_id = actor.user_id
        version.published_at = timezone.now()
        version.save()
        audit_record(
            action=AuditAction.UPDATE,
            actor=actor,
            obj=version,
            detail={"published": True, "number": version.number},
        )
    return version


def report_correct(*, actor: Actor, version: ReportVersion, reason: str) -> ReportVersion:
    """A correction of a published version: a new published version, rebuilt from the
    data, listed with its reason.  The corrected one stays as it was."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say what the correction changes and why.")}, code="correction_reason"
        )
    if not version.is_published:
        raise ValidationError(_("Only a published version can be corrected."), code="not_published")
    with transaction.atomic():
        correction = ReportVersion(
            programme=version.programme,
            period_start=version.period_start,
            period_end=version.period_end,
            language=version.language,
            foreword=version.foreword,
            highlights=version.highlights,
            deadweight=version.deadweight,
            deadweight_reason=version.deadweight_reason,
            attribution=version.attribution,
            attribution_reason=version.attribution_reason,
            correction_reason=reason,
            corrects=version,
            created_by_id=actor.user_id,
            status=ReportStatus.PUBLISHED,
            published_by_id=actor.user_id,
            published_at=timezone.now(),
        )
        correction.full_clean(exclude=["figures"])
        _freeze(correction)
        correction.number = _next_number(correction)
        correction.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            obj=correction,
            detail={"corrects": version.number, "number": correction.number, "reason": reason},
        )
    return correction


def proxy_set(
    *,
    actor: Actor,
    organisation: Organisation,
    code: str,
    value: Decimal,
    year: int,
    source: str,
    programme: Programme | None = None,
) -> ProxyOverride:
    """The organisation's own value for a proxy, with its source (refused without one, or
    negative)."""
    check_proxy(
        {"code": code, "value": value, "low": value, "high": value, "year": year, "source": source}
    )
    with transaction.atomic():
        row, created = ProxyOverride.objects.update_or_create(
            organisation=organisation,
            code=code,
            defaults={
                "value": value,
                "year": year,
                "source": source.strip(),
                "updated_by_id": actor.user_id,
            },
        )
        audit_record(
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            actor=actor,
            obj=row,
            programme=programme,
            detail={"code": code, "value": str(value), "year": year, "source": source},
        )
    return row


def proxy_override_delete(
    *,
    actor: Actor,
    override: ProxyOverride,
    programme: Programme | None = None,
) -> bool:
    """Remove the organisation's own value of a proxy: its reports go back to the shipped
    national value.  Published versions keep the figures they were frozen with.  False
    when the value was already gone (removed meanwhile): nothing to record."""
    with transaction.atomic():
        row = ProxyOverride.objects.select_for_update().filter(pk=override.pk).first()
        if row is None:
            return False
        audit_record(
            action=AuditAction.DELETE,
            actor=actor,
            obj=row,
            programme=programme,
            detail={
                "code": row.code,
                "value": str(row.value),
                "year": row.year,
                "source": row.source,
                "organisation": row.organisation_id,
            },
        )
        row.delete()
    return True
