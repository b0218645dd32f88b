"""Lists of rows (participants, journal entries, works, the audit log): one page at a time,
links that keep the filters, and the audit event of reading a list of personal data."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from isa.core.models import AuditAction, Programme
from isa.core.services import audit_record


def paginate(request: HttpRequest, rows: Any, per_page: int) -> tuple[Page, str]:
    """The page the request asks for (the last one if out of range) and the request's other
    parameters, urlencoded, for the page links (``includes/pagination.html``)."""
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


#: Parameters holding words a user typed (a name, a fragment of one): never recorded.
SEARCH_PARAMETERS = frozenset({"q"})


def audit_list_read(
    request: HttpRequest, *, programme: Programme, object_type: str, name: str, page: Page
) -> None:
    """One event for reading a list of personal data: the filters chosen (status, page…),
    whether words were searched for (never the words: they may be a name) and how many rows
    the list held."""
    filters = {k: v for k, v in request.GET.items() if v and k not in SEARCH_PARAMETERS}
    detail: dict[str, Any] = {"list": name, **filters, "results": page.paginator.count}
    if any(request.GET.get(k, "").strip() for k in SEARCH_PARAMETERS):
        detail["search"] = True
    audit_record(
        action=AuditAction.VIEW,
        actor=request.actor,
        object_type=object_type,
        programme=programme,
        detail=detail,
    )
