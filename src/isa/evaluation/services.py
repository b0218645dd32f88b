"""Writes of the evaluation app: give a questionnaire (tablet or paper), record "declined
today", load an instrument file, fill in the effects grid, record health indicators.

Keyword-only ``<noun>_<verb>`` functions, each in one transaction with its audit event.
Refusals raise ``ValidationError`` with a message for the person at the screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from isa.core.actor import Actor
from isa.core.models import AuditAction, Programme, User
from isa.core.services import audit_record
from isa.evaluation.catalogue import Choice, instrument_hash, instrument_of
from isa.evaluation.effects import EFFECTS, EFFECTS_BY_CODE
from isa.evaluation.instruments import Instrument, InstrumentError, parse_instrument
from isa.evaluation.models import (
    EVALUATION_ROLES,
    Administration,
    AdministrationQuerySet,
    AdministrationStatus,
    EffectAssessment,
    HealthPeriod,
    LoadedInstrument,
    MedicationChange,
    MedicationClass,
    Mode,
    PeriodKind,
    Perspective,
)
from isa.evaluation.signals import questionnaire_scored
from isa.people.locks import require_open_file
from isa.people.models import ConsentKind, Participant
from isa.people.services import consent_is_given, date_not_in_future

Answers = dict[int, int | None]


def _require(actor: Actor, programme: Programme | int) -> None:
    if not actor.has_role(programme, EVALUATION_ROLES):
        raise PermissionDenied


def _check_answers(instrument: Instrument, answers: Answers) -> Answers:
    """Every answer on the instrument's scale, every item known; None = skipped."""
    numbers = {item.number for item in instrument.items}
    clean: Answers = {}
    for number, value in answers.items():
        if number not in numbers:
            raise ValidationError(_("This questionnaire has no question %(n)s.") % {"n": number})
        if value is not None and not instrument.accepts(number, value):
            raise ValidationError(
                {
                    f"item_{number}": _(
                        "This answer is not one of the questionnaire's options: choose one of "
                        "the answers offered."
                    )
                },
                code="out_of_scale",
            )
        clean[number] = value
    return clean


def _score(administration: Administration, instrument: Instrument) -> None:
    """Score the answers and set the status: complete, partial (scored only where the
    missing-answer rule allows) or, with nothing answered, declined."""
    answers = administration.answer_map()
    if not any(v is not None for v in answers.values()):
        administration.status = AdministrationStatus.DECLINED
        administration.scores = {}
        administration.primary_value = None
        administration.signal = False
        return
    try:
        result = instrument.score(answers)
    except InstrumentError as exc:
        raise ValidationError(exc.errors or [str(exc)], code="out_of_scale") from None
    administration.scores = result.as_json()
    administration.primary_value = result.primary.value
    administration.signal = bool(result.signal)
    administration.status = (
        AdministrationStatus.COMPLETE if result.complete else AdministrationStatus.PARTIAL
    )


def _announce(administration: Administration) -> None:
    if administration.primary_value is not None:
        questionnaire_scored.send(
            sender=Administration,
            administration=administration,
            programme=administration.programme,
        )


def _new(
    *, participant: Participant, choice: Choice, on: date, mode: str, entered_by: User | None
) -> Administration:
    if mode not in Mode.values:
        raise ValidationError(_("Unknown choice."))
    date_not_in_future(on, "on")
    return Administration(
        programme=participant.programme,
        participant=participant,
        instrument_code=choice.instrument.code,
        instrument_version=choice.instrument.version,
        loaded_instrument=choice.loaded,
        instrument_hash=instrument_hash(choice.instrument),
        instrument_title=str(choice.instrument.title)[:200],
        on=on,
        mode=mode,
        entered_by=entered_by,
    )


# -- on the tablet -----------------------------------------------------------------------------


@transaction.atomic
def administration_start(
    *,
    participant: Participant,
    choice: Choice,
    actor: Actor,
    on: date | None = None,
) -> Administration:
    """Open a questionnaire on the tablet: the person answers one question per screen.

    If the same questionnaire is already being answered by the person that day (a double
    submit, a tablet handed over again), that one is resumed instead of opening another."""
    _require(actor, participant.programme_id)
    administration = _new(
        participant=participant,
        choice=choice,
        on=on or timezone.localdate(),
        mode=Mode.TABLET,
        entered_by=actor.user,
    )
    _lock_person(participant)
    existing = (
        _same(administration)
        .filter(status=AdministrationStatus.IN_PROGRESS, mode=Mode.TABLET)
        .order_by("-created_at", "-pk")
        .first()
    )
    if existing is not None:
        return existing
    administration.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=administration,
        detail={"participant": participant.pk, "instrument": choice.key, "mode": Mode.TABLET},
    )
    return administration


def _lock_person(participant: Participant) -> None:
    """Serialise the writes about one person (two taps at once never make two rows)."""
    Participant.objects.select_for_update().filter(pk=participant.pk).exists()


def _same(administration: Administration) -> AdministrationQuerySet:
    """The person's questionnaires of the same instrument on the same day."""
    return Administration.objects.filter(
        participant_id=administration.participant_id,
        instrument_code=administration.instrument_code,
        instrument_version=administration.instrument_version,
        loaded_instrument=administration.loaded_instrument,
        on=administration.on,
    )


def _open(administration: Administration) -> Administration:
    fresh = Administration.objects.select_for_update().get(pk=administration.pk)
    if fresh.status != AdministrationStatus.IN_PROGRESS:
        raise ValidationError(_("This questionnaire is already finished."), code="finished")
    return fresh


@transaction.atomic
def administration_answer(
    *,
    administration: Administration,
    item: int,
    value: int | None,
    actor: Actor,
) -> Administration:
    """Keep one answer (``None``: the person skipped the question)."""
    _require(actor, administration.programme_id)
    current = _open(administration)
    instrument = instrument_of(current)
    clean = _check_answers(instrument, {item: value})
    answers = dict(current.answers or {})
    answers[str(item)] = clean[item]
    current.answers = answers
    current.save(update_fields=["answers", "updated_at"])
    administration.answers = answers
    return current


@transaction.atomic
def administration_finish(*, administration: Administration, actor: Actor) -> Administration:
    """End a tablet questionnaire (at the last question, or when the person stops).

    Idempotent: when another request (a double tap, the stop button and the last answer
    at once) already finished it, nothing more happens and the finished one is returned."""
    _require(actor, administration.programme_id)
    current = Administration.objects.select_for_update().get(pk=administration.pk)
    if current.status != AdministrationStatus.IN_PROGRESS:
        return current
    _score(current, instrument_of(current))
    current.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=current,
        detail={"status": current.status, "answered": _answered(current)},
    )
    _announce(current)
    return current


def _answered(administration: Administration) -> int:
    return sum(1 for v in (administration.answers or {}).values() if v is not None)


# -- on paper, and "declined today" ------------------------------------------------------------


@transaction.atomic
def administration_enter_paper(
    *,
    participant: Participant,
    choice: Choice,
    on: date,
    answers: Answers,
    actor: Actor,
) -> Administration:
    """Enter the answers a person gave on paper on ``on`` (blank = not answered)."""
    _require(actor, participant.programme_id)
    administration = _new(
        participant=participant, choice=choice, on=on, mode=Mode.PAPER, entered_by=actor.user
    )
    clean = _check_answers(choice.instrument, answers)
    administration.answers = {str(k): clean.get(k) for k in _numbers(choice.instrument)}
    _score(administration, choice.instrument)
    administration.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=administration,
        detail={
            "participant": participant.pk,
            "instrument": choice.key,
            "mode": Mode.PAPER,
            "status": administration.status,
        },
    )
    _announce(administration)
    return administration


def _numbers(instrument: Instrument) -> list[int]:
    return [item.number for item in instrument.items]


@transaction.atomic
def administration_decline(
    *,
    participant: Participant,
    choice: Choice,
    actor: Actor,
    on: date | None = None,
) -> Administration:
    """ "Not today": a respected answer, recorded as such (never a failure, no reminder).
    Recorded once a day per person and questionnaire: a second "not today" the same day
    (a double submit) returns the first."""
    _require(actor, participant.programme_id)
    administration = _new(
        participant=participant,
        choice=choice,
        on=on or timezone.localdate(),
        mode=Mode.PAPER,
        entered_by=actor.user,
    )
    _lock_person(participant)
    existing = (
        _same(administration)
        .filter(status=AdministrationStatus.DECLINED, mode=Mode.PAPER)
        .order_by("created_at", "pk")
        .first()
    )
    if existing is not None:
        return existing
    administration.status = AdministrationStatus.DECLINED
    administration.save()
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=administration,
        detail={"participant": participant.pk, "instrument": choice.key, "status": "declined"},
    )
    return administration


def administration_rescore(*, administration: Administration) -> dict[str, Any]:
    """The scores computed again from the stored answers with the instrument they were
    given with (nothing saved): the stored scores can be checked at any time."""
    probe = Administration(answers=administration.answers, status=administration.status, scores={})
    if administration.status == AdministrationStatus.DECLINED:
        return {}
    _score(probe, instrument_of(administration))
    scores: dict[str, Any] = probe.scores
    return scores


# -- instruments loaded by an organisation -----------------------------------------------------


@transaction.atomic
def instrument_load(*, programme: Programme, text: str, actor: Actor) -> LoadedInstrument:
    """Load an instrument file (TOML) for the programme's organisation.  Every problem the
    file has is reported at once."""
    if not actor.has_role(programme, {"head"}):
        raise PermissionDenied
    try:
        instrument = parse_instrument(text)
    except InstrumentError as exc:
        raise ValidationError(list(exc.errors) or [str(exc)], code="instrument") from None
    row = LoadedInstrument(
        organisation_id=programme.organisation_id,
        code=instrument.code,
        version=instrument.version,
        title=str(instrument.title)[:200],
        text=text,
        uploaded_by=actor.user,
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError(
            _(
                "Your organisation already loaded %(code)s version %(version)s: give the file "
                "a new version to load it again."
            )
            % {"code": instrument.code, "version": instrument.version},
            code="duplicate",
        ) from None
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=row,
        programme=programme,
        detail={"code": row.code, "version": row.version},
    )
    return row


# -- the effects grid --------------------------------------------------------------------------


@transaction.atomic
def effects_record(
    *,
    participant: Participant,
    perspective: str,
    on: date,
    values: dict[str, dict[str, Any]],
    actor: Actor,
) -> EffectAssessment:
    """Record the grid from one perspective: {effect: {"level": 1..5|None, "comment": …}}."""
    _require(actor, participant.programme_id)
    if perspective not in Perspective.values:
        raise ValidationError({"perspective": _("Choose whose view this is.")})
    date_not_in_future(on, "on")
    clean: dict[str, dict[str, Any]] = {}
    for code, value in values.items():
        effect = EFFECTS_BY_CODE.get(code)
        if effect is None:
            raise ValidationError(_("Unknown effect."))
        level = value.get("level")
        if level in ("", None):
            level = None
        else:
            try:
                level = int(level)
            except (TypeError, ValueError):
                level = 0
            if level not in dict(effect.choices):
                raise ValidationError({f"{code}_level": _("Choose one of the answers offered.")})
        comment = str(value.get("comment") or "").strip()[:1000]
        if level is not None or comment:
            clean[code] = {"level": level, "comment": comment}
    if not clean:
        raise ValidationError(_("Nothing was filled in: assess at least one effect."))
    assessment = EffectAssessment.objects.create(
        programme=participant.programme,
        participant=participant,
        on=on,
        perspective=perspective,
        values={e.code: clean[e.code] for e in EFFECTS if e.code in clean},
        entered_by=actor.user,
    )
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=assessment,
        detail={"participant": participant.pk, "perspective": perspective},
    )
    return assessment


# -- health indicators -------------------------------------------------------------------------


def health_allowed(participant: Participant, on: date | None = None) -> bool:
    """Health data is used only while the person's health-data consent is in force."""
    return consent_is_given(participant, ConsentKind.HEALTH, on=on)


@transaction.atomic
def health_period_record(
    *,
    participant: Participant,
    kind: str,
    starts_on: date,
    ends_on: date,
    actor: Actor,
    costs_chf: Decimal | None = None,
    cost_source: str = "",
    hospital_days: int | None = None,
    emergency_visits: int | None = None,
    medications: dict[str, str] | None = None,
) -> HealthPeriod:
    """Record the health indicators of one period, only with the health-data consent, and
    not on an anonymised file (``isa.people.locks``)."""
    _require(actor, participant.programme_id)
    require_open_file(participant)
    if not health_allowed(participant):
        raise ValidationError(
            _(
                "No health-data consent is in force for this person: health indicators "
                "cannot be recorded."
            ),
            code="no_consent",
        )
    if kind not in PeriodKind.values:
        raise ValidationError({"kind": _("Choose the kind of period.")})
    date_not_in_future(ends_on, "ends_on")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The period ends before it starts.")})
    if costs_chf is not None and costs_chf < 0:
        raise ValidationError({"costs_chf": _("An amount cannot be negative.")})
    for value, field in ((hospital_days, "hospital_days"), (emergency_visits, "emergency_visits")):
        if value is not None and value < 0:
            raise ValidationError({field: _("A count cannot be negative.")})
    if hospital_days is not None and hospital_days > (ends_on - starts_on).days + 1:
        raise ValidationError(
            {"hospital_days": _("This is more hospital days than the period has days.")}
        )
    meds = {k: v for k, v in (medications or {}).items() if v}
    if set(meds) - set(MedicationClass.values) or set(meds.values()) - set(MedicationChange.values):
        raise ValidationError(_("Unknown medication class or change."))
    baseline_taken = ValidationError(
        {"kind": _("The baseline of this person is already recorded.")}, code="baseline"
    )
    if (
        kind == PeriodKind.BASELINE
        and HealthPeriod.objects.filter(participant=participant, kind=PeriodKind.BASELINE).exists()
    ):
        raise baseline_taken
    try:
        with transaction.atomic():  # the database keeps one baseline per person too
            period = HealthPeriod.objects.create(
                programme=participant.programme,
                participant=participant,
                kind=kind,
                starts_on=starts_on,
                ends_on=ends_on,
                costs_chf=costs_chf,
                cost_source=cost_source.strip()[:200],
                hospital_days=hospital_days,
                emergency_visits=emergency_visits,
                medications={c: meds[c] for c in MedicationClass.values if c in meds},
                entered_by=actor.user,
            )
    except IntegrityError:
        if kind == PeriodKind.BASELINE:
            raise baseline_taken from None
        raise
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=period,
        detail={"participant": participant.pk, "kind": kind},
    )
    return period


@transaction.atomic
def health_period_delete(*, period: HealthPeriod, actor: Actor) -> None:
    """Remove a period recorded by mistake (the audit log keeps that it existed); not on an
    anonymised file, whose published reports count it (``isa.people.locks``)."""
    _require(actor, period.programme_id)
    require_open_file(period.participant)
    audit_record(
        action=AuditAction.DELETE,
        actor=actor,
        obj=period,
        detail={"participant": period.participant_id, "kind": period.kind},
    )
    period.delete()


# -- a gentle schedule -------------------------------------------------------------------------

SUGGESTION_INTERVAL = timedelta(days=182)


@dataclass(frozen=True)
class Suggestion:
    on: date
    reason: str  # "entry" | "six_months"
    last: date | None = None  # when a questionnaire was last offered

    @property
    def reached(self) -> bool:
        """The suggested moment has come (never "overdue": nothing here is owed)."""
        return self.on <= timezone.localdate()


def schedule_suggestion(
    participant: Participant, administrations: list[Administration]
) -> Suggestion | None:
    """When a questionnaire could be offered: at entry, then about every six months after
    the last time one was offered (answered or declined).  A suggestion, never a due date."""
    offered = [a for a in administrations if a.status != AdministrationStatus.IN_PROGRESS]
    if not offered:
        if participant.accompanied_since is None:
            return None
        return Suggestion(participant.accompanied_since, "entry")
    last = max(a.on for a in offered)
    return Suggestion(last + SUGGESTION_INTERVAL, "six_months", last=last)
