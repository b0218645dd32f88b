"""This app's part of the permission matrix (merged in tests/test_permission_matrix.py).

The participant's space is for participants only: the participant of this programme reaches
their own pages, and so does the participant of the other organisation (their own, never
this one's); every staff account gets 404 there (a team member never acts as a
participant).  The team's side (on the file) is for the head and the social workers.
"""

from __future__ import annotations

from typing import Any

from isa.portal.models import CorrectionRequest
from tests.conftest import Cast
from tests.matrix import Case, expect, only, participant
from tests.works.helpers import first_image, make_work

FILES = {"head", "social_worker"}
STAFF = {
    "head",
    "social_worker",
    "facilitator",
    "watcher",
    "referrer",
    "funder",
    "researcher",
    "other_head",
    "sysadmin",
}


def own(ok: int = 200, anonymous: int = 302) -> dict[str, int]:
    """A page of one's own space: both participants reach theirs, staff get 404."""
    table = expect(404, anonymous=anonymous)
    table["participant"] = ok
    table["participant_other"] = ok
    return table


def public(ok: int = 200) -> dict[str, int]:
    """The sign-in and welcome pages: anyone not signed in; participants go to their space."""
    table = expect(ok, anonymous=ok)
    table["participant"] = 302
    table["participant_other"] = 302
    return table


def own_image(c: Cast) -> dict[str, Any]:
    work = make_work(c, image=True)
    work.creators.set([c.participant])
    return {"image_id": first_image(work).pk, "size": "thumb"}


def correction(c: Cast) -> dict[str, Any]:
    request = CorrectionRequest.objects.create(
        participant=c.participant, text="Ma date est fausse."
    )
    return {**participant(c), "correction_id": request.pk}


def fmt(value: str):
    return lambda c: {"fmt": value}


def team_fmt(c: Cast) -> dict[str, Any]:
    return {**participant(c), "fmt": "pdf"}


def _image_table() -> dict[str, int]:
    table = own()
    table["participant_other"] = 404  # not their work
    return table


MATRIX: dict[str, Case] = {
    "portal_home": Case(expect=own()),
    "portal_login": Case(expect=public()),
    "portal_welcome": Case(expect=public()),
    "portal_pact": Case(expect=own()),
    "portal_days": Case(expect=own()),
    "portal_works": Case(expect=own()),
    "portal_image": Case(kwargs=own_image, expect=_image_table()),
    "portal_journal": Case(expect=own()),
    "portal_questionnaires": Case(expect=own()),
    "portal_consents": Case(expect=own()),
    "portal_corrections": Case(expect=own()),
    "portal_data": Case(expect=own()),
    "portal_data_download": Case(kwargs=fmt("pdf"), method="post", expect=own()),
    "portal_second_factor": Case(expect=own()),
    "portal_password": Case(expect=own()),
    "portal_access": Case(kwargs=participant, expect=only(FILES)),
    "portal_access_create": Case(
        kwargs=participant,
        method="post",
        data=lambda c: {"agreed": "on", "agreement_note": "Oui", "language": "fr"},
        expect=only(FILES, ok=400),  # the cast's participant already has an access
    ),
    "portal_access_letter": Case(kwargs=participant, method="post", expect=only(FILES)),
    "portal_access_disable": Case(kwargs=participant, method="post", expect=only(FILES, ok=302)),
    "portal_access_second_factor_remove": Case(
        kwargs=participant, method="post", expect=only(FILES, ok=302)
    ),
    "portal_correction_answer": Case(
        kwargs=correction,
        method="post",
        data=lambda c: {"answer": "Corrigé."},
        expect=only(FILES, ok=302),
    ),
    "portal_subject_access": Case(kwargs=team_fmt, expect=only(FILES)),
}

#: Portal pages send an anonymous visitor to the portal's own sign-in page.
REDIRECT_ELSEWHERE = {
    name
    for name in MATRIX
    if name.startswith("portal_")
    and MATRIX[name].expect["anonymous"] == 302
    and not name.startswith("portal_access")
    and name not in {"portal_correction_answer", "portal_subject_access"}
}
