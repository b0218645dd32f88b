"""The watch in the demo: the rules run once on the fictional data, so that some alerts are
open; two of them already have an outreach log, and one was resolved."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from isa.core.demo import demo_actor
from isa.core.models import Programme, User
from isa.watch import services
from isa.watch.models import Alert, OutreachKind

WATCHER = "marc.berthod@demo.isa.example"
SOCIAL_WORKER = "nicolas.rey@demo.isa.example"


def seed_watch(context: dict[str, object]) -> None:
    programme: Programme = context["programme"]  # type: ignore[assignment]
    users: dict[str, User] = context["users"]  # type: ignore[assignment]
    watcher, social_worker = users[WATCHER], users[SOCIAL_WORKER]
    today = timezone.localdate()
    # As if the watch had run every week of the last month: some alerts are older.
    for weeks in (4, 3, 2, 1, 0):
        services.watch_evaluate(
            programme=programme, actor=demo_actor(), today=today - timedelta(weeks=weeks)
        )
    alerts = list(Alert.objects.filter(programme=programme).open().order_by("opened_on", "pk"))
    if alerts:
        first = alerts[0]
        services.outreach_record(
            alert=first,
            kind=OutreachKind.PHONE,
            on=today,
            note="Pas de réponse ; message laissé sur le répondeur pour prendre des nouvelles.",
            actor=demo_actor(watcher),
        )
        services.outreach_record(
            alert=first,
            kind=OutreachKind.MESSAGE,
            on=today,
            note="SMS envoyé : « On pense à toi, l'atelier est ouvert jeudi. »",
            actor=demo_actor(watcher),
        )
    if len(alerts) > 1:
        second = alerts[1]
        services.outreach_record(
            alert=second,
            kind=OutreachKind.WORKSHOP,
            on=today,
            note="Croisé·e à l'atelier de gravure, a dit que tout allait mieux.",
            actor=demo_actor(social_worker),
        )
        services.alert_resolve(
            alert=second,
            resolution="Nous en avons parlé ensemble ; rien à faire de plus pour l'instant.",
            actor=demo_actor(social_worker),
        )
