"""PostgreSQL: the unaccent extension for accent-insensitive full-text search.

A trusted extension since PostgreSQL 13: the database owner may create it.  Nothing happens
on SQLite, where search uses the entry's accent-free copy.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("journal", "0001_initial")]

    operations = [UnaccentExtension()]
