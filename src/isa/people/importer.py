"""Import of existing participants from CSV or XLSX: all rows or none.

Each row is checked with the same rules as the file form; every problem is reported by
row and column in the user's language, and nothing is written while any row is wrong.

The template's headers are in the user's language; a file's headers are accepted in French,
German or English (and as the internal codes of older templates) whatever the language of
the page, so a team can share one file.  The template's example row is marked as such and
is refused if it is left in.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

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
#: The header of each column, as the template writes it in the user's language.
HEADERS: dict[str, Any] = {
    "last_name": pgettext_lazy("import column", "Last name"),
    "official_first_names": pgettext_lazy("import column", "Official first names"),
    "usual_first_name": pgettext_lazy("import column", "Usual first name"),
    "birth_date": pgettext_lazy("import column", "Birth date"),
    "gender": pgettext_lazy("import column", "Gender"),
    "languages": pgettext_lazy("import column", "Languages"),
    "phone": pgettext_lazy("import column", "Phone"),
    "email": pgettext_lazy("import column", "E-mail"),
    "address": pgettext_lazy("import column", "Address"),
    "avs_number": pgettext_lazy("import column", "AVS number"),
    "social_aid_reference": pgettext_lazy("import column", "Social-aid reference"),
    "referring_service": pgettext_lazy("import column", "Referring service"),
    "admitted_on": pgettext_lazy("import column", "Admission date"),
}
REQUIRED = ("last_name", "official_first_names", "birth_date")
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%y")
#: The first cell of the template's example row: a person nobody can import by mistake.
EXAMPLE_MARK = pgettext_lazy("import template", "EXAMPLE — delete this row")
EXAMPLE = {
    "last_name": EXAMPLE_MARK,
    "official_first_names": "Marie Louise",
    "usual_first_name": "Malou",
    "birth_date": "14.03.1971",
    "languages": "français",
    "referring_service": "CMS de Sion",
    "admitted_on": "01.09.2025",
}


#: The example row of the templates made before the mark (its name and birth date).
OLD_EXAMPLE = ("exemple", "marie louise", "14.03.1971")


def _key(text: str) -> str:
    """A header or a mark as compared: no case, no accents, words only."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", normalize_name(text.replace("_", " "))).split())


def _in_every_language(text: Any) -> set[str]:
    spellings = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            spellings.add(str(text))
    return spellings


def accepted_headers() -> dict[str, str]:
    """Every header a file may use (any language, or the code) → the column's code."""
    accepted: dict[str, str] = {}
    for code, header in HEADERS.items():
        for spelling in {code, *_in_every_language(header)}:
            accepted[_key(spelling)] = code
    return accepted


def other_spellings(code: str) -> list[str]:
    """The column's header in the languages other than the user's, for the help table."""
    own = str(HEADERS[code])
    return sorted(h for h in _in_every_language(HEADERS[code]) if h != own)


def column_label(code: str) -> str:
    """The column as the user's template names it."""
    return str(HEADERS[code]) if code in HEADERS else code


def is_example(row: dict[str, str]) -> bool:
    """The template's example row, marked (in any language) or from an older template."""
    first = _key(row.get("last_name", ""))
    marks = {_key(mark) for mark in _in_every_language(EXAMPLE_MARK)}
    if first and first in marks:
        return True
    names = _key(row.get("official_first_names", ""))
    return (first, names, row.get("birth_date", "").strip()) == OLD_EXAMPLE


@dataclass
class RowError:
    row: int  # as the user sees it in a spreadsheet: the header is row 1
    column: str  # the column's code
    message: str

    @property
    def label(self) -> str:
        return column_label(self.column)


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: list[Participant] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(ValidationError):
    """The file as a whole cannot be read; ``columns``: the headers it concerns, if any."""

    def __init__(self, message: str, *, columns: list[str] | None = None) -> None:
        super().__init__(message)
        self.columns = columns or []


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
    accepted = accepted_headers()
    written = [str(h or "").strip() for h in table[0]]
    header = [accepted.get(_key(h), "") if h else "" for h in written]
    unknown = [h for h, code in zip(written, header, strict=True) if h and not code]
    if unknown:
        raise ImportFileError(
            _("These columns are not in the template: %(columns)s. Start from the template.")
            % {"columns": ", ".join(f"“{h}”" for h in unknown)},
            columns=unknown,
        )
    missing = [column_label(c) for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            _("Missing column(s): %(columns)s. Start from the template.")
            % {"columns": ", ".join(f"“{h}”" for h in missing)},
            columns=missing,
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
    prepared: list[tuple[Participant, date | None, int]] = []  # with the row's number
    seen: dict[tuple[str, str, date], int] = {}
    today = timezone.localdate()
    for index, row in enumerate(rows, start=2):
        if not row:
            continue
        if is_example(row):
            result.errors.append(
                RowError(
                    index,
                    "last_name",
                    _(
                        "This is the template's example, not a person: delete this row, "
                        "then write one row per person."
                    ),
                )
            )
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
        prepared.append((participant, admitted, index))

    if not prepared and not result.errors:
        result.errors.append(RowError(1, "", _("The file has no rows to import.")))
    occupying = Participant.objects.in_programme(programme).occupying().count()
    admitted_rows = [index for _p, admitted, index in prepared if admitted]
    if occupying + len(admitted_rows) > programme.capacity:
        # The first admission that no place is left for: the row to look at.
        overflow = admitted_rows[max(programme.capacity - occupying, 0)]
        result.errors.append(
            RowError(
                overflow,
                "admitted_on",
                _(
                    "No place is left for this admission: with the rows above the programme "
                    "is full (%(capacity)s places), and the file would bring it to %(n)s "
                    "people. Leave the admission date empty to put the person on the "
                    "waiting list."
                )
                % {"n": occupying + len(admitted_rows), "capacity": programme.capacity},
            )
        )
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result

    with transaction.atomic():
        for participant, admitted, _index in prepared:
            participant.save()
            if admitted:
                Stay.objects.create(
                    participant=participant, admitted_on=admitted, admitted_by=actor.user
                )
            result.created.append(participant)
        referral_rows = [
            (p, rows[index - 2].get("referring_service", "")) for p, _a, index in prepared
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
    """Header and descriptions in the user's language, and one fictional example row marked
    as such, for the template file."""
    codes = list(COLUMNS)
    return (
        [column_label(c) for c in codes],
        [str(COLUMNS[c]) for c in codes],
        [str(EXAMPLE.get(c, "")) for c in codes],
    )
