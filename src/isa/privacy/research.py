"""A study's pseudonymised research export: a Frictionless Data Package in a ZIP.

``datapackage.json`` describes five CSV resources, each with its Table Schema (fields,
types, constraints, missing values, descriptions in French, German and English):

- ``participants.csv``: one row per person whose research consent is in force at the moment
  of export: pseudonym, age band at entry, gender, referring service, status, months of
  entry and last exit, reason of the last exit, number of stays, days accompanied;
- ``presence.csv``: per person and month, the half-days present and absent;
- ``questionnaires.csv``: per questionnaire, the instrument, month, status and score;
- ``health.csv``: per person whose health-data consent is in force at the moment of export
  too, the health costs per person-year before entry and in the latest 12 months (as the
  reports count them), rounded to CHF 100; no row at all below ``ISA_MIN_CELL_SIZE`` people;
- ``codebook.csv``: every variable in the three languages: what it is, its values, how it
  was measured, which instrument and licence.

What is never in it: names, contacts, AVS number, social-aid reference, any free text, any
database id.  Identifiers are the study's keyed-HMAC pseudonyms (:mod:`isa.privacy.keys`);
birth dates become ten-year age bands, dates become months, and the categories of the
quasi-identifiers held by fewer than ``ISA_MIN_CELL_SIZE`` people are merged into "other"
(OUTWARD.md, "Research data"); when a combination of quasi-identifiers still isolates fewer
than that many people, whole columns are left empty, in a fixed order, until none does.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from isa.core.documents.spreadsheets import csv_bytes
from isa.evaluation.catalogue import instrument_of
from isa.evaluation.models import Administration, HealthPeriod
from isa.evaluation.results import costs_per_person
from isa.people.models import ConsentKind, ExitReason, Participant, Status
from isa.people.services import participants_consenting
from isa.presence.models import Presence, PresenceState
from isa.privacy.keys import pseudonym, study_key
from isa.privacy.models import Study

OTHER = "other"
#: Quasi-identifiers, in the order in which they are left empty when a combination of
#: them would isolate fewer than K people.
QUASI_IDENTIFIERS = ("gender", "referring_service", "exit_reason", "status", "age_band")


@dataclass(frozen=True)
class T:
    """One text in the three languages of the codebook."""

    fr: str
    de: str
    en: str


LICENCE = T(
    fr="Usage limité à l'étude déclarée; pas de rediffusion; pas de tentative de réidentification.",
    de=(
        "Nutzung nur für die angemeldete Studie; keine Weitergabe; "
        "kein Versuch der Reidentifikation."
    ),
    en="For the declared study only; no redistribution; no attempt at re-identification.",
)
PSEUDONYM = T(
    fr="Pseudonyme de la personne dans cette étude (HMAC-SHA256 à clé propre à l'étude).",
    de="Pseudonym der Person in dieser Studie (HMAC-SHA256 mit studieneigenem Schlüssel).",
    en="The person's pseudonym in this study (HMAC-SHA256 under the study's own key).",
)
RECORDED = T(
    fr="Saisi par l'équipe dans ISA.",
    de="Vom Team in ISA erfasst.",
    en="Recorded by the team in ISA.",
)


@dataclass(frozen=True)
class Variable:
    resource: str
    name: str
    type: str
    description: T
    measured: T = RECORDED
    values: str = ""
    instrument: str = ""
    licence: str = ""
    enum: tuple[str, ...] = ()


def _month(day: date | None) -> str:
    return f"{day:%Y-%m}" if day else ""


def _age_band(birth: date, on: date) -> str:
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    low = max(age // 10 * 10, 0)
    return f"{low}-{low + 9}"


def _merge_rare(values: list[str], k: int) -> list[str]:
    """Categories held by fewer than ``k`` people become "other"; while "other" itself
    holds fewer than ``k`` (but some), the smallest remaining category joins it."""
    counts = Counter(v for v in values if v)
    rare = {v for v, n in counts.items() if n < k}
    while True:
        in_other = sum(counts[v] for v in rare)
        kept = [v for v in counts if v not in rare]
        if in_other == 0 or in_other >= k or not kept:
            break
        rare.add(min(kept, key=lambda v: (counts[v], v)))
    if rare and sum(counts[v] for v in rare) < k:  # nothing left to merge with: hide
        return ["" if v in rare else v for v in values]
    return [OTHER if v in rare else v for v in values]


def _protect(rows: list[dict[str, Any]], k: int) -> list[str]:
    """Merge rare categories, then empty whole quasi-identifier columns until every
    combination of the remaining ones holds at least ``k`` people.  The emptied columns."""
    for column in QUASI_IDENTIFIERS:
        merged = _merge_rare([r[column] for r in rows], k)
        for row, value in zip(rows, merged, strict=True):
            row[column] = value
    emptied: list[str] = []
    for column in [*QUASI_IDENTIFIERS, None]:
        combos = Counter(tuple(r[c] for c in QUASI_IDENTIFIERS) for r in rows)
        if all(n >= k for n in combos.values()) or column is None:
            break
        for row in rows:
            row[column] = ""
        emptied.append(column)
    return emptied


# -- what goes in ------------------------------------------------------------------------------


def people_in_export(programme: int, on: date) -> list[Participant]:
    """The people of ``programme`` a study's export holds on ``on``: those whose research
    consent is in force then (the rule of :func:`isa.people.services.consent_is_given`)."""
    consenting = participants_consenting(kind=ConsentKind.RESEARCH, on=on, programme=programme)
    return list(
        Participant.objects.filter(pk__in=consenting.values("pk"), programme_id=programme)
        .prefetch_related("stays__pauses", "referrals")
        .order_by("pk")
    )


def _days_accompanied(person: Participant, on: date) -> int:
    total = 0
    for stay in person.stays.all():
        total += stay.days(on)
        for pause in stay.pauses.all():
            end = pause.ended_on or stay.exited_on or on
            total -= max((end - pause.started_on).days + 1, 0)
    return max(total, 0)


def _participant_rows(people: list[Participant], ids: dict[int, str], on: date) -> list[dict]:
    rows = []
    for person in people:
        stays = list(person.stays.all())
        referrals = list(person.referrals.all())
        entry = person.accompanied_since or (referrals[-1].referred_on if referrals else on)
        exits = [s for s in stays if s.exited_on]
        last = max(exits, key=lambda s: s.exited_on) if exits else None
        rows.append(
            {
                "person": ids[person.pk],
                "age_band": _age_band(person.birth_date, entry),
                "gender": " ".join(person.gender.casefold().split()),
                "referring_service": " ".join(referrals[0].referring_service.split())
                if referrals
                else "",
                "status": person.status,
                "entry_month": _month(person.accompanied_since),
                "last_exit_month": _month(last.exited_on) if last else "",
                "exit_reason": (last.exit_reason if last else "") or "",
                "stays": len(stays),
                "days_accompanied": _days_accompanied(person, on),
            }
        )
    return rows


def _presence_rows(people: list[Participant], ids: dict[int, str]) -> list[dict]:
    counts = (
        Presence.objects.filter(participant__in=people)
        .annotate(month=TruncMonth("session__on"))
        .values("participant_id", "month")
        .annotate(
            present=Count("pk", filter=Q(state=PresenceState.PRESENT)),
            absent=Count("pk", filter=Q(state=PresenceState.ABSENT)),
        )
        .order_by("participant_id", "month")
    )
    return [
        {
            "person": ids[row["participant_id"]],
            "month": _month(row["month"]),
            "present_half_days": row["present"],
            "absent_half_days": row["absent"],
        }
        for row in counts
    ]


def _questionnaire_rows(
    people: list[Participant], ids: dict[int, str]
) -> tuple[list[dict], dict[str, Any]]:
    rows, instruments = [], {}
    for administration in (
        Administration.objects.filter(participant__in=people)
        .select_related("loaded_instrument")
        .order_by("participant_id", "on", "pk")
    ):
        key = f"{administration.instrument_code}@{administration.instrument_version}"
        if key not in instruments:
            try:
                instruments[key] = instrument_of(administration)
            except (KeyError, ValueError):
                instruments[key] = None
        rows.append(
            {
                "person": ids[administration.participant_id],
                "instrument": administration.instrument_code,
                "instrument_version": administration.instrument_version,
                "month": _month(administration.on),
                "status": administration.status,
                "score": administration.primary_value,
            }
        )
    return rows, instruments


#: Health costs leave rounded to this many francs (an exact amount is a key to an insurer's
#: statement).
HEALTH_ROUNDING = 100


def _rounded(amount: float) -> int:
    steps = (Decimal(amount) / HEALTH_ROUNDING).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(steps) * HEALTH_ROUNDING


def _health_rows(
    programme: int, people: list[Participant], ids: dict[int, str], on: date, k: int
) -> tuple[list[dict], bool]:
    """Per person whose research consent (``people``) and health-data consent are both in
    force on ``on``: the health costs per person-year before entry and in the latest 12
    months, the reports' definition (:func:`isa.evaluation.results.costs_per_person`),
    rounded to CHF 100.  Fewer than ``k`` such people: no row (and True: suppressed)."""
    periods = HealthPeriod.objects.filter(
        programme_id=programme, participant_id__in=[p.pk for p in people]
    ).with_consent(on)
    costs = costs_per_person(periods)
    if 0 < len(costs) < k:
        return [], True
    rows = [
        {
            "person": ids[pid],
            "cost_before_per_year": _rounded(before),
            "cost_after_per_year": _rounded(after),
        }
        for pid, (before, after) in costs.items()
    ]
    rows.sort(key=lambda row: row["person"])
    return rows, False


# -- the codebook -------------------------------------------------------------------------


def _variables(instruments: dict[str, Any]) -> list[Variable]:
    statuses = tuple(Status.values)
    reasons = tuple(ExitReason.values)
    cited = "; ".join(
        f"{key}: {inst.titles.en}" for key, inst in sorted(instruments.items()) if inst
    )
    licences = "; ".join(
        f"{key}: {inst.licence}" for key, inst in sorted(instruments.items()) if inst
    )
    sources = "; ".join(
        f"{key}: {inst.source}" for key, inst in sorted(instruments.items()) if inst
    )
    K = "ISA_MIN_CELL_SIZE"
    return [
        Variable("participants", "person", "string", PSEUDONYM, measured=PSEUDONYM),
        Variable(
            "participants",
            "age_band",
            "string",
            T(
                "Tranche d'âge de dix ans à l'entrée (première admission, sinon l'orientation).",
                "Zehnjahres-Altersgruppe beim Eintritt (erste Aufnahme, sonst Zuweisung).",
                "Ten-year age band at entry (first admission, else the referral).",
            ),
            values=f"0-9, 10-19, …; '{OTHER}': merged (< {K})",
        ),
        Variable(
            "participants",
            "gender",
            "string",
            T(
                "Genre, dans les mots de la personne (facultatif), en minuscules.",
                "Geschlecht, in den Worten der Person (freiwillig), kleingeschrieben.",
                "Gender, in the person's own words (optional), lower case.",
            ),
            values=f"as recorded; '{OTHER}': merged (< {K}); empty: not recorded or withheld",
        ),
        Variable(
            "participants",
            "referring_service",
            "string",
            T("Service qui a orienté la personne.", "Zuweisende Stelle.", "Referring service."),
            values=f"as recorded; '{OTHER}': merged (< {K})",
        ),
        Variable(
            "participants",
            "status",
            "string",
            T(
                "Situation au moment de l'export.",
                "Stand zum Zeitpunkt des Exports.",
                "Situation at the moment of export.",
            ),
            values=", ".join(statuses) + f", {OTHER}",
            enum=(*statuses, OTHER),
        ),
        Variable(
            "participants",
            "entry_month",
            "yearmonth",
            T(
                "Mois de la première admission.",
                "Monat der ersten Aufnahme.",
                "Month of first admission.",
            ),
            values="YYYY-MM",
        ),
        Variable(
            "participants",
            "last_exit_month",
            "yearmonth",
            T(
                "Mois de la dernière sortie.",
                "Monat des letzten Austritts.",
                "Month of the last exit.",
            ),
            values="YYYY-MM",
        ),
        Variable(
            "participants",
            "exit_reason",
            "string",
            T(
                "Motif de la dernière sortie.",
                "Grund des letzten Austritts.",
                "Reason of the last exit.",
            ),
            values=", ".join(reasons) + f", {OTHER}",
            enum=(*reasons, OTHER),
        ),
        Variable(
            "participants",
            "stays",
            "integer",
            T(
                "Nombre de séjours (admissions).",
                "Anzahl Aufenthalte (Aufnahmen).",
                "Number of stays (admissions).",
            ),
            values="≥ 0",
        ),
        Variable(
            "participants",
            "days_accompanied",
            "integer",
            T(
                "Jours d'accompagnement, pauses exclues, jusqu'à l'export.",
                "Begleitungstage ohne Pausen, bis zum Export.",
                "Days accompanied, pauses excluded, up to the export.",
            ),
            values="≥ 0",
        ),
        Variable("presence", "person", "string", PSEUDONYM, measured=PSEUDONYM),
        Variable(
            "presence", "month", "yearmonth", T("Mois.", "Monat.", "Month."), values="YYYY-MM"
        ),
        Variable(
            "presence",
            "present_half_days",
            "integer",
            T("Demi-journées de présence.", "Anwesende Halbtage.", "Half-days present."),
            measured=T(
                "Présence pointée par l'équipe ou à la borne d'accueil.",
                "Anwesenheit, vom Team oder am Empfangsterminal erfasst.",
                "Presence recorded by the team or at the welcome kiosk.",
            ),
            values="≥ 0",
        ),
        Variable(
            "presence",
            "absent_half_days",
            "integer",
            T(
                "Demi-journées d'absence notée.",
                "Halbtage mit vermerkter Abwesenheit.",
                "Half-days with a noted absence.",
            ),
            values="≥ 0",
        ),
        Variable("questionnaires", "person", "string", PSEUDONYM, measured=PSEUDONYM),
        Variable(
            "questionnaires",
            "instrument",
            "string",
            T("Code du questionnaire.", "Code des Fragebogens.", "Questionnaire code."),
            instrument=cited,
            licence=licences,
        ),
        Variable(
            "questionnaires",
            "instrument_version",
            "string",
            T("Version du questionnaire.", "Version des Fragebogens.", "Questionnaire version."),
        ),
        Variable(
            "questionnaires",
            "month",
            "yearmonth",
            T("Mois de passation.", "Monat der Durchführung.", "Month answered."),
            values="YYYY-MM",
        ),
        Variable(
            "questionnaires",
            "status",
            "string",
            T(
                "Répondu, en partie, ou décliné ce jour-là (une réponse respectée).",
                "Beantwortet, teilweise, oder an diesem Tag abgelehnt (eine respektierte Antwort).",
                "Answered, partly, or declined that day (a respected answer).",
            ),
            values="complete, partial, declined, in_progress",
            enum=("complete", "partial", "declined", "in_progress"),
        ),
        Variable(
            "questionnaires",
            "score",
            "number",
            T(
                "Score principal de l'instrument (vide: non calculable).",
                "Hauptwert des Instruments (leer: nicht berechenbar).",
                "The instrument's primary score (empty: not computable).",
            ),
            measured=T(
                "Auto-questionnaire sur tablette ou papier, score selon la règle publiée.",
                "Selbstauskunft auf Tablet oder Papier, Wert nach publizierter Regel.",
                "Self-report on a tablet or on paper, scored by the published rule.",
            ),
            instrument=sources,
            licence=licences,
        ),
        Variable("health", "person", "string", PSEUDONYM, measured=PSEUDONYM),
        Variable(
            "health",
            "cost_before_per_year",
            "integer",
            T(
                "Coûts de santé par personne-année (CHF), les 12 mois avant l'entrée. "
                "Base: consentements à la recherche et aux données de santé en vigueur "
                "au moment de l'export.",
                "Gesundheitskosten pro Personenjahr (CHF), die 12 Monate vor dem Eintritt. "
                "Grundlage: Einwilligungen zur Forschung und zu Gesundheitsdaten, gültig "
                "zum Zeitpunkt des Exports.",
                "Health costs per person-year (CHF), the 12 months before entry. Basis: "
                "research and health-data consents in force at the moment of export.",
            ),
            measured=HEALTH_MEASURED,
            values=HEALTH_VALUES,
        ),
        Variable(
            "health",
            "cost_after_per_year",
            "integer",
            T(
                "Coûts de santé par personne-année (CHF), la dernière période d'au moins "
                "90 jours (les 12 derniers mois). Base: consentements à la recherche et aux "
                "données de santé en vigueur au moment de l'export.",
                "Gesundheitskosten pro Personenjahr (CHF), der letzte Zeitraum von "
                "mindestens 90 Tagen (die letzten 12 Monate). Grundlage: Einwilligungen zur "
                "Forschung und zu Gesundheitsdaten, gültig zum Zeitpunkt des Exports.",
                "Health costs per person-year (CHF), the latest period of at least 90 days "
                "(the latest 12 months). Basis: research and health-data consents in force "
                "at the moment of export.",
            ),
            measured=HEALTH_MEASURED,
            values=HEALTH_VALUES,
        ),
    ]


HEALTH_MEASURED = T(
    fr=(
        "Montants des décomptes de l'assurance maladie saisis par l'équipe, ramenés à douze "
        "mois comme dans les rapports (montant × 365 / jours de la période), arrondis à "
        "CHF 100."
    ),
    de=(
        "Beträge der Abrechnungen der Krankenversicherung, vom Team erfasst, wie in den "
        "Berichten auf zwölf Monate umgerechnet (Betrag × 365 / Tage des Zeitraums), auf "
        "CHF 100 gerundet."
    ),
    en=(
        "Amounts of the health insurer's statements recorded by the team, brought to twelve "
        "months as in the reports (amount × 365 / days of the period), rounded to CHF 100."
    ),
)
HEALTH_VALUES = (
    "CHF per person-year, ≥ 0, multiple of 100; no row when fewer than ISA_MIN_CELL_SIZE "
    "people have both figures"
)


def _schema(
    variables: list[Variable], resource: str, emptied: dict[str, list[str]]
) -> dict[str, Any]:
    fields = []
    for v in variables:
        if v.resource != resource:
            continue
        field: dict[str, Any] = {
            "name": v.name,
            "type": v.type,
            "title": v.description.en,
            "description": f"{v.description.en} | FR: {v.description.fr} | DE: {v.description.de}",
        }
        if v.enum:
            field["constraints"] = {"enum": list(v.enum)}
        if v.name == "person":
            field["constraints"] = {"required": True}
        if v.name in emptied.get(resource, ()):
            field["description"] += " | suppressed in this export (small cells)"
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    return csv_bytes([columns, *([row[c] for c in columns] for row in rows)], delimiter=",")


def build_package(study: Study, *, on: date | None = None) -> tuple[bytes, int]:
    """The ZIP of the study's Data Package and the number of people it holds."""
    on = on or timezone.localdate()
    k = settings.ISA_MIN_CELL_SIZE
    people = people_in_export(study.programme_id, on)
    key = study_key(study.pk)
    ids = {p.pk: pseudonym(key, p.pk) for p in people}
    participants = _participant_rows(people, ids, on)
    emptied = _protect(participants, k)
    presence = _presence_rows(people, ids)
    questionnaires, instruments = _questionnaire_rows(people, ids)
    health, health_suppressed = _health_rows(study.programme_id, people, ids, on, k)
    variables = _variables(instruments)
    tables = {
        "participants": participants,
        "presence": presence,
        "questionnaires": questionnaires,
        "health": health,
    }
    suppressed = {
        "participants": emptied,
        "health": ["cost_before_per_year", "cost_after_per_year"] if health_suppressed else [],
    }
    codebook_columns = [
        "resource",
        "variable",
        "type",
        "language",
        "description",
        "values",
        "measured",
        "instrument",
        "licence",
    ]
    codebook = [
        {
            "resource": v.resource,
            "variable": v.name,
            "type": v.type,
            "language": lang,
            "description": getattr(v.description, lang),
            "values": v.values,
            "measured": getattr(v.measured, lang),
            "instrument": v.instrument,
            "licence": v.licence or getattr(LICENCE, lang),
        }
        for v in variables
        for lang in ("fr", "de", "en")
    ]
    empty_note = (
        "No participant's research consent is in force at the moment of export: "
        "this package holds no data. / Aucune personne n'a de consentement à la recherche "
        "en vigueur au moment de l'export : ce paquet ne contient aucune donnée. / Keine "
        "Person hat zum Zeitpunkt des Exports eine gültige Einwilligung zur Forschung: "
        "dieses Paket enthält keine Daten."
    )
    resources = []
    files: dict[str, bytes] = {}
    for name, rows in tables.items():
        columns = [v.name for v in variables if v.resource == name]
        files[f"{name}.csv"] = _csv(rows, columns)
        resources.append(_resource(name, _schema(variables, name, suppressed)))
    files["codebook.csv"] = _csv(codebook, codebook_columns)
    resources.append(
        _resource(
            "codebook",
            {
                "fields": [{"name": c, "type": "string"} for c in codebook_columns],
                "missingValues": [""],
            },
        )
    )
    descriptor = {
        "profile": "tabular-data-package",
        "name": f"isa-study-{study.pk}",
        "title": study.name,
        "description": empty_note if not people else f"{study.purpose}",
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "version": on.isoformat(),
        "licenses": [{"name": "other-closed", "title": LICENCE.en}],
        "keywords": ["ISA", "pseudonymised", "research"],
        "isa": {
            "people": len(people),
            "exported_on": on.isoformat(),
            "study_period": [study.starts_on.isoformat(), study.ends_on.isoformat()],
            "small_cell_threshold": k,
            "suppressed_columns": emptied,
            "health_suppressed": health_suppressed,
            "health_rounding_chf": HEALTH_ROUNDING,
            "languages_of_codebook": ["fr", "de", "en"],
        },
        "resources": resources,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2))
        for name, data in files.items():
            archive.writestr(name, data)
        if not people:
            archive.writestr("README.txt", empty_note + "\n")
    return buffer.getvalue(), len(people)


def _resource(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "header": True},
        "schema": schema,
    }
