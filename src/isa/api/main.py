"""The API: ``/api/v1/``, its OpenAPI 3 schema and its interactive documentation.

The schema (``/api/v1/openapi.json``) and the documentation (``/api/v1/docs``, Swagger UI
served from ISA's own static files: no CDN, within the pages' Content-Security-Policy) open
to signed-in users only.  Every operation needs a personal token or the browser's session,
the public gallery aside.  Errors are problem details (:mod:`isa.api.problems`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from isa.api import problems
from isa.api.auth import AUTH
from isa.api.views import audit, gallery, me, participants, referrals, register, reports, research

#: The documentation page's introduction, translated when the schema is asked for.
DESCRIPTION = gettext_lazy(
    "The HTTP interface of ISA for the systems around a measure: referrals, the register, "
    "participants, the public gallery, the audit log, research packages and published report "
    "figures. Authenticate with a personal token (`Authorization: Bearer isa_…`), made on "
    "your account page. Each operation below says what it takes, what it answers and who may "
    "call it; errors are answered as problem details (RFC 9457)."
)


class IsaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        return str(operation.view_func.__name__)

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Errors are said as ``application/problem+json`` (RFC 9457), as they are sent."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema["info"]["description"] = str(DESCRIPTION)  # in the reader's language
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        content[problems.PROBLEM_TYPE] = content.pop("application/json")
        return schema


api = IsaAPI(
    title="ISA API",
    version="1",
    description=str(DESCRIPTION),
    urls_namespace="api",
    auth=AUTH,
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_decorator=login_required,
)
problems.install(api)

api.add_router("", me.router)
api.add_router("", referrals.router)
api.add_router("", register.router)
api.add_router("", participants.router)
api.add_router("", gallery.router)
api.add_router("", audit.router)
api.add_router("", research.router)
api.add_router("", reports.router)
