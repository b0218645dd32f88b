"""Scale data for the benchmarks: ``generate(scale)`` fills an empty, migrated database.

``scale`` = 1 is the shape of one measure: one organisation, one programme of 22 places,
30 participants (20 holding a place, 5 on the waiting list, 4 who left, 1 not taken up)
with their referrals, stays, pauses, warming-up moments, pact versions and consents, a team
of nine users with their roles, and about 2,000 audit events.  ``scale`` = 10 and 100
multiply the number of programmes (two per organisation) and everything in them: at 100×,
100 programmes, 3,000 participants, 900 users and 200,000 audit events.

Every programme has the same shape, so the measured programme (the first one) holds the
same amount of its own data at every scale: what grows is the rest of the database, which
the pages must not read.  Rows are written with ``bulk_create`` (no services, no audit of
the generation itself); every name is fictional.  The random generator is seeded, so two
runs give the same data (dates are relative to today).
"""

from __future__ import annotations

import random
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from stdnum import ean
from stdnum.ch import ssn

from isa.core.models import (
    AuditAction,
    AuditEvent,
    Membership,
    Organisation,
    Programme,
    Role,
    User,
)
from isa.people.models import (
    Consent,
    ConsentKind,
    ConsentMethod,
    ConsentState,
    ExitReason,
    HalfDay,
    Milestone,
    MilestoneKind,
    Pact,
    Participant,
    Pause,
    Referral,
    ReferralStatus,
    Status,
    Stay,
    normalize_name,
)

SEED = 20240304
BATCH = 2000
CAPACITY = 22
AUDIT_EVENTS_PER_PROGRAMME = 2000

#: The shape of one programme's files: 20 holding a place (of 22), 5 waiting, 5 gone.
PARTICIPANT_PLAN = (
    ["active"] * 17
    + ["paused"] * 2
    + ["returned"]  # left once and came back: two stays on the same file
    + ["waiting"] * 3
    + ["received"] * 2
    + ["exited"] * 4
    + ["not_taken_up"]
)

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

PLACES = [
    "Sion",
    "Sierre",
    "Martigny",
    "Monthey",
    "Brig",
    "Visp",
    "Fribourg",
    "Bulle",
    "Neuchâtel",
    "La Chaux-de-Fonds",
    "Lausanne",
    "Yverdon-les-Bains",
    "Vevey",
    "Nyon",
    "Genève",
    "Carouge",
    "Delémont",
    "Porrentruy",
    "Bienne",
    "Moutier",
    "Payerne",
    "Morges",
    "Renens",
    "Montreux",
    "Aigle",
    "Le Locle",
    "Estavayer",
    "Romont",
    "Saint-Maurice",
    "Conthey",
    "Fully",
    "Crans-Montana",
    "Naters",
    "Leuk",
    "Châtel-Saint-Denis",
    "Orbe",
    "Saignelégier",
    "Tramelan",
    "Monthey-Collombey",
    "Savièse",
]
ORGANISATION_KINDS = [
    "Association Entraide",
    "Fondation Horizon",
    "Coopérative L'Établi",
    "Association Le Relais",
    "Fondation Les Ateliers",
]
LAST_NAMES = [
    "Zufferey",
    "Crettenand",
    "Métrailler",
    "Bagnoud",
    "Theytaz",
    "Délèze",
    "Carron",
    "Roduit",
    "Michellod",
    "Vouillamoz",
    "Follonier",
    "Quarroz",
    "Mabillard",
    "Gillioz",
    "Rossier",
    "Sierro",
    "Dayer",
    "Lathion",
    "Praz",
    "Fournier",
    "Salamin",
    "Epiney",
    "Bonvin",
    "Berthod",
    "Pitteloud",
    "Favre",
    "Imhof",
    "Zurbriggen",
    "Andenmatten",
    "Kalbermatten",
    "Jaquier",
    "Monney",
    "Chappuis",
    "Dubey",
    "Gremaud",
    "Pasquier",
    "Jeanneret",
    "Perrenoud",
    "Huguenin",
    "Matthey",
    "Vuilleumier",
    "Girardin",
    "Froidevaux",
    "Chételat",
    "Rossi",
    "Da Silva",
    "Ferreira",
    "Berisha",
    "Krasniqi",
    "Nguyen",
    "Yilmaz",
    "Tesfay",
    "Martins",
    "Müller",
    "Steiner",
    "Aebischer",
]
# (official first names, usual first name, gender)
FIRST_NAMES = [
    ("Jean-Marc", "", "homme"),
    ("Marie-Claude", "", "femme"),
    ("João Pedro", "João", "homme"),
    ("Sylvie Anne", "Sylvie", "femme"),
    ("Arben", "", "homme"),
    ("Patrick", "", "homme"),
    ("Chantal", "", "femme"),
    ("Raphaël", "", "homme"),
    ("Giuseppina", "Pina", "femme"),
    ("Christophe", "", "homme"),
    ("Nathalie", "", "femme"),
    ("Besa", "", "femme"),
    ("Yvan", "", "homme"),
    ("Isabelle Marie", "Isa", "femme"),
    ("Stéphane", "", "homme"),
    ("Beat", "", "homme"),
    ("Sandra", "", ""),
    ("Laurent", "", "homme"),
    ("Ana Luísa", "Ana", "femme"),
    ("Dominique", "", "non-binaire"),
    ("Gérard", "", "homme"),
    ("Monique", "", "femme"),
    ("Kevin", "", "homme"),
    ("Fabienne", "", "femme"),
    ("Van Minh", "Minh", "homme"),
    ("Alain", "", "homme"),
    ("Corinne", "", "femme"),
    ("Didier", "", "homme"),
    ("Elodie", "", "femme"),
    ("Noémie", "", "femme"),
    ("Aurélie", "", "femme"),
    ("Cédric", "", "homme"),
    ("Yannick", "", "homme"),
    ("Ursula", "Uschi", "femme"),
    ("Fatima Zahra", "Fatima", "femme"),
    ("Grégoire", "", "homme"),
    ("Thérèse", "", "femme"),
    ("Samuel", "Sam", "homme"),
]
STAFF_FIRST = [
    "Claire",
    "Nicolas",
    "Léa",
    "Marc",
    "Sophie",
    "Jean-Daniel",
    "Anne",
    "Urs",
    "Valérie",
    "Olivier",
    "Mélanie",
    "Frédéric",
    "Céline",
    "Thierry",
    "Nadia",
    "Mathieu",
]
LANGUAGES = [
    "français",
    "français",
    "français",
    "français, Deutsch",
    "português, français",
    "italiano, français",
    "shqip, français",
    "tiếng Việt, français",
    "Deutsch",
    "tigrinya, français",
]
STREETS = [
    "Rue du Rhône",
    "Avenue de la Gare",
    "Rue de Lausanne",
    "Chemin des Vignes",
    "Rue du Grand-Pont",
    "Route de la Forêt",
    "Rue des Alpes",
]
PACT_SHAPES = [
    ["mon_am", "wed_am"],
    ["tue_pm", "thu_pm"],
    ["mon_am", "tue_am", "thu_am"],
    ["wed_pm"],
    ["mon_pm", "fri_am"],
    ["tue_am", "wed_am", "fri_am"],
    ["thu_am", "thu_pm"],
]
CONTEXTS = [
    "Personne orientée pour reprendre un rythme et rencontrer du monde.",
    "Aime dessiner, hésite à venir seule la première fois.",
    "Vit seul depuis longtemps; aimerait travailler le bois.",
    "",
]


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


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in ascii_text.lower()).strip("-")


def _avs(rng: random.Random) -> str:
    digits = "756" + "".join(str(rng.randint(0, 9)) for _ in range(9))
    return ssn.format(digits + ean.calc_check_digit(digits))


def _days_ago(today: date, rng: random.Random, low: int, high: int) -> date:
    return today - timedelta(days=rng.randint(low, high))


@dataclass
class _Plan:
    """One participant's history, before the rows exist."""

    participant: Participant
    kind: str
    programme_index: int
    referrals: list[dict[str, Any]] = field(default_factory=list)
    stays: list[dict[str, Any]] = field(default_factory=list)  # with a "pauses" list


def _programmes(scale: int, rngs: list[random.Random]) -> list[Programme]:
    n_orgs = max(1, (scale + 1) // 2)
    organisations = []
    for k in range(n_orgs):
        suffix = f" {k // len(PLACES) + 1}" if k >= len(PLACES) else ""
        name = f"{ORGANISATION_KINDS[k % len(ORGANISATION_KINDS)]} {PLACES[k % len(PLACES)]}"
        organisations.append(Organisation(name=f"{name}{suffix} (fictive)"))
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    programmes = []
    for i in range(scale):
        rng = rngs[i]
        place = PLACES[i % len(PLACES)]
        suffix = f" {i // len(PLACES) + 1}" if i >= len(PLACES) else ""
        programmes.append(
            Programme(
                organisation=organisations[i // 2],
                name=f"Atelier ISA {place}{suffix}",
                place=f"{rng.choice(STREETS)} {rng.randint(1, 40)}, {place}",
                capacity=CAPACITY if i == 0 else rng.randint(12, 30),
                languages=["fr"] if i % 3 else ["fr", "de"],
                annual_budget_chf=Decimal(rng.randint(250, 600) * 1000),
                funders="Service de l'action sociale (fictif)\nCommune (fictive)",
                started_on=date(rng.randint(2008, 2020), rng.randint(1, 12), 1),
            )
        )
    Programme.objects.bulk_create(programmes, batch_size=BATCH)
    return programmes


def _teams(programmes: list[Programme], rngs: list[random.Random]) -> list[list[User]]:
    """Nine users per programme, with their memberships.  Passwords are unusable: the
    benchmark signs in with ``force_login``."""
    password = make_password(None)
    users: list[User] = []
    roles: list[tuple[Role, ...]] = []
    for i, _programme in enumerate(programmes):
        for j, member_roles in enumerate(TEAM):
            first = rngs[i].choice(STAFF_FIRST)
            last = rngs[i].choice(LAST_NAMES)
            users.append(
                User(
                    email=f"{_slug(first)}.{_slug(last)}.{i}-{j}@bench.isa.example",
                    full_name=f"{first} {last}",
                    password=password,
                )
            )
            roles.append(member_roles)
    User.objects.bulk_create(users, batch_size=BATCH)
    memberships = []
    teams: list[list[User]] = []
    for i, programme in enumerate(programmes):
        team = users[i * len(TEAM) : (i + 1) * len(TEAM)]
        teams.append(team)
        for user, member_roles in zip(
            team, roles[i * len(TEAM) : (i + 1) * len(TEAM)], strict=True
        ):
            memberships.extend(
                Membership(user=user, programme=programme, role=role, granted_by=team[0])
                for role in member_roles
            )
    Membership.objects.bulk_create(memberships, batch_size=BATCH)
    return teams


def _plan_participant(
    programme: Programme, index: int, kind: str, today: date, rng: random.Random
) -> _Plan:
    official, usual, gender = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    place = PLACES[index % len(PLACES)]
    participant = Participant(
        programme=programme,
        last_name=last,
        official_first_names=official,
        usual_first_name=usual,
        birth_date=date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        gender=gender,
        languages=rng.choice(LANGUAGES),
        phone=f"07{rng.choice('6789')} {rng.randint(100, 999)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}",
        email=f"{_slug(usual or official)}.{_slug(last)}@example.org" if rng.random() < 0.4 else "",
        address=f"{rng.choice(STREETS)} {rng.randint(1, 60)}\n{rng.randint(1000, 3999)} {place}",
        avs_number=_avs(rng) if rng.random() < 0.6 else "",
        social_aid_reference=f"AS-{rng.randint(2015, 2025)}-{rng.randint(1000, 9999)}"
        if rng.random() < 0.5
        else "",
        # Participant.save computes it; bulk_create does not call save.
        search_name=normalize_name(f"{last} {usual} {official}"),
    )
    plan = _Plan(participant, kind, index)
    service = f"CMS de {place}" if rng.random() < 0.7 else "Office AI (fictif)"

    def referral(on: date, status: str, changed: date, note: str = "") -> dict[str, Any]:
        return {
            "referred_on": on,
            "referring_service": service,
            "referring_person": rng.choice(["", "Sophie Mayor", "Pierre Dorsaz"]),
            "context": rng.choice(CONTEXTS),
            "status": status,
            "status_changed_on": changed,
            "status_note": note,
        }

    if kind in ("active", "paused", "returned", "exited"):
        if kind == "returned":
            first_admission = _days_ago(today, rng, 1000, 1600)
            first_exit = first_admission + timedelta(days=rng.randint(60, 400))
            second_admission = first_exit + timedelta(days=rng.randint(30, 200))
            plan.stays.append(
                {
                    "admitted_on": first_admission,
                    "exited_on": first_exit,
                    "exit_reason": ExitReason.HEALTH,
                    "pauses": [],
                }
            )
            plan.stays.append({"admitted_on": second_admission, "exited_on": None, "pauses": []})
            plan.referrals.append(
                referral(
                    first_admission - timedelta(days=rng.randint(7, 90)),
                    ReferralStatus.WELCOMED,
                    first_admission,
                )
            )
            plan.referrals.append(
                referral(
                    second_admission - timedelta(days=rng.randint(5, 30)),
                    ReferralStatus.WELCOMED,
                    second_admission,
                )
            )
            participant.status = Status.ACTIVE
            participant.accompanied_since = first_admission
        elif kind == "exited":
            admitted = _days_ago(today, rng, 400, 1500)
            exited = admitted + timedelta(days=rng.randint(30, 360))
            plan.stays.append(
                {
                    "admitted_on": admitted,
                    "exited_on": exited,
                    "exit_reason": rng.choice(ExitReason.values),
                    "pauses": [],
                }
            )
            plan.referrals.append(
                referral(
                    admitted - timedelta(days=rng.randint(7, 90)),
                    ReferralStatus.WELCOMED,
                    admitted,
                )
            )
            participant.status = Status.EXITED
            participant.accompanied_since = admitted
        else:
            admitted = _days_ago(today, rng, 60, 1100)
            pauses = []
            if kind == "paused":
                pauses.append({"started_on": _days_ago(today, rng, 3, 40), "ended_on": None})
            elif rng.random() < 0.3:
                start = admitted + timedelta(days=rng.randint(5, 40))
                pauses.append(
                    {"started_on": start, "ended_on": start + timedelta(days=rng.randint(7, 15))}
                )
            plan.stays.append({"admitted_on": admitted, "exited_on": None, "pauses": pauses})
            plan.referrals.append(
                referral(
                    admitted - timedelta(days=rng.randint(7, 90)),
                    ReferralStatus.WELCOMED,
                    admitted,
                )
            )
            participant.status = Status.PAUSED if kind == "paused" else Status.ACTIVE
            participant.accompanied_since = admitted
    elif kind in ("waiting", "received"):
        on = _days_ago(today, rng, 3, 120)
        status = ReferralStatus.WAITING if kind == "waiting" else ReferralStatus.RECEIVED
        changed = min(on + timedelta(days=rng.randint(0, 10)), today)
        plan.referrals.append(referral(on, status, changed, "Premier téléphone fait"))
        participant.status = Status.WAITING
    else:  # not taken up
        on = _days_ago(today, rng, 100, 400)
        plan.referrals.append(
            referral(
                on,
                ReferralStatus.NOT_TAKEN_UP,
                on + timedelta(days=rng.randint(10, 50)),
                "N'a pas souhaité venir",
            )
        )
        participant.status = Status.NOT_TAKEN_UP
    return plan


def _history_rows(
    plan: _Plan, team: list[User], today: date, rng: random.Random
) -> tuple[list[Milestone], list[Pact], list[Consent]]:
    """Warming-up moments, pact versions and consents of one file."""
    p = plan.participant
    worker = team[rng.choice([1, 2])]
    milestones: list[Milestone] = []
    pacts: list[Pact] = []
    consents: list[Consent] = []
    first_referral = plan.referrals[0]["referred_on"]
    contact = min(first_referral + timedelta(days=rng.randint(1, 7)), today)
    if plan.stays or rng.random() < 0.5:
        milestones.append(
            Milestone(
                participant=p,
                kind=MilestoneKind.FIRST_CONTACT,
                on=contact,
                note="Appel téléphonique",
                recorded_by=worker,
            )
        )
    for stay in plan.stays:
        admitted = stay["admitted_on"]
        end = stay["exited_on"] or today
        milestones.append(
            Milestone(
                participant=p,
                kind=MilestoneKind.FIRST_VISIT,
                on=admitted - timedelta(days=rng.randint(0, 5)),
                note="Visite de l'atelier avec un café",
                recorded_by=worker,
            )
        )
        milestones.append(
            Milestone(
                participant=p,
                kind=MilestoneKind.FIRST_WORKSHOP,
                on=admitted,
                recorded_by=worker,
            )
        )
        if rng.random() < 0.7:
            milestones.append(
                Milestone(
                    participant=p,
                    kind=MilestoneKind.REGULAR,
                    on=min(admitted + timedelta(days=rng.randint(30, 150)), end),
                    recorded_by=worker,
                )
            )
        shape = rng.choice(PACT_SHAPES)
        pacts.append(
            Pact(
                participant=p,
                valid_from=admitted,
                half_days=shape[:1],
                note="Pour commencer, une demi-journée.",
                recorded_by=worker,
            )
        )
        span = (end - admitted).days
        if span > 60:
            pacts.append(
                Pact(
                    participant=p,
                    valid_from=admitted + timedelta(days=rng.randint(30, 60)),
                    half_days=[h for h in HalfDay.values if h in shape],
                    note="Souhaite venir plus souvent.",
                    recorded_by=worker,
                )
            )
        if span > 300 and rng.random() < 0.5:
            pacts.append(
                Pact(
                    participant=p,
                    valid_from=admitted + timedelta(days=rng.randint(200, 300)),
                    half_days=rng.choice(PACT_SHAPES),
                    note="Rythme renégocié.",
                    recorded_by=worker,
                )
            )
    if plan.stays:
        admitted = plan.stays[0]["admitted_on"]
        consents.append(
            Consent(
                participant=p,
                kind=ConsentKind.DATA,
                state=ConsentState.GIVEN,
                on=admitted,
                method=ConsentMethod.PAPER,
                recorded_by=worker,
            )
        )
        for kind in (ConsentKind.HEALTH, ConsentKind.EXHIBITION, ConsentKind.PHOTO):
            if rng.random() < 0.7:
                given = rng.random() < 0.75
                consents.append(
                    Consent(
                        participant=p,
                        kind=kind,
                        state=ConsentState.GIVEN if given else ConsentState.REFUSED,
                        on=admitted + timedelta(days=rng.randint(0, 14)),
                        method=rng.choice([ConsentMethod.PAPER, ConsentMethod.ORAL]),
                        recorded_by=worker,
                    )
                )
                if given and kind == ConsentKind.PHOTO and rng.random() < 0.2:
                    consents.append(
                        Consent(
                            participant=p,
                            kind=kind,
                            state=ConsentState.WITHDRAWN,
                            on=min(admitted + timedelta(days=rng.randint(30, 200)), today),
                            method=ConsentMethod.ORAL,
                            note="Ne souhaite plus apparaître sur les photos.",
                            recorded_by=worker,
                        )
                    )
    elif rng.random() < 0.5:
        consents.append(
            Consent(
                participant=p,
                kind=ConsentKind.DATA,
                state=ConsentState.GIVEN,
                on=min(contact, today),
                method=ConsentMethod.ORAL,
                recorded_by=worker,
            )
        )
    return milestones, pacts, consents


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


def _audit_events(
    programme: Programme,
    team: list[User],
    participant_ids: list[int],
    count: int,
    now: Any,
    rng: random.Random,
) -> list[AuditEvent]:
    weights = [w for w, *_ in AUDIT_MIX]
    staff = team[:6]  # the hybrid team does most of the work
    events = []
    for kind in rng.choices(AUDIT_MIX, weights=weights, k=count):
        _, action, object_type, with_programme = kind
        actor = rng.choice(staff) if rng.random() < 0.9 else rng.choice(team)
        object_id = ""
        detail: dict[str, Any] = {}
        if object_type == "core.user":
            object_id = str(actor.pk)
        elif object_type == "people.participant":
            object_id = str(rng.choice(participant_ids))
            if action == AuditAction.UPDATE:
                detail = {"fields": [rng.choice(["phone", "address", "languages"])]}
        elif object_type == "people.referral":
            detail = {"list": rng.choice(["waiting", "referrals"])}
        elif object_type.startswith("people."):
            object_id = str(rng.randint(1, 50_000))
            detail = {"participant": rng.choice(participant_ids)}
        elif action == AuditAction.ROLE_GRANT:
            detail = {"role": rng.choice(Role.values)}
        events.append(
            AuditEvent(
                at=now - timedelta(seconds=rng.randint(60, 730 * 86400)),
                actor_id=None if action == AuditAction.LOGIN_FAILED else actor.pk,
                actor_label="" if action == AuditAction.LOGIN_FAILED else actor.email,
                action=action,
                object_type=object_type,
                object_id=object_id,
                programme_id=programme.pk if with_programme else None,
                ip=f"10.{programme.pk % 250}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                detail=detail,
            )
        )
    return events


def generate(scale: int, *, audit_per_programme: int = AUDIT_EVENTS_PER_PROGRAMME) -> Dataset:
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
        programmes = _programmes(scale, rngs)
        teams = _teams(programmes, rngs)

        plans: list[_Plan] = []
        for i, programme in enumerate(programmes):
            plans.extend(
                _plan_participant(programme, i, kind, today, rngs[i]) for kind in PARTICIPANT_PLAN
            )
        Participant.objects.bulk_create([p.participant for p in plans], batch_size=BATCH)

        referrals: list[Referral] = []
        stays: list[Stay] = []
        stay_pauses: list[list[dict[str, Any]]] = []
        milestones: list[Milestone] = []
        pacts: list[Pact] = []
        consents: list[Consent] = []
        for plan in plans:
            team = teams[plan.programme_index]
            rng = rngs[plan.programme_index]
            for r in plan.referrals:
                referrals.append(
                    Referral(
                        participant=plan.participant,
                        referred_by=team[6] if rng.random() < 0.4 else team[1],
                        **r,
                    )
                )
            for s in plan.stays:
                stays.append(
                    Stay(
                        participant=plan.participant,
                        admitted_on=s["admitted_on"],
                        exited_on=s["exited_on"],
                        exit_reason=s.get("exit_reason", ""),
                        exit_comment="A trouvé une place ailleurs." if s["exited_on"] else "",
                        admitted_by=team[0],
                        exited_by=team[0] if s["exited_on"] else None,
                    )
                )
                stay_pauses.append(s["pauses"])
            m, pa, c = _history_rows(plan, team, today, rng)
            milestones.extend(m)
            pacts.extend(pa)
            consents.extend(c)
        Referral.objects.bulk_create(referrals, batch_size=BATCH)
        Stay.objects.bulk_create(stays, batch_size=BATCH)
        pauses = [
            Pause(stay=stay, reason="Raisons de santé" if k % 2 else "", **pause)
            for k, (stay, plist) in enumerate(zip(stays, stay_pauses, strict=True))
            for pause in plist
        ]
        Pause.objects.bulk_create(pauses, batch_size=BATCH)
        Milestone.objects.bulk_create(milestones, batch_size=BATCH)
        Pact.objects.bulk_create(pacts, batch_size=BATCH)
        Consent.objects.bulk_create(consents, batch_size=BATCH)

        # Written in time order, as the application writes them: the events of one
        # programme are spread over the whole table, not stored side by side.
        events: list[AuditEvent] = []
        per_programme = len(PARTICIPANT_PLAN)
        for i, programme in enumerate(programmes):
            ids = [p.participant.pk for p in plans[i * per_programme : (i + 1) * per_programme]]
            events.extend(
                _audit_events(programme, teams[i], ids, audit_per_programme, now, rngs[i])
            )
        events.sort(key=lambda e: e.at)
        AuditEvent.objects.bulk_create(events, batch_size=BATCH)
        audit_count = len(events)
        del events

    # Fresh planner statistics, as autovacuum (PostgreSQL) would gather them in production.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    measured = plans[:per_programme]
    return Dataset(
        scale=scale,
        programme_id=programmes[0].pk,
        head_id=teams[0][0].pk,
        file_participant_id=next(p.participant.pk for p in measured if p.kind == "returned"),
        waiting_participant_id=next(p.participant.pk for p in measured if p.kind == "waiting"),
        counts={
            "organisations": Organisation.objects.count(),
            "programmes": len(programmes),
            "users": User.objects.count(),
            "memberships": Membership.objects.count(),
            "participants": len(plans),
            "referrals": len(referrals),
            "stays": len(stays),
            "pauses": len(pauses),
            "milestones": len(milestones),
            "pacts": len(pacts),
            "consents": len(consents),
            "audit events": audit_count,
        },
        seconds=time.perf_counter() - started,
    )
