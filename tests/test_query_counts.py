"""Every page's SQL queries stay the same when the programme holds more data (no query per
row anywhere): each GET of the permission matrix that someone may open, counted before and
after more people, presences, journal entries, works and audit events are added.

The apps' own tests hold their pages to a ceiling too (``django_assert_max_num_queries``);
this one makes sure no page escapes the "constant in the data size" budget of
docs/performance.md, including pages added later (they enter the matrix)."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from isa.journal.services import entry_write
from isa.people import services as people
from isa.presence import services as presence
from isa.presence.models import Session
from tests.conftest import Cast, refer
from tests.test_permission_matrix import MATRIX

#: Pages left out, and why.
NOT_COUNTED = {
    "admin:index": "Django's technical admin",
    "healthz": "no database work of its own",
}
#: Who opens a page: the head when allowed, else the first role that gets a 200.
PREFERRED = [
    "head",
    "social_worker",
    "facilitator",
    "watcher",
    "referrer",
    "funder",
    "researcher",
    "sysadmin",
    "participant",
    "anonymous",
]

PAGES = sorted(
    name
    for name, case in MATRIX.items()
    if case.method == "get" and name not in NOT_COUNTED and 200 in case.expect.values()
)


def _count(client, url: str, data: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    return response.status_code, len(queries.captured_queries)


def _more_data(cast: Cast, n: int) -> None:
    """``n`` more people accompanied, each marked present on a past Friday and written about
    twice (with the cast's participant: their file and journal grow too)."""
    head = cast.actor("head")
    session = Session.objects.create(
        workshop=cast.session.workshop,
        on=date(2025, 1, 10),
        part="pm",
        starts_at=time(14),
        ends_at=time(17),
    )
    for i in range(n):
        person = refer(cast.programme, cast.users["head"], f"Nombre{i}", "Test").participant
        people.participant_admit(participant=person, on=date(2025, 1, 6), actor=head)
        presence.presence_mark(session=session, participant=person, actor=head, at=None)
        for text in ("Un petit pas à l'atelier.", "Atelier calme."):
            entry_write(
                programme=cast.programme,
                participants=[person, cast.participant],
                actor=head,
                written_on=date(2025, 1, 10),
                kind="observation",
                tags=[],
                posture="social_worker",
                visibility="team",
                text=text,
            )


@pytest.mark.parametrize("name", PAGES)
def test_the_page_issues_as_many_queries_with_more_data(cast: Cast, name: str):
    case = MATRIX[name]
    who = next(r for r in PREFERRED if case.expect.get(r) == 200)
    url = reverse(name, kwargs=case.kwargs(cast))
    client = cast.client(who)
    data = case.data(cast)
    client.get(url, data)  # warm: the first request of a session may write it
    status, before = _count(client, url, data)
    assert status == 200, (name, who, status)
    _more_data(cast, 4)
    status, after = _count(client, url, data)
    assert status == 200
    assert after == before, f"{name} ({who}): {before} queries, {after} with more data"
