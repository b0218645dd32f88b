"""Search in the entries a user may read.

On PostgreSQL: full-text search with the French and German configurations, accents ignored
(the ``unaccent`` extension, created by migration 0002).  On SQLite: every word must appear
in the entry's lower-case, accent-free text.  Either way the search runs on
``Entry.objects.visible_to(user)``: restricted entries stay restricted.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Func, Q, QuerySet

from isa.journal.models import Entry
from isa.people.models import normalize_name

CONFIGS = ("french", "german")


class Unaccent(Func):
    function = "unaccent"


def search(entries: QuerySet[Entry], text: str) -> QuerySet[Entry]:
    words = normalize_name(text).split()
    if not words:
        return entries
    if connection.vendor == "postgresql":
        condition = Q()
        for config in CONFIGS:
            vector = SearchVector(Unaccent("text"), config=config)
            query = SearchQuery(" ".join(words), config=config, search_type="plain")
            condition |= Q(pk__in=entries.annotate(v=vector).filter(v=query).values("pk"))
        return entries.filter(condition)
    for word in words:
        entries = entries.filter(search_text__contains=word)
    return entries
