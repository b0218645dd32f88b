"""Scale data for the benchmarks: ``generate(scale)`` fills an empty, migrated database.

``scale`` = 1 is the shape of one measure: one organisation, one programme of 22 places,
30 participants (20 holding a place, 5 on the waiting list, 4 who left, 1 not taken up)
with their referrals, stays, pauses, warming-up moments, pact versions and consents, a team
of nine users with their roles, and about 2,000 audit events.  ``scale`` = 10 and 100
multiply the number of programmes (two per organisation) and everything in them: at 100×,
100 programmes, 3,000 current participants (13,000 files with those of earlier years, see
below), 900 users, 200,000 audit events and two million presence rows.

Every programme has the same shape, so the measured programme (the first one) holds the
same amount of its own data at every scale: what grows is the rest of the database, which
the pages must not read.  Rows are written with ``bulk_create`` (no services, no audit of
the generation itself, so no audit event for the presences either); every name is
fictional.  The random generators are seeded, so two runs give the same data (dates are
relative to today).

One module per app, each filling what its app owns:

- ``core``: organisations, programmes, teams and their roles, audit events;
- ``people``: the participants' files (``people.PARTICIPANT_PLAN``, and ``people.ARCHIVED``
  people of earlier years), referrals, stays, pauses, warming-up moments, pacts, consents;
- ``presence``: every programme has five workshops whose weekly recurrences cover the ten
  weekday half-days, the public holidays of Valais as closure days, and its sessions from
  ``HISTORY_YEARS`` years ago to eight weeks ahead.  Everyone is marked on the half-days of
  their pact in force while accompanied and not on a pause: about 80 % present (with gaps of
  a few weeks now and then), some noted absences with a reason, a few presences outside the
  pact, a medium on most presences.  Today's sessions have half of the expected people
  marked, as in the middle of a morning.  Presence rows are written with ``executemany``
  (SQLite) or ``COPY`` (PostgreSQL), not through the ORM: about 20,000 per programme, two
  million at 100×;
- ``works``: the exhibition and online consents most people give, 60 works per programme
  over two years (a few made together, written texts among them), 1 to 3 images each, two
  exhibitions of 12 works (one past with press, one running now), each creator's credit,
  and the public gallery (open in the measured programme).  Image rows share a dozen real
  files drawn once with ``works.demo_images`` and rendered with ``works.images`` (the
  catalogue PDF reads them); the works of the measured programme's exhibitions get one each;
- ``evaluation``: two rounds (entry, about six months later) of the five shipped
  questionnaires for most people whose last stay began in the last three years, some
  "declined today", scored with the instruments' own ``score()`` and stored as the services
  store them; effects grids for nine current people per programme; health indicators for
  those whose health-data consent is in force.  None of it writes audit events or sends the
  ``questionnaire_scored`` signal.

- ``outward``: in the measured programme, last year's published funders' report and a
  draft of this year's (the demo's builder and the services), and the portal access of the
  measured file's person.

- ``journal``: about 5,000 entries per programme (500,000 at 100×), hundreds per active file,
  a common word, a rare word and people's names in them, with their visibility.

The watch gets no generated rows.  What the demo also draws (pact shapes,
the workshops, closure days, the works catalogue, questionnaire answers, health figures)
comes from the demo modules (``isa.<app>.demo``), so both draw them alike.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.utils import timezone

from isa.core.models import Membership, Organisation, Programme, User
from isa.people.models import Consent
from isa.presence.models import Medium

from . import core, evaluation, journal, outward, people, presence, works
from .common import BATCH, SEED, Plan, Scope, add_counts

__all__ = ["Dataset", "generate"]


@dataclass
class Dataset:
    """What the benchmark needs to find again in the generated data."""

    scale: int
    programme_id: int  # the measured programme (the first)
    head_id: int  # its head of sector
    file_participant_id: int  # the richest file of the measured programme (came back)
    waiting_participant_id: int  # someone on its waiting list, for the write path
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    # Works and evaluation of the measured programme:
    portfolio_participant_id: int = 0  # the person with the most works
    work_id: int = 0  # a work with the most images
    exhibition_id: int = 0  # last spring's exhibition (12 works, press)
    evaluation_participant_id: int = 0  # someone with two rounds of questionnaires
    # Journal searches in the measured programme: a first name, a last name (audit filter).
    file_first_name: str = ""
    file_last_name: str = ""
    # The funders' report (published, draft) and the portal account of the file's person.
    report_published_id: int = 0
    report_draft_id: int = 0
    portal_user_id: int = 0


def _scopes(
    programmes: list[Programme], teams: list[list[User]], plans: list[Plan], today: date
) -> list[Scope]:
    """Each programme with its team, its own files and the built-in media."""
    media = dict(Medium.objects.filter(organisation__isnull=True).values_list("code", "pk"))
    return [
        Scope(i, programme, teams[i], [p for p in plans if p.programme_index == i], media, today)
        for i, programme in enumerate(programmes)
    ]


def _fill_presence(scopes: list[Scope]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for scope in scopes:
        rng = random.Random(f"{SEED}-{scope.index}-presence")
        add_counts(counts, presence.fill_presence(scope, rng))
    return counts


def _fill_works_and_evaluation(
    scopes: list[Scope], consents: list[Consent]
) -> tuple[dict[str, int], dict[str, int]]:
    """Works and evaluation, programme by programme, each with its own generators: the
    counts, and what the benchmark measures in the first programme."""
    consent = works.consent_states(consents, scopes[0].today)
    shared = works.pictures()
    counts: dict[str, int] = {}
    measured: dict[str, int] = {}
    for scope in scopes:
        rng = random.Random(f"{SEED}-{scope.index}-works")
        w_counts, w_info = works.fill_works(scope, consent, shared, rng, measured=scope.index == 0)
        rng = random.Random(f"{SEED}-{scope.index}-evaluation")
        e_counts, e_info = evaluation.fill_evaluation(scope, consent, rng)
        add_counts(counts, {**w_counts, **e_counts})
        if scope.index == 0:
            measured = {**w_info, **e_info}
    return counts, measured


def generate(scale: int, *, audit_per_programme: int = core.AUDIT_EVENTS_PER_PROGRAMME) -> Dataset:
    """Fill the (empty, migrated) default database with ``scale`` programmes of data."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    started = time.perf_counter()
    # One generator per programme: the measured programme (the first) gets the very same
    # people, dates and events at every scale.
    rngs = [random.Random(f"{SEED}-{i}") for i in range(scale)]
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        programmes = core.programmes(scale, rngs)
        teams = core.teams(programmes, rngs)
        plans = people.plan_people(programmes, today, rngs)
        counts, consents = people.write_people(plans, teams, today, rngs)
        consents += works.works_consents(plans, teams, today)
        Consent.objects.bulk_create(consents, batch_size=BATCH)
        scopes = _scopes(programmes, teams, plans, today)
        presence_counts = _fill_presence(scopes)
        works_counts, measured = _fill_works_and_evaluation(scopes, consents)
        journal_counts: dict[str, int] = {}
        for scope in scopes:
            rng = random.Random(f"{SEED}-{scope.index}-journal")
            add_counts(journal_counts, journal.fill_journal(scope, rng))
        files = len(people.PARTICIPANT_PLAN)
        ids = [[p.participant.pk for p in scope.plans[:files]] for scope in scopes]
        audit = core.write_audit(programmes, teams, ids, audit_per_programme, now, rngs)
    first = scopes[0].plans[:files]
    file_person = next(p.participant for p in first if p.kind == "returned")
    # Through the services, after the bulk rows: the report reads the presences.
    outward_ids = outward.fill_outward(programmes[0], teams[0][0], file_person)
    # Fresh planner statistics, as autovacuum (PostgreSQL) would gather them in production.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Dataset(
        scale=scale,
        programme_id=programmes[0].pk,
        head_id=teams[0][0].pk,
        file_participant_id=file_person.pk,
        file_first_name=file_person.first_name,
        file_last_name=file_person.last_name,
        waiting_participant_id=next(p.participant.pk for p in first if p.kind == "waiting"),
        counts={
            "organisations": Organisation.objects.count(),
            "programmes": len(programmes),
            "users": User.objects.count(),
            "memberships": Membership.objects.count(),
            **counts,
            "consents": len(consents),
            "audit events": audit,
            **presence_counts,
            **works_counts,
            **journal_counts,
        },
        seconds=time.perf_counter() - started,
        **measured,
        **outward_ids,
    )
