"""Referrals: a referrer's system records one (same form rules and duplicate check as the
page) and reads where those it sent stand."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from isa.api.problems import Conflict
from isa.api.schemas import (
    DEFAULT_PAGE_SIZE,
    ERRORS,
    MAX_PAGE_SIZE,
    Problem,
    ReferralIn,
    ReferralOut,
    ReferralPage,
    page_of,
)
from isa.core.access import get_programme_for_user
from isa.core.models import AuditAction
from isa.core.services import audit_record
from isa.people import services
from isa.people.access import get_referral_for_user
from isa.people.forms import IdentityForm, ReferralForm
from isa.people.models import REFERRAL_ROLES, Referral

router = Router(tags=["referrals"])


def referral_out(referral: Referral) -> ReferralOut:
    return ReferralOut(
        id=referral.pk,
        person=str(referral.participant),
        referred_on=referral.referred_on,
        referring_service=referral.referring_service,
        referring_person=referral.referring_person,
        status=referral.status,
        status_label=str(referral.get_status_display()),
        status_changed_on=referral.status_changed_on,
    )


def _form_data(payload: ReferralIn) -> dict[str, Any]:
    """The payload as the page's two forms receive it (prefixes ``id-`` and ``ref-``)."""
    data: dict[str, Any] = {}
    for name, value in payload.model_dump().items():
        prefix = "ref" if name in ReferralForm.base_fields else "id"
        if isinstance(value, bool):
            if value:
                data[f"{prefix}-{name}"] = "on"
            continue
        data[f"{prefix}-{name}"] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def _refused(*forms: Any) -> ValidationError:
    errors: dict[str, list[str]] = {}
    for form in forms:
        for field, messages in form.errors.items():
            errors.setdefault(field if field != "__all__" else "__all__", []).extend(messages)
    return ValidationError(errors)


@router.post(
    "/programmes/{id:programme_id}/referrals",
    response={201: ReferralOut, 409: Problem, **ERRORS},
    url_name="referral_create",
    summary="Record a referral",
)
def referral_create(request: HttpRequest, programme_id: int, payload: ReferralIn) -> Any:
    """The same checks as the page: the identity and referral forms' rules, then the
    possible duplicates in the organisation (409 until ``not_a_duplicate`` is true)."""
    programme = get_programme_for_user(request, programme_id, roles=REFERRAL_ROLES)
    data = _form_data(payload)
    identity = IdentityForm(data, prefix="id")
    referral = ReferralForm(data, prefix="ref")
    if not (identity.is_valid() and referral.is_valid()):
        raise _refused(identity, referral)
    person = identity.cleaned_data
    duplicates = services.identity_possible_duplicates(programme=programme, identity=person)
    if duplicates and not referral.cleaned_data["not_a_duplicate"]:
        raise Conflict(
            services.duplicate_warning(),
            [{"field": "not_a_duplicate", "message": _("Possible duplicate.")}],
        )
    created = services.referral_create(
        programme=programme,
        identity=person,
        referral=referral.cleaned_data,
        actor=request.actor,  # type: ignore[attr-defined]
    )
    return Status(201, referral_out(created))


@router.get(
    "/programmes/{id:programme_id}/referrals",
    response={200: ReferralPage, **ERRORS},
    url_name="referral_list",
    summary="The referrals you may see",
)
def referral_list(
    request: HttpRequest,
    programme_id: int,
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
) -> Any:
    """A referrer sees the referrals they sent; the heads and social workers all of the
    programme's (as on the page)."""
    programme = get_programme_for_user(request, programme_id, roles=REFERRAL_ROLES)
    referrals = (
        Referral.objects.visible_to(request.user)
        .filter(participant__programme=programme)
        .select_related("participant")
        .order_by("-referred_on", "-pk")
    )
    rows, info = page_of(referrals, page, page_size)
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,  # type: ignore[attr-defined]
        object_type="people.referral",
        programme=programme,
        detail={"list": "referrals", "page": page, "results": info.count},
    )
    return {"page": info, "results": [referral_out(r) for r in rows]}  # type: ignore[arg-type]


@router.get(
    "/programmes/{id:programme_id}/referrals/{id:referral_id}",
    response={200: ReferralOut, **ERRORS},
    url_name="referral_detail",
    summary="Where one referral stands",
)
def referral_detail(request: HttpRequest, programme_id: int, referral_id: int) -> Any:
    get_programme_for_user(request, programme_id, roles=REFERRAL_ROLES)
    referral = get_referral_for_user(request, programme_id, referral_id)
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,  # type: ignore[attr-defined]
        obj=referral,
        programme=programme_id,
        detail={"participant": referral.participant_id},
    )
    return referral_out(referral)
