"""This app's part of the permission matrix (merged in tests/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cast
from tests.matrix import FILES, TEAM, Case, only, participant, programme

REFERRALS = FILES | {"referrer"}


def referral(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "referral_id": c.referral.pk}


MATRIX: dict[str, Case] = {
    "participant_list": Case(kwargs=programme, expect=only(TEAM)),
    "participant_import": Case(kwargs=programme, expect=only({"head"})),
    "participant_import_template": Case(
        kwargs=lambda c: {"programme_id": c.programme.pk, "fmt": "xlsx"}, expect=only({"head"})
    ),
    "participant": Case(kwargs=participant, expect=only(TEAM)),
    "participant_edit": Case(kwargs=participant, expect=only(FILES)),
    "participant_admit": Case(kwargs=participant, expect=only(FILES)),
    "participant_pause": Case(kwargs=participant, expect=only(FILES)),
    "participant_resume": Case(kwargs=participant, expect=only(FILES)),
    "participant_exit": Case(kwargs=participant, expect=only(FILES)),
    "pact_edit": Case(kwargs=participant, expect=only(FILES)),
    "consent_edit": Case(kwargs=participant, expect=only(FILES)),
    "milestone_add": Case(
        kwargs=participant,
        method="post",
        data=lambda c: {"kind": "first_visit", "on": "2024-03-01"},
        expect=only(TEAM, ok=302),
    ),
    "referral_list": Case(kwargs=programme, expect=only(REFERRALS)),
    "referral_create": Case(kwargs=programme, expect=only(REFERRALS)),
    "waiting_list": Case(kwargs=programme, expect=only(FILES)),
    "referral_status": Case(
        kwargs=referral,
        method="post",
        data=lambda c: {"status": "not_taken_up"},
        expect=only(FILES, ok=302),
    ),
}
