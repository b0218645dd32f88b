"""The journal's full-text index, outside the Django model (migration 0004).

PostgreSQL: generated ``tsvector`` columns per language with a GIN index.  SQLite: an FTS5
table with the trigram tokenizer over ``search_text``, kept in step by triggers.
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


SQLITE_TABLE = "journal_entry_fts"

SQLITE_CREATE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS journal_entry_fts USING fts5("
    "search_text, content='journal_entry', content_rowid='id', tokenize='trigram')"
)

SQLITE_TRIGGERS = {
    "journal_entry_fts_insert": (
        "AFTER INSERT ON journal_entry BEGIN"
        " INSERT INTO journal_entry_fts(rowid, search_text) VALUES (new.id, new.search_text);"
        " END"
    ),
    "journal_entry_fts_delete": (
        "AFTER DELETE ON journal_entry BEGIN"
        " INSERT INTO journal_entry_fts(journal_entry_fts, rowid, search_text)"
        " VALUES ('delete', old.id, old.search_text);"
        " END"
    ),
    "journal_entry_fts_update": (
        "AFTER UPDATE ON journal_entry BEGIN"
        " INSERT INTO journal_entry_fts(journal_entry_fts, rowid, search_text)"
        " VALUES ('delete', old.id, old.search_text);"
        " INSERT INTO journal_entry_fts(rowid, search_text) VALUES (new.id, new.search_text);"
        " END"
    ),
}

SQLITE_DROP = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS journal_entry_fts",
]


def ensure(connection: Any) -> bool:
    """SQLite: create the FTS table and its triggers where they are missing, and rebuild the
    index if anything was missing (a table rebuilt by a migration loses its triggers).
    True when something had to be (re)made."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'journal_entry'")
        if cursor.fetchone() is None:
            return False  # journal not migrated yet
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')"
            " AND name LIKE 'journal_entry_fts%'"
        )
        present = {name for (name,) in cursor.fetchall()}
        missing = {SQLITE_TABLE, *SQLITE_TRIGGERS} - present
        if not missing:
            return False
        cursor.execute(SQLITE_CREATE_TABLE)
        for name, body in SQLITE_TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        cursor.execute("INSERT INTO journal_entry_fts(journal_entry_fts) VALUES ('rebuild')")
    return True


def after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    """``post_migrate``: the SQLite index survives table rebuilds of later migrations."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    applied = MigrationRecorder(connection).applied_migrations()
    if ("journal", "0004_search_index") in applied:
        ensure(connection)
