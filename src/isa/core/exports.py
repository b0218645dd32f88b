"""Helpers shared by every file the application hands out (XLSX, CSV, PDF tables).

Spreadsheet programs run a cell as a formula when its text starts with ``=``, ``+``, ``-``
or ``@`` (and some also after a tab or a carriage return, or after leading spaces).  A name,
a note or a medium label typed into ISA must never become a formula on the funder's or the
head's computer: every text cell of an export goes through :func:`safe_cell`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from isa.core.registry import SubjectSection

#: First characters that make a spreadsheet read a cell as a formula (OWASP), and their
#: full-width forms, which some spreadsheet programs read the same way.
FORMULA_STARTS = frozenset("=+-@＝＋－＠")
#: Control characters OWASP lists as well: a cell starting with one of them is neutralised
#: even when a formula character only comes later.
CONTROL_STARTS = frozenset("\t\r")


def safe_cell(value: Any) -> Any:
    """The value to write into a spreadsheet cell, with formulas neutralised.

    Text that a spreadsheet could run as a formula (CSV/formula injection, see OWASP
    "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection) gets a leading
    apostrophe, so that it is shown as the text it is: a text starting with ``=``, ``+``,
    ``-`` or ``@`` (also after leading whitespace), or with a tab or a carriage return.
    Numbers, dates, booleans and ``None`` are returned untouched; a lazy translation becomes
    its text first.

    >>> safe_cell("=1+2")
    "'=1+2"
    >>> safe_cell(-3)
    -3
    """
    if isinstance(value, Promise):
        value = str(value)
    if not isinstance(value, str) or not value:
        return value
    if value[0] in CONTROL_STARTS or value.lstrip()[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def model_columns(model: Any, fields: Sequence[str]) -> list[tuple[str, str]]:
    """(field name, its label in the active language) for a subject-access section."""
    return [(name, str(model._meta.get_field(name).verbose_name)) for name in fields]


def model_row(obj: Any, fields: Sequence[str]) -> dict[str, Any]:
    """A record as the person reads it: choices in words (and any field whose model says it
    in words with ``get_<field>_display``), related records by their name."""
    row: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if getattr(field, "choices", None) or hasattr(obj, f"get_{name}_display"):
            value: Any = getattr(obj, f"get_{name}_display")()
        elif field.is_relation:
            related = getattr(obj, name)
            value = str(related) if related is not None else ""
        else:
            value = getattr(obj, name)
        row[name] = value
    return row


def model_section(
    key: str, title: str, model: Any, fields: Sequence[str], objects: Any, **texts: str
) -> SubjectSection:
    """A subject-access section made of one model's rows: ``fields`` as columns (their
    verbose names as headings), ``texts`` its purpose, source, recipients and retention."""
    from isa.core.registry import SubjectSection

    return SubjectSection(
        key=key,
        title=title,
        columns=model_columns(model, fields),
        rows=[model_row(o, fields) for o in objects],
        **texts,
    )
