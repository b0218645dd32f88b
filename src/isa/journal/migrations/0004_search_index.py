"""A stored, indexed search of the journal, on each database in its own way.

PostgreSQL: two generated columns, ``search_fr`` and ``search_de``, hold the entry's text
as ``to_tsvector`` of the French and the German configuration, accents removed, each with a
GIN index.  ``unaccent`` is only STABLE (it reads a dictionary), and a generated column
needs an IMMUTABLE expression: ``isa_unaccent`` wraps it with the dictionary named, the
usual way to index it.  The database computes the columns on every insert and update, so no
service has to remember them and the search reads them instead of computing
``to_tsvector`` for every entry of the programme on every request.

SQLite: an FTS5 table ``journal_entry_fts`` over the accent-free ``search_text``, with the
trigram tokenizer (so a word still matches inside a longer one, as the plain search did),
kept in step by three triggers.  Django rebuilds a SQLite table (and so drops its
triggers) when a later migration alters it: ``isa.journal.fts.ensure`` puts them back after
every ``migrate`` and rebuilds the index when they were missing.

The Django model knows none of these columns or tables: ``isa.journal.search`` queries them.
"""

from django.db import migrations

from isa.journal import fts


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in fts.postgresql_create(connection):
                cursor.execute(statement)
    elif connection.vendor == "sqlite":
        fts.ensure(connection)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    statements = {
        "postgresql": fts.POSTGRESQL_DROP,
        "sqlite": fts.SQLITE_DROP,
    }.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("journal", "0003_input_bounds")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
