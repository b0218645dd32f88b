"""A journal of descriptive entries for the demo, in French and a few in German.  Fictional."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from isa.core.demo import demo_actor
from isa.core.models import Programme, User
from isa.journal.models import EntryKind, Posture, Tag, Visibility
from isa.journal.services import entry_write
from isa.people.models import Participant

ENTRIES = [
    (
        EntryKind.SMALL_STEP,
        [Tag.WARM],
        "{name} est arrivé·e avant l'ouverture et a préparé les pinceaux pour tout le monde.",
    ),
    (
        EntryKind.OBSERVATION,
        [Tag.MAINTAIN],
        "{name} a travaillé deux heures sur la même aquarelle, en silence, et l'a montrée au groupe à la fin.",
    ),
    (
        EntryKind.CONVERSATION,
        [Tag.CONTAIN],
        "Discussion à la pause : {name} dit dormir mal depuis une semaine. Proposé d'en reparler vendredi.",
    ),
    (
        EntryKind.SMALL_STEP,
        [Tag.PRESERVE, Tag.WARM],
        "{name} a accepté pour la première fois que sa gravure soit accrochée dans le couloir.",
    ),
    (
        EntryKind.EVENT,
        [Tag.MAINTAIN],
        "Sortie au musée d'art du Valais : {name} a posé plusieurs questions à la médiatrice.",
    ),
    (
        EntryKind.OBSERVATION,
        [Tag.WARM],
        "{name} est resté·e à la porte un moment avant d'entrer ; s'est assis·e près de la fenêtre et a dessiné.",
    ),
    (
        EntryKind.SMALL_STEP,
        [Tag.MAINTAIN],
        "{name} a aidé une nouvelle personne à préparer la terre pour la sculpture.",
    ),
    (
        EntryKind.CONVERSATION,
        [Tag.CONTAIN, Tag.PRESERVE],
        "{name} a parlé de son rendez-vous à l'office des poursuites ; a demandé de l'aide pour relire une lettre.",
    ),
    (
        EntryKind.CONCERN,
        [Tag.CONTAIN],
        "{name} semblait très fatigué·e et a quitté l'atelier après vingt minutes sans dire au revoir. À appeler demain.",
    ),
    (
        EntryKind.SMALL_STEP,
        [Tag.WARM],
        "{name} a écrit trois pages dans son carnet et en a lu une à voix haute.",
    ),
    (
        EntryKind.OBSERVATION,
        [Tag.MAINTAIN],
        "{name} a terminé le cadre commencé il y a un mois et l'a emporté pour l'offrir à sa sœur.",
    ),
    (
        EntryKind.SMALL_STEP,
        [Tag.WARM, Tag.PRESERVE],
        "{name} hat heute zum ersten Mal mit der Druckpresse gearbeitet und das Ergebnis der Gruppe gezeigt.",
    ),
    (
        EntryKind.CONVERSATION,
        [Tag.CONTAIN],
        "{name} erzählte, dass die Wohnungssuche schwierig bleibt. Wir haben vereinbart, nächste Woche gemeinsam Inserate anzuschauen.",
    ),
]


def seed_journal(context: dict[str, object]) -> None:
    rng: random.Random = context["rng"]  # type: ignore[assignment]
    programme: Programme = context["programme"]  # type: ignore[assignment]
    users: dict[str, User] = context["users"]  # type: ignore[assignment]
    authors = [
        (users["nicolas.rey@demo.isa.example"], Posture.SOCIAL_WORKER),
        (users["lea.bonvin@demo.isa.example"], Posture.FACILITATOR),
        (users["marc.berthod@demo.isa.example"], Posture.WATCHER),
    ]
    today = timezone.localdate()
    people = list(Participant.objects.in_programme(programme).occupying())
    for person in people:
        for _ in range(rng.randint(2, 6)):
            kind, tags, text = rng.choice(ENTRIES)
            author, posture = rng.choice(authors)
            visibility = Visibility.TEAM
            if (
                kind == EntryKind.CONVERSATION
                and posture == Posture.SOCIAL_WORKER
                and rng.random() < 0.5
            ):
                visibility = Visibility.RESTRICTED
            elif kind == EntryKind.SMALL_STEP and rng.random() < 0.3:
                visibility = Visibility.SHARED
            entry_write(
                programme=programme,
                participants=[person],
                actor=demo_actor(author),
                written_on=today - timedelta(days=rng.randint(0, 300)),
                kind=kind,
                tags=list(tags),
                posture=posture,
                visibility=visibility,
                text=text.format(name=person.first_name),
            )
    group = people[:4]
    entry_write(
        programme=programme,
        participants=group,
        actor=demo_actor(authors[1][0]),
        written_on=today - timedelta(days=9),
        kind=EntryKind.EVENT,
        tags=[Tag.MAINTAIN, Tag.WARM],
        posture=Posture.FACILITATOR,
        visibility=Visibility.TEAM,
        text="Atelier collectif autour d'une grande fresque pour le hall du CMS : chacun·e a peint une partie, "
        "on a pris le café ensemble à la fin.",
    )
