"""The media every programme has (DOMAIN.md); organisations add their own."""

from django.db import migrations

BUILTIN = [
    ("painting", "Peinture", "Malerei", "Painting"),
    ("sculpture", "Sculpture", "Bildhauerei", "Sculpture"),
    ("drawing", "Dessin", "Zeichnen", "Drawing"),
    ("photography", "Photographie", "Fotografie", "Photography"),
    ("engraving", "Gravure", "Druckgrafik", "Engraving"),
    ("writing", "Écriture", "Schreiben", "Writing"),
    ("other", "Autre", "Anderes", "Other"),
]


def add(apps, schema_editor):
    Medium = apps.get_model("presence", "Medium")
    for order, (code, fr, de, en) in enumerate(BUILTIN, start=1):
        Medium.objects.update_or_create(
            organisation=None,
            code=code,
            defaults={"name_fr": fr, "name_de": de, "name_en": en, "order": order * 10},
        )


def remove(apps, schema_editor):
    apps.get_model("presence", "Medium").objects.filter(
        organisation=None, code__in=[b[0] for b in BUILTIN]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("presence", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
