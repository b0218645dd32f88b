"""Organisations (two programmes each), programmes, their teams of nine, and the audit
events of two years of work."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password

from isa.core.models import AuditAction, AuditEvent, Membership, Organisation, Programme, Role, User

from .common import BATCH, slug
from .names import LAST_NAMES, ORGANISATION_KINDS, PLACES, STAFF_FIRST, STREETS

CAPACITY = 22
AUDIT_EVENTS_PER_PROGRAMME = 2000

#: The team of one programme: roles of each member.
TEAM = [
    (Role.HEAD, Role.SOCIAL_WORKER),
    (Role.SOCIAL_WORKER,),
    (Role.SOCIAL_WORKER,),
    (Role.FACILITATOR,),
    (Role.FACILITATOR,),
    (Role.WATCHER, Role.FACILITATOR),
    (Role.REFERRER,),
    (Role.FUNDER,),
    (Role.RESEARCHER,),
]

AUDIT_MIX = [
    # (weight, action, object type, with programme)
    (20, AuditAction.LOGIN, "core.user", False),
    (3, AuditAction.LOGOUT, "core.user", False),
    (1, AuditAction.LOGIN_FAILED, "", False),
    (45, AuditAction.VIEW, "people.participant", True),
    (8, AuditAction.VIEW, "people.referral", True),
    (10, AuditAction.UPDATE, "people.participant", True),
    (4, AuditAction.CREATE, "people.pact", True),
    (3, AuditAction.CREATE, "people.milestone", True),
    (3, AuditAction.CREATE, "people.consent", True),
    (2, AuditAction.VIEW, "core.auditevent", True),
    (1, AuditAction.ROLE_GRANT, "core.user", True),
]


def _numbered(names: list[str], k: int) -> str:
    """The ``k``-th name of a list that is used round and round: " 2" after the first turn."""
    return f" {k // len(names) + 1}" if k >= len(names) else ""


def _organisations(scale: int) -> list[Organisation]:
    organisations = []
    for k in range(max(1, (scale + 1) // 2)):
        name = f"{ORGANISATION_KINDS[k % len(ORGANISATION_KINDS)]} {PLACES[k % len(PLACES)]}"
        organisations.append(Organisation(name=f"{name}{_numbered(PLACES, k)} (fictive)"))
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    return organisations


def _programme(i: int, organisation: Organisation, rng: random.Random) -> Programme:
    place = PLACES[i % len(PLACES)]
    return Programme(
        organisation=organisation,
        name=f"Atelier ISA {place}{_numbered(PLACES, i)}",
        place=f"{rng.choice(STREETS)} {rng.randint(1, 40)}, {place}",
        capacity=CAPACITY if i == 0 else rng.randint(12, 30),
        languages=["fr"] if i % 3 else ["fr", "de"],
        annual_budget_chf=Decimal(rng.randint(250, 600) * 1000),
        funders="Service de l'action sociale (fictif)\nCommune (fictive)",
        started_on=date(rng.randint(2008, 2020), rng.randint(1, 12), 1),
    )


def programmes(scale: int, rngs: list[random.Random]) -> list[Programme]:
    """``scale`` programmes, two per organisation."""
    organisations = _organisations(scale)
    rows = [_programme(i, organisations[i // 2], rngs[i]) for i in range(scale)]
    Programme.objects.bulk_create(rows, batch_size=BATCH)
    return rows


def teams(programmes: list[Programme], rngs: list[random.Random]) -> list[list[User]]:
    """Nine users per programme, with their memberships.  Passwords are unusable: the
    benchmark signs in with ``force_login``."""
    password = make_password(None)
    users: list[User] = []
    for i in range(len(programmes)):
        for j in range(len(TEAM)):
            first = rngs[i].choice(STAFF_FIRST)
            last = rngs[i].choice(LAST_NAMES)
            users.append(
                User(
                    email=f"{slug(first)}.{slug(last)}.{i}-{j}@bench.isa.example",
                    full_name=f"{first} {last}",
                    password=password,
                )
            )
    User.objects.bulk_create(users, batch_size=BATCH)
    result = [users[i * len(TEAM) : (i + 1) * len(TEAM)] for i in range(len(programmes))]
    Membership.objects.bulk_create(
        [
            Membership(user=user, programme=programme, role=role, granted_by=team[0])
            for programme, team in zip(programmes, result, strict=True)
            for user, member_roles in zip(team, TEAM, strict=True)
            for role in member_roles
        ],
        batch_size=BATCH,
    )
    return result


def _audit_target(
    action: str, object_type: str, actor: User, participant_ids: list[int], rng: random.Random
) -> tuple[str, dict[str, Any]]:
    """The object id and detail of one event."""
    if object_type == "core.user":
        return str(actor.pk), {}
    if object_type == "people.participant":
        object_id = str(rng.choice(participant_ids))
        if action == AuditAction.UPDATE:
            return object_id, {"fields": [rng.choice(["phone", "address", "languages"])]}
        return object_id, {}
    if object_type == "people.referral":
        return "", {"list": rng.choice(["waiting", "referrals"])}
    if object_type.startswith("people."):
        return str(rng.randint(1, 50_000)), {"participant": rng.choice(participant_ids)}
    if action == AuditAction.ROLE_GRANT:
        return "", {"role": rng.choice(Role.values)}
    return "", {}


def audit_events(
    programme: Programme,
    team: list[User],
    participant_ids: list[int],
    count: int,
    now: datetime,
    rng: random.Random,
) -> list[AuditEvent]:
    """``count`` events of one programme's team over the last two years (not written)."""
    weights = [w for w, *_ in AUDIT_MIX]
    staff = team[:6]  # the hybrid team does most of the work
    events = []
    for _weight, action, object_type, with_programme in rng.choices(
        AUDIT_MIX, weights=weights, k=count
    ):
        actor = rng.choice(staff) if rng.random() < 0.9 else rng.choice(team)
        object_id, detail = _audit_target(action, object_type, actor, participant_ids, rng)
        failed = action == AuditAction.LOGIN_FAILED
        events.append(
            AuditEvent(
                at=now - timedelta(seconds=rng.randint(60, 730 * 86400)),
                actor_id=None if failed else actor.pk,
                actor_label="" if failed else actor.email,
                action=action,
                object_type=object_type,
                object_id=object_id,
                programme_id=programme.pk if with_programme else None,
                ip=f"10.{programme.pk % 250}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                detail=detail,
            )
        )
    return events


def write_audit(
    programmes: list[Programme],
    teams: list[list[User]],
    participant_ids: list[list[int]],
    per_programme: int,
    now: datetime,
    rngs: list[random.Random],
) -> int:
    """Every programme's events, written in time order as the application writes them: the
    events of one programme are spread over the whole table, not stored side by side."""
    events: list[AuditEvent] = []
    for i, programme in enumerate(programmes):
        events.extend(
            audit_events(programme, teams[i], participant_ids[i], per_programme, now, rngs[i])
        )
    events.sort(key=lambda e: e.at)
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    return len(events)
