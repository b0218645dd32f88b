"""Works and exhibitions for the demo: about sixty works of the last two years in every
medium, a few made together, written texts, images drawn by code (demo_images), the credit
each person chose, two exhibitions (one past, one running now) and the public gallery
switched on.  Every title, text, venue and press outlet is fictional; the data is
deterministic and built once (``seed-demo`` does nothing on a seeded database, and this
seeder leaves a programme that already has works alone)."""

from __future__ import annotations

import random
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count
from django.utils import timezone

from isa.core.actor import Actor
from isa.core.demo import demo_actor
from isa.core.models import Programme, User
from isa.people.models import ConsentKind, Participant, Stay
from isa.people.services import participants_consenting
from isa.presence.models import Medium, Presence
from isa.works import services
from isa.works.demo_images import LANDSCAPE, PORTRAIT, SQUARE, artwork_set
from isa.works.models import CreditMode, Work, WorkState

FACILITATORS = ["lea.bonvin@demo.isa.example", "marc.berthod@demo.isa.example"]
SOCIAL_WORKER = "nicolas.rey@demo.isa.example"
HEAD = "claire.favre@demo.isa.example"

#: medium code -> (titles, techniques, image sizes)
CATALOGUE: dict[str, tuple[list[str], list[str], list[tuple[int, int]]]] = {
    "painting": (
        [
            "Rhône en hiver",
            "Les vignes de Clavau",
            "Autoportrait au chapeau",
            "Coquelicots à Savièse",
            "Fenêtre sur la place du Midi",
            "Rouge tenace",
            "Orage sur Montorge",
            "Le jardin de ma mère",
            "Abricots",
            "Soleil de septembre",
            "Bleu du matin",
            "La nuit à Platta",
            "Terrasse en été",
            "Trois couleurs pour un jeudi",
            "Fresque du couloir",
        ],
        [
            "acrylique sur toile",
            "huile sur toile",
            "gouache sur papier",
            "aquarelle",
            "acrylique sur carton",
            "technique mixte sur bois",
        ],
        [LANDSCAPE, PORTRAIT, SQUARE],
    ),
    "drawing": (
        [
            "Nature morte aux bouteilles",
            "Deux pommes et un verre",
            "Coin de table",
            "La cafetière",
            "Bouteilles, lumière du soir",
            "Objets du mardi",
            "Fusain n° 7",
            "Le vase bleu (sans bleu)",
            "Étude d'ombres",
            "Ce qui reste sur la table",
            "Carnet de l'atelier, page 12",
        ],
        ["fusain sur papier", "crayon graphite", "pierre noire", "crayon et estompe"],
        [LANDSCAPE, PORTRAIT],
    ),
    "photography": (
        [
            "Valère et Tourbillon, un matin",
            "Brouillard sur la plaine",
            "Depuis le pont du Rhône",
            "Ligne de crête",
            "Les collines au couchant",
            "Route de Nax",
            "Premier soleil sur Tourbillon",
            "Entre deux averses",
            "Neige d'avril",
        ],
        [
            "tirage numérique",
            "tirage jet d'encre sur papier mat",
            "photographie numérique, tirage couleur",
        ],
        [LANDSCAPE],
    ),
    "engraving": (
        [
            "Soleil sur la vallée",
            "Les crêtes",
            "Linogravure pour un ami",
            "Lignes de nuit",
            "Le coteau",
            "Petit matin gravé",
            "Montagne en trois passages",
        ],
        ["linogravure", "gravure sur bois", "pointe sèche sur plexiglas"],
        [PORTRAIT, SQUARE, LANDSCAPE],
    ),
    "sculpture": (
        [
            "Veilleur",
            "Forme debout",
            "Torse",
            "La patience",
            "Gardienne",
            "Totem de l'atelier",
        ],
        ["argile", "terre cuite", "plâtre patiné", "pierre ollaire", "tilleul taillé"],
        [PORTRAIT],
    ),
    "other": (
        [
            "Papiers du marché",
            "Collage pour une fête",
            "Carte d'un quartier imaginaire",
            "Fragments",
        ],
        ["collage, papiers et journaux", "papiers déchirés sur carton", "technique mixte"],
        [SQUARE, LANDSCAPE, PORTRAIT],
    ),
}

#: Written works (title, technique, text): short texts invented for the demo.
TEXTS: list[tuple[str, str, str]] = [
    (
        "Le matin à l'atelier",
        "poème",
        "Le café fume encore,\nquelqu'un a ouvert la fenêtre\net la lumière du Rhône\n"
        "entre sans frapper.\n\nJe pose mes mains sur la table.\nRien ne presse.\n"
        "Les couleurs attendent\ncomme des amies patientes.",
    ),
    (
        "Liste des choses qui tiennent",
        "prose",
        "Un pinceau qui ne perd plus ses poils. La porte de l'atelier, le mardi. Le thé du "
        "matin, toujours trop sucré. Une promesse faite à moi-même : revenir jeudi. Une "
        "feuille blanche, qui ne m'en veut pas d'être restée blanche. Le rire de quelqu'un, "
        "dans la pièce d'à côté.",
    ),
    (
        "Vignes en novembre",
        "poème",
        "Les ceps ont rendu leurs feuilles\ncomme on rend les clés d'une maison\n"
        "qu'on a aimée.\n\nSur le coteau de Clavau\nil reste de l'or,\nun peu d'or,\n"
        "juste assez pour l'hiver.",
    ),
    (
        "Lettre à mon grand-père",
        "lettre",
        "Tu disais que la montagne ne se presse jamais. J'ai mis longtemps à comprendre que "
        "ce n'était pas un reproche. Aujourd'hui j'ai peint ta maison de mémoire ; les volets "
        "sont trop bleus, le toit penche un peu. Tu aurais ri. Je crois que tu aurais ri, "
        "et puis tu l'aurais accrochée au-dessus du buffet.",
    ),
    (
        "Haïkus du Grand-Pont",
        "haïkus",
        "Pluie sur les pavés —\nun parapluie jaune passe,\nla rue se souvient.\n\n"
        "Midi, le marché —\nune odeur d'abricots mûrs\ntraverse la place.\n\n"
        "Le soir tombe tôt.\nSur Valère, une lumière\nreste allumée.",
    ),
    (
        "Ce que dit la terre",
        "prose",
        "La terre est froide au début. Il faut la réchauffer dans les paumes, longtemps, "
        "avant qu'elle accepte une forme. Je ne sais pas encore ce que ce sera. Peut-être un "
        "bol. Peut-être rien. La terre ne pose pas de questions, elle garde seulement la "
        "trace des doigts.",
    ),
    (
        "Chez moi, ailleurs",
        "poème",
        "Dans ma langue il y a un mot\npour la lumière juste avant la pluie.\n"
        "Ici je ne l'ai pas encore trouvé.\n\nAlors je le dessine :\nun trait gris, "
        "un trait doré,\net entre les deux\nla place de quelqu'un qui arrive.",
    ),
    (
        "Le banc de la gare",
        "prose",
        "Il y a un banc devant la gare où je m'assieds parfois. Des trains partent, d'autres "
        "arrivent. Longtemps j'ai cru être celui qui reste. Maintenant je pense que je suis "
        "celui qui regarde, et ce n'est pas pareil. Le mardi, je me lève du banc et je "
        "marche jusqu'à l'atelier.",
    ),
]

#: Works made together: title -> number of creators.
COLLECTIVE = {
    "Fresque du couloir": 4,
    "Haïkus du Grand-Pont": 3,
    "Carte d'un quartier imaginaire": 2,
    "Totem de l'atelier": 3,
}

DESCRIPTIONS = [
    "Commencée en atelier libre, reprise sur plusieurs semaines.",
    "Réalisée en une seule séance, sans retouche.",
    "La première œuvre montrée au groupe.",
    "D'après un souvenir de la sortie à Valère.",
    "Les couleurs ont été choisies en discutant à la pause.",
    "Une série de trois ; celle-ci est la préférée de son auteur·e.",
    "Faite à plusieurs mains, chacun·e à son tour.",
]

ALT_TEXTS = {
    "painting": "Peinture : bandes de couleurs chaudes traversées de coups de pinceau",
    "drawing": "Dessin : objets posés sur une table, ombres hachurées",
    "photography": "Photographie : montagnes du Valais, collines et vignes de Sion",
    "engraving": "Gravure : soleil au-dessus de crêtes, tracé en lignes",
    "sculpture": "Sculpture posée sur un socle blanc, photographiée à l'atelier",
    "other": "Collage de papiers colorés et déchirés",
}

DIMENSIONS = {
    "painting": [(30, 40), (40, 50), (50, 70), (60, 80), (80, 100)],
    "drawing": [(21, 29.7), (29.7, 42), (42, 59.4)],
    "photography": [(20, 30), (30, 40), (40, 60)],
    "engraving": [(15, 20), (20, 25), (25, 30)],
    "other": [(30, 30), (40, 50), (50, 50)],
}

#: What became of older works, in turn (a few were given away, a few sold).
F, G, S = WorkState.FINISHED, WorkState.GIVEN, WorkState.SOLD
OLDER_STATES = [F, F, G, F, F, F, S, F, F, G, F, F, F, F, S, F]

#: The credits people chose, in turn (None: not chosen yet, anonymous by default).
CREDIT_CHOICES = [
    CreditMode.FIRST_NAME,
    CreditMode.PSEUDONYM,
    CreditMode.FULL_NAME,
    CreditMode.FIRST_NAME,
    None,
    CreditMode.ANONYMOUS,
    CreditMode.FIRST_NAME,
    CreditMode.PSEUDONYM,
    CreditMode.FULL_NAME,
    None,
]
PSEUDONYMS = ["Le Hibou", "Pinceau bleu", "Marmotte", "Lune rousse", "K.", "Ailleurs"]

EXHIBITIONS = [
    (
        "Regards d'atelier",
        "Médiathèque Valais – Sion (fictif)",
        "Une quinzaine d'œuvres de l'atelier montrées au public pendant cinq semaines. "
        "Exposition fictive, créée pour la démonstration.",
    ),
    (
        "Ce qui tient",
        "Ferme-Asile, Sion (fictif)",
        "Peintures, gravures, photographies et textes de l'année. "
        "Exposition fictive, créée pour la démonstration.",
    ),
]
PRESS = [
    ("Le Nouvelliste (fictif)", 3, "À la Médiathèque, l'atelier ouvre ses carnets"),
    ("Radio Rhône Info (fictive)", 16, "Regards d'atelier : rencontre avec trois artistes"),
]
GALLERY_INTRODUCTION = (
    "Des œuvres réalisées à l'atelier ISA de Sion, montrées avec l'accord de leurs auteur·es. "
    "Galerie de démonstration : toutes les personnes et les œuvres sont fictives."
)


@dataclass
class PlannedWork:
    medium: str
    title: str
    technique: str
    made_on: date
    creators: list[Participant]
    size: tuple[int, int] | None = None
    text: str = ""
    dimensions: str = ""
    description: str = ""
    images: int = 0
    state: str = WorkState.FINISHED


def seed_works(context: dict[str, object]) -> None:
    programme: Programme = context["programme"]  # type: ignore[assignment]
    users: dict[str, User] = context["users"]  # type: ignore[assignment]
    if Work.objects.in_programme(programme).exists():
        return  # already seeded: leave it as it is
    rng = random.Random(2016_50)  # own stream: independent of the other seeders' draws
    today = timezone.localdate()
    media = {m.code: m for m in Medium.objects.filter(organisation__isnull=True)}

    people = _eligible_people(programme, today)
    if not people:
        return
    affinity = _medium_affinity(programme)
    plan = _plan_works(rng, people, affinity, today)
    exhibitions = _plan_exhibitions(rng, plan, programme, today)

    facilitators = [users[email] for email in FACILITATORS]
    works_by_title: dict[str, Work] = {}
    # Images are drawn in threads (Pillow and numpy release the GIL) while the main thread
    # writes to the database; each image depends only on its seed, so the result is the same.
    with ThreadPoolExecutor(max_workers=2) as pool:
        shots = {
            index: pool.submit(artwork_set, item.medium, index, item.images, size=item.size)
            for index, item in enumerate(plan)
            if item.images
        }
        for index, item in enumerate(plan):
            works_by_title[item.title] = _create_work(
                programme, item, media, facilitators[index % 2], shots.get(index)
            )

    head = users[HEAD]
    for (title, venue, description), (starts_on, ends_on, visitors, members) in zip(
        EXHIBITIONS, exhibitions, strict=True
    ):
        exhibition = services.exhibition_create(
            programme=programme,
            title=title,
            venue=venue,
            starts_on=starts_on,
            ends_on=ends_on,
            description=description,
            visitors=visitors,
            actor=demo_actor(head),
        )
        for item in members:
            services.exhibition_add_work(
                exhibition=exhibition, work=works_by_title[item.title], actor=demo_actor(head)
            )
        if visitors is not None:  # the past exhibition had press
            for outlet, day, headline in PRESS:
                services.press_mention_add(
                    exhibition=exhibition,
                    outlet=outlet,
                    on=starts_on + timedelta(days=day),
                    title=headline,
                    actor=demo_actor(head),
                )

    _seed_credits(plan, demo_actor(users[SOCIAL_WORKER]))
    services.gallery_settings_set(
        programme=programme, enabled=True, introduction=GALLERY_INTRODUCTION, actor=demo_actor(head)
    )


def _create_work(
    programme: Programme,
    item: PlannedWork,
    media: dict[str, Medium],
    author: User,
    shots: Future[list[bytes]] | None,
) -> Work:
    work = services.work_create(
        programme=programme,
        title=item.title,
        medium=media[item.medium],
        creators=item.creators,
        made_on=item.made_on,
        technique=item.technique,
        dimensions=item.dimensions,
        description=item.description,
        text=item.text,
        state=item.state,
        actor=demo_actor(author),
    )
    for number, data in enumerate(shots.result() if shots else []):
        alt = ALT_TEXTS[item.medium] if number == 0 else f"Détail de « {item.title} »"
        services.work_add_image(work=work, upload=data, alt_text=alt, actor=demo_actor(author))
    return work


# -- planning ----------------------------------------------------------------------------------


def _eligible_people(
    programme: Programme, today: date
) -> dict[int, tuple[Participant, list[tuple[date, date]]]]:
    """Admitted people and the periods of their stays (within the last two years)."""
    start = today - timedelta(days=730)
    people = {
        p.pk: p
        for p in Participant.objects.filter(programme=programme, accompanied_since__isnull=False)
    }
    periods: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for stay in Stay.objects.filter(participant_id__in=people).order_by("admitted_on"):
        a, b = max(stay.admitted_on, start), stay.exited_on or today
        if a <= b:
            periods[stay.participant_id].append((a, b))
    return {pk: (people[pk], spans) for pk, spans in periods.items()}


def _medium_affinity(programme: Programme) -> dict[int, dict[str, int]]:
    """How often each person worked on each medium (from the presence records)."""
    affinity: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Presence.objects.filter(participant__programme=programme, medium__isnull=False)
        .values("participant_id", "medium__code")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        affinity[row["participant_id"]][row["medium__code"]] = row["n"]
    return affinity


def _plan_works(
    rng: random.Random,
    people: dict[int, tuple[Participant, list[tuple[date, date]]]],
    affinity: dict[int, dict[str, int]],
    today: date,
) -> list[PlannedWork]:
    items: list[tuple[str, str, str, str]] = [
        (medium, title, rng.choice(techniques), "")
        for medium, (titles, techniques, _sizes) in CATALOGUE.items()
        for title in titles
    ]
    items += [("writing", title, technique, text) for title, technique, text in TEXTS]
    plan: list[PlannedWork] = []
    recent = older = 0
    for medium, title, technique, text in items:
        made_on = today - timedelta(days=int(730 * rng.random() ** 1.3))  # more recent ones
        present = [
            pk for pk, (_, spans) in people.items() if any(a <= made_on <= b for a, b in spans)
        ]
        if not present:
            continue
        wanted = min(COLLECTIVE.get(title, 1), len(present))
        weights = [1 + affinity.get(pk, {}).get(medium, 0) for pk in present]
        creators: list[Participant] = []
        while len(creators) < wanted:
            pk = rng.choices(present, weights)[0]
            if people[pk][0] not in creators:
                creators.append(people[pk][0])
        size = rng.choice(CATALOGUE[medium][2]) if medium in CATALOGUE else None
        item = PlannedWork(medium, title, technique, made_on, creators, size=size, text=text)
        item.dimensions = work_dimensions(rng, medium, size)
        if rng.random() < 0.35 or title in COLLECTIVE:
            item.description = (
                DESCRIPTIONS[6] if title in COLLECTIVE else rng.choice(DESCRIPTIONS[:6])
            )
        if medium != "writing":
            item.images = rng.choices([1, 2, 3], [55, 30, 15])[0]
        age = (today - made_on).days
        if age < 45:
            recent += 1
            item.state = WorkState.FINISHED if recent % 3 == 0 else WorkState.IN_PROGRESS
        elif age > 120:
            older += 1
            item.state = OLDER_STATES[older % len(OLDER_STATES)]
        plan.append(item)
    plan.sort(key=lambda w: (w.made_on, w.title))
    return plan


def work_dimensions(rng: random.Random, medium: str, size: tuple[int, int] | None) -> str:
    """A work's dimensions as the team writes them ("50 × 70 cm", "h. 32 cm"), the right
    way round for an image of ``size``; none for a text."""
    if medium == "sculpture":
        return f"h. {rng.randint(18, 65)} cm"
    if medium == "writing":
        return ""
    a, b = rng.choice(DIMENSIONS[medium])
    if size and size[0] > size[1]:
        a, b = b, a
    elif size and size[0] == size[1]:
        b = a

    def cm(value: float) -> str:
        return f"{value:g}".replace(".", ",")

    return f"{cm(a)} × {cm(b)} cm"


def _plan_exhibitions(
    rng: random.Random, plan: list[PlannedWork], programme: Programme, today: date
) -> list[tuple[date, date, int | None, list[PlannedWork]]]:
    """Last spring's exhibition (with visitors and press) and one running now.  Most works
    shown have the consent of all their creators; a few do not yet, so that the team sees
    the warning before the catalogue is printed."""
    spring = today.year if today >= date(today.year, 6, 1) else today.year - 1
    past = (date(spring, 4, 10), date(spring, 5, 16), 640)
    current = (today - timedelta(days=12), today + timedelta(days=40), None)
    chosen: set[str] = set()
    result = []
    for (starts_on, ends_on, visitors), (consented_count, lacking_count) in [
        (past, (13, 1)),
        (current, (10, 2)),
    ]:
        consenting = set(
            participants_consenting(
                kind=ConsentKind.EXHIBITION, on=starts_on, programme=programme
            ).values_list("pk", flat=True)
        )
        ready = [
            w
            for w in plan
            if w.made_on < starts_on - timedelta(days=7)
            and w.title not in chosen
            and w.state != WorkState.IN_PROGRESS
        ]
        rng.shuffle(ready)
        with_consent = [w for w in ready if all(p.pk in consenting for p in w.creators)]
        without = [w for w in ready if not all(p.pk in consenting for p in w.creators)]
        members = with_consent[:consented_count] + without[:lacking_count]
        members.sort(key=lambda w: (w.medium, w.made_on))
        for item in members:
            chosen.add(item.title)
            if item.state == WorkState.FINISHED:
                item.state = WorkState.EXHIBITED
        result.append((starts_on, ends_on, visitors, members))
    return result


def _seed_credits(plan: list[PlannedWork], actor: Actor) -> None:
    """Each person's choice of how to be named; some have not chosen (anonymous)."""
    creators = sorted({p.pk: p for w in plan for p in w.creators}.values(), key=lambda p: p.pk)
    pseudonyms = iter(PSEUDONYMS)
    for index, person in enumerate(creators):
        mode = CREDIT_CHOICES[index % len(CREDIT_CHOICES)]
        if mode is None:
            continue  # not chosen yet: anonymous by default
        pseudonym = next(pseudonyms, "") if mode == CreditMode.PSEUDONYM else ""
        if mode == CreditMode.PSEUDONYM and not pseudonym:
            mode = CreditMode.FIRST_NAME
        services.credit_set(participant=person, mode=mode, pseudonym=pseudonym, actor=actor)
