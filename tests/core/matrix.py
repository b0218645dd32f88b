"""This app's part of the permission matrix (merged in tests/test_permission_matrix.py),
with the project-wide pages: language switch and Django's admin."""

from __future__ import annotations

from typing import Any

from isa.core.models import BreakGlass, Membership, Role
from tests.conftest import Cast
from tests.matrix import MEMBERS, Case, everyone, expect, only, programme


def head_membership(c: Cast) -> dict[str, Any]:
    m = Membership.objects.get(programme=c.programme, user=c.users["facilitator"])
    return {"programme_id": c.programme.pk, "membership_id": m.pk}


def break_glass(c: Cast) -> dict[str, Any]:
    """The system administrator gave himself the head role (recorded without the role, so
    that the rest of the matrix sees him as an outsider)."""
    glass, _created = BreakGlass.objects.get_or_create(
        programme=c.programme,
        user=c.users["sysadmin"],
        defaults={"user_label": "admin@test.example", "role": Role.HEAD, "reason": "Test."},
    )
    return {"programme_id": c.programme.pk, "breakglass_id": glass.pk}


MATRIX: dict[str, Case] = {
    "home": Case(expect=expect(200)),
    "healthz": Case(expect=everyone(200)),
    "programme": Case(kwargs=programme, expect=only(MEMBERS)),
    "team": Case(kwargs=programme, expect=only({"head"})),
    "membership_revoke": Case(kwargs=head_membership, method="post", expect=only({"head"}, ok=302)),
    "audit_log": Case(kwargs=programme, expect=only({"head"})),
    "audit_log_export": Case(kwargs=programme, expect=only({"head"})),
    "breakglass_acknowledge": Case(
        kwargs=break_glass, method="post", expect=only({"head"}, ok=302)
    ),
    "login": Case(expect=expect(302, anonymous=200)),
    "logout": Case(method="post", expect=everyone(302)),
    "account": Case(expect=expect(200)),
    "password_change": Case(expect=expect(200)),
    "password_reset": Case(expect=expect(200, anonymous=200)),
    "password_reset_done": Case(expect=expect(200, anonymous=200)),
    "password_reset_confirm": Case(
        kwargs=lambda c: {"uidb64": "MQ", "token": "not-a-token"}, expect=expect(200, anonymous=200)
    ),
    "password_reset_complete": Case(expect=expect(200, anonymous=200)),
    "otp_setup": Case(expect=expect(200)),
    "otp_verify": Case(expect=expect(302)),
    "set_language": Case(method="post", data=lambda c: {"language": "de"}, expect=everyone(302)),
    "admin:index": Case(expect=expect(302, sysadmin=200)),
}
