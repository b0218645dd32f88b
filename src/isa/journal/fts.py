"""The journal's full-text index on PostgreSQL, outside the Django model (migration 0004):
generated ``tsvector`` columns per language, each with a GIN index.

SQLite has none: its search reads the programme's entries' accent-free copy
(``Entry.search_text``), which costs about 2 ms for a programme's 5,000 entries whatever the
size of the database; an FTS5 index, tried, is global — it cannot be limited to one
programme — and made a common word 20 times slower at 10× (docs/decisions.md).
"""

from __future__ import annotations

from typing import Any

#: Language configuration → generated column.  The search matches either (OR), as it did
#: when it computed both vectors on the fly.
COLUMNS = {"french": "search_fr", "german": "search_de"}

POSTGRESQL_DROP = [
    "DROP INDEX IF EXISTS journal_entry_search_fr",
    "DROP INDEX IF EXISTS journal_entry_search_de",
    "ALTER TABLE journal_entry DROP COLUMN IF EXISTS search_fr",
    "ALTER TABLE journal_entry DROP COLUMN IF EXISTS search_de",
    "DROP FUNCTION IF EXISTS isa_unaccent(text)",
]


def postgresql_create(connection: Any) -> list[str]:
    """The statements creating the immutable unaccent wrapper, the columns, the indexes."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'unaccent'"
        )
        row = cursor.fetchone()
    schema = connection.ops.quote_name(row[0] if row else "public")
    statements = [
        # The dictionary is named, so the result depends on the text alone: IMMUTABLE.
        "CREATE OR REPLACE FUNCTION isa_unaccent(text) RETURNS text"
        " LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
        f" AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$",
    ]
    for config, column in COLUMNS.items():
        statements += [
            f"ALTER TABLE journal_entry ADD COLUMN {column} tsvector GENERATED ALWAYS AS"
            f" (to_tsvector('{config}'::regconfig, isa_unaccent(text))) STORED",
            f"CREATE INDEX journal_entry_{column} ON journal_entry USING gin ({column})",
        ]
    return statements
