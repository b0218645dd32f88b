"""The answer to a subject-access request (nFADP art. 25): everything held about a person,
from every app's registered exporter (:func:`isa.core.registry.register_subject_exporter`).

- a readable PDF in the person's language: who holds the data, then each kind of data with
  what it is for, where it came from, who receives it and how long it is kept;
- a ZIP with the same data as JSON and CSV (one file per kind) and the works' images.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from isa.core.documents.formats import swiss_date, swiss_datetime
from isa.core.documents.pdf import build_pdf, paragraph, styles, table_style
from isa.core.documents.spreadsheets import csv_bytes
from isa.core.registry import SubjectSection, subject_sections
from isa.people.models import Participant


def holder_lines(participant: Participant) -> list[str]:
    programme = participant.programme
    return [
        _("Who holds your data: %(organisation)s, for the programme %(programme)s.")
        % {"organisation": programme.organisation.name, "programme": programme.name},
        _("To ask a question about your data, talk to the team or to the head of the programme."),
        _("You can ask for this answer once a year for free. The team answers within 30 days."),
    ]


def _text(value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        return swiss_datetime(timezone.localtime(value) if timezone.is_aware(value) else value)
    if isinstance(value, date):
        return swiss_date(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


def _json(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _section_story(section: SubjectSection, st: dict[str, Any], width: float) -> list[Flowable]:
    story: list[Flowable] = [
        paragraph(section.title, st["title"]),
        paragraph(_("What for: %(text)s") % {"text": section.purpose}, st["text"]),
        paragraph(_("Where it comes from: %(text)s") % {"text": section.source}, st["text"]),
        paragraph(_("Who receives it: %(text)s") % {"text": section.recipients}, st["text"]),
        paragraph(_("How long it is kept: %(text)s") % {"text": section.retention}, st["text"]),
        Spacer(1, 3 * mm),
    ]
    if not section.rows:
        story.append(paragraph(_("Nothing is recorded."), st["facts"]))
    for row in section.rows:
        data = [
            [paragraph(heading, st["cell_bold"]), paragraph(_text(row.get(key)), st["small"])]
            for key, heading in section.columns
        ]
        table = Table(data, colWidths=[width * 0.3, width * 0.7])
        table.setStyle(TableStyle(table_style(header_rows=0)))
        story.extend([table, Spacer(1, 2 * mm)])
    if section.note:
        story.append(paragraph(section.note, st["facts"]))
    story.append(Spacer(1, 6 * mm))
    return story


def build_pdf_answer(participant: Participant) -> bytes:
    st = styles()
    width = 210 * mm - 2 * 18 * mm
    name = f"{participant.first_name} {participant.last_name}"
    story: list[Flowable] = [
        paragraph(_("All your data"), st["cover"]),
        paragraph(name, st["cover_line"]),
        paragraph(_("On %(day)s") % {"day": swiss_date(timezone.localdate())}, st["facts"]),
        Spacer(1, 6 * mm),
    ]
    story += [paragraph(line, st["text"]) for line in holder_lines(participant)]
    story.append(Spacer(1, 8 * mm))
    for section in subject_sections(participant):
        parts = _section_story(section, st, width)
        story.append(KeepTogether(parts[:6]))  # the title never alone at a page's foot
        story.extend(parts[6:])
    return build_pdf(
        story,
        title=_("All your data"),
        subject=name,
        heading=f"{participant.programme.name} · {_('All your data')} · {name}",
    )


def build_zip_answer(participant: Participant) -> bytes:
    sections = subject_sections(participant)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        index = {
            "participant": f"{participant.first_name} {participant.last_name}",
            "made_on": timezone.localdate().isoformat(),
            "holder": holder_lines(participant),
            "sections": [],
        }
        for section in sections:
            base = section.key.replace(".", "-")
            archive.writestr(
                f"json/{base}.json",
                json.dumps([_json(row) for row in section.rows], ensure_ascii=False, indent=2),
            )
            archive.writestr(
                f"csv/{base}.csv",
                csv_bytes(
                    [
                        [heading for _key, heading in section.columns],
                        *[[_text(row.get(k)) for k, _h in section.columns] for row in section.rows],
                    ]
                ),
            )
            for name, content in section.files:
                archive.writestr(name, content)
            index["sections"].append(  # type: ignore[union-attr]
                {
                    "key": section.key,
                    "title": section.title,
                    "purpose": section.purpose,
                    "source": section.source,
                    "recipients": section.recipients,
                    "retention": section.retention,
                    "files": [f"json/{base}.json", f"csv/{base}.csv"],
                    "note": section.note,
                }
            )
        archive.writestr("index.json", json.dumps(index, ensure_ascii=False, indent=2))
    return buffer.getvalue()
