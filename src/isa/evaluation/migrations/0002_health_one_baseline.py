"""At most one baseline health period per person, kept by the database too."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="healthperiod",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "baseline")),
                fields=("participant",),
                name="health_one_baseline",
            ),
        ),
    ]
