"""The demo's two participants with their own space (fictional, ISA Sion): each has works,
notes shared with them and questionnaires to read.  Their sign-in names are printed with
the staff's logins by ``isa seed-demo`` (``make run``)."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from isa.core.demo import DEMO_PASSWORD, demo_actor
from isa.core.models import Programme, User
from isa.journal.services import entry_write
from isa.people.models import Participant
from isa.portal.models import ParticipantAccess
from isa.portal.services import access_create

#: Demo sign-in names are fixed, so that the console and the user guide can name them.
DEMO_LOGINS = ("demo-atelier-1", "demo-atelier-2")

SHARED_NOTES = [
    "Aujourd'hui tu as terminé le fond bleu de ta toile. Tu as dit : « je reviens jeudi ».",
    "Tu as montré ton carnet de croquis au groupe. Plusieurs personnes ont posé des questions.",
]


def seed_portal(context: dict[str, object]) -> None:
    programme: Programme = context["programme"]  # type: ignore[assignment]
    head: User = context["head"]  # type: ignore[assignment]
    actor = demo_actor(head)
    chosen = list(
        Participant.objects.in_programme(programme)
        .occupying()
        .annotate(
            n_works=Count("works", distinct=True), n_q=Count("administrations", distinct=True)
        )
        .filter(n_works__gt=0)
        .order_by("-n_q", "-n_works", "pk")[:2]
    )
    for login, participant, note in zip(DEMO_LOGINS, chosen, SHARED_NOTES, strict=False):
        access, _invitation, _code = access_create(
            participant=participant,
            agreement_note="Demandé lors de l'entretien, démonstration fictive.",
            language="fr",
            actor=actor,
        )
        ParticipantAccess.objects.filter(pk=access.pk).update(login=login)
        user = access.user
        user.email = f"{login}@{user.email.split('@', 1)[1]}"
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["email", "password"])
        entry_write(
            programme=programme,
            participants=[participant],
            actor=actor,
            written_on=timezone.localdate() - timedelta(days=3),
            kind="small_step",
            tags=["rechauffer"],
            posture="facilitator",
            visibility="shared",
            text=note,
        )


def demo_portal_logins() -> list[tuple[str, str]]:
    rows = []
    for access in ParticipantAccess.objects.filter(login__in=DEMO_LOGINS).select_related(
        "participant"
    ):
        rows.append(
            (
                access.login,
                f"{access.participant} — participant (fictional), own space at /portal/login/",
            )
        )
    return rows
