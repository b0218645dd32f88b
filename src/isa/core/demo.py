"""The fictional demo: an organisation in Sion, the programme "ISA Sion" and its team.

Every name, address and figure is invented.  The data is built deterministically, so two
runs on empty databases give the same records; running it again on a seeded database
changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from isa.core.actor import Actor
from isa.core.models import Membership, Organisation, Programme, Role, User

DEMO_ORGANISATION = "Entraide Valais (organisation fictive)"
DEMO_PASSWORD = "Atelier-Sion-2026"  # noqa: S105 - fictional demo, printed by `make run`

#: (e-mail, name, language, roles on ISA Sion)
STAFF = [
    ("claire.favre@demo.isa.example", "Claire Favre", "fr", [Role.HEAD, Role.SOCIAL_WORKER]),
    ("nicolas.rey@demo.isa.example", "Nicolas Rey", "fr", [Role.SOCIAL_WORKER]),
    ("lea.bonvin@demo.isa.example", "Léa Bonvin", "fr", [Role.FACILITATOR]),
    ("marc.berthod@demo.isa.example", "Marc Berthod", "fr", [Role.WATCHER, Role.FACILITATOR]),
    ("sophie.mayor@demo.isa.example", "Sophie Mayor", "fr", [Role.REFERRER]),
    ("jd.pitteloud@demo.isa.example", "Jean-Daniel Pitteloud", "fr", [Role.FUNDER]),
    ("anne.gay@demo.isa.example", "Anne Gay", "fr", [Role.RESEARCHER]),
]
OTHER_HEAD = ("urs.imboden@demo.isa.example", "Urs Imboden", "de")
ADMIN = ("admin@demo.isa.example", "Administration technique", "fr")


def demo_actor(user: User | None = None) -> Actor:
    """Who acts while the demo is seeded: ``isa seed-demo``, on behalf of a fictional user
    (the one recorded as author of what the demo writes)."""
    return Actor.job("isa seed-demo", user=user)


def seed_core(context: dict[str, object]) -> None:
    organisation, _ = Organisation.objects.get_or_create(name=DEMO_ORGANISATION)
    programme, _ = Programme.objects.get_or_create(
        organisation=organisation,
        name="ISA Sion",
        defaults={
            "place": "Atelier du Grand-Pont, Sion",
            "capacity": 22,
            "languages": ["fr", "de"],
            "annual_budget_chf": Decimal("412500.00"),
            "funders": "Service de l'action sociale (SAS), canton du Valais\nVille de Sion",
            "started_on": date(2016, 10, 1),
        },
    )
    users: dict[str, User] = {}
    for email, name, language, roles in STAFF:
        user = _user(email, name, language)
        users[email] = user
        for role in roles:
            Membership.objects.get_or_create(user=user, programme=programme, role=role)

    # A second, unrelated organisation: its people must never be visible from ISA Sion.
    other_org, _ = Organisation.objects.get_or_create(name="Fondation Horizon (fictive)")
    other_programme, _ = Programme.objects.get_or_create(
        organisation=other_org,
        name="Atelier Horizon Brig",
        defaults={"place": "Brig", "capacity": 12, "languages": ["de"]},
    )
    other_head = _user(*OTHER_HEAD)
    Membership.objects.get_or_create(user=other_head, programme=other_programme, role=Role.HEAD)

    admin = _user(*ADMIN)
    if not admin.is_superuser:
        admin.is_staff = admin.is_superuser = True
        admin.save(update_fields=["is_staff", "is_superuser"])

    context.update(
        organisation=organisation,
        programme=programme,
        other_programme=other_programme,
        users=users,
        head=users["claire.favre@demo.isa.example"],
    )


def _user(email: str, name: str, language: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, full_name=name, language=language
        )
    return user


def demo_logins() -> list[tuple[str, str]]:
    """(e-mail, what the account shows) for the console."""
    rows = [
        (email, f"{name} — {', '.join(str(r.label) for r in roles)}")
        for email, name, _, roles in STAFF
    ]
    rows.append((OTHER_HEAD[0], f"{OTHER_HEAD[1]} — head of another organisation"))
    rows.append((ADMIN[0], "system administrator (/admin/, no personal data)"))
    from isa.core.registry import registered_demo_logins

    return rows + registered_demo_logins()
