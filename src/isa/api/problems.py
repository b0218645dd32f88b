"""Errors as RFC 9457 problem details (``application/problem+json``), in the caller's language.

The language comes from ``Accept-Language`` (or the browser's choice), as for the pages
(Django's ``LocaleMiddleware``).  A refused input names its field: ``errors`` lists
``{"field": …, "message": …}``; nothing was written.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from isa.api.auth import RateLimited

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "application/problem+json"


class Conflict(Exception):
    """The request contradicts what is already there (an idempotency key reused with
    another body, a possible duplicate)."""

    def __init__(self, detail: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


def _titles() -> dict[int, str]:
    return {
        400: _("Bad request"),
        401: _("Not authenticated"),
        403: _("Forbidden"),
        404: _("Not found"),
        405: _("Method not allowed"),
        409: _("Conflict"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        500: _("Server error"),
    }


def problem(
    request: HttpRequest,
    status: int,
    detail: str = "",
    *,
    errors: Iterable[Mapping[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": _titles().get(status, _("Error")),
        "status": status,
        "detail": detail or _titles().get(status, ""),
        "instance": request.path,
    }
    listed = [dict(e) for e in errors]
    if listed:
        body["errors"] = listed
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


# -- input errors ----------------------------------------------------------------------------


def _field(loc: Iterable[Any]) -> str:
    """``("body", "payload", "birth_date")`` → ``birth_date``; ``("query", "page")`` →
    ``page``; ``("header", "idempotency_key")`` → ``Idempotency-Key``."""
    parts = [str(p) for p in loc]
    if not parts:
        return ""
    source, rest = parts[0], parts[1:]
    if source == "body" and len(rest) > 1:
        rest = rest[1:]
    if source == "header" and rest:
        return "-".join(w.capitalize() for w in rest[-1].split("_"))
    return ".".join(rest) or source


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    if kind.startswith(("int", "float")):
        return _("A whole number is expected.")
    if kind.startswith("bool"):
        return _("true or false is expected.")
    if kind.startswith(("date", "time")):
        return _("A valid date (YYYY-MM-DD) or time (HH:MM) is expected.")
    if kind.startswith("string") and "max_length" in ctx:
        return _("At most %(n)s characters.") % {"n": ctx["max_length"]}
    if kind.startswith("string") and "min_length" in ctx:
        return _("At least %(n)s characters.") % {"n": ctx["min_length"]}
    if kind.startswith("string"):
        return _("A text is expected.")
    if kind in ("greater_than_equal", "greater_than") and "ge" in ctx:
        return _("At least %(n)s.") % {"n": ctx["ge"]}
    if kind in ("greater_than_equal", "greater_than") and "gt" in ctx:
        return _("More than %(n)s.") % {"n": ctx["gt"]}
    if kind in ("less_than_equal", "less_than") and "le" in ctx:
        return _("At most %(n)s.") % {"n": ctx["le"]}
    if kind in ("less_than_equal", "less_than") and "lt" in ctx:
        return _("Less than %(n)s.") % {"n": ctx["lt"]}
    if kind in ("literal_error", "enum"):
        return _("Not one of the allowed values.")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("A JSON object is expected.")
    if kind == "value_error" and error.get("msg"):
        return str(error["msg"]).removeprefix("Value error, ")
    return _("Invalid value.")


def _json_errors(exc: NinjaValidationError) -> list[dict[str, str]]:
    return [{"field": _field(e.get("loc", ())), "message": _message(e)} for e in exc.errors]


def django_errors(exc: DjangoValidationError, fields: Mapping[str, str] | None = None) -> list:
    """A service's or a form's refusal as the ``errors`` list; ``fields`` renames the form's
    field names (``ref-referred_on``) into the API's."""
    names = fields or {}
    if hasattr(exc, "error_dict"):
        return [
            {"field": names.get(field, field) if field != "__all__" else "", "message": m}
            for field, errors in exc.message_dict.items()
            for m in errors
        ]
    return [{"field": "", "message": m} for m in exc.messages]


# -- the handlers ----------------------------------------------------------------------------


def install(api: NinjaAPI) -> None:
    """Every error of ``api`` as a problem: the same shape whatever went wrong."""

    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return problem(
            request, 422, _("Check the fields named in errors."), errors=_json_errors(exc)
        )

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = django_errors(exc)
        return problem(request, 422, " ".join(e["message"] for e in errors), errors=errors)

    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem(
            request,
            401,
            _(
                "Send a valid personal API token (Authorization: Bearer …): this one is "
                "missing, unknown, expired or revoked."
            ),
            headers={"WWW-Authenticate": 'Bearer realm="isa"'},
        )

    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return problem(
                request,
                422,
                _("The body is not valid JSON."),
                errors=[{"field": "body", "message": _("The body is not valid JSON.")}],
            )
        if exc.status_code == 403:
            return problem(request, 403, _("The CSRF check failed: reload the page."))
        return problem(request, exc.status_code)

    def on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(request, 404, _("Nothing here, or nothing you may see."))

    def on_403(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem(request, 403, _("Your role on this programme does not allow this."))

    def on_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
        return problem(request, 409, exc.detail, errors=exc.errors)

    def on_rate(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        return problem(
            request,
            429,
            _("Too many calls: wait %(seconds)s seconds before the next one.")
            % {"seconds": exc.retry_after},
            headers={"Retry-After": str(exc.retry_after)},
        )

    def on_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s", request.path, exc_info=exc)
        return problem(request, 500)

    api.add_exception_handler(Exception, on_error)
    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(PermissionDenied, on_403)
    api.add_exception_handler(Conflict, on_conflict)
    api.add_exception_handler(RateLimited, on_rate)
