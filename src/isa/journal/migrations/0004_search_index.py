"""A stored, indexed search of the journal on PostgreSQL.

Two generated columns, ``search_fr`` and ``search_de``, hold the entry's text as
``to_tsvector`` of the French and the German configuration, accents removed, each with a GIN
index.  ``unaccent`` is only STABLE (it reads a dictionary), and a generated column needs an
IMMUTABLE expression: ``isa_unaccent`` wraps it with the dictionary named, the usual way to
index it.  The database computes the columns on every insert and update, so no service has
to remember them, and the search reads them instead of computing ``to_tsvector`` for every
entry of the programme on every request.  The Django model knows none of this:
``isa.journal.search`` queries the columns.  Nothing happens on SQLite (see
``isa.journal.fts``).
"""

from django.db import migrations

from isa.journal import fts


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in fts.postgresql_create(connection):
                cursor.execute(statement)


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in fts.POSTGRESQL_DROP:
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("journal", "0003_input_bounds")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
