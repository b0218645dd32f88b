"""An actor without a user (a scheduled job, an anonymous visitor) holds no role and writes
nothing as an author."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from isa.core.actor import Actor
from isa.core.models import Role
from isa.journal import services as journal
from isa.journal.models import Entry
from tests.conftest import Cast


def test_an_actor_holds_the_roles_of_its_user_on_that_programme_only(cast: Cast):
    head = cast.actor("head")
    assert head.has_role(cast.programme, {Role.HEAD})
    assert head.has_role(cast.programme.pk, [Role.SOCIAL_WORKER, Role.HEAD])
    assert not head.has_role(cast.programme, {Role.FACILITATOR})
    assert not head.has_role(cast.other_programme, {Role.HEAD})


def test_a_job_holds_no_role_anywhere(cast: Cast):
    assert not Actor.job("isa watch").has_role(cast.programme, set(Role.values))


def test_the_signed_in_user_of_an_actor_is_its_user(cast: Cast):
    assert cast.actor("social_worker").signed_in_user() == cast.users["social_worker"]


def test_a_job_has_no_signed_in_user():
    with pytest.raises(PermissionDenied):
        Actor.job("isa watch").signed_in_user()


def test_a_job_cannot_write_a_journal_entry_and_nothing_is_written(cast: Cast):
    before = Entry.objects.count()
    with pytest.raises(PermissionDenied):
        journal.entry_write(
            programme=cast.programme,
            participants=[cast.participant],
            actor=Actor.job("isa import"),
            written_on=date(2024, 5, 6),
            kind="observation",
            tags=[],
            posture="social_worker",
            visibility="team",
            text="Texte.",
        )
    assert Entry.objects.count() == before
