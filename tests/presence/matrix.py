"""This app's part of the permission matrix (merged in tests/test_permission_matrix.py)."""

from __future__ import annotations

from typing import Any

from tests.conftest import Cast
from tests.matrix import FILES, TEAM, Case, only, participant, programme


def session(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "session_id": c.session.pk}


def month(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "year": c.session.on.year, "month": c.session.on.month}


MATRIX: dict[str, Case] = {
    "register_today": Case(
        kwargs=programme, data=lambda c: {"date": c.session.on.isoformat()}, expect=only(TEAM)
    ),
    "register_session": Case(kwargs=session, expect=only(TEAM)),
    "register_tap": Case(
        kwargs=session,
        method="post",
        data=lambda c: {"participant": c.participant.pk, "action": "present"},
        expect=only(TEAM, ok=302),
    ),
    "kiosk": Case(kwargs=programme, expect=only(TEAM)),
    "kiosk_tap": Case(
        kwargs=programme,
        method="post",
        data=lambda c: {"participant": c.participant.pk, "session": c.session.pk},
        expect=only(TEAM),
    ),
    "kiosk_exit": Case(kwargs=programme, expect=only(TEAM)),
    "checkin_symbol": Case(
        kwargs=participant,
        method="post",
        data=lambda c: {"symbol": "star-blue"},
        expect=only(TEAM, ok=302),
    ),
    "presence_month": Case(kwargs=month, expect=only(TEAM)),
    "presence_sheet": Case(kwargs=lambda c: {**month(c), "fmt": "xlsx"}, expect=only(FILES)),
    "workshop_list": Case(kwargs=programme, expect=only({"head"})),
    "workshop_create": Case(kwargs=programme, expect=only({"head"})),
    "workshop_edit": Case(
        kwargs=lambda c: {"programme_id": c.programme.pk, "workshop_id": c.session.workshop_id},
        expect=only({"head"}),
    ),
    "sessions_generate": Case(
        kwargs=programme, method="post", data=lambda c: {"weeks": 2}, expect=only({"head"}, ok=302)
    ),
    "closure_list": Case(kwargs=programme, expect=only({"head"})),
    "closure_delete": Case(
        kwargs=lambda c: {"programme_id": c.programme.pk, "closure_id": c.closure.pk},
        method="post",
        expect=only({"head"}, ok=302),
    ),
    "medium_list": Case(kwargs=programme, expect=only({"head"})),
}
