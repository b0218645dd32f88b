"""Participants and their files: referrals, stays, pauses, warming-up moments, pact versions
and consents, for the 30 current files of a programme and the people of earlier years."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from isa.core.models import Programme, User
from isa.people.demo import PACT_SHAPES
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

from .common import BATCH, HISTORY_YEARS, SEED, Plan, avs, days_ago, slug
from .names import FIRST_NAMES, LANGUAGES, LAST_NAMES, PLACES, STREETS

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
#: People accompanied in the programme's earlier years who have left, on top of the 30
#: files of PARTICIPANT_PLAN (one stay each, long since ended).
ARCHIVED = 100

CONTEXTS = [
    "Personne orientée pour reprendre un rythme et rencontrer du monde.",
    "Aime dessiner, hésite à venir seule la première fois.",
    "Vit seul depuis longtemps; aimerait travailler le bois.",
    "",
]

#: Makes a referral's fields: (referred on, status, status changed on, note).
ReferralMaker = Callable[..., dict[str, Any]]


def _identity(programme: Programme, index: int, rng: random.Random) -> Participant:
    official, usual, gender = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    place = PLACES[index % len(PLACES)]
    return Participant(
        programme=programme,
        last_name=last,
        official_first_names=official,
        usual_first_name=usual,
        birth_date=date(rng.randint(1960, 2004), rng.randint(1, 12), rng.randint(1, 28)),
        gender=gender,
        languages=rng.choice(LANGUAGES),
        phone=f"07{rng.choice('6789')} {rng.randint(100, 999)} {rng.randint(10, 99)} "
        f"{rng.randint(10, 99)}",
        email=f"{slug(usual or official)}.{slug(last)}@example.org" if rng.random() < 0.4 else "",
        address=f"{rng.choice(STREETS)} {rng.randint(1, 60)}\n{rng.randint(1000, 3999)} {place}",
        avs_number=avs(rng) if rng.random() < 0.6 else "",
        social_aid_reference=f"AS-{rng.randint(2015, 2025)}-{rng.randint(1000, 9999)}"
        if rng.random() < 0.5
        else "",
        # Participant.save computes it; bulk_create does not call save.
        search_name=normalize_name(f"{last} {usual} {official}"),
    )


def _referral_maker(service: str, rng: random.Random) -> ReferralMaker:
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

    return referral


def _welcomed(
    referral: ReferralMaker, admitted: date, rng: random.Random, days: tuple[int, int] = (7, 90)
) -> dict[str, Any]:
    """The referral that led to an admission, some ``days`` before it."""
    referred_on = admitted - timedelta(days=rng.randint(*days))
    return referral(referred_on, ReferralStatus.WELCOMED, admitted)


def _plan_archived(plan: Plan, referral: ReferralMaker, today: date, rng: random.Random) -> None:
    """Came in the programme's earlier years and left at least a year ago."""
    admitted = days_ago(today, rng, 420, HISTORY_YEARS * 365 + 180)
    exited = min(
        admitted + timedelta(days=rng.randint(150, 1300)),
        today - timedelta(days=rng.randint(365, 420)),
    )
    exited = max(exited, admitted + timedelta(days=30))
    pauses = []
    if rng.random() < 0.3 and (exited - admitted).days > 90:
        start = admitted + timedelta(days=rng.randint(5, 25))
        pauses.append({"started_on": start, "ended_on": start + timedelta(days=rng.randint(7, 30))})
    reason = rng.choice(ExitReason.values)
    plan.stays.append(
        {"admitted_on": admitted, "exited_on": exited, "exit_reason": reason, "pauses": pauses}
    )
    plan.referrals.append(_welcomed(referral, admitted, rng))
    plan.participant.status = Status.EXITED
    plan.participant.accompanied_since = admitted


def _plan_returned(plan: Plan, referral: ReferralMaker, today: date, rng: random.Random) -> None:
    """Left once for health reasons and came back: two stays on the same file."""
    first_admission = days_ago(today, rng, 1000, 1600)
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
    plan.referrals.append(_welcomed(referral, first_admission, rng))
    plan.referrals.append(_welcomed(referral, second_admission, rng, (5, 30)))
    plan.participant.status = Status.ACTIVE
    plan.participant.accompanied_since = first_admission


def _plan_exited(plan: Plan, referral: ReferralMaker, today: date, rng: random.Random) -> None:
    admitted = days_ago(today, rng, 400, 1500)
    exited = admitted + timedelta(days=rng.randint(30, 360))
    reason = rng.choice(ExitReason.values)
    plan.stays.append(
        {"admitted_on": admitted, "exited_on": exited, "exit_reason": reason, "pauses": []}
    )
    plan.referrals.append(_welcomed(referral, admitted, rng))
    plan.participant.status = Status.EXITED
    plan.participant.accompanied_since = admitted


def _plan_current(plan: Plan, referral: ReferralMaker, today: date, rng: random.Random) -> None:
    """Holding a place now: on a pause since a few days (``paused``), or with a short pause
    behind them now and then."""
    admitted = days_ago(today, rng, 60, 1100)
    pauses = []
    if plan.kind == "paused":
        pauses.append({"started_on": days_ago(today, rng, 3, 40), "ended_on": None})
    elif rng.random() < 0.3:
        start = admitted + timedelta(days=rng.randint(5, 40))
        pauses.append({"started_on": start, "ended_on": start + timedelta(days=rng.randint(7, 15))})
    plan.stays.append({"admitted_on": admitted, "exited_on": None, "pauses": pauses})
    plan.referrals.append(_welcomed(referral, admitted, rng))
    plan.participant.status = Status.PAUSED if plan.kind == "paused" else Status.ACTIVE
    plan.participant.accompanied_since = admitted


def _plan_waiting(plan: Plan, referral: ReferralMaker, today: date, rng: random.Random) -> None:
    on = days_ago(today, rng, 3, 120)
    status = ReferralStatus.WAITING if plan.kind == "waiting" else ReferralStatus.RECEIVED
    changed = min(on + timedelta(days=rng.randint(0, 10)), today)
    plan.referrals.append(referral(on, status, changed, "Premier téléphone fait"))
    plan.participant.status = Status.WAITING


def _plan_not_taken_up(
    plan: Plan, referral: ReferralMaker, today: date, rng: random.Random
) -> None:
    on = days_ago(today, rng, 100, 400)
    changed = on + timedelta(days=rng.randint(10, 50))
    plan.referrals.append(
        referral(on, ReferralStatus.NOT_TAKEN_UP, changed, "N'a pas souhaité venir")
    )
    plan.participant.status = Status.NOT_TAKEN_UP


PLANNERS: dict[str, Callable[[Plan, ReferralMaker, date, random.Random], None]] = {
    "archived": _plan_archived,
    "returned": _plan_returned,
    "exited": _plan_exited,
    "active": _plan_current,
    "paused": _plan_current,
    "waiting": _plan_waiting,
    "received": _plan_waiting,
    "not_taken_up": _plan_not_taken_up,
}


def plan_participant(
    programme: Programme, index: int, kind: str, today: date, rng: random.Random
) -> Plan:
    """One person of ``kind`` (see PARTICIPANT_PLAN, or "archived"), with their referrals
    and stays, before any row is written."""
    plan = Plan(_identity(programme, index, rng), kind, index)
    place = PLACES[index % len(PLACES)]
    service = f"CMS de {place}" if rng.random() < 0.7 else "Office AI (fictif)"
    PLANNERS[kind](plan, _referral_maker(service, rng), today, rng)
    return plan


def plan_people(programmes: list[Programme], today: date, rngs: list[random.Random]) -> list[Plan]:
    """The 30 current files of every programme, then the people of earlier years."""
    plans: list[Plan] = []
    for i, programme in enumerate(programmes):
        plans.extend(
            plan_participant(programme, i, kind, today, rngs[i]) for kind in PARTICIPANT_PLAN
        )
    # The people of earlier years come last, with their own generators: the 30 files of
    # each programme (and the audit events) stay exactly what they were without them.
    for i, programme in enumerate(programmes):
        archive_rng = random.Random(f"{SEED}-{i}-archive")
        for _k in range(ARCHIVED):
            plan = plan_participant(programme, i, "archived", today, archive_rng)
            plan.rng = archive_rng
            plans.append(plan)
    return plans


# -- the rows of each file ---------------------------------------------------------------------


def _stay_milestones(
    p: Participant, stay: dict[str, Any], worker: User, today: date, rng: random.Random
) -> list[Milestone]:
    """The warming-up moments of one stay: the visit, the first workshop, and (often) the
    day the person came regularly."""
    admitted = stay["admitted_on"]
    milestones = [
        Milestone(
            participant=p,
            kind=MilestoneKind.FIRST_VISIT,
            on=admitted - timedelta(days=rng.randint(0, 5)),
            note="Visite de l'atelier avec un café",
            recorded_by=worker,
        ),
        Milestone(
            participant=p, kind=MilestoneKind.FIRST_WORKSHOP, on=admitted, recorded_by=worker
        ),
    ]
    if rng.random() < 0.7:
        regular = min(admitted + timedelta(days=rng.randint(30, 150)), stay["exited_on"] or today)
        milestones.append(
            Milestone(participant=p, kind=MilestoneKind.REGULAR, on=regular, recorded_by=worker)
        )
    return milestones


def _stay_pacts(
    p: Participant, stay: dict[str, Any], worker: User, today: date, rng: random.Random
) -> list[Pact]:
    """The pact versions of one stay: one half-day to begin, more after a month or two, and
    on long stays now and then a renegotiated rhythm."""
    admitted = stay["admitted_on"]
    shape = rng.choice(PACT_SHAPES)
    first = Pact(
        participant=p,
        valid_from=admitted,
        half_days=shape[:1],
        note="Pour commencer, une demi-journée.",
        recorded_by=worker,
    )
    pacts = [first]
    span = ((stay["exited_on"] or today) - admitted).days
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
    return pacts


def _consent(p: Participant, kind: str, state: str, on: date, method: str, **extra: Any) -> Consent:
    """One decision, recorded by ``extra["recorded_by"]``."""
    return Consent(participant=p, kind=kind, state=state, on=on, method=method, **extra)


def _admission_consents(
    p: Participant, admitted: date, worker: User, today: date, rng: random.Random
) -> list[Consent]:
    """Data consent on paper at admission; health, exhibition and photo decided in the
    first fortnight by most; a few photo consents withdrawn later."""
    given = ConsentState.GIVEN
    by = {"recorded_by": worker}
    consents = [_consent(p, ConsentKind.DATA, given, admitted, ConsentMethod.PAPER, **by)]
    for kind in (ConsentKind.HEALTH, ConsentKind.EXHIBITION, ConsentKind.PHOTO):
        if rng.random() >= 0.7:
            continue
        gives = rng.random() < 0.75
        on = admitted + timedelta(days=rng.randint(0, 14))
        method = rng.choice([ConsentMethod.PAPER, ConsentMethod.ORAL])
        state = given if gives else ConsentState.REFUSED
        consents.append(_consent(p, kind, state, on, method, **by))
        if gives and kind == ConsentKind.PHOTO and rng.random() < 0.2:
            on = min(admitted + timedelta(days=rng.randint(30, 200)), today)
            note = "Ne souhaite plus apparaître sur les photos."
            withdrawn = ConsentState.WITHDRAWN
            consents.append(_consent(p, kind, withdrawn, on, ConsentMethod.ORAL, note=note, **by))
    return consents


def history_rows(
    plan: Plan, team: list[User], today: date, rng: random.Random
) -> tuple[list[Milestone], list[Pact], list[Consent]]:
    """Warming-up moments, pact versions and consents of one file."""
    p = plan.participant
    worker = team[rng.choice([1, 2])]
    milestones: list[Milestone] = []
    pacts: list[Pact] = []
    contact = min(plan.referrals[0]["referred_on"] + timedelta(days=rng.randint(1, 7)), today)
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
        milestones.extend(_stay_milestones(p, stay, worker, today, rng))
        pacts.extend(_stay_pacts(p, stay, worker, today, rng))
    consents: list[Consent] = []
    if plan.stays:
        consents = _admission_consents(p, plan.stays[0]["admitted_on"], worker, today, rng)
    elif rng.random() < 0.5:
        given, oral = ConsentState.GIVEN, ConsentMethod.ORAL
        on = min(contact, today)
        consents = [_consent(p, ConsentKind.DATA, given, on, oral, recorded_by=worker)]
    return milestones, pacts, consents


def _referral_rows(plan: Plan, team: list[User], rng: random.Random) -> list[Referral]:
    return [
        Referral(
            participant=plan.participant,
            referred_by=team[6] if rng.random() < 0.4 else team[1],
            **r,
        )
        for r in plan.referrals
    ]


def _stay_row(p: Participant, stay: dict[str, Any], head: User) -> Stay:
    exited = stay["exited_on"]
    return Stay(
        participant=p,
        admitted_on=stay["admitted_on"],
        exited_on=exited,
        exit_reason=stay.get("exit_reason", ""),
        exit_comment="A trouvé une place ailleurs." if exited else "",
        admitted_by=head,
        exited_by=head if exited else None,
    )


def write_people(
    plans: list[Plan], teams: list[list[User]], today: date, rngs: list[random.Random]
) -> tuple[dict[str, int], list[Consent]]:
    """Write every file but its consents, which are returned (the works add theirs before
    they are written): the counts by kind of row, and the consents."""
    Participant.objects.bulk_create([p.participant for p in plans], batch_size=BATCH)
    referrals: list[Referral] = []
    stays: list[Stay] = []
    stay_pauses: list[list[dict[str, Any]]] = []
    milestones: list[Milestone] = []
    consents: list[Consent] = []
    for plan in plans:
        team = teams[plan.programme_index]
        rng = plan.rng or rngs[plan.programme_index]
        referrals.extend(_referral_rows(plan, team, rng))
        stays.extend(_stay_row(plan.participant, s, team[0]) for s in plan.stays)
        stay_pauses.extend(s["pauses"] for s in plan.stays)
        m, plan.pacts, plan.consents = history_rows(plan, team, today, rng)
        milestones.extend(m)
        consents.extend(plan.consents)
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    Stay.objects.bulk_create(stays, batch_size=BATCH)
    pauses = [
        Pause(stay=stay, reason="Raisons de santé" if k % 2 else "", **pause)
        for k, (stay, plist) in enumerate(zip(stays, stay_pauses, strict=True))
        for pause in plist
    ]
    Pause.objects.bulk_create(pauses, batch_size=BATCH)
    Milestone.objects.bulk_create(milestones, batch_size=BATCH)
    pacts = [pact for plan in plans for pact in plan.pacts]
    Pact.objects.bulk_create(pacts, batch_size=BATCH)
    counts = {"participants": len(plans), "referrals": len(referrals), "stays": len(stays)}
    counts |= {"pauses": len(pauses), "milestones": len(milestones), "pacts": len(pacts)}
    return counts, consents
