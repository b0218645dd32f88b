"""Search in the entries a user may read.

On PostgreSQL: full-text search with the French and German configurations, accents ignored,
on the stored, GIN-indexed vectors of migration 0004 (``isa.journal.fts``): an entry matches
when either language's vector matches.  On SQLite: every word must appear in the entry's
lower-case, accent-free text (the programme's entries are read through their index, a few
milliseconds for thousands of entries).  Either way the search runs on
``Entry.objects.visible_to(user)``: restricted entries stay restricted.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import Expression, Q, QuerySet

from isa.journal.fts import COLUMNS
from isa.journal.models import Entry
from isa.people.models import normalize_name


class StoredVector(Expression):
    """A generated ``tsvector`` column of the entry table, unknown to the model."""

    output_field = SearchVectorField()

    def __init__(self, column: str, alias: str | None = None) -> None:
        super().__init__()
        self.column = column
        self.alias = alias

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> StoredVector:
        return StoredVector(self.column, query.get_initial_alias())

    def relabeled_clone(self, change_map: dict[str, str]) -> StoredVector:
        alias = self.alias or ""
        return StoredVector(self.column, change_map.get(alias, alias))

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        quote = compiler.quote_name_unless_alias
        return f"{quote(self.alias)}.{connection.ops.quote_name(self.column)}", []


def search(entries: QuerySet[Entry], text: str) -> QuerySet[Entry]:
    words = normalize_name(text).split()
    if not words:
        return entries
    if connection.vendor == "postgresql":
        condition = Q()
        aliases = {}
        for config, column in COLUMNS.items():
            aliases[column] = StoredVector(column)
            condition |= Q(
                **{column: SearchQuery(" ".join(words), config=config, search_type="plain")}
            )
        return entries.alias(**aliases).filter(condition)
    for word in words:
        entries = entries.filter(search_text__contains=word)
    return entries
