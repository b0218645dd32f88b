"""The subject-access export registry covers every model that holds data about a person:
a new app's model with a foreign key to a participant (or to a work, made by participants)
fails here until its app registers an exporter that covers it."""

from __future__ import annotations

from django.apps import apps

from isa.core.registry import subject_export_coverage
from isa.people.models import Participant
from isa.works.models import Work


def _about_people(model) -> bool:
    for field in model._meta.get_fields():
        if not field.is_relation or (field.auto_created and not field.concrete):
            continue
        if field.related_model in (Participant, Work):
            return True
    return False


def test_every_model_about_a_participant_is_covered_by_an_exporter():
    holding = {
        model._meta.label_lower
        for model in apps.get_models()
        if model._meta.app_label
        in {c.label for c in apps.get_app_configs() if c.name.startswith("isa.")}
        and (_about_people(model) or model is Participant or model is Work)
    }
    missing = sorted(holding - subject_export_coverage())
    assert not missing, (
        f"models about participants that no subject-access exporter covers: {missing}"
    )


def test_the_pact_is_exported_in_words(db):
    """The usual half-days read as words in the person's export, never as codes."""
    from django.utils import translation

    from isa.core.exports import model_row
    from isa.people.models import Pact

    pact = Pact(half_days=["tue_pm", "mon_am"])
    with translation.override("en"):
        row = model_row(pact, ["half_days"])
    assert row["half_days"] == "Monday morning, Tuesday afternoon"
