"""Writes with rules in the privacy app: keyword-only ``<noun>_<verb>(*, actor, …)`` functions,
atomic, each writing its audit event in the same transaction.

- the retention policy of an organisation, and the anonymisation of a file (by the daily
  ``isa retention`` job when its period ends, or now at the person's request);
- research studies and their pseudonymised exports (:mod:`isa.privacy.research`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import combinations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from isa.core.actor import Actor
from isa.core.models import AuditAction, Organisation, Programme, Role, User
from isa.core.services import audit_record
from isa.evaluation.models import EffectAssessment, HealthPeriod
from isa.evaluation.results import compared_periods, cost_per_year
from isa.journal.models import Entry, EntryVersion
from isa.people.models import (
    OCCUPYING,
    Consent,
    ConsentKind,
    Milestone,
    Pact,
    Participant,
    Pause,
    Referral,
    Stay,
    normalize_name,
)
from isa.people.services import consent_is_given
from isa.privacy import retention
from isa.privacy.models import (
    MAX_RETENTION_YEARS,
    Anonymisation,
    AnonymisationReason,
    RetentionPolicy,
    Study,
)
from isa.watch.models import Alert, Outreach
from isa.works.models import Credit, CreditMode, ExhibitionWork, Work, WorkImage

#: What replaces a removed text: the record stays (it is counted), its words do not.
REMOVED_TEXT = "[anonymisé]"
#: An anonymised file reads "Anonyme #12": the same in French, German and English lists.
ANONYMOUS_FIRST_NAME = "Anonyme"


# -- retention policy --------------------------------------------------------------------------


@transaction.atomic
def retention_policy_set(
    *,
    organisation: Organisation,
    years: int,
    legal_minimum_years: int,
    legal_basis: str,
    actor: Actor,
    programme: Programme | None = None,
) -> RetentionPolicy:
    """Set how many years files are kept after the last exit; never below the legal minimum
    the organisation states (refused with a message)."""
    if not 1 <= years <= MAX_RETENTION_YEARS or not 0 <= legal_minimum_years <= MAX_RETENTION_YEARS:
        raise ValidationError(
            _("A number of years between 1 and %(max)s.") % {"max": MAX_RETENTION_YEARS},
            code="years_range",
        )
    if years < legal_minimum_years:
        raise ValidationError(
            _("Files must be kept at least %(minimum)s years (the legal minimum you set).")
            % {"minimum": legal_minimum_years},
            code="below_legal_minimum",
        )
    policy = RetentionPolicy.objects.select_for_update().filter(organisation=organisation).first()
    before = (policy.years, policy.legal_minimum_years) if policy else None
    policy = policy or RetentionPolicy(organisation=organisation)
    policy.years = years
    policy.legal_minimum_years = legal_minimum_years
    policy.legal_basis = legal_basis.strip()
    policy.updated_by = actor.user
    policy.full_clean()
    policy.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=policy,
        programme=programme,
        detail={
            "years": years,
            "legal_minimum_years": legal_minimum_years,
            "before": list(before) if before else None,
        },
    )
    return policy


# -- anonymisation -----------------------------------------------------------------------------


def _kept_under_exhibition_archive(work: Work, participant: Participant, on: date) -> bool:
    """A work's images stay when it was exhibited and the person's consent to exhibit their
    works (the exhibition archive) is in force."""
    return ExhibitionWork.objects.filter(work=work).exists() and consent_is_given(
        participant, ConsentKind.EXHIBITION, on=on
    )


def _delete_files(names: list[str]) -> None:
    """After the commit: the files of the images removed (never before: a rollback keeps them)."""
    for name in names:
        default_storage.delete(name)


def _anonymise_works(participant: Participant, on: date) -> dict[str, int]:
    removed_images, kept_works = 0, 0
    files: list[str] = []
    for work in Work.objects.by(participant):
        if _kept_under_exhibition_archive(work, participant, on):
            kept_works += 1
            continue
        for image in WorkImage.objects.filter(work=work):
            files += [
                name
                for name in (image.original.name, image.display.name, image.thumbnail.name)
                if name
            ]
            removed_images += 1
        WorkImage.objects.filter(work=work).delete()
        if work.description:
            Work.objects.filter(pk=work.pk).update(description="")
    Credit.objects.filter(participant=participant).update(mode=CreditMode.ANONYMOUS, pseudonym="")
    transaction.on_commit(lambda: _delete_files(files))
    return {"images_removed": removed_images, "works_kept_for_archive": kept_works}


def _anonymise_texts(participant: Participant) -> dict[str, int]:
    entries = Entry.objects.filter(participants=participant)
    counts = {
        "journal_entries": entries.update(
            text=REMOVED_TEXT, search_text=normalize_name(REMOVED_TEXT)
        ),
        "journal_versions": EntryVersion.objects.filter(entry__participants=participant).update(
            text=REMOVED_TEXT
        ),
    }
    Referral.objects.filter(participant=participant).update(
        referring_person="", context="", status_note=""
    )
    Stay.objects.filter(participant=participant).update(exit_comment="")
    Pause.objects.filter(stay__participant=participant).update(reason="")
    Milestone.objects.filter(participant=participant).update(note="")
    Pact.objects.filter(participant=participant).update(note="")
    Consent.objects.filter(participant=participant).update(note="")
    alerts = Alert.objects.filter(participant=participant)
    alerts.update(resolution="")
    Outreach.objects.filter(alert__in=alerts).update(note="")
    for grid in EffectAssessment.objects.filter(participant=participant):
        values = {
            code: {k: v for k, v in (value or {}).items() if k != "comment"}
            for code, value in (grid.values or {}).items()
        }
        EffectAssessment.objects.filter(pk=grid.pk).update(values=values)
    counts.update(_anonymise_health(participant))
    return counts


def _anonymise_health(participant: Participant) -> dict[str, int]:
    """Remove the health amounts and their source (the insurer's statement); keep, on the
    two periods the before/after comparison uses, the costs per person-year exactly as the
    reports count them (:func:`isa.evaluation.results.cost_per_year`), so that a report
    rebuilt after gives the same figures.  The other periods keep no cost at all.

    A report reads the periods of its programmes only: the pairs are taken for every
    combination of the programmes the person's periods belong to (one, nearly always)."""
    periods = list(HealthPeriod.objects.filter(participant=participant))
    programmes = sorted({p.programme_id for p in periods})
    kept: dict[int, float] = {}
    for size in range(1, len(programmes) + 1):
        for subset in combinations(programmes, size):
            compared = compared_periods(p for p in periods if p.programme_id in subset)
            for b, a in compared.pairs:
                before, after = cost_per_year(b), cost_per_year(a)
                if before is not None and after is not None:
                    kept[b.pk], kept[a.pk] = before, after
    for period in periods:
        HealthPeriod.objects.filter(pk=period.pk).update(
            costs_chf=None, cost_source="", anonymised_cost_per_year=kept.get(period.pk)
        )
    return {
        "health_amounts": len(periods),
        "health_costs_per_year_kept": len(kept),
    }


def anonymised_file_lock(participant: Participant) -> str | None:
    """An anonymised file keeps what its figures are made of (``isa.people.locks``)."""
    if Anonymisation.objects.filter(participant_id=participant.pk).exists():
        return str(
            _(
                "This file is anonymised: what the reports count on it (such as its health "
                "periods) can no longer be added or removed."
            )
        )
    return None


@transaction.atomic
def participant_anonymise(
    *, participant: Participant, reason: str, actor: Actor, on: date | None = None
) -> Anonymisation:
    """Remove from a file what names the person or tells their story, keep what is counted.

    Removed or replaced: names (the file reads "Anonyme #<id>"), contacts, AVS number,
    social-aid reference, birth day and month (the year stays, as 1 July), journal text
    (of every entry about the person, group entries included, and their earlier versions),
    comments and notes, the effects grid's comments, health amounts (costs and their
    source; only the two costs per person-year the reports count stay), the work credit,
    and the images and descriptions of works not kept under an exhibition archive
    consent.  Kept: every record and its dates (stays, pauses, presence,
    questionnaires and their scores, health day and visit counts, consents' decisions), so
    that figures stay the same; and the audit log.  A file still accompanied (or on a
    pause) is refused."""
    on = on or timezone.localdate()
    if reason not in AnonymisationReason.values:
        raise ValidationError(_("Unknown reason."), code="reason")
    participant.lock()
    if Anonymisation.objects.filter(participant=participant).exists():
        raise ValidationError(_("This file is already anonymised."), code="already")
    if participant.status in OCCUPYING:
        raise ValidationError(
            _("The person is still accompanied: record their exit first."), code="occupying"
        )
    counts = _anonymise_texts(participant)
    counts.update(_anonymise_works(participant, on))
    Participant.objects.filter(pk=participant.pk).update(
        last_name=f"#{participant.pk}",
        official_first_names=ANONYMOUS_FIRST_NAME,
        usual_first_name="",
        search_name=normalize_name(f"#{participant.pk} {ANONYMOUS_FIRST_NAME}"),
        birth_date=participant.birth_date.replace(month=7, day=1),
        phone="",
        email="",
        address="",
        avs_number="",
        social_aid_reference="",
        version=participant.version + 1,
        updated_at=timezone.now(),
    )
    participant.refresh_from_db()
    anonymisation = Anonymisation.objects.create(
        participant=participant, reason=reason, by_label=actor.label[:254]
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=actor,
        obj=anonymisation,
        programme=participant.programme_id,
        detail={"participant": participant.pk, "reason": reason, **counts},
    )
    return anonymisation


@dataclass(frozen=True)
class RetentionRun:
    due: list[retention.Due]
    anonymised: list[int]


def retention_run(*, actor: Actor, on: date | None = None, dry_run: bool = False) -> RetentionRun:
    """Anonymise every file whose retention period has ended by ``on`` (today): the daily
    ``isa retention`` job.  Each file in a transaction of its own; ``dry_run``: list only."""
    on = on or timezone.localdate()
    due = retention.due_by(on)
    done: list[int] = []
    if not dry_run:
        for item in due:
            participant_anonymise(
                participant=item.participant,
                reason=AnonymisationReason.RETENTION,
                actor=actor,
                on=on,
            )
            done.append(item.participant.pk)
    return RetentionRun(due=due, anonymised=done)


# -- research studies --------------------------------------------------------------------------


def _check_study(
    programme: Programme, name: str, starts_on: date, ends_on: date, researchers: list[User]
) -> None:
    if ends_on < starts_on:
        raise ValidationError(_("The end date comes before the start."), code="period")
    if not researchers:
        raise ValidationError(_("Name at least one researcher."), code="no_researcher")
    for user in researchers:
        if not user.has_role(programme, [Role.RESEARCHER]):
            raise ValidationError(
                _("%(name)s is not a researcher of this programme.") % {"name": user},
                code="not_researcher",
            )
    if Study.objects.filter(programme=programme, name=name).exists():
        raise ValidationError(_("A study of this name exists already."), code="duplicate")


@transaction.atomic
def study_create(
    *,
    programme: Programme,
    name: str,
    purpose: str,
    starts_on: date,
    ends_on: date,
    researchers: list[User],
    actor: Actor,
) -> Study:
    """Declare a study (the head): its researchers may export pseudonymised data during its
    period, of the people whose research consent is in force at the moment of export."""
    if not actor.has_role(programme, [Role.HEAD]):
        raise PermissionDenied
    name = name.strip()
    _check_study(programme, name, starts_on, ends_on, researchers)
    study = Study(
        programme=programme,
        name=name,
        purpose=purpose.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor.user,
    )
    study.full_clean()
    study.save()
    study.researchers.set(researchers)
    audit_record(
        action=AuditAction.CREATE,
        actor=actor,
        obj=study,
        detail={
            "name": study.name,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "researchers": sorted(u.pk for u in researchers),
        },
    )
    return study


@transaction.atomic
def research_export(*, study: Study, actor: Actor, on: date | None = None) -> tuple[bytes, int]:
    """The study's Data Package (a ZIP) for ``actor``, one of its researchers, during its
    period: only the people whose research consent is in force now.  Audited with the
    number of people it holds.  Returns (zip bytes, number of people)."""
    from isa.privacy.research import build_package

    on = on or timezone.localdate()
    user = actor.signed_in_user()
    if not (
        user.has_role(study.programme_id, [Role.RESEARCHER])
        and study.researchers.filter(pk=user.pk).exists()
    ):
        raise PermissionDenied
    if not study.is_open_on(on):
        raise ValidationError(
            _("Exports are possible from %(start)s to %(end)s only.")
            % {"start": f"{study.starts_on:%d.%m.%Y}", "end": f"{study.ends_on:%d.%m.%Y}"},
            code="outside_period",
        )
    data, people = build_package(study, on=on)
    audit_record(
        action=AuditAction.EXPORT,
        actor=actor,
        obj=study,
        detail={"people": people, "format": "datapackage"},
    )
    return data, people
