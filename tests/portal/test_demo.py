"""The demo's two participants have their own space, with something to read in it."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from isa.core.demo import DEMO_PASSWORD
from isa.evaluation.models import Administration
from isa.journal.models import Entry
from isa.portal.demo import DEMO_LOGINS
from isa.portal.models import ParticipantAccess
from isa.works.models import Work


def test_two_fictional_participants_have_a_space_with_things_to_read(demo: str):
    for login in DEMO_LOGINS:
        assert login in demo  # printed with the staff's logins
        access = ParticipantAccess.objects.get(login=login)
        person = access.participant
        assert person.programme.name.startswith("ISA Sion")
        assert Work.objects.by(person).exists()
        assert Entry.objects.shared_with(person).exists()
        assert Administration.objects.filter(participant=person).exists()
        client = Client()
        response = client.post(reverse("portal_login"), {"login": login, "password": DEMO_PASSWORD})
        assert response.status_code == 302
        assert client.get(reverse("portal_works")).status_code == 200
        assert client.get(reverse("portal_questionnaires")).status_code == 200
