"""Import of existing participants from CSV or XLSX: all rows or none.

Each row is checked with the same rules as the file form; every problem is reported by
row and column in the user's language, and nothing is written while any row is wrong.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from isa.core.actor import Actor
from isa.core.models import AuditAction, Programme, User
from isa.core.services import audit_record
from isa.people.models import Participant, Status, Stay, normalize_name
from isa.people.services import IDENTITY_FIELDS, participant_possible_duplicates

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000

#: Columns of the template, in order, with a translated description.
COLUMNS: dict[str, Any] = {
    "last_name": gettext_lazy("last name (required)"),
    "official_first_names": gettext_lazy("official first names (required)"),
    "usual_first_name": gettext_lazy("usual first name"),
    "birth_date": gettext_lazy("birth date dd.mm.yyyy (required)"),
    "gender": gettext_lazy("gender, in the person's words"),
    "languages": gettext_lazy("languages spoken"),
    "phone": gettext_lazy("phone"),
    "email": gettext_lazy("e-mail"),
    "address": gettext_lazy("postal address"),
    "avs_number": gettext_lazy("AVS number 756.xxxx.xxxx.xx"),
    "social_aid_reference": gettext_lazy("social-aid file reference"),
    "referring_service": gettext_lazy("referring service"),
    "admitted_on": gettext_lazy("admission date dd.mm.yyyy, empty if waiting"),
}
REQUIRED = ("last_name", "official_first_names", "birth_date")
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y")
EXAMPLE = {
    "last_name": "Exemple",
    "official_first_names": "Marie Louise",
    "usual_first_name": "Malou",
    "birth_date": "14.03.1971",
    "languages": "français",
    "referring_service": "CMS de Sion",
    "admitted_on": "01.09.2025",
}


@dataclass
class RowError:
    row: int  # as the user sees it in a spreadsheet: the header is row 1
    column: str
    message: str


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: list[Participant] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(ValidationError):
    """The file as a whole cannot be read."""


def read_rows(name: str, content: bytes) -> list[dict[str, str]]:
    """Rows as dicts of column → text, from a CSV (UTF-8, ; or ,) or XLSX file."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB."))
    if not content:
        raise ImportFileError(_("The file is empty."))
    if content[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        table = _read_xlsx(content)
    else:
        table = _read_csv(content)
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [str(h or "").strip().lower() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            _("Missing column(s): %(columns)s. Start from the template.")
            % {"columns": ", ".join(missing)}
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise ImportFileError(
            _("Unknown column(s): %(columns)s. Start from the template.")
            % {"columns": ", ".join(unknown)}
        )
    rows = []
    for values in table[1:]:
        cells = [_text(v) for v in values]
        if not any(cells):
            rows.append({})  # kept so that row numbers match the spreadsheet
            continue
        rows.append({h: (cells[i] if i < len(cells) else "") for i, h in enumerate(header) if h})
    if len([r for r in rows if r]) > MAX_ROWS:
        raise ImportFileError(_("At most %(n)s rows per file.") % {"n": MAX_ROWS})
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not in UTF-8. Save it as 'CSV UTF-8' or as an Excel file.")
        ) from None
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _read_xlsx(content: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise ImportFileError(_("This is not a readable Excel (.xlsx) file.")) from None
    sheet = workbook.worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    workbook.close()
    return table


def _parse_date(raw: str) -> date | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None


def participants_import(
    *,
    programme: Programme,
    rows: list[dict[str, str]],
    actor: Actor,
) -> ImportResult:
    """Validate every row; write all of them in one transaction, or none."""
    result = ImportResult()
    prepared: list[tuple[Participant, date | None]] = []
    seen: dict[tuple[str, str, date], int] = {}
    today = timezone.localdate()
    for index, row in enumerate(rows, start=2):
        if not row:
            continue
        errors_before = len(result.errors)
        for column in REQUIRED:
            if not row.get(column):
                result.errors.append(RowError(index, column, _("This value is required.")))
        birth = admitted = None
        for column in ("birth_date", "admitted_on"):
            raw = row.get(column, "")
            if raw:
                parsed = _parse_date(raw)
                if parsed is None:
                    result.errors.append(
                        RowError(
                            index,
                            column,
                            _("'%(value)s' is not a date like 31.12.1970.") % {"value": raw},
                        )
                    )
                elif parsed > today:
                    result.errors.append(RowError(index, column, _("This date is in the future.")))
                elif column == "birth_date":
                    birth = parsed
                else:
                    admitted = parsed
        if birth and admitted and admitted < birth:
            result.errors.append(
                RowError(index, "admitted_on", _("The admission is before the birth date."))
            )
        participant = Participant(
            programme=programme,
            status=Status.ACTIVE if admitted else Status.WAITING,
            accompanied_since=admitted,
        )
        for column in IDENTITY_FIELDS:
            if column != "birth_date":
                setattr(participant, column, row.get(column, ""))
        participant.birth_date = birth
        reported = {e.column for e in result.errors[errors_before:]}
        try:
            participant.full_clean(exclude=["programme", *reported])
        except ValidationError as exc:
            for column, messages in exc.message_dict.items():
                for message in messages:
                    result.errors.append(RowError(index, column, message))
        if birth and row.get("last_name"):
            first_names = f"{row.get('official_first_names', '')} {row.get('usual_first_name', '')}"
            key = (
                normalize_name(row["last_name"]),
                (normalize_name(first_names).split() or [""])[0],
                birth,
            )
            if key in seen:
                result.errors.append(
                    RowError(
                        index, "last_name", _("Same person as row %(row)s?") % {"row": seen[key]}
                    )
                )
            seen.setdefault(key, index)
            if participant_possible_duplicates(
                programme=programme,
                last_name=row["last_name"],
                first_names=first_names,
                birth_date=birth,
            ):
                result.errors.append(
                    RowError(
                        index,
                        "last_name",
                        _("A file with this name and birth date already exists."),
                    )
                )
        prepared.append((participant, admitted))

    if not prepared and not result.errors:
        result.errors.append(RowError(1, "", _("The file has no rows to import.")))
    occupying = Participant.objects.in_programme(programme).occupying().count()
    arriving = sum(1 for _p, admitted in prepared if admitted)
    if occupying + arriving > programme.capacity:
        result.errors.append(
            RowError(
                1,
                "admitted_on",
                _(
                    "With these admissions the programme would have %(n)s people "
                    "for %(capacity)s places."
                )
                % {"n": occupying + arriving, "capacity": programme.capacity},
            )
        )
    if result.errors:
        return result

    with transaction.atomic():
        for participant, admitted in prepared:
            participant.save()
            if admitted:
                Stay.objects.create(
                    participant=participant, admitted_on=admitted, admitted_by=actor.user
                )
            result.created.append(participant)
        referral_rows = [
            (p, r.get("referring_service", ""))
            for (p, _a), r in zip(prepared, [r for r in rows if r], strict=True)
        ]
        _create_referrals(referral_rows, actor.user)
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            object_type="people.participant",
            programme=programme,
            detail={"import": len(result.created), "ids": [p.pk for p in result.created]},
        )
    return result


def _create_referrals(rows: list[tuple[Participant, str]], referred_by: User | None) -> None:
    from isa.people.models import Referral, ReferralStatus

    Referral.objects.bulk_create(
        Referral(
            participant=p,
            referred_on=p.accompanied_since or timezone.localdate(),
            referring_service=service,
            status=ReferralStatus.WELCOMED if p.accompanied_since else ReferralStatus.WAITING,
            referred_by=referred_by,
        )
        for p, service in rows
        if service
    )


def template_rows() -> tuple[list[str], list[str], list[str]]:
    """Header, descriptions and one fictional example row for the template file."""
    header = list(COLUMNS)
    return header, [str(COLUMNS[c]) for c in header], [EXAMPLE.get(c, "") for c in header]
