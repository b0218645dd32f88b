"""Demo participants for ISA Sion: about 22 accompanied, a few waiting, a few who left,
one who came back.  Every person is fictional; dates are relative to the day of seeding."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from isa.core.actor import Actor
from isa.core.demo import demo_actor
from isa.core.models import Programme, User
from isa.people import services
from isa.people.models import (
    ConsentKind,
    ConsentMethod,
    ConsentState,
    ExitReason,
    MilestoneKind,
    Participant,
    ReferralStatus,
)

# (last name, official first names, usual first name, gender, languages)
PEOPLE = [
    ("Zufferey", "Jean-Marc", "", "homme", "français"),
    ("Crettenand", "Marie-Claude", "", "femme", "français"),
    ("Da Silva", "João Pedro", "João", "homme", "português, français"),
    ("Métrailler", "Sylvie Anne", "Sylvie", "femme", "français"),
    ("Berisha", "Arben", "", "homme", "shqip, français"),
    ("Fournier", "Patrick", "", "homme", "français"),
    ("Salamin", "Chantal", "", "femme", "français"),
    ("Epiney", "Raphaël", "", "homme", "français"),
    ("Rossi", "Giuseppina", "Pina", "femme", "italiano, français"),
    ("Bagnoud", "Christophe", "", "homme", "français"),
    ("Theytaz", "Nathalie", "", "femme", "français"),
    ("Krasniqi", "Besa", "", "femme", "shqip, français"),
    ("Délèze", "Yvan", "", "homme", "français"),
    ("Carron", "Isabelle Marie", "Isa", "femme", "français"),
    ("Roduit", "Stéphane", "", "homme", "français"),
    ("Imhof", "Beat", "", "homme", "Deutsch, français"),
    ("Michellod", "Sandra", "", "", "français"),
    ("Vouillamoz", "Laurent", "", "homme", "français"),
    ("Ferreira", "Ana Luísa", "Ana", "femme", "português"),
    ("Moix", "Dominique", "", "non-binaire", "français"),
    ("Follonier", "Gérard", "", "homme", "français"),
    # waiting
    ("Quarroz", "Monique", "", "femme", "français"),
    ("Mabillard", "Kevin", "", "homme", "français"),
    ("Gillioz", "Fabienne", "", "femme", "français"),
    ("Nguyen", "Van Minh", "Minh", "homme", "tiếng Việt, français"),
    ("Rossier", "Alain", "", "homme", "français"),
    # left
    ("Sierro", "Pascal", "", "homme", "français"),
    ("Dayer", "Corinne", "", "femme", "français"),
    ("Lathion", "Didier", "", "homme", "français"),
    # came back
    ("Praz", "Elodie", "", "femme", "français"),
]
CONTEXTS = [
    "Vit seul·e depuis plusieurs années, sort peu. A parlé de dessin lors de l'entretien au CMS.",
    "Plusieurs mesures d'insertion interrompues. Souhaite un lieu sans attente de résultat.",
    "Suivi médical régulier. Aime la photographie, a un vieil appareil argentique.",
    "Arrivé·e à Sion il y a deux ans, parle encore peu le français. Peignait autrefois.",
    "Journées longues à la maison. A demandé s'il existe un atelier où venir sans s'engager.",
    "Écrit des poèmes dans un carnet depuis l'adolescence. Hésite à venir seul·e la première fois.",
]
SERVICES = ["CMS de Sion", "CMS de Sion", "CMS de Sion", "CMS de Sierre", "Office AI du Valais"]
PACT_SHAPES = [
    ["mon_am", "wed_am"],
    ["tue_pm", "thu_pm"],
    ["mon_am", "tue_am", "thu_am"],
    ["wed_pm"],
    ["mon_pm", "fri_am"],
    ["tue_am", "wed_am", "fri_am"],
    ["thu_am", "thu_pm"],
]


def _phone(rng: random.Random) -> str:
    return f"079 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def seed_people(context: dict[str, object]) -> None:
    rng: random.Random = context["rng"]  # type: ignore[assignment]
    programme: Programme = context["programme"]  # type: ignore[assignment]
    users: dict[str, User] = context["users"]  # type: ignore[assignment]
    social_worker = users["nicolas.rey@demo.isa.example"]
    head = users["claire.favre@demo.isa.example"]
    referrer = users["sophie.mayor@demo.isa.example"]
    today = timezone.localdate()
    streets = [
        "Rue du Rhône",
        "Avenue de la Gare",
        "Rue de Lausanne",
        "Chemin des Vignes",
        "Rue du Grand-Pont",
        "Avenue de Tourbillon",
        "Rue de Conthey",
    ]

    participants: list[Participant] = []
    for index, (last, official, usual, gender, languages) in enumerate(PEOPLE):
        birth = date(rng.randint(1962, 1998), rng.randint(1, 12), rng.randint(1, 28))
        identity = {
            "last_name": last,
            "official_first_names": official,
            "usual_first_name": usual,
            "birth_date": birth,
            "gender": gender,
            "languages": languages,
            "phone": _phone(rng),
            "email": "",
            "address": f"{rng.choice(streets)} {rng.randint(1, 60)}\n1950 Sion",
            "avs_number": "",
            "social_aid_reference": f"SION-{2016 + index % 9}-{1000 + index * 37}",
        }
        if index < 21:
            referred_on = today - timedelta(days=rng.randint(90, 2900))
        elif index < 26:  # waiting
            referred_on = today - timedelta(days=rng.randint(5, 120))
        else:
            referred_on = today - timedelta(days=rng.randint(900, 2900))
        sender = referrer if index % 3 == 0 else social_worker
        referral = services.referral_create(
            programme=programme,
            identity=identity,
            referral={
                "referred_on": referred_on,
                "referring_service": SERVICES[index % len(SERVICES)],
                "referring_person": "Sophie Mayor" if sender == referrer else "",
                "context": CONTEXTS[index % len(CONTEXTS)],
            },
            actor=demo_actor(sender),
        )
        participant = referral.participant
        participants.append(participant)
        if 21 <= index < 26:
            if index in (21, 24):
                services.referral_set_status(
                    referral=referral,
                    status=ReferralStatus.WAITING,
                    note="Premier téléphone fait",
                    actor=demo_actor(social_worker),
                )
            continue

        contact = referred_on + timedelta(days=rng.randint(2, 10))
        services.milestone_record(
            participant=participant,
            kind=MilestoneKind.FIRST_CONTACT,
            on=contact,
            note="Appel téléphonique",
            actor=demo_actor(social_worker),
        )
        visit = contact + timedelta(days=rng.randint(3, 20))
        services.milestone_record(
            participant=participant,
            kind=MilestoneKind.FIRST_VISIT,
            on=visit,
            note="Visite de l'atelier avec un café",
            actor=demo_actor(social_worker),
        )
        admitted = visit + timedelta(days=rng.randint(1, 30))
        admitted = min(admitted, today)
        services.participant_admit(
            participant=participant, on=admitted, actor=demo_actor(head), override_capacity=False
        )
        services.milestone_record(
            participant=participant,
            kind=MilestoneKind.FIRST_WORKSHOP,
            on=admitted,
            note="",
            actor=demo_actor(social_worker),
        )
        if rng.random() < 0.7:
            services.milestone_record(
                participant=participant,
                kind=MilestoneKind.REGULAR,
                on=min(admitted + timedelta(days=rng.randint(30, 150)), today),
                note="",
                actor=demo_actor(social_worker),
            )
        shape = PACT_SHAPES[index % len(PACT_SHAPES)]
        services.pact_renegotiate(
            participant=participant,
            valid_from=admitted,
            half_days=shape[:1],
            note="Pour commencer, une demi-journée.",
            actor=demo_actor(social_worker),
        )
        if (today - admitted).days > 60:
            services.pact_renegotiate(
                participant=participant,
                valid_from=admitted + timedelta(days=rng.randint(30, 60)),
                half_days=shape,
                note="Souhaite venir plus souvent.",
                actor=demo_actor(social_worker),
            )
        _seed_consents(participant, admitted, rng, demo_actor(social_worker))

        if index >= 26:  # left, and one of them came back
            exit_on = min(
                admitted + timedelta(days=rng.randint(200, 700)), today - timedelta(days=60)
            )
            reasons = [
                ExitReason.EMPLOYMENT,
                ExitReason.MOVED,
                ExitReason.OWN_CHOICE,
                ExitReason.OTHER_MEASURE,
            ]
            services.participant_exit(
                participant=participant,
                on=exit_on,
                reason=reasons[index - 26],
                comment="Départ préparé ensemble, la porte reste ouverte.",
                actor=demo_actor(social_worker),
            )
            if index == 29:
                services.participant_admit(
                    participant=participant,
                    on=exit_on + timedelta(days=rng.randint(20, 50)),
                    actor=demo_actor(head),
                )
        elif index == 7:
            services.participant_pause(
                participant=participant,
                on=today - timedelta(days=12),
                reason="Hospitalisation courte, la place est gardée.",
                actor=demo_actor(social_worker),
            )
    context["participants"] = participants
    assert Participant.objects.in_programme(programme).occupying().count() <= programme.capacity


def _seed_consents(
    participant: Participant, admitted: date, rng: random.Random, actor: Actor
) -> None:
    services.consent_record(
        participant=participant,
        kind=ConsentKind.DATA,
        state=ConsentState.GIVEN,
        on=admitted,
        method=ConsentMethod.PAPER,
        actor=actor,
    )
    for kind, p_given in [
        (ConsentKind.HEALTH, 0.6),
        (ConsentKind.EXHIBITION, 0.75),
        (ConsentKind.ONLINE, 0.4),
        (ConsentKind.PHOTO, 0.5),
        (ConsentKind.RESEARCH, 0.55),
    ]:
        roll = rng.random()
        if roll < p_given:
            services.consent_record(
                participant=participant,
                kind=kind,
                state=ConsentState.GIVEN,
                on=admitted,
                method=ConsentMethod.PAPER,
                actor=actor,
            )
            if roll < 0.08:
                services.consent_record(
                    participant=participant,
                    kind=kind,
                    state=ConsentState.WITHDRAWN,
                    on=min(admitted + timedelta(days=90), timezone.localdate()),
                    method=ConsentMethod.ORAL,
                    note="A changé d'avis, sans besoin d'expliquer.",
                    actor=actor,
                )
        elif roll < p_given + 0.2:
            services.consent_record(
                participant=participant,
                kind=kind,
                state=ConsentState.REFUSED,
                on=admitted,
                method=ConsentMethod.ORAL,
                actor=actor,
            )
