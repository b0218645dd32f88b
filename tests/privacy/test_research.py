"""The research export: a Frictionless Data Package of the people whose research consent is
in force at the moment of export, under the study's pseudonyms, with no direct identifier."""

from __future__ import annotations

import csv
import io
import json
import stat
import zipfile
from datetime import date, timedelta
from pathlib import Path

import frictionless
import pytest
from django.urls import reverse
from django.utils import timezone

from isa.core.actor import Actor
from isa.core.models import AuditEvent, Role, User
from isa.evaluation.models import HealthPeriod
from isa.journal.models import Entry
from isa.people import services as people
from isa.people.models import Consent, ConsentKind, Participant
from isa.privacy import keys, research, services
from isa.privacy.models import Study
from tests.conftest import Cast
from tests.privacy.matrix import open_study
from tests.reports import fixture


@pytest.fixture(autouse=True)
def _key_dir(settings, tmp_path: Path):
    settings.ISA_RESEARCH_KEY_DIR = tmp_path / "research-keys"


def unpack(data: bytes, folder: Path) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(folder)
    tables = {}
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            tables[path.stem] = list(csv.DictReader(handle))
    return tables


def consent(person: Participant, state: str, actor: Actor, on: date | None = None) -> None:
    people.consent_record(
        participant=person,
        kind=ConsentKind.RESEARCH,
        state=state,
        on=on or timezone.localdate(),
        method="paper",
        actor=actor,
    )


def study_named(cast: Cast, name: str, **period) -> Study:
    today = timezone.localdate()
    return services.study_create(
        programme=cast.programme,
        name=name,
        purpose="Évaluer l'accompagnement (fictif).",
        starts_on=period.get("starts_on", today - timedelta(days=10)),
        ends_on=period.get("ends_on", today + timedelta(days=100)),
        researchers=[cast.users["researcher"]],
        actor=cast.actor("head"),
    )


# -- the demo: valid, and no direct identifier anywhere -------------------------------------------


def test_the_demo_export_validates_and_holds_no_identifier(demo, tmp_path: Path):
    head = User.objects.get(email="claire.favre@demo.isa.example")
    researcher = User.objects.get(email="anne.gay@demo.isa.example")
    programme = researcher.memberships.get(role=Role.RESEARCHER).programme
    today = timezone.localdate()
    study = services.study_create(
        programme=programme,
        name="Suivi des effets (fictif)",
        purpose="Évaluation",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
        researchers=[researcher],
        actor=Actor.of(head),
    )
    client = __import__("django.test", fromlist=["Client"]).Client()
    client.force_login(researcher)
    response = client.get(reverse("study_export", args=[programme.pk, study.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    tables = unpack(response.content, tmp_path)

    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])

    consenting = research.people_in_export(programme.pk, today)
    assert len(tables["participants"]) == len(consenting) > 0
    event = AuditEvent.objects.get(object_type="privacy.study", action="export")
    assert event.detail["people"] == len(consenting)
    assert event.actor_id == researcher.pk

    forbidden = set()
    for person in Participant.objects.all():
        forbidden |= {person.last_name, person.official_first_names, person.usual_first_name}
        forbidden |= {person.avs_number, person.social_aid_reference, person.phone, person.email}
        forbidden |= {person.avs_number.replace(".", "")}
    forbidden |= {e.text for e in Entry.objects.all()}
    forbidden = {f.casefold() for f in forbidden if f and len(f) > 2}
    cells = [
        cell.casefold() for rows in tables.values() for row in rows for cell in row.values() if cell
    ]
    assert cells
    leaks = [c for c in cells if c in forbidden or any(f in c for f in forbidden if len(f) > 5)]
    assert not leaks, leaks[:5]
    ids = {str(p.pk) for p in consenting}
    assert not ids & {row["person"] for row in tables["participants"]}
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert {r["name"] for r in descriptor["resources"]} == {
        "participants",
        "presence",
        "questionnaires",
        "health",
        "codebook",
    }
    health_consenting = {
        p.pk for p in people.participants_consenting(kind=ConsentKind.HEALTH, programme=programme)
    }
    exported = {row["person"] for row in tables["health"]}
    key = keys.study_key(study.pk)
    assert exported <= {keys.pseudonym(key, p.pk) for p in consenting if p.pk in health_consenting}
    assert tables["health"]  # the demo has people under both consents
    assert all(int(row["cost_before_per_year"]) % 100 == 0 for row in tables["health"])
    languages = {row["language"] for row in tables["codebook"]}
    assert languages == {"fr", "de", "en"}
    documented = {(row["resource"], row["variable"]) for row in tables["codebook"]}
    for resource in descriptor["resources"]:
        if resource["name"] != "codebook":
            for field in resource["schema"]["fields"]:
                assert (resource["name"], field["name"]) in documented


# -- pseudonyms -------------------------------------------------------------------------------


def test_pseudonyms_are_stable_in_a_study_and_differ_between_studies(cast: Cast, tmp_path: Path):
    consent(cast.participant, "given", cast.actor("social_worker"), on=date(2024, 3, 4))
    first, second = study_named(cast, "Étude A"), study_named(cast, "Étude B")
    researcher = cast.actor("researcher")
    a1 = unpack(services.research_export(study=first, actor=researcher)[0], tmp_path / "a1")
    a2 = unpack(services.research_export(study=first, actor=researcher)[0], tmp_path / "a2")
    b1 = unpack(services.research_export(study=second, actor=researcher)[0], tmp_path / "b1")
    p_a1 = a1["participants"][0]["person"]
    assert p_a1 == a2["participants"][0]["person"]
    assert p_a1 != b1["participants"][0]["person"]
    assert p_a1 == keys.pseudonym(keys.study_key(first.pk), cast.participant.pk)
    key_file = keys.key_path(first.pk)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    key = key_file.read_bytes()
    for folder in ("a1", "b1"):
        for path in (tmp_path / folder).iterdir():
            assert key not in path.read_bytes() and key.hex().encode() not in path.read_bytes()


def test_consent_is_read_at_the_moment_of_export(cast: Cast, tmp_path: Path):
    study = open_study(cast)
    consent(cast.participant, "given", cast.actor("social_worker"), on=date(2024, 3, 4))
    _data, count = services.research_export(study=study, actor=cast.actor("researcher"))
    assert count == 1
    consent(cast.participant, "withdrawn", cast.actor("social_worker"))
    _data, count = services.research_export(study=study, actor=cast.actor("researcher"))
    assert count == 0


def test_no_consenting_participant_gives_an_empty_package_that_says_so(cast: Cast, tmp_path: Path):
    study = open_study(cast)
    data, count = services.research_export(study=study, actor=cast.actor("researcher"))
    assert count == 0
    tables = unpack(data, tmp_path)
    assert tables["participants"] == [] and tables["presence"] == []
    assert "holds no data" in (tmp_path / "README.txt").read_text()
    descriptor = json.loads((tmp_path / "datapackage.json").read_text())
    assert "holds no data" in descriptor["description"]
    assert frictionless.validate(str(tmp_path / "datapackage.json")).valid
    assert AuditEvent.objects.get(object_type="privacy.study").detail["people"] == 0


# -- refusals ---------------------------------------------------------------------------------


def test_an_export_outside_the_period_is_refused(cast: Cast):
    today = timezone.localdate()
    ended = study_named(
        cast, "Finie", starts_on=date(2024, 1, 1), ends_on=today - timedelta(days=1)
    )
    later = study_named(
        cast, "Plus tard", starts_on=today + timedelta(days=5), ends_on=today + timedelta(days=50)
    )
    client = cast.client("researcher")
    for study in (ended, later):
        response = client.get(reverse("study_export", args=[cast.programme.pk, study.pk]))
        assert response.status_code == 409
        assert response["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(object_type="privacy.study", action="export").exists()


def test_a_researcher_outside_the_study_gets_404(cast: Cast):
    from tests.conftest import make_user

    other = make_user("other.researcher@test.example")
    cast.programme.memberships.create(user=other, role=Role.RESEARCHER)
    study = open_study(cast)
    client = cast.client("anonymous")
    client.force_login(other)
    assert (
        client.get(reverse("study_export", args=[cast.programme.pk, study.pk])).status_code == 404
    )


def test_the_head_declares_a_study(cast: Cast):
    url = reverse("study_list", args=[cast.programme.pk])
    researcher = cast.users["researcher"]
    today = timezone.localdate()
    data = {
        "name": "Étude régionale",
        "purpose": "Comprendre l'isolement.",
        "starts_on": today.isoformat(),
        "ends_on": (today - timedelta(days=1)).isoformat(),
        "researchers": [researcher.pk],
    }
    assert cast.client("head").post(url, data).status_code == 400
    data["ends_on"] = (today + timedelta(days=90)).isoformat()
    assert cast.client("researcher").post(url, data).status_code == 403
    assert cast.client("head").post(url, data).status_code == 302
    study = Study.objects.get(name="Étude régionale")
    assert list(study.researchers.all()) == [researcher]
    page = cast.client("researcher").get(url).content.decode()
    assert reverse("study_export", args=[cast.programme.pk, study.pk]) in page


# -- health: only under both consents -----------------------------------------------------------


def _health_person(cast: Cast, name: str, before: str, after: str, health: str | None):
    """A person with the research consent, health costs before entry and in the latest 12
    months, and the health-data consent ``health`` (given, withdrawn or none)."""
    someone = fixture.person(cast.programme, name)
    consent(someone, "given", cast.actor("social_worker"), on=date(2024, 3, 4))
    if health:
        Consent.objects.create(
            participant=someone, kind="health", state="given", on=date(2023, 1, 2), method="paper"
        )
        if health == "withdrawn":
            Consent.objects.create(
                participant=someone,
                kind="health",
                state="withdrawn",
                on=date(2025, 1, 2),
                method="paper",
            )
    for kind, start, end, amount in (
        ("baseline", date(2023, 1, 1), date(2023, 12, 31), before),
        ("follow_up", date(2024, 1, 1), date(2024, 6, 30), after),  # 182 days
    ):
        HealthPeriod.objects.create(
            programme=cast.programme,
            participant=someone,
            kind=kind,
            starts_on=start,
            ends_on=end,
            costs_chf=amount,
            cost_source="Assura",
        )
    return someone


def test_health_costs_only_with_the_research_and_the_health_consent(
    cast: Cast, settings, tmp_path: Path
):
    settings.ISA_MIN_CELL_SIZE = 2
    a = _health_person(cast, "Alpha", "10049.95", "2025.40", "given")
    b = _health_person(cast, "Beta", "3000.00", "1000.00", "given")
    c = _health_person(cast, "Gamma", "7000.00", "7000.00", "withdrawn")
    d = _health_person(cast, "Delta", "5000.00", "5000.00", None)
    study = open_study(cast)
    researcher = cast.actor("researcher")
    data, count = services.research_export(study=study, actor=researcher)
    assert count == 4
    tables = unpack(data, tmp_path / "both")
    report = frictionless.validate(str(tmp_path / "both" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    key = keys.study_key(study.pk)
    rows = {row["person"]: row for row in tables["health"]}
    assert set(rows) == {keys.pseudonym(key, a.pk), keys.pseudonym(key, b.pk)}
    for absent in (c, d):
        assert keys.pseudonym(key, absent.pk) not in rows
    # 10,049.95 → 10,000; 2,025.40 over 182 days → 4,061.95 a year → 4,100
    assert rows[keys.pseudonym(key, a.pk)] == {
        "person": keys.pseudonym(key, a.pk),
        "cost_before_per_year": "10000",
        "cost_after_per_year": "4100",
    }
    assert rows[keys.pseudonym(key, b.pk)]["cost_after_per_year"] == "2000"
    codebook = [row for row in tables["codebook"] if row["resource"] == "health"]
    assert {row["language"] for row in codebook} == {"fr", "de", "en"}
    assert {row["variable"] for row in codebook} == {
        "person",
        "cost_before_per_year",
        "cost_after_per_year",
    }
    english = next(
        r for r in codebook if r["variable"] == "cost_before_per_year" and r["language"] == "en"
    )
    assert "health-data consent" in english["description"]
    assert "CHF per person-year" in english["values"]

    # B withdraws their research consent: one person left, fewer than 2 → no row at all
    consent(b, "withdrawn", cast.actor("social_worker"))
    data, count = services.research_export(study=study, actor=researcher)
    assert count == 3
    tables = unpack(data, tmp_path / "one")
    assert tables["health"] == []
    descriptor = json.loads((tmp_path / "one" / "datapackage.json").read_text())
    assert descriptor["isa"]["health_suppressed"] is True
    assert frictionless.validate(str(tmp_path / "one" / "datapackage.json")).valid
    events = AuditEvent.objects.filter(object_type="privacy.study", action="export")
    assert [e.detail["people"] for e in events.order_by("pk")] == [4, 3]
