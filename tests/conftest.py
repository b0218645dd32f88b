"""The cast: one programme in Sion with a user for every role, and a foreign organisation.

The cast is built once per test module and the demo once per run, then kept for the tests
that read them (``tests/kept.py``).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from io import StringIO

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from isa.core.actor import Actor
from isa.core.models import Membership, Organisation, Programme, Role, User
from isa.journal.models import Entry
from isa.journal.services import entry_write
from isa.people import services as people
from isa.people.models import Participant, Referral
from isa.presence.models import ClosureDay, Recurrence, Session, Workshop
from tests.kept import KEEPER, Keeper

PASSWORD = "Un-mot-de-passe-solide-42"

#: Every kind of visitor the permission matrix walks through.
CAST_ROLES = [
    "anonymous",
    "head",
    "social_worker",
    "facilitator",
    "watcher",
    "referrer",
    "funder",
    "researcher",
    "other_head",
    "sysadmin",
    # Participants with an access to their own space (isa.portal): one of this programme,
    # one of the other organisation's.
    "participant",
    "participant_other",
]

#: The cast's visitors who are participants, not staff.
PARTICIPANTS = ("participant", "participant_other")


@dataclass
class Cast:
    organisation: Organisation
    programme: Programme
    other_programme: Programme
    users: dict[str, User] = field(default_factory=dict)
    participant: Participant | None = None
    foreign_participant: Participant | None = None
    referral: Referral | None = None
    session: Session | None = None
    closure: ClosureDay | None = None
    entry: Entry | None = None

    def actor(self, who: str) -> Actor:
        """``who`` acting outside a request (what a view would get as ``request.actor``);
        a participant acts in their own space (channel portal)."""
        if who in PARTICIPANTS:
            user = self.users[who]
            return Actor(
                user=user, channel="portal", participant_id=user.portal_access.participant_id
            )
        return Actor.of(self.users[who])

    def client(self, who: str) -> Client:
        client = Client()
        if who != "anonymous":
            client.force_login(self.users[who])
        return client


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    """Uploaded files (works' images) go to a temporary MEDIA_ROOT, never to var/."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


def make_user(email: str, name: str = "", **extra: object) -> User:
    return User.objects.create_user(
        email=email, password=PASSWORD, full_name=name or email.split("@")[0].title(), **extra
    )


def give_portal_access(participant: Participant, actor: Actor) -> User:
    """A participant's own access (isa.portal), with the cast's password already chosen."""
    from isa.portal.services import access_create

    access, _invitation, _code = access_create(
        participant=participant,
        agreement_note="Demandé lors de l'entretien.",
        language="fr",
        actor=actor,
    )
    # The password chosen with the letter, without the audit event of a change (tests
    # count the account events of the staff).
    User.objects.filter(pk=access.user.pk).update(password=make_password(PASSWORD))
    access.user.refresh_from_db()
    return access.user


def build_cast() -> Cast:
    organisation = Organisation.objects.create(name="Entraide test")
    programme = Programme.objects.create(
        organisation=organisation, name="ISA Sion", place="Sion", capacity=22, languages=["fr"]
    )
    other_org = Organisation.objects.create(name="Autre organisation")
    other_programme = Programme.objects.create(
        organisation=other_org, name="Atelier Brig", place="Brig", capacity=10
    )
    cast = Cast(organisation, programme, other_programme)
    for role in Role.values:
        key = "head" if role == Role.HEAD else role
        user = make_user(f"{key}@test.example", key.replace("_", " ").title())
        Membership.objects.create(user=user, programme=programme, role=role)
        cast.users[key] = user
    other_head = make_user("other.head@test.example", "Other Head")
    Membership.objects.create(user=other_head, programme=other_programme, role=Role.HEAD)
    cast.users["other_head"] = other_head
    cast.users["sysadmin"] = User.objects.create_superuser(
        email="admin@test.example", password=PASSWORD, full_name="Admin"
    )
    cast.referral = refer(cast.programme, cast.users["referrer"], "Zufferey", "Jean-Marc")
    cast.participant = cast.referral.participant
    people.participant_admit(
        participant=cast.participant, on=date(2024, 3, 4), actor=cast.actor("head")
    )
    cast.participant.refresh_from_db()
    cast.foreign_participant = refer(
        cast.other_programme, cast.users["other_head"], "Imboden", "Anna"
    ).participant
    for who, person, head in (
        ("participant", cast.participant, "head"),
        ("participant_other", cast.foreign_participant, "other_head"),
    ):
        cast.users[who] = give_portal_access(person, cast.actor(head))
    workshop = Workshop.objects.create(programme=cast.programme, title="Peinture", room="Salle 1")
    recurrence = Recurrence.objects.create(
        workshop=workshop, weekday=0, part="am", starts_on=date(2024, 1, 1)
    )
    today = timezone.localdate()
    cast.session = Session.objects.create(
        workshop=workshop,
        recurrence=recurrence,
        on=today,
        part="am",
        starts_at=time(9, 0),
        ends_at=time(12, 0),
    )
    cast.closure = ClosureDay.objects.create(
        programme=cast.programme, on=today + timedelta(days=30), reason="Formation"
    )
    cast.entry = entry_write(
        programme=cast.programme,
        participants=[cast.participant],
        actor=cast.actor("social_worker"),
        written_on=date(2024, 3, 11),
        kind="small_step",
        tags=["rechauffer"],
        posture="social_worker",
        visibility="team",
        text="Jean-Marc a montré son dessin au groupe.",
    )
    return cast


def seed_demo() -> str:
    """Seed the demo as ``isa seed-demo`` does; what it printed."""
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


# -- what is built once and kept (tests/kept.py) ----------------------------------------------


def _kept_key(item: pytest.Item) -> tuple[str, ...] | None:
    """What this test reads from data built before it: the demo, its module's cast, or none.

    A test that runs in transactions of its own (``transactional_db``, ``live_server``) needs
    committed data, and one that travels in time (``time_machine``) may do so before its cast
    is built: both build their own cast, as every test once did.
    """
    names = getattr(item, "fixturenames", ())
    if "demo" in names:
        return ("demo",)
    own = {"transactional_db", "live_server", "time_machine"} & set(names)
    if "cast" in names and not own and not item.get_closest_marker("django_db"):
        return ("cast", item.module.__name__)  # type: ignore[attr-defined]
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A test that cannot share what is kept has it rolled back before any of its fixtures,
    session-wide ones included: the browser tests' Playwright, started by one, runs an event
    loop under which Django hands out another connection than the one keeping it (what an
    earlier test kept, in a SQLite file, would then lock the database for the live server)."""
    if KEEPER.key is not None and _kept_key(item) is None:
        KEEPER.release()


_BUILDERS = {"cast": build_cast, "demo": seed_demo}


@pytest.fixture(scope="session")
def _keeper(django_db_setup: None, django_db_blocker: DjangoDbBlocker):
    """The keeper, rolled back at the end of the run (before the test database goes)."""
    yield KEEPER
    KEEPER.release(django_db_blocker)


@pytest.fixture(autouse=True)
def _kept(request, _fast_hashing, _private_media, django_db_blocker: DjangoDbBlocker):
    """Opens before the test's own transaction: what the test reads, kept or built now; or
    rolls back what an earlier test kept, so that this one starts from an empty database."""
    key = _kept_key(request.node)
    if key is None:
        KEEPER.release(django_db_blocker)
        return None
    keeper: Keeper = request.getfixturevalue("_keeper")
    return keeper.want(key, _BUILDERS[key[0]], django_db_blocker)


@pytest.fixture
def cast(_kept, db) -> Cast:
    """The cast of this module, kept for its tests (each gets a deep copy of its objects, as
    with ``setUpTestData``); built for this test alone when it cannot share (``_kept_key``)."""
    return copy.deepcopy(_kept) if isinstance(_kept, Cast) else build_cast()


@pytest.fixture
def demo(_kept, db) -> str:
    """The demo, seeded once for all the tests that read it: what its seeding printed."""
    return _kept


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The tests that read the demo run one after the other, so it is seeded once (and, on
    several cores, in one worker: ``tests/parallel.py``)."""
    from tests.parallel import give_unique_ids

    give_unique_ids(items)
    reading = [item for item in items if "demo" in getattr(item, "fixturenames", ())]
    if reading:
        at = items.index(reading[0])
        rest = [item for item in items if item not in reading]
        items[:] = rest[:at] + reading + rest[at:]
    if hasattr(config, "workerinput"):  # a worker of xdist (where `--dist` reads "no")
        from tests.parallel import mark_units

        mark_units(items)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """``--dist loadfile`` by ``tests/parallel.py``: a module's cast and the demo built once."""
    if config.getoption("dist", None) != "loadfile":
        return None
    from tests.parallel import KeptScheduling

    return KeptScheduling(config, log)


def refer(
    programme: Programme,
    by: User,
    last_name: str,
    first_names: str,
    *,
    birth_date: date = date(1975, 5, 17),
    referred_on: date = date(2024, 2, 1),
    **identity: object,
) -> Referral:
    """Record a referral as the service would, with sensible defaults."""
    return people.referral_create(
        programme=programme,
        identity={
            "last_name": last_name,
            "official_first_names": first_names,
            "birth_date": birth_date,
            **identity,
        },
        referral={"referred_on": referred_on, "referring_service": "CMS de Sion"},
        actor=Actor.of(by),
    )
