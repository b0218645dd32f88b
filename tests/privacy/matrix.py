"""This app's part of the permission matrix (merged in tests/test_permission_matrix.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from isa.privacy.models import Study
from tests.conftest import Cast
from tests.matrix import Case, only, participant, programme


def open_study(c: Cast) -> Study:
    """A study of the cast's programme, open today, with the cast's researcher."""
    today = timezone.localdate()
    study, created = Study.objects.get_or_create(
        programme=c.programme,
        name="Étude de suivi (fictive)",
        defaults={
            "purpose": "Évaluer l'accompagnement.",
            "starts_on": today - timedelta(days=30),
            "ends_on": today + timedelta(days=300),
        },
    )
    if created:
        study.researchers.add(c.users["researcher"])
    return study


def study(c: Cast) -> dict[str, Any]:
    return {"programme_id": c.programme.pk, "study_id": open_study(c).pk}


MATRIX: dict[str, Case] = {
    "privacy_retention": Case(kwargs=programme, expect=only({"head"})),
    "participant_anonymise": Case(kwargs=participant, expect=only({"head"})),
    "study_list": Case(kwargs=programme, expect=only({"head", "researcher"})),
    "study_export": Case(kwargs=study, expect=only({"researcher"})),
}
