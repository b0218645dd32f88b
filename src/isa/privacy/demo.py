"""The demo's retention policy and a research study (fictional): the evaluation of the
measure by a university of applied sciences, with the demo's researcher account."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from isa.core.demo import demo_actor
from isa.core.models import Organisation, Programme, User
from isa.privacy import services


def seed_privacy(context: dict[str, object]) -> None:
    organisation = context["organisation"]
    programme = context["programme"]
    head = context["head"]
    assert isinstance(organisation, Organisation) and isinstance(programme, Programme)
    assert isinstance(head, User)
    actor = demo_actor(head)
    services.retention_policy_set(
        organisation=organisation,
        programme=programme,
        years=10,
        legal_minimum_years=10,
        legal_basis="CO art. 127 et 958f; contrat de prestations avec le canton (fictif)",
        actor=actor,
    )
    researcher = User.objects.filter(email="anne.gay@demo.isa.example").first()
    if researcher is None:
        return
    this_year = timezone.localdate().year
    services.study_create(
        programme=programme,
        name="Évaluation de la mesure ISA (HES fictive)",
        purpose=(
            "Évaluer les effets de l'accompagnement inconditionnel sur l'isolement et le "
            "bien-être, avec les personnes qui y consentent (étude fictive)."
        ),
        starts_on=date(this_year, 1, 1),
        ends_on=date(this_year + 1, 12, 31),
        researchers=[researcher],
        actor=actor,
    )
