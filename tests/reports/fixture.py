"""A fixture programme whose every report figure was computed by hand (see the comments):
seven people over 2024 and 2025 in a programme of its own."""

from __future__ import annotations

from datetime import date, time

from isa.core.models import Organisation, Programme
from isa.evaluation.models import Administration, EffectAssessment, HealthPeriod
from isa.people.models import Consent, Pact, Participant, Pause, Referral, Stay
from isa.presence.models import Medium, Presence, Session, Workshop
from isa.works.models import Exhibition, PressMention, Work

D = date


def person(programme: Programme, name: str) -> Participant:
    return Participant.objects.create(
        programme=programme,
        last_name=name,
        official_first_names="Test",
        birth_date=D(1970, 1, 1),
        status="active",
    )


def build(name: str = "Atelier fixture") -> Programme:
    org = Organisation.objects.create(name=f"Organisation {name}")
    prog = Programme.objects.create(
        organisation=org,
        name=name,
        place="Sion",
        capacity=10,
        annual_budget_chf=60000,
    )
    p = {i: person(prog, f"P{i}") for i in range(1, 8)}
    # stays
    Stay.objects.create(participant=p[1], admitted_on=D(2023, 6, 1))
    Stay.objects.create(participant=p[2], admitted_on=D(2025, 2, 1))
    Stay.objects.create(
        participant=p[3], admitted_on=D(2024, 1, 10), exited_on=D(2025, 3, 31), exit_reason="health"
    )
    Stay.objects.create(
        participant=p[4],
        admitted_on=D(2022, 1, 1),
        exited_on=D(2023, 12, 31),
        exit_reason="employment",
    )
    Stay.objects.create(participant=p[4], admitted_on=D(2025, 5, 1))
    s5 = Stay.objects.create(participant=p[5], admitted_on=D(2025, 1, 15))
    Pause.objects.create(stay=s5, started_on=D(2025, 6, 1), ended_on=D(2025, 6, 30))
    Stay.objects.create(
        participant=p[7],
        admitted_on=D(2025, 9, 1),
        exited_on=D(2025, 10, 31),
        exit_reason="own_choice",
    )
    # referrals
    for who, on, service, status, changed in (
        (1, D(2023, 5, 1), "CMS de Sion", "welcomed", D(2023, 6, 1)),
        (2, D(2025, 1, 2), "CMS de Sion", "welcomed", D(2025, 2, 1)),
        (4, D(2025, 4, 1), "Psychiatrie", "welcomed", D(2025, 5, 1)),
        (5, D(2024, 12, 1), "CMS de Sion", "welcomed", D(2025, 1, 15)),
        (6, D(2025, 11, 1), "CMS de Sion", "waiting", D(2025, 11, 1)),
    ):
        Referral.objects.create(
            participant=p[who],
            referred_on=on,
            referring_service=service,
            status=status,
            status_changed_on=changed,
        )
    p[6].status = "waiting"
    p[6].save()
    # pacts
    Pact.objects.create(participant=p[1], valid_from=D(2023, 6, 1), half_days=["mon_am"])
    Pact.objects.create(participant=p[2], valid_from=D(2025, 2, 1), half_days=["mon_am"])
    Pact.objects.create(participant=p[3], valid_from=D(2024, 1, 10), half_days=["mon_am"])
    Pact.objects.create(participant=p[5], valid_from=D(2025, 1, 15), half_days=["tue_am"])
    # sessions, Monday mornings 9:00-12:00
    workshop = Workshop.objects.create(programme=prog, title="Peinture")
    sessions = {
        day: Session.objects.create(
            workshop=workshop, on=day, part="am", starts_at=time(9), ends_at=time(12)
        )
        for day in (D(2024, 3, 4), D(2025, 3, 3), D(2025, 3, 10), D(2025, 3, 17))
    }
    painting = Medium.objects.get(code="painting", organisation=None)
    drawing = Medium.objects.get(code="drawing", organisation=None)
    for who, day, medium in (
        (1, D(2024, 3, 4), painting),
        (3, D(2024, 3, 4), painting),
        (1, D(2025, 3, 3), painting),
        (1, D(2025, 3, 10), painting),
        (2, D(2025, 3, 3), painting),
        (2, D(2025, 3, 10), drawing),
        (2, D(2025, 3, 17), painting),
        (3, D(2025, 3, 17), None),
    ):
        Presence.objects.create(session=sessions[day], participant=p[who], medium=medium)
    Presence.objects.create(session=sessions[D(2025, 3, 17)], participant=p[1], state="absent")
    # works, an exhibition, press
    for title, medium in (("A", painting), ("B", painting), ("C", drawing)):
        Work.objects.create(programme=prog, title=title, medium=medium, made_on=D(2025, 4, 1))
    expo = Exhibition.objects.create(
        programme=prog, title="Couleurs", venue="Sion", starts_on=D(2025, 6, 1), visitors=120
    )
    for day in (D(2025, 6, 2), D(2025, 6, 20)):
        PressMention.objects.create(exhibition=expo, outlet="Le Nouvelliste", on=day, title="x")
    # questionnaires (WHO-5, percent score): P1 40 → 80, P2 50 → 52, P3 80 → 20; P4 once;
    # P5 declined.
    for who, on, value in (
        (1, D(2024, 6, 1), 40.0),
        (1, D(2025, 6, 1), 80.0),
        (2, D(2025, 2, 10), 50.0),
        (2, D(2025, 11, 1), 52.0),
        (3, D(2024, 2, 1), 80.0),
        (3, D(2025, 2, 1), 20.0),
        (4, D(2025, 6, 1), 55.0),
    ):
        Administration.objects.create(
            programme=prog,
            participant=p[who],
            instrument_code="who5",
            instrument_version="1998",
            on=on,
            mode="paper",
            status="complete",
            primary_value=value,
        )
    Administration.objects.create(
        programme=prog,
        participant=p[5],
        instrument_code="who5",
        instrument_version="1998",
        on=D(2025, 3, 1),
        mode="paper",
        status="declined",
    )
    # effects grid
    for who, view, values in (
        (1, "participant", {"isolation": {"level": 4}, "protective_island": {"level": 2}}),
        (2, "participant", {"isolation": {"level": 5}}),
        (1, "professional", {"isolation": {"level": 3}}),
    ):
        EffectAssessment.objects.create(
            programme=prog, participant=p[who], on=D(2025, 10, 1), perspective=view, values=values
        )
    # health: P1 and P3 consent; P2 consented, then withdrew (not counted)
    for who, state, on in (
        (1, "given", D(2023, 6, 1)),
        (2, "given", D(2025, 2, 1)),
        (2, "withdrawn", D(2025, 12, 1)),
        (3, "given", D(2024, 1, 10)),
    ):
        Consent.objects.create(
            participant=p[who], kind="health", state=state, on=on, method="paper"
        )
    for who, kind, start, end, costs, hospital, emergency, meds in (
        (1, "baseline", D(2022, 6, 1), D(2023, 5, 31), 10000, 20, 2, {}),
        (1, "follow_up", D(2025, 1, 1), D(2025, 12, 31), 4000, 0, 1,
         {"antidepressants": "reduced"}),
        (2, "baseline", D(2024, 2, 1), D(2025, 1, 31), 9000, 5, 1, {}),
        (2, "follow_up", D(2025, 2, 1), D(2025, 12, 31), 1000, 0, 0, {}),
        (3, "baseline", D(2023, 1, 10), D(2024, 1, 9), 6000, 10, 0, {}),
        (3, "follow_up", D(2024, 4, 1), D(2025, 3, 31), 5000, 0, 0,
         {"antidepressants": "stopped"}),
    ):  # fmt: skip
        HealthPeriod.objects.create(
            programme=prog,
            participant=p[who],
            kind=kind,
            starts_on=start,
            ends_on=end,
            costs_chf=costs,
            hospital_days=hospital,
            emergency_visits=emergency,
            medications=meds,
        )
    return prog
