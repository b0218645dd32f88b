"""The programme page names the first people waiting (to those who admit) and says an
occupancy above capacity as such, never as "0 places free"."""

from __future__ import annotations

from datetime import date

import time_machine
from django.urls import reverse

from isa.core.models import AuditEvent
from isa.people import services
from isa.people.models import Participant
from tests.conftest import Cast, refer

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _programme_page(cast: Cast, who: str, **headers) -> str:
    response = cast.client(who).get(reverse("programme", args=[cast.programme.pk]), **headers)
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel(date(2024, 3, 11))
def test_the_programme_page_names_the_first_people_waiting_and_their_wait(cast: Cast):
    names = ["Bagnoud", "Crettenand", "Dayer", "Epiney", "Fellay", "Gaspoz"]
    for day, name in enumerate(names, start=1):
        refer(cast.programme, cast.users["referrer"], name, "Alex", referred_on=date(2024, 3, day))
    waiting = Participant.objects.filter(last_name__in=names)
    for p in waiting:
        services.referral_set_status(
            referral=p.referrals.get(), status="waiting", note="", actor=cast.actor("head")
        )
    content = _programme_page(cast, "head", **EN)
    panel = content[content.index('id="people-panel-title"') :]
    # The oldest five, in order, each with the days waited; the sixth in the total only.
    positions = [panel.index(name) for name in names[:5]]
    assert positions == sorted(positions)
    assert "Gaspoz" not in panel
    assert "waiting for 10 days" in panel  # Bagnoud, referred on 01.03.2024
    assert "waiting for 6 days" in panel  # Epiney
    assert "6 people waiting in all." in panel
    assert AuditEvent.objects.filter(
        action="view", object_type="people.referral", detail__page="programme"
    ).exists()


def test_roles_that_do_not_admit_see_no_names_of_people_waiting(cast: Cast):
    refer(cast.programme, cast.users["referrer"], "Bagnoud", "Aline")
    for role in ("facilitator", "watcher"):
        assert "Bagnoud" not in _programme_page(cast, role)


def test_above_capacity_the_page_says_how_many_people_are_above(cast: Cast):
    cast.programme.capacity = 1
    cast.programme.save(update_fields=["capacity"])
    newcomer = refer(cast.programme, cast.users["referrer"], "Bagnoud", "Aline").participant
    services.participant_admit(
        participant=newcomer, on=date(2024, 3, 4), override_capacity=True, actor=cast.actor("head")
    )
    assert Participant.objects.in_programme(cast.programme).occupying().count() == 2
    content = _programme_page(cast, "head", **EN)
    assert "2 / 1" in content
    assert "1 person above capacity" in content
    assert "0 places free" not in content
    waiting = cast.client("head").get(reverse("waiting_list", args=[cast.programme.pk]), **EN)
    assert "1 person above capacity" in waiting.content.decode()
    french = _programme_page(cast, "head", HTTP_ACCEPT_LANGUAGE="fr")
    assert "1 personne au-delà de la capacité" in french


def test_below_capacity_the_free_places_are_counted(cast: Cast):
    content = _programme_page(cast, "head", **EN)
    assert "21 places free" in content
    assert "above capacity" not in content
