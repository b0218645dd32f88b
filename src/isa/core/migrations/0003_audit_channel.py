"""The channel an action came through (web, API, scheduled task, participant's space).

On SQLite, adding a column with a default rebuilds the table, which drops its triggers:
the append-only trigger of migration 0002 is created again right after.
"""

import importlib

from django.db import migrations, models

append_only = importlib.import_module("isa.core.migrations.0002_audit_append_only")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="channel",
            field=models.CharField(
                choices=[
                    ("web", "web page"),
                    ("api", "API"),
                    ("job", "scheduled task"),
                    ("portal", "participant's space"),
                ],
                default="web",
                max_length=16,
                verbose_name="channel",
            ),
        ),
        migrations.RunPython(
            append_only._run({"sqlite": append_only.SQLITE_UP}),
            migrations.RunPython.noop,
            hints={"model_name": "auditevent"},
        ),
    ]
