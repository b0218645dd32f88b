"""The API's part of the permission matrix (merged in tests/test_permission_matrix.py).

The matrix's visitors come with their browser session, which the API accepts as it accepts a
token (tests/api/test_tokens.py shows that a token opens exactly what the session of its
holder opens on its programme).  An anonymous caller of the API gets 401 (no redirect to a
sign-in page: a program reads the answer); its schema and documentation are pages, for
signed-in users only (302 to sign in).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from isa.api.services import api_token_create
from tests.conftest import Cast
from tests.matrix import FILES, MEMBERS, TEAM, Case, expect, only, programme
from tests.privacy.matrix import study
from tests.reports.matrix import READERS as REPORT_READERS
from tests.reports.matrix import version as report_version

REFERRALS = FILES | {"referrer"}
JSON = "application/json"


def api(allowed: set[str], ok: int = 200) -> dict[str, int]:
    table = only(allowed, ok=ok)
    table["anonymous"] = 401
    return table


def referral(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "referral_id": c.referral.pk}


def session(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "session_id": c.session.pk}


def participant(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "participant_id": c.participant.pk}


def facilitator_token(c: Cast) -> dict[str, Any]:
    """A token of the facilitator's: its holder and the programme's heads may revoke it."""
    token, _secret = api_token_create(
        programme=c.programme,
        name="Tablette",
        expires_on=timezone.localdate() + timedelta(days=30),
        actor=c.actor("facilitator"),
    )
    return {"token_id": token.pk}


def new_referral(c: Cast) -> dict[str, Any]:
    return {
        "last_name": "Matrix",
        "official_first_names": "Aline",
        "birth_date": "1980-01-02",
        "referred_on": "2024-02-01",
        "referring_service": "CMS de Sion",
    }


signed_in_ok = expect(200, anonymous=302)
tokens_made = dict.fromkeys(MEMBERS, 200) | {
    "other_head": 400,
    "sysadmin": 400,
    "participant": 404,
    "participant_other": 404,
}

MATRIX: dict[str, Case] = {
    "api:api-root": Case(expect=expect(404, anonymous=404)),
    "api:openapi-json": Case(expect=signed_in_ok),
    "api:openapi-view": Case(expect=signed_in_ok),
    "api:me": Case(expect=expect(200, anonymous=401)),
    "api:referral_list": Case(kwargs=programme, expect=api(REFERRALS)),
    "api:referral_create": Case(
        kwargs=programme,
        method="post",
        data=new_referral,
        content_type=JSON,
        expect=api(REFERRALS, ok=201),
    ),
    "api:referral_detail": Case(kwargs=referral, expect=api(REFERRALS)),
    "api:register_day": Case(kwargs=programme, expect=api(TEAM)),
    "api:register_mark": Case(
        kwargs=session,
        method="post",
        data=lambda c: {"participant_id": c.participant.pk, "state": "present"},
        content_type=JSON,
        expect=api(TEAM),
    ),
    "api:participant_list": Case(kwargs=programme, expect=api(TEAM)),
    "api:participant_detail": Case(kwargs=participant, expect=api(TEAM)),
    # The cast's gallery is closed: nobody sees it (tests/api/test_endpoints.py opens one).
    "api:gallery": Case(kwargs=programme, expect=expect(404, anonymous=404)),
    "api:audit_log": Case(kwargs=programme, expect=api({"head"})),
    "api:study_list": Case(kwargs=programme, expect=api({"researcher"})),
    "api:study_package": Case(kwargs=study, expect=api({"researcher"})),
    # Published report figures: the team and the funders, as the report pages.
    "api:report_list": Case(kwargs=programme, expect=api(REPORT_READERS)),
    "api:report_figures": Case(kwargs=report_version, expect=api(REPORT_READERS)),
    # The token pages.
    "api_token_create": Case(
        method="post",
        data=lambda c: {
            "name": "Système du CMS",
            "programme": c.programme.pk,
            "expires_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
        expect={"anonymous": 302, **tokens_made},
    ),
    "api_token_revoke": Case(
        kwargs=facilitator_token,
        method="post",
        expect=expect(404, anonymous=302, facilitator=302, head=302),
    ),
    "api_programme_tokens": Case(kwargs=programme, expect=only({"head"})),
}
