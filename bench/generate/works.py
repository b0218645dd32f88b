"""Works of the last two years, their images, two exhibitions, each creator's credit and the
public gallery of one programme; and the exhibition and online consents most people give.

Titles, techniques, dimensions, descriptions, exhibitions, press and credits come from the
works demo (``isa.works.demo``); image rows share a dozen real files drawn once with
``works.demo_images`` and rendered with ``works.images``."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from isa.core.models import User
from isa.people.models import Consent, ConsentKind, ConsentMethod, ConsentState
from isa.works import images
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
    work_dimensions,
)
from isa.works.demo_images import artwork_jpeg
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

from .common import BATCH, SEED, Plan, Scope, accompanied

#: Works of one programme over the last two years (the demo's "about sixty"), of which a few
#: are made together; images per work (1 to 3, none for a text); exhibitions of ~12 works.
WORKS_PER_PROGRAMME = 60
COLLECTIVE_WORKS = 4
WORKS_PER_EXHIBITION = 12
#: Distinct pictures drawn once (demo_images) and shared by every WorkImage row: per
#: medium, this many variants.  Thousands of rows, a handful of files on disk.
PICTURES_PER_MEDIUM = 2
#: The fields of a WorkImage that a Picture fills.
PICTURE_FIELDS = ["original", "display", "thumbnail", "format", "width", "height", "size"]

#: (medium, title, techniques, image sizes) of every title of the demo's catalogue.
Entry = tuple[str, str, list[str], list[tuple[int, int] | None]]


@dataclass
class Picture:
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


@dataclass(eq=False)  # compared by identity
class Made:
    """One work before and after it is written: its creators and its number of images."""

    work: Work
    creators: list[int]
    images: int
    image_rows: list[WorkImage] = field(default_factory=list)


def picture(medium: str, seed: int, size: tuple[int, int] | None, folder: str) -> Picture:
    """One artwork drawn by ``works.demo_images``, normalised and rendered with the works
    app's own functions, saved in the media storage (``MEDIA_ROOT``)."""
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
    return Picture(
        medium,
        *names,
        format=normalised.format,
        width=normalised.width,
        height=normalised.height,
        size=normalised.size,
    )


def pictures() -> dict[str, list[Picture]]:
    """A few real artworks per medium, shared by every image row.  The list, the work, the
    portfolio and the gallery read no file (they only build image URLs); the catalogue PDF
    reads the display renditions, so the files must exist."""
    return {
        medium: [
            picture(medium, 9000 + k, sizes[k % len(sizes)], f"works/bench/{medium}-{k}")
            for k in range(PICTURES_PER_MEDIUM)
        ]
        for medium, (_titles, _techniques, sizes) in CATALOGUE.items()
    }


# -- consents ----------------------------------------------------------------------------------


def consent_states(consents: list[Consent], today: date) -> dict[tuple[int, str], str]:
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


def _works_consents_of(
    plan: Plan, team: list[User], today: date, rng: random.Random
) -> list[Consent]:
    decided = {c.kind for c in plan.consents}
    admitted = plan.stays[0]["admitted_on"]
    consents = []
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
                recorded_by=team[rng.choice([1, 2])],
            )
        )
    return consents


def works_consents(plans: list[Plan], teams: list[list[User]], today: date) -> list[Consent]:
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
        consents.extend(_works_consents_of(plan, teams[i], today, rng))
    return consents


# -- works -------------------------------------------------------------------------------------


def _catalogue(rng: random.Random) -> list[Entry]:
    """Every title of the demo's catalogue and its texts, in a shuffled order."""
    catalogue: list[Entry] = [
        (medium, title, techniques, sizes)
        for medium, (titles, techniques, sizes) in CATALOGUE.items()
        for title in titles
    ] + [("writing", title, [technique], [None]) for title, technique, _text in TEXTS]
    rng.shuffle(catalogue)
    return catalogue


def _state(age: int, rng: random.Random) -> str:
    """Recent works in progress, older ones finished, given away or sold."""
    if age < 45:
        return WorkState.IN_PROGRESS if rng.random() < 0.6 else WorkState.FINISHED
    if age > 120:
        return rng.choice([WorkState.FINISHED] * 6 + [WorkState.GIVEN, WorkState.SOLD])
    return WorkState.FINISHED


def _creators(
    present: list[int], wanted: int, keen: dict[int, float], rng: random.Random
) -> list[int]:
    """``wanted`` people among those present, the keener ones more often."""
    chosen: list[int] = []
    while len(chosen) < wanted:
        pk = rng.choices(present, [keen[p] for p in present])[0]
        if pk not in chosen:
            chosen.append(pk)
    return chosen


class _Workbench:
    """Draws the works of one programme: who was there on the day, and who is keen."""

    def __init__(self, scope: Scope, rng: random.Random) -> None:
        self.scope, self.rng = scope, rng
        start = scope.today - timedelta(days=730)
        # Who could have made something on a given day: accompanied then (not on a pause).
        spans = {
            p.participant.pk: accompanied(p.stays, scope.today) for p in scope.plans if p.stays
        }
        self.spans = {pk: s for pk, s in spans.items() if s and s[-1][1] >= start}
        # Some people make much more than others: the portfolio has a richest creator.
        self.keen = {pk: rng.uniform(0.3, 3.0) for pk in sorted(self.spans)}
        self.texts = {title: text for title, _technique, text in TEXTS}

    def draw(self, n: int, entry: Entry) -> Made | None:
        """The ``n``-th work (collective among the first), or None if nobody was there."""
        rng, today = self.rng, self.scope.today
        medium, title, techniques, sizes = entry
        made_on = today - timedelta(days=int(730 * rng.random() ** 1.3))  # more recent ones
        present = [pk for pk, s in self.spans.items() if any(a <= made_on <= b for a, b in s)]
        if not present:
            return None
        wanted = min(rng.randint(2, 4) if n < COLLECTIVE_WORKS else 1, len(present))
        chosen = _creators(present, wanted, self.keen, rng)
        size = rng.choice(sizes)
        state = _state((today - made_on).days, rng)
        work = Work(
            programme=self.scope.programme,
            title=title,
            medium_id=self.scope.media[medium],
            made_on=made_on,
            technique=rng.choice(techniques),
            dimensions=work_dimensions(rng, medium, size),
            description=(
                DESCRIPTIONS[6]
                if wanted > 1
                else (rng.choice(DESCRIPTIONS[:6]) if rng.random() < 0.35 else "")
            ),
            text=self.texts.get(title.split(" (")[0], "") if medium == "writing" else "",
            state=state,
            created_by=rng.choice(self.scope.facilitators),
        )
        count = 0 if medium == "writing" else rng.choices([1, 2, 3], [55, 30, 15])[0]
        return Made(work, chosen, count)


def _draw_works(scope: Scope, rng: random.Random) -> list[Made]:
    """``WORKS_PER_PROGRAMME`` titles of the catalogue (numbered on a second turn), each
    made on a day someone was there, in time order as the team enters them."""
    workbench = _Workbench(scope, rng)
    catalogue = _catalogue(rng)
    made = []
    for n in range(WORKS_PER_PROGRAMME):
        medium, title, techniques, sizes = catalogue[n % len(catalogue)]
        if n >= len(catalogue):
            title = f"{title} ({n // len(catalogue) + 1})"
        one = workbench.draw(n, (medium, title, techniques, sizes))
        if one is not None:
            made.append(one)
    made.sort(key=lambda m: (m.work.made_on, m.work.title))
    return made


def _write_works(made: list[Made]) -> None:
    Work.objects.bulk_create([m.work for m in made], batch_size=BATCH)
    Work.creators.through.objects.bulk_create(
        [
            Work.creators.through(work_id=m.work.pk, participant_id=pk)
            for m in made
            for pk in m.creators
        ],
        batch_size=BATCH,
    )


def _write_images(
    made: list[Made],
    medium_code: dict[int, str],
    shared: dict[str, list[Picture]],
    rng: random.Random,
) -> int:
    """The images of every work, each one of the shared pictures of its medium."""
    for m in made:
        w, code = m.work, medium_code[m.work.medium_id]
        for number in range(m.images):
            pic = rng.choice(shared.get(code) or shared["other"])
            at = clock(rng.randint(9, 16), rng.randint(0, 59))
            uploaded = timezone.make_aware(datetime.combine(w.made_on, at))
            m.image_rows.append(
                WorkImage(
                    work=w,
                    key=uuid.UUID(int=rng.getrandbits(128), version=4),
                    order=number + 1,
                    alt_text=ALT_TEXTS.get(code, "") if number == 0 else f"Détail de « {w.title} »",
                    **{name: getattr(pic, name) for name in PICTURE_FIELDS},
                    uploaded_by=w.created_by,
                    uploaded_at=uploaded,
                )
            )
    rows = [row for m in made for row in m.image_rows]
    WorkImage.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# -- exhibitions, credits, gallery -------------------------------------------------------------


def _exhibition_works(
    made: list[Made],
    starts_on: date,
    shown: set[int],
    consent: dict[tuple[int, str], str],
    rng: random.Random,
) -> list[Made]:
    """Works ready a week before the opening and not shown yet: most have the exhibition
    consent of all their creators, one does not yet."""
    ready = [
        m
        for m in made
        if m.work.made_on < starts_on - timedelta(days=7)
        and m.work.pk not in shown
        and m.work.state != WorkState.IN_PROGRESS
    ]
    rng.shuffle(ready)
    given = ConsentState.GIVEN
    agreed = [
        m
        for m in ready
        if all(consent.get((pk, ConsentKind.EXHIBITION)) == given for pk in m.creators)
    ]
    lacking = [m for m in ready if m not in agreed]
    chosen = agreed[: WORKS_PER_EXHIBITION - 1] + lacking[:1]
    shown.update(m.work.pk for m in chosen)
    return chosen


def _exhibitions(
    scope: Scope, made: list[Made], consent: dict[tuple[int, str], str], rng: random.Random
) -> tuple[list[Exhibition], list[list[Made]]]:
    """Two exhibitions: last spring's (visitors, press) and one running now."""
    today = scope.today
    spring = today.year if today >= date(today.year, 6, 1) else today.year - 1
    dates = [
        (date(spring, 4, 10), date(spring, 5, 16), rng.randint(300, 900)),
        (today - timedelta(days=12), today + timedelta(days=40), None),
    ]
    shown: set[int] = set()
    exhibitions, members = [], []
    for (title, venue, description), (starts_on, ends_on, visitors) in zip(
        EXHIBITIONS, dates, strict=True
    ):
        members.append(_exhibition_works(made, starts_on, shown, consent, rng))
        exhibitions.append(
            Exhibition(
                programme=scope.programme,
                title=title,
                venue=venue,
                starts_on=starts_on,
                ends_on=ends_on,
                description=description,
                visitors=visitors,
                created_by=scope.team[0],
            )
        )
    Exhibition.objects.bulk_create(exhibitions)
    ExhibitionWork.objects.bulk_create(
        [
            ExhibitionWork(exhibition=e, work=m.work, order=k + 1)
            for e, ms in zip(exhibitions, members, strict=True)
            for k, m in enumerate(ms)
        ]
    )
    return exhibitions, members


def _own_pictures(members: list[list[Made]], medium_code: dict[int, str]) -> None:
    """The catalogue embeds the first image of each work, and ReportLab embeds the same
    picture only once: in the measured exhibitions every work gets a picture of its own,
    as in real life (about twenty more files)."""
    for k, m in enumerate(m for ms in members for m in ms):
        image = next((img for img in m.image_rows if img.order == 1), None)
        if image is None:
            continue
        pic = picture(medium_code[m.work.medium_id], 100 + k, None, f"works/bench/shown-{k}")
        for name in PICTURE_FIELDS:
            setattr(image, name, getattr(pic, name))
        image.save(update_fields=PICTURE_FIELDS)


def _credits(scope: Scope, made: list[Made]) -> int:
    """Each creator's choice of how to be named (some have not chosen: anonymous)."""
    people = {plan.participant.pk: plan.participant for plan in scope.plans}
    credits = []
    pseudonyms = iter(PSEUDONYMS)
    for k, pk in enumerate(sorted({pk for m in made for pk in m.creators})):
        mode = CREDIT_CHOICES[k % len(CREDIT_CHOICES)]
        if mode is None:
            continue
        pseudonym = next(pseudonyms, "") if mode == CreditMode.PSEUDONYM else ""
        if mode == CreditMode.PSEUDONYM and not pseudonym:
            mode = CreditMode.FIRST_NAME
        credits.append(
            Credit(participant=people[pk], mode=mode, pseudonym=pseudonym, updated_by=scope.team[1])
        )
    Credit.objects.bulk_create(credits)
    return len(credits)


def _after_openings(exhibitions: list[Exhibition], members: list[list[Made]]) -> None:
    """The finished works shown are now exhibited; the press wrote about the first."""
    exhibited = [m.work.pk for ms in members for m in ms if m.work.state == WorkState.FINISHED]
    Work.objects.filter(pk__in=exhibited).update(state=WorkState.EXHIBITED)
    first = exhibitions[0]
    PressMention.objects.bulk_create(
        [
            PressMention(
                exhibition=first,
                outlet=outlet,
                on=first.starts_on + timedelta(days=day),
                title=headline,
            )
            for outlet, day, headline in PRESS
        ]
    )


def _measured(made: list[Made], exhibitions: list[Exhibition]) -> dict[str, int]:
    """What the benchmark measures in the first programme."""
    per_creator: dict[int, int] = {}
    for m in made:
        for pk in m.creators:
            per_creator[pk] = per_creator.get(pk, 0) + 1
    richest = max(sorted(per_creator), key=lambda pk: per_creator[pk])
    with_images = max(made, key=lambda m: (m.images, len(m.creators), m.work.made_on)).work
    return {
        "portfolio_participant_id": richest,
        "work_id": with_images.pk,
        "exhibition_id": exhibitions[0].pk,
    }


def fill_works(
    scope: Scope,
    consent: dict[tuple[int, str], str],
    shared: dict[str, list[Picture]],
    rng: random.Random,
    *,
    measured: bool,
) -> tuple[dict[str, int], dict[str, int]]:
    """Works of the last two years, their images, two exhibitions, credits, the gallery:
    the counts, and what the benchmark measures (for the ``measured`` programme)."""
    made = _draw_works(scope, rng)
    _write_works(made)
    medium_code = {pk: code for code, pk in scope.media.items()}
    image_count = _write_images(made, medium_code, shared, rng)
    exhibitions, members = _exhibitions(scope, made, consent, rng)
    if measured:
        _own_pictures(members, medium_code)
    _after_openings(exhibitions, members)
    credit_count = _credits(scope, made)
    # The gallery: open in the measured programme, in about half of the others.
    GallerySettings.objects.create(
        programme=scope.programme,
        enabled=measured or rng.random() < 0.5,
        introduction=GALLERY_INTRODUCTION if measured else "",
        updated_by=scope.team[0],
    )
    counts = {
        "works": len(made),
        "of which collective": sum(1 for m in made if len(m.creators) > 1),
        "work images": image_count,
        "exhibitions": len(exhibitions),
        "works exhibited": sum(len(ms) for ms in members),
        "credits": credit_count,
    }
    return counts, _measured(made, exhibitions)
