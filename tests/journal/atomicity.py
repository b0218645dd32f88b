"""Rollback scenarios for the audited services of the journal: each sets the scene and returns
the call that tests/core/test_audit_atomicity.py makes with the audit log down, then up."""

from __future__ import annotations

from datetime import date

from isa.journal import services as journal
from isa.journal.models import Entry
from tests.atomicity import Call, Fixture, fresh, scenario
from tests.conftest import Cast


@scenario("isa.journal.services.entry_write")
def _entry_write(fx: Fixture) -> Call:
    cast: Cast = fx("cast")
    return lambda: journal.entry_write(
        programme=cast.programme,
        participants=[fresh(cast.participant)],
        actor=cast.actor("social_worker"),
        written_on=date(2024, 5, 6),
        kind="observation",
        tags=[],
        posture="social_worker",
        visibility="team",
        text="A peint toute la matinée.",
    )


@scenario("isa.journal.services.entry_correct")
def _entry_correct(fx: Fixture) -> Call:
    cast: Cast = fx("cast")

    def call() -> object:
        entry = Entry.objects.get(pk=cast.entry.pk)
        return journal.entry_correct(
            entry=entry,
            expected_version=entry.version,
            participants=[fresh(cast.participant)],
            kind="observation",
            tags=[],
            visibility="team",
            text="Texte corrigé.",
            actor=cast.actor("social_worker"),
        )

    return call
