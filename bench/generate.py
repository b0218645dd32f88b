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

Presence (``_presence``): every programme has five workshops whose weekly recurrences cover
the ten weekday half-days, the public holidays of Valais as closure days, and its sessions
from ``HISTORY_YEARS`` years ago to eight weeks ahead.  A programme that has run for years
has seen people come and go: besides the 30 files above, ``ARCHIVED`` people accompanied in
earlier years (one stay each, long since ended) fill its places back in time.  Everyone is
marked on the half-days of their pact in force while accompanied and not on a pause: about
80 % present (with gaps of a few weeks now and then), some noted absences with a reason, a
few presences outside the pact, a medium on most presences.  Today's sessions have half of
the expected people marked, as in the middle of a morning.  Presence rows are written with
``executemany`` (SQLite) or ``COPY`` (PostgreSQL), not through the ORM: about 20,000 per
programme, two million at 100×.

Works (``_works``): the exhibition and online consents most people give, 60 works per
programme over two years (a few made together, written texts among them), 1 to 3 images
each, two exhibitions of 12 works (one past with press, one running now), each creator's
credit, and the public gallery (open in the measured programme).  Image rows share a dozen
real files drawn once with ``works.demo_images`` and rendered with ``works.images`` (the
catalogue PDF reads them); the works of the measured programme's exhibitions get one each.

Evaluation (``_evaluation``): two rounds (entry, about six months later) of the five shipped
questionnaires for most people whose last stay began in the last three years, some
"declined today", scored with the instruments' own ``score()`` and stored as the services
store them; effects grids for nine current people per programme; health indicators for
those whose health-data consent is in force.  None of it writes audit events or sends the
``questionnaire_scored`` signal.
"""

from __future__ import annotations

import bisect
import random
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
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
    pact_in_force,
)
from isa.presence.demo import closure_days
from isa.presence.models import (
    DEFAULT_TIMES,
    AbsenceReason,
    CheckInSymbol,
    ClosureDay,
    HalfDayPart,
    Medium,
    Presence,
    PresenceSource,
    PresenceState,
    Recurrence,
    Session,
    Workshop,
    half_day_code,
)
from isa.presence.symbols import CODES as SYMBOL_CODES

SEED = 20240304
BATCH = 2000
CAPACITY = 22
AUDIT_EVENTS_PER_PROGRAMME = 2000
#: Years of sessions and presence behind today, and the people who came in those years and
#: have left (on top of the 30 files of PARTICIPANT_PLAN): about 20,000 presence rows per
#: programme, the budget's two million at 100×.
HISTORY_YEARS = 10
ARCHIVED = 100
WEEKS_AHEAD = 8

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
AM, PM = HalfDayPart.MORNING, HalfDayPart.AFTERNOON
#: (title, room, media codes, [(weekday, part)]): the ten weekday half-days, once each.
WORKSHOPS = [
    ("Peinture et dessin", "Grande salle", ["painting", "drawing"], [(0, AM), (2, AM), (3, PM)]),
    ("Sculpture et gravure", "Atelier du fond", ["sculpture", "engraving"], [(1, PM), (3, AM)]),
    ("Photographie", "Labo", ["photography"], [(2, PM)]),
    ("Écriture", "Bibliothèque", ["writing"], [(4, AM)]),
    (
        "Atelier libre",
        "Grande salle",
        ["painting", "drawing", "sculpture", "writing", "other"],
        [(0, PM), (1, AM), (4, PM)],
    ),
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
    # Works and evaluation of the measured programme:
    portfolio_participant_id: int = 0  # the person with the most works
    work_id: int = 0  # a work with the most images
    exhibition_id: int = 0  # last spring's exhibition (12 works, press)
    evaluation_participant_id: int = 0  # someone with two rounds of questionnaires


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
    pacts: list[Pact] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    rng: random.Random | None = None  # its own generator (archived files), else the programme's


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

    if kind in ("active", "paused", "returned", "exited", "archived"):
        if kind == "archived":
            # Came in the programme's earlier years and left at least a year ago.
            history = HISTORY_YEARS * 365
            admitted = _days_ago(today, rng, 420, history + 180)
            exited = min(
                admitted + timedelta(days=rng.randint(150, 1300)),
                today - timedelta(days=rng.randint(365, 420)),
            )
            exited = max(exited, admitted + timedelta(days=30))
            pauses = []
            if rng.random() < 0.3 and (exited - admitted).days > 90:
                start = admitted + timedelta(days=rng.randint(5, 25))
                pauses.append(
                    {"started_on": start, "ended_on": start + timedelta(days=rng.randint(7, 30))}
                )
            plan.stays.append(
                {
                    "admitted_on": admitted,
                    "exited_on": exited,
                    "exit_reason": rng.choice(ExitReason.values),
                    "pauses": pauses,
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
        elif kind == "returned":
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


# -- presence -----------------------------------------------------------------------------------

#: The columns of a presence row, in the order ``_presence`` builds them.
PRESENCE_COLUMNS = (
    "session_id",
    "participant_id",
    "state",
    "arrived_at",
    "left_at",
    "medium_id",
    "absence_reason",
    "source",
    "recorded_by_id",
    "recorded_at",
)


def _accompanied(stays: list[dict[str, Any]], end: date) -> list[tuple[date, date]]:
    """Days accompanied and not on a pause, as closed intervals (``rates.accompanied_periods``
    on the plan's dictionaries): a pause runs from its first day to the day before the
    person is back."""
    intervals = []
    for stay in stays:
        s_end = min(stay["exited_on"] or end, end)
        cursor = stay["admitted_on"]
        for pause in sorted(stay["pauses"], key=lambda p: p["started_on"]):
            back_on = pause["ended_on"] or end + timedelta(days=1)
            if pause["started_on"] > cursor:
                intervals.append((cursor, min(pause["started_on"] - timedelta(days=1), s_end)))
            cursor = max(cursor, back_on)
        if cursor <= s_end:
            intervals.append((cursor, s_end))
    return intervals


class _Clock:
    """Times and timestamps as the database driver wants them, computed once each."""

    def __init__(self) -> None:
        self.sqlite = connection.vendor == "sqlite"
        self._times: dict[clock, Any] = {}
        self._stamps: dict[tuple[date, clock], Any] = {}

    def time(self, value: clock | None) -> Any:
        if value is None or not self.sqlite:
            return value
        if value not in self._times:
            self._times[value] = connection.ops.adapt_timefield_value(value)
        return self._times[value]

    def stamp(self, day: date, value: clock) -> Any:
        key = (day, value)
        if key not in self._stamps:
            aware = timezone.make_aware(datetime.combine(day, value))
            self._stamps[key] = (
                connection.ops.adapt_datetimefield_value(aware) if self.sqlite else aware
            )
        return self._stamps[key]


def _write_presences(rows: list[tuple[Any, ...]]) -> None:
    """Presence rows straight into their table: ``COPY`` on PostgreSQL, ``executemany``
    elsewhere (the ORM would build two million model instances)."""
    columns = {f.column for f in Presence._meta.concrete_fields if not f.primary_key}
    if columns != set(PRESENCE_COLUMNS):
        raise RuntimeError(
            f"presence_presence has changed ({sorted(columns ^ set(PRESENCE_COLUMNS))}): "
            "update PRESENCE_COLUMNS in bench/generate.py"
        )
    qn = connection.ops.quote_name
    table = qn(Presence._meta.db_table)
    names = ", ".join(qn(c) for c in PRESENCE_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(PRESENCE_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _presence(
    programme: Programme,
    team: list[User],
    plans: list[_Plan],
    media: dict[str, int],
    today: date,
    rng: random.Random,
) -> dict[str, int]:
    """Workshops, their calendar and everyone's presence in one programme."""
    start = today - timedelta(days=HISTORY_YEARS * 365)
    end = today + timedelta(weeks=WEEKS_AHEAD)
    facilitators = team[3:6]
    workshops = [
        Workshop(programme=programme, title=title, room=room, capacity=12)
        for title, room, _codes, _slots in WORKSHOPS
    ]
    Workshop.objects.bulk_create(workshops)
    Workshop.media.through.objects.bulk_create(
        [
            Workshop.media.through(workshop_id=w.pk, medium_id=media[code])
            for w, (_t, _r, codes, _s) in zip(workshops, WORKSHOPS, strict=True)
            for code in codes
        ]
    )
    Workshop.facilitators.through.objects.bulk_create(
        [
            Workshop.facilitators.through(workshop_id=w.pk, user_id=u.pk)
            for w in workshops
            for u in facilitators
        ]
    )
    recurrences = [
        Recurrence(workshop=w, weekday=weekday, part=part, starts_on=start)
        for w, (_t, _r, _c, slots) in zip(workshops, WORKSHOPS, strict=True)
        for weekday, part in slots
    ]
    Recurrence.objects.bulk_create(recurrences)
    closed: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, reason in closure_days(year):
            if start <= day <= end:
                closed.setdefault(day, reason)
    ClosureDay.objects.bulk_create(
        [ClosureDay(programme=programme, on=day, reason=r) for day, r in closed.items()],
        batch_size=BATCH,
    )
    sessions = []
    for recurrence in recurrences:
        day = start + timedelta(days=(recurrence.weekday - start.weekday()) % 7)
        starts_at, ends_at = DEFAULT_TIMES[HalfDayPart(recurrence.part)]
        while day <= end:
            if day not in closed:
                sessions.append(
                    Session(
                        workshop=recurrence.workshop,
                        recurrence=recurrence,
                        on=day,
                        part=recurrence.part,
                        starts_at=starts_at,
                        ends_at=ends_at,
                    )
                )
            day += timedelta(days=7)
    sessions.sort(key=lambda s: (s.on, s.part))
    Session.objects.bulk_create(sessions, batch_size=BATCH)

    workshop_media = {
        w.pk: [media[code] for code in codes]
        for w, (_t, _r, codes, _s) in zip(workshops, WORKSHOPS, strict=True)
    }
    # Held half-days before today, one session each (one workshop per half-day).
    past = [(s.on, s, half_day_code(s.on, s.part)) for s in sessions if s.on < today]
    past_days = [day for day, _s, _code in past]
    yesterday = today - timedelta(days=1)
    ck = _Clock()
    rows: list[tuple[Any, ...]] = []
    present = absent = 0

    def mark_present(session: Session, person: int, favourite: int, late: bool) -> None:
        own = workshop_media[session.workshop_id]
        medium = favourite if favourite in own and rng.random() < 0.7 else rng.choice(own)
        minutes = session.starts_at.hour * 60 + session.starts_at.minute + rng.randint(0, 40)
        arrived = clock(minutes // 60, minutes % 60)
        left = None
        if rng.random() < 0.3:
            minutes = session.ends_at.hour * 60 + session.ends_at.minute - rng.randint(15, 70)
            left = clock(minutes // 60, minutes % 60)
        kiosk = rng.random() < 0.15
        rows.append(
            (
                session.pk,
                person,
                PresenceState.PRESENT,
                None if late else ck.time(arrived),  # entered afterwards: no arrival time
                ck.time(left),
                None if rng.random() < 0.08 else medium,
                "",
                PresenceSource.KIOSK if kiosk else PresenceSource.TEAM,
                None if kiosk else rng.choice(facilitators).pk,
                ck.stamp(session.on, arrived),
            )
        )

    for plan in plans:
        if not plan.stays:
            continue
        person = plan.participant.pk
        versions = sorted(plan.pacts, key=lambda p: p.valid_from)
        fidelity = rng.uniform(0.75, 0.97)
        favourite = rng.choice(list(media.values()))
        gap_until = date.min
        v = -1  # the pact in force (pact_in_force), followed day by day without a rescan
        for a, b in _accompanied(plan.stays, yesterday):
            for k in range(bisect.bisect_left(past_days, a), bisect.bisect_right(past_days, b)):
                day, session, code = past[k]
                while v + 1 < len(versions) and versions[v + 1].valid_from <= day:
                    v += 1
                expected = v >= 0 and code in versions[v].half_days
                if day < gap_until:
                    came = False
                elif expected:
                    if rng.random() < 0.008:  # a harder stretch: a few weeks away
                        gap_until = day + timedelta(days=rng.randint(10, 35))
                        came = False
                    else:
                        came = rng.random() < fidelity
                else:
                    came = rng.random() < 0.03
                if came:
                    mark_present(session, person, favourite, late=rng.random() < 0.05)
                    present += 1
                elif expected and rng.random() < 0.35:
                    reason = rng.choice(AbsenceReason.values) if rng.random() < 0.8 else ""
                    rows.append(
                        (
                            session.pk,
                            person,
                            PresenceState.ABSENT,
                            None,
                            None,
                            None,
                            reason,
                            PresenceSource.TEAM,
                            rng.choice(facilitators).pk,
                            ck.stamp(day, session.ends_at),
                        )
                    )
                    absent += 1

    # Today, in the middle of the morning: half of the expected people are marked.
    markable = [p for p in plans if p.participant.is_occupying]
    for session in (s for s in sessions if s.on == today):
        code = half_day_code(today, session.part)
        for plan in markable:
            pact = pact_in_force(plan.pacts, today)
            if (
                plan.participant.status == Status.ACTIVE
                and pact is not None
                and code in pact.half_days
                and rng.random() < 0.5
            ):
                mark_present(session, plan.participant.pk, media["painting"], late=False)
                present += 1
    _write_presences(rows)

    symbols = rng.sample(SYMBOL_CODES, len(markable))
    checkin = [
        CheckInSymbol(participant=plan.participant, symbol=symbol)
        for plan, symbol in zip(markable, symbols, strict=True)
        if rng.random() < 0.6
    ]
    CheckInSymbol.objects.bulk_create(checkin)
    return {
        "workshops": len(workshops),
        "closure days": len(closed),
        "sessions": len(sessions),
        "presence rows": present + absent,
        "of which absences": absent,
        "check-in symbols": len(checkin),
    }


# -- works -------------------------------------------------------------------------------------

#: Works of one programme over the last two years (the demo's "about sixty"), of which a few
#: are made together; images per work (1 to 3, none for a text); exhibitions of ~12 works.
WORKS_PER_PROGRAMME = 60
COLLECTIVE_WORKS = 4
WORKS_PER_EXHIBITION = 12
#: Distinct pictures drawn once (demo_images) and shared by every WorkImage row: per
#: medium, this many variants.  Thousands of rows, a handful of files on disk.
PICTURES_PER_MEDIUM = 2


@dataclass
class _Picture:
    """One stored image with its renditions, as ``works.services.work_add_image`` stores
    them: a normalised original, a display rendition and a thumbnail (JPEG)."""

    medium: str
    original: str
    display: str
    thumbnail: str
    format: str
    width: int
    height: int
    size: int


def _picture(medium: str, seed: int, size: tuple[int, int] | None, folder: str) -> _Picture:
    """One artwork drawn by ``works.demo_images``, normalised and rendered with the works
    app's own functions, saved in the media storage (``MEDIA_ROOT``)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from isa.works import images
    from isa.works.demo_images import artwork_jpeg

    normalised = images.validate_and_normalise(artwork_jpeg(medium, seed, size=size))
    display, _w, _h = images.make_thumbnail(normalised.data, images.DISPLAY_SIZE)
    thumb, _w, _h = images.make_thumbnail(normalised.data, images.THUMBNAIL_SIZE)
    names = [
        default_storage.save(
            f"{folder}/original.{normalised.extension}", ContentFile(normalised.data)
        ),
        default_storage.save(f"{folder}/display.jpg", ContentFile(display)),
        default_storage.save(f"{folder}/thumb.jpg", ContentFile(thumb)),
    ]
    return _Picture(
        medium,
        *names,
        format=normalised.format,
        width=normalised.width,
        height=normalised.height,
        size=normalised.size,
    )


def _pictures() -> dict[str, list[_Picture]]:
    """A few real artworks per medium, shared by every image row.  The list, the work, the
    portfolio and the gallery read no file (they only build image URLs); the catalogue PDF
    reads the display renditions, so the files must exist."""
    from isa.works.demo import CATALOGUE

    return {
        medium: [
            _picture(medium, 9000 + k, sizes[k % len(sizes)], f"works/bench/{medium}-{k}")
            for k in range(PICTURES_PER_MEDIUM)
        ]
        for medium, (_titles, _techniques, sizes) in CATALOGUE.items()
    }


def _consent_states(consents: list[Consent], today: date) -> dict[tuple[int, str], str]:
    """The decision in force today for each (participant, kind), as ``consent_is_given``
    reads it (the latest by date, then by order of recording)."""
    states: dict[tuple[int, str], tuple[date, int, str]] = {}
    for k, c in enumerate(consents):
        if c.on > today:
            continue
        key = (c.participant_id, c.kind)
        if key not in states or (c.on, k) >= states[key][:2]:
            states[key] = (c.on, k, c.state)
    return {key: state for key, (_on, _k, state) in states.items()}


def _works_consents(plans: list[_Plan], teams: list[list[User]], today: date) -> list[Consent]:
    """The exhibition and online consents most people give for their works: for everyone
    with a stay who has not decided yet, about 85 % given, the rest refused.  Own seeded
    generators, so the rows written before stay what they were."""
    consents: list[Consent] = []
    rngs: dict[int, random.Random] = {}
    for plan in plans:
        if not plan.stays:
            continue
        i = plan.programme_index
        rng = rngs.setdefault(i, random.Random(f"{SEED}-{i}-works-consent"))
        decided = {c.kind for c in plan.consents}
        admitted = plan.stays[0]["admitted_on"]
        for kind in (ConsentKind.EXHIBITION, ConsentKind.ONLINE):
            if kind in decided:
                continue
            consents.append(
                Consent(
                    participant=plan.participant,
                    kind=kind,
                    state=ConsentState.GIVEN if rng.random() < 0.85 else ConsentState.REFUSED,
                    on=min(admitted + timedelta(days=rng.randint(0, 60)), today),
                    method=rng.choice([ConsentMethod.PAPER, ConsentMethod.ORAL]),
                    recorded_by=teams[i][rng.choice([1, 2])],
                )
            )
    return consents


def _works(
    programme: Programme,
    team: list[User],
    plans: list[_Plan],
    media: dict[str, int],
    consent: dict[tuple[int, str], str],
    pictures: dict[str, list[_Picture]],
    today: date,
    rng: random.Random,
    *,
    measured: bool,
) -> tuple[dict[str, int], dict[str, int]]:
    """Works of the last two years, their images, two exhibitions, credits, the gallery."""
    import uuid

    from isa.works.demo import (
        ALT_TEXTS,
        CATALOGUE,
        CREDIT_CHOICES,
        DESCRIPTIONS,
        EXHIBITIONS,
        GALLERY_INTRODUCTION,
        PRESS,
        PSEUDONYMS,
        TEXTS,
        _dimensions,
    )
    from isa.works.models import (
        Credit,
        CreditMode,
        Exhibition,
        ExhibitionWork,
        GallerySettings,
        PressMention,
        Work,
        WorkImage,
        WorkState,
    )

    facilitators = team[3:6]
    start = today - timedelta(days=730)
    # Who could have made something on a given day: accompanied then (not on a pause).
    spans = {plan.participant.pk: _accompanied(plan.stays, today) for plan in plans if plan.stays}
    spans = {pk: s for pk, s in spans.items() if s and s[-1][1] >= start}
    people = {plan.participant.pk: plan.participant for plan in plans}
    # Some people make much more than others: the portfolio has a richest creator.
    keen = {pk: rng.uniform(0.3, 3.0) for pk in sorted(spans)}
    catalogue = [
        (medium, title, techniques, sizes)
        for medium, (titles, techniques, sizes) in CATALOGUE.items()
        for title in titles
    ] + [("writing", title, [technique], [None]) for title, technique, _text in TEXTS]
    texts = {title: text for title, _technique, text in TEXTS}
    rng.shuffle(catalogue)
    works: list[Work] = []
    creators: list[list[int]] = []
    image_count: list[int] = []
    for n in range(WORKS_PER_PROGRAMME):
        medium, title, techniques, sizes = catalogue[n % len(catalogue)]
        if n >= len(catalogue):
            title = f"{title} ({n // len(catalogue) + 1})"
        made_on = today - timedelta(days=int(730 * rng.random() ** 1.3))  # more recent ones
        present = [pk for pk, s in spans.items() if any(a <= made_on <= b for a, b in s)]
        if not present:
            continue
        wanted = min(rng.randint(2, 4) if n < COLLECTIVE_WORKS else 1, len(present))
        chosen: list[int] = []
        while len(chosen) < wanted:
            pk = rng.choices(present, [keen[p] for p in present])[0]
            if pk not in chosen:
                chosen.append(pk)
        size = rng.choice(sizes)
        age = (today - made_on).days
        if age < 45:
            state = WorkState.IN_PROGRESS if rng.random() < 0.6 else WorkState.FINISHED
        elif age > 120:
            state = rng.choice([WorkState.FINISHED] * 6 + [WorkState.GIVEN, WorkState.SOLD])
        else:
            state = WorkState.FINISHED
        works.append(
            Work(
                programme=programme,
                title=title,
                medium_id=media[medium],
                made_on=made_on,
                technique=rng.choice(techniques),
                dimensions=_dimensions(rng, medium, size),
                description=(
                    DESCRIPTIONS[6]
                    if wanted > 1
                    else (rng.choice(DESCRIPTIONS[:6]) if rng.random() < 0.35 else "")
                ),
                text=texts.get(title.split(" (")[0], "") if medium == "writing" else "",
                state=state,
                created_by=rng.choice(facilitators),
            )
        )
        creators.append(chosen)
        image_count.append(0 if medium == "writing" else rng.choices([1, 2, 3], [55, 30, 15])[0])
    # Time order, as the team enters them.
    order = sorted(range(len(works)), key=lambda k: (works[k].made_on, works[k].title))
    works = [works[k] for k in order]
    creators = [creators[k] for k in order]
    image_count = [image_count[k] for k in order]
    Work.objects.bulk_create(works, batch_size=BATCH)
    Work.creators.through.objects.bulk_create(
        [
            Work.creators.through(work_id=w.pk, participant_id=pk)
            for w, pks in zip(works, creators, strict=True)
            for pk in pks
        ],
        batch_size=BATCH,
    )
    medium_code = {pk: code for code, pk in media.items()}
    work_images: list[WorkImage] = []
    for w, count in zip(works, image_count, strict=True):
        code = medium_code[w.medium_id]
        for number in range(count):
            picture = rng.choice(pictures.get(code) or pictures["other"])
            uploaded = timezone.make_aware(
                datetime.combine(w.made_on, clock(rng.randint(9, 16), rng.randint(0, 59)))
            )
            work_images.append(
                WorkImage(
                    work=w,
                    key=uuid.UUID(int=rng.getrandbits(128), version=4),
                    order=number + 1,
                    alt_text=ALT_TEXTS.get(code, "") if number == 0 else f"Détail de « {w.title} »",
                    original=picture.original,
                    display=picture.display,
                    thumbnail=picture.thumbnail,
                    format=picture.format,
                    width=picture.width,
                    height=picture.height,
                    size=picture.size,
                    uploaded_by=w.created_by,
                    uploaded_at=uploaded,
                )
            )
    WorkImage.objects.bulk_create(work_images, batch_size=BATCH)

    # Two exhibitions: last spring's (visitors, press) and one running now; most works shown
    # have the exhibition consent of all their creators, one or two do not yet.
    spring = today.year if today >= date(today.year, 6, 1) else today.year - 1
    shown: set[int] = set()
    exhibitions: list[Exhibition] = []
    members: list[list[Work]] = []
    for (title, venue, description), (starts_on, ends_on, visitors) in zip(
        EXHIBITIONS,
        [
            (date(spring, 4, 10), date(spring, 5, 16), rng.randint(300, 900)),
            (today - timedelta(days=12), today + timedelta(days=40), None),
        ],
        strict=True,
    ):
        ready = [
            (w, pks)
            for w, pks in zip(works, creators, strict=True)
            if w.made_on < starts_on - timedelta(days=7)
            and w.pk not in shown
            and w.state != WorkState.IN_PROGRESS
        ]
        rng.shuffle(ready)
        agreed = [
            w
            for w, pks in ready
            if all(consent.get((pk, ConsentKind.EXHIBITION)) == ConsentState.GIVEN for pk in pks)
        ]
        lacking = [w for w, _pks in ready if w not in agreed]
        chosen_works = agreed[: WORKS_PER_EXHIBITION - 1] + lacking[:1]
        shown.update(w.pk for w in chosen_works)
        exhibitions.append(
            Exhibition(
                programme=programme,
                title=title,
                venue=venue,
                starts_on=starts_on,
                ends_on=ends_on,
                description=description,
                visitors=visitors,
                created_by=team[0],
            )
        )
        members.append(chosen_works)
    Exhibition.objects.bulk_create(exhibitions)
    ExhibitionWork.objects.bulk_create(
        [
            ExhibitionWork(exhibition=e, work=w, order=k + 1)
            for e, ws in zip(exhibitions, members, strict=True)
            for k, w in enumerate(ws)
        ]
    )
    if measured:
        # The catalogue embeds the first image of each work, and ReportLab embeds the same
        # picture only once: in the measured exhibitions every work gets a picture of its
        # own, as in real life (about twenty more files).
        first_images = {img.work_id: img for img in work_images if img.order == 1}
        for k, w in enumerate(w for ws in members for w in ws):
            image = first_images.get(w.pk)
            if image is None:
                continue
            code = medium_code[w.medium_id]
            picture = _picture(code, 100 + k, None, f"works/bench/shown-{k}")
            for name in ("original", "display", "thumbnail", "format", "width", "height"):
                setattr(image, name, getattr(picture, name))
            image.size = picture.size
            image.save(
                update_fields=[
                    "original",
                    "display",
                    "thumbnail",
                    "format",
                    "width",
                    "height",
                    "size",
                ]
            )
    exhibited = [w.pk for ws in members for w in ws if w.state == WorkState.FINISHED]
    Work.objects.filter(pk__in=exhibited).update(state=WorkState.EXHIBITED)
    press = [
        PressMention(
            exhibition=exhibitions[0],
            outlet=outlet,
            on=exhibitions[0].starts_on + timedelta(days=day),
            title=headline,
        )
        for outlet, day, headline in PRESS
    ]
    PressMention.objects.bulk_create(press)

    # Each creator's choice of how to be named (some have not chosen: anonymous).
    credits = []
    pseudonyms = iter(PSEUDONYMS)
    for k, pk in enumerate(sorted({pk for pks in creators for pk in pks})):
        mode = CREDIT_CHOICES[k % len(CREDIT_CHOICES)]
        if mode is None:
            continue
        pseudonym = next(pseudonyms, "") if mode == CreditMode.PSEUDONYM else ""
        if mode == CreditMode.PSEUDONYM and not pseudonym:
            mode = CreditMode.FIRST_NAME
        credits.append(
            Credit(participant=people[pk], mode=mode, pseudonym=pseudonym, updated_by=team[1])
        )
    Credit.objects.bulk_create(credits)
    # The gallery: open in the measured programme, in about half of the others.
    first = measured
    GallerySettings.objects.create(
        programme=programme,
        enabled=first or rng.random() < 0.5,
        introduction=GALLERY_INTRODUCTION if first else "",
        updated_by=team[0],
    )

    # What the benchmark measures in the first programme.
    per_creator: dict[int, int] = {}
    for pks in creators:
        for pk in pks:
            per_creator[pk] = per_creator.get(pk, 0) + 1
    richest = max(sorted(per_creator), key=lambda pk: per_creator[pk])
    with_images = max(
        zip(works, creators, image_count, strict=True),
        key=lambda t: (t[2], len(t[1]), t[0].made_on),
    )[0]
    info = {
        "portfolio_participant_id": richest,
        "work_id": with_images.pk,
        "exhibition_id": exhibitions[0].pk,
    }
    counts = {
        "works": len(works),
        "of which collective": sum(1 for pks in creators if len(pks) > 1),
        "work images": len(work_images),
        "exhibitions": len(exhibitions),
        "works exhibited": sum(len(ws) for ws in members),
        "credits": len(credits),
    }
    return counts, info


# -- evaluation --------------------------------------------------------------------------------

#: The shipped questionnaires, in two rounds: at entry and about six months later.
INSTRUMENTS = ("who5", "djg6", "rses", "osss3", "gse")
#: The questionnaire tool exists since this many years: people accompanied earlier have none.
EVALUATION_YEARS = 3
#: People of a programme with an effects grid (both perspectives, one or two rounds).
EFFECTS_PEOPLE = 9

MEDICATION_PATTERNS = [
    {"antidepressants": "reduced"},
    {"antidepressants": "stopped"},
    {"antidepressants": "same", "anxiolytics": "reduced"},
    {"antipsychotics": "same"},
    {"opioid_substitution": "same"},
    {"antidepressants": "reduced", "anxiolytics": "stopped"},
    {},
    {"antidepressants": "increased"},
]


def _answers(instrument: Any, level: float, rng: random.Random) -> dict[int, int | None]:
    """Answers whose primary score sits around ``level`` (0 = worst, 1 = best), as the
    evaluation demo draws them."""
    position = level if instrument.primary.higher_is_better else 1 - level
    answers: dict[int, int | None] = {}
    for item in instrument.items:
        options = sorted(o.value for o in instrument.options_for(item))
        pos = 1 - position if item.reverse else position
        index = round(pos * (len(options) - 1) + rng.uniform(-0.6, 0.6))
        answers[item.number] = options[min(max(index, 0), len(options) - 1)]
    return answers


def _evaluation(
    programme: Programme,
    team: list[User],
    plans: list[_Plan],
    consent: dict[tuple[int, str], str],
    today: date,
    rng: random.Random,
) -> tuple[dict[str, int], dict[str, int]]:
    """Questionnaires (two rounds), effects grids and health indicators of one programme.

    The rows hold what ``evaluation.services`` would store — the instrument's code, version,
    title and hash, the answers keyed by item number, ``score(answers).as_json()``, the
    primary value, the signal and the status (complete, partial or declined) — written with
    ``bulk_create``: no audit event, and no ``questionnaire_scored`` signal (so the watch's
    low-score rule raises no alert for them)."""
    from isa.evaluation.catalogue import instrument_hash
    from isa.evaluation.effects import EFFECTS
    from isa.evaluation.instruments import get_instrument
    from isa.evaluation.models import (
        Administration,
        AdministrationStatus,
        EffectAssessment,
        HealthPeriod,
        Mode,
        PeriodKind,
        Perspective,
    )

    instruments = [get_instrument(code) for code in INSTRUMENTS]
    meta = {i.code: (instrument_hash(i), str(i.title)[:200]) for i in instruments}
    worker = team[1]
    since = today - timedelta(days=EVALUATION_YEARS * 365)
    administrations: list[Administration] = []
    rounds: dict[int, int] = {}
    evaluated: list[tuple[_Plan, date, date]] = []  # (plan, entry, end of the last stay)
    for plan in plans:
        if not plan.stays:
            continue
        stay = plan.stays[-1]
        entry = stay["admitted_on"]
        end = stay["exited_on"] or today
        first_on = entry + timedelta(days=rng.randint(3, 20))
        if first_on < since or first_on > min(end, today):
            continue
        evaluated.append((plan, entry, end))
        if rng.random() < 0.1:
            continue  # the newest, or someone never asked: nothing yet
        second_on = first_on + timedelta(days=rng.randint(175, 200))
        trend = rng.random()
        delta = (
            rng.uniform(0.08, 0.3)
            if trend < 0.62
            else (-rng.uniform(0.1, 0.25) if trend > 0.92 else rng.uniform(-0.05, 0.05))
        )
        for instrument in instruments:
            if instrument.code != "who5" and rng.random() < 0.15:
                continue
            level = rng.uniform(0.25, 0.55)
            for number, on in enumerate((first_on, second_on)):
                if on > min(end, today):
                    break
                row = Administration(
                    programme=programme,
                    participant=plan.participant,
                    instrument_code=instrument.code,
                    instrument_version=instrument.version,
                    instrument_hash=meta[instrument.code][0],
                    instrument_title=meta[instrument.code][1],
                    on=on,
                    mode=Mode.TABLET if rng.random() < 0.5 else Mode.PAPER,
                    entered_by=worker,
                )
                if rng.random() < (0.08 if number == 0 else 0.1):
                    row.mode = Mode.PAPER
                    row.status = AdministrationStatus.DECLINED  # "not today"
                else:
                    value = min(max(level + number * delta + rng.uniform(-0.05, 0.05), 0.02), 0.98)
                    answers = _answers(instrument, value, rng)
                    if number and rng.random() < 0.07 and len(answers) > 3:
                        answers[max(answers)] = None  # a question skipped
                    result = instrument.score(answers)
                    row.answers = {str(k): answers.get(k) for k in sorted(answers)}
                    row.scores = result.as_json()
                    row.primary_value = result.primary.value
                    row.signal = bool(result.signal)
                    row.status = (
                        AdministrationStatus.COMPLETE
                        if result.complete
                        else AdministrationStatus.PARTIAL
                    )
                    if number:
                        rounds[plan.participant.pk] = rounds.get(plan.participant.pk, 0) + 1
                administrations.append(row)
    administrations.sort(key=lambda a: a.on)  # entered in time order
    Administration.objects.bulk_create(administrations, batch_size=BATCH)

    # The effects grid, from both perspectives, for some of the people accompanied now.
    assessments: list[EffectAssessment] = []
    current = [
        (plan, entry, end) for plan, entry, end in evaluated if plan.participant.is_occupying
    ]
    for index, (plan, entry, _end) in enumerate(current[:EFFECTS_PEOPLE]):
        dates = [min(entry + timedelta(days=rng.randint(60, 90)), today)]
        later = dates[0] + timedelta(days=rng.randint(170, 200))
        if later <= today:
            dates.append(later)
        for round_index, on in enumerate(dates):
            for perspective in (Perspective.PARTICIPANT, Perspective.PROFESSIONAL):
                values = {}
                for effect in EFFECTS:
                    if effect.perverse:
                        level = 1 + (rng.random() < 0.35) + (index == 2 and round_index == 1)
                    else:
                        level = rng.choice([3, 3, 4, 4, 4, 5] if round_index else [3, 3, 3, 4])
                        if effect.code == "isolation":
                            level = 6 - level
                    comment = "Vient plus volontiers à l'atelier." if rng.random() < 0.2 else ""
                    values[effect.code] = {"level": level, "comment": comment}
                assessments.append(
                    EffectAssessment(
                        programme=programme,
                        participant=plan.participant,
                        on=on,
                        perspective=perspective,
                        values=values,
                        entered_by=worker,
                    )
                )
    EffectAssessment.objects.bulk_create(assessments, batch_size=BATCH)

    # Health indicators, only for people whose health-data consent is in force.
    periods: list[HealthPeriod] = []
    year = timedelta(days=365)
    for index, (plan, entry, end) in enumerate(evaluated):
        if consent.get((plan.participant.pk, ConsentKind.HEALTH)) != ConsentState.GIVEN:
            continue
        before = Decimal(rng.randint(6000, 26000)) + Decimal(rng.randint(0, 99)) / 100
        hospital = rng.choice([0, 0, 0, 5, 12, 21, 30])
        emergency = rng.choice([0, 1, 1, 2, 3, 4])
        common = {
            "programme": programme,
            "participant": plan.participant,
            "cost_source": "Décompte annuel de l'assurance maladie",
            "entered_by": worker,
        }
        periods.append(
            HealthPeriod(
                kind=PeriodKind.BASELINE,
                starts_on=entry - year,
                ends_on=entry - timedelta(days=1),
                costs_chf=before,
                hospital_days=hospital,
                emergency_visits=emergency,
                **common,
            )
        )
        last = min(end, today)
        if last - entry < year:
            continue
        factor = (
            Decimal("1.08") if index % 7 == 3 else Decimal(str(round(rng.uniform(0.25, 0.62), 2)))
        )
        periods.append(
            HealthPeriod(
                kind=PeriodKind.FOLLOW_UP,
                starts_on=last - year,
                ends_on=last - timedelta(days=1),
                costs_chf=(before * factor).quantize(Decimal("0.05")),
                hospital_days=max(hospital - rng.choice([0, 5, 10, 21]), 0),
                emergency_visits=max(emergency - rng.choice([0, 1, 2]), 0),
                medications=MEDICATION_PATTERNS[index % len(MEDICATION_PATTERNS)],
                **common,
            )
        )
    HealthPeriod.objects.bulk_create(periods, batch_size=BATCH)

    # The person measured: the richest in two rounds (the benchmark's file person if so).
    two = sorted(rounds, key=lambda pk: (-rounds[pk], pk))
    info = {"evaluation_participant_id": two[0] if two else 0}
    counts = {
        "questionnaires": len(administrations),
        "of which declined": sum(
            1 for a in administrations if a.status == AdministrationStatus.DECLINED
        ),
        "effects grids": len(assessments),
        "health periods": len(periods),
    }
    return counts, info


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
        # The people of earlier years come last, with their own generators: the 30 files of
        # each programme (and the audit events) stay exactly what they were without them.
        for i, programme in enumerate(programmes):
            archive_rng = random.Random(f"{SEED}-{i}-archive")
            for _k in range(ARCHIVED):
                plan = _plan_participant(programme, i, "archived", today, archive_rng)
                plan.rng = archive_rng
                plans.append(plan)
        Participant.objects.bulk_create([p.participant for p in plans], batch_size=BATCH)

        referrals: list[Referral] = []
        stays: list[Stay] = []
        stay_pauses: list[list[dict[str, Any]]] = []
        milestones: list[Milestone] = []
        pacts: list[Pact] = []
        consents: list[Consent] = []
        for plan in plans:
            team = teams[plan.programme_index]
            rng = plan.rng or rngs[plan.programme_index]
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
            plan.pacts = pa
            plan.consents = c
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
        consents += _works_consents(plans, teams, today)
        Consent.objects.bulk_create(consents, batch_size=BATCH)

        presence_counts: dict[str, int] = {}
        builtin_media = dict(
            Medium.objects.filter(organisation__isnull=True).values_list("code", "pk")
        )
        for i, programme in enumerate(programmes):
            own = [plan for plan in plans if plan.programme_index == i]
            for key, value in _presence(
                programme,
                teams[i],
                own,
                builtin_media,
                today,
                random.Random(f"{SEED}-{i}-presence"),
            ).items():
                presence_counts[key] = presence_counts.get(key, 0) + value

        # Works and evaluation, programme by programme, each with its own generators.
        consent = _consent_states(consents, today)
        pictures = _pictures()
        works_counts: dict[str, int] = {}
        measured_info: dict[str, int] = {}
        for i, programme in enumerate(programmes):
            own = [plan for plan in plans if plan.programme_index == i]
            w_counts, w_info = _works(
                programme,
                teams[i],
                own,
                builtin_media,
                consent,
                pictures,
                today,
                random.Random(f"{SEED}-{i}-works"),
                measured=i == 0,
            )
            e_counts, e_info = _evaluation(
                programme, teams[i], own, consent, today, random.Random(f"{SEED}-{i}-evaluation")
            )
            for key, value in {**w_counts, **e_counts}.items():
                works_counts[key] = works_counts.get(key, 0) + value
            if i == 0:
                measured_info = {**w_info, **e_info}

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
            **presence_counts,
            **works_counts,
        },
        seconds=time.perf_counter() - started,
        **measured_info,
    )
