"""Access in one place: what a user may reach, or a 404.

Views never look up personal data with ``objects.get(pk=…)``; they call a
``get_<thing>_for_user`` helper or a ``visible_to(user)`` QuerySet.  Outside a user's
programmes the answer is *404* (the thing does not exist for them); inside a programme,
a role that does not allow an action gets *403*.  Each app keeps its helpers in its own
``access.py``; views never raise 404 themselves (tests/test_access_rules.py reads them).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from isa.core.models import TEAM_ROLES, BreakGlass, Membership, Programme, Role


def get_programme_for_user(
    request: HttpRequest, programme_id: int, *, roles: Iterable[str] | None = None
) -> Programme:
    """The programme if ``request.user`` holds a role on it, else 404.

    With ``roles``, a member who holds none of them gets 403.
    """
    require_role(request, programme_id, roles=roles)
    try:
        return Programme.objects.select_related("organisation").get(pk=programme_id)
    except Programme.DoesNotExist:  # pragma: no cover - a role on a deleted programme
        raise Http404 from None


def require_role(
    request: HttpRequest, programme_id: int, *, roles: Iterable[str] | None = None
) -> None:
    """404 unless ``request.user`` holds a role on the programme; 403 when it holds none of
    ``roles``.  Reads no programme: for helpers that read the programme along with the thing
    asked for (a session and its workshop's programme, in one query)."""
    user = request.user
    held = user.roles_on(programme_id) if user.is_authenticated else frozenset()
    if not held:
        raise Http404
    if roles is not None and not held & set(roles):
        raise PermissionDenied


#: The largest id the database holds (a 64-bit integer).
MAX_ID = 2**63 - 1


def id_or_none(raw: object) -> int | None:
    """An id taken from a form or a query string: a whole number the database can hold,
    else None."""
    try:
        value = int(str(raw))
    except ValueError:
        return None
    return value if 0 < value <= MAX_ID else None


def pk_or_404(raw: object) -> int:
    """An id taken from a form or a query string: a whole number, else 404."""
    value = id_or_none(raw)
    if value is None:
        raise Http404
    return value


def known_or_404(value: str, known: Collection[str]) -> str:
    """A part of the address that must name one of ``known`` (a format, a rendition)."""
    if value not in known:
        raise Http404
    return value


def require_head(request: HttpRequest, programme_id: int) -> Programme:
    return get_programme_for_user(request, programme_id, roles={Role.HEAD})


def require_team(request: HttpRequest, programme_id: int) -> Programme:
    return get_programme_for_user(request, programme_id, roles=TEAM_ROLES)


def get_membership_for_user(
    request: HttpRequest, programme_id: int, membership_id: int
) -> tuple[Programme, Membership | None]:
    """A role held on a programme ``request.user`` heads (404/403 as for the programme);
    None when it is no longer there (revoked meanwhile), for the page to say so."""
    programme = require_head(request, programme_id)
    return programme, programme.memberships.filter(pk=membership_id).first()


def get_breakglass_for_head(
    request: HttpRequest, programme_id: int, breakglass_id: int
) -> BreakGlass:
    """A break-glass access on a programme the user heads, else 404 (403 for other roles)."""
    programme = require_head(request, programme_id)
    glass = BreakGlass.objects.filter(programme=programme, pk=breakglass_id).first()
    if glass is None:
        raise Http404
    return glass


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, trusting X-Forwarded-For only behind ISA_PROXY_COUNT proxies."""
    if request is None:
        return None
    from django.conf import settings

    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies] or None
    return request.META.get("REMOTE_ADDR") or None


def lockout_username(request: HttpRequest, credentials: Mapping[str, object] | None) -> str | None:
    """The e-mail an attempt was for, lower-cased: HEAD@… and head@… count together."""
    raw = (credentials or {}).get("username") or request.POST.get("username")
    return str(raw).strip().lower() or None if raw else None
