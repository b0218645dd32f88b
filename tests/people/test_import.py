"""An import that guides: headers in the user's language (any of the three accepted), an
example row that can never become a person, problems shown where they can be read."""

from __future__ import annotations

import html
import io
import re

from django.urls import reverse
from openpyxl import load_workbook

from isa.people.models import Participant
from tests.conftest import Cast
from tests.people.test_views import csv_file, import_url

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _template(cast: Cast, fmt: str, language: str) -> bytes:
    url = reverse("participant_import_template", args=[cast.programme.pk, fmt])
    return cast.client("head").get(url, HTTP_ACCEPT_LANGUAGE=language).content


def test_the_template_speaks_the_users_language(cast: Cast):
    for language, first in (("fr", "Nom"), ("de", "Nachname"), ("en", "Last name")):
        sheet = load_workbook(io.BytesIO(_template(cast, "xlsx", language))).active
        assert sheet["A1"].value == first
    csv_text = _template(cast, "csv", "de").decode("utf-8-sig")
    assert csv_text.startswith("Nachname;Amtliche Vornamen;Rufname;Geburtsdatum")


def test_french_german_and_english_headers_are_accepted_whatever_the_page_language(cast: Cast):
    files = {
        "fr": "Nom;Prénoms officiels;Date de naissance\nSalamin;Chantal;14.03.1971\n",
        "de": "Nachname;Amtliche Vornamen;Geburtsdatum\nRoduit;Stéphane;22.07.1980\n",
        "en": "Last name;Official first names;Birth date\nFavre;Yvan;01.01.1990\n",
    }
    for page_language, text in zip(("en", "fr", "de"), files.values(), strict=True):
        response = cast.client("head").post(
            import_url(cast),
            {"file": csv_file(text)},
            HTTP_ACCEPT_LANGUAGE=page_language,
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    assert set(
        Participant.objects.filter(last_name__in=["Salamin", "Roduit", "Favre"]).values_list(
            "last_name", flat=True
        )
    ) == {"Salamin", "Roduit", "Favre"}


def test_the_templates_example_row_is_refused_with_a_clear_message(cast: Cast):
    before = Participant.objects.count()
    upload = io.BytesIO(_template(cast, "xlsx", "fr"))
    upload.name = "modele.xlsx"
    response = cast.client("head").post(import_url(cast), {"file": upload}, **EN)
    assert response.status_code == 400
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(2, "last_name")]
    assert "This is the template's example, not a person" in html.unescape(
        response.content.decode()
    )
    assert Participant.objects.count() == before


def test_the_example_is_recognised_in_any_language_and_from_older_templates(cast: Cast):
    text = (
        "Nom;Prénoms officiels;Date de naissance\n"
        "BEISPIEL – diese Zeile löschen;Marie Louise;14.03.1971\n"
        "Exemple;Marie Louise;14.03.1971\n"
        "Salamin;Chantal;14.03.1971\n"
    )
    response = cast.client("head").post(import_url(cast), {"file": csv_file(text)}, **EN)
    assert response.status_code == 400
    assert [e.row for e in response.context["result"].errors] == [2, 3]
    assert not Participant.objects.filter(last_name="Salamin").exists()


def test_a_missing_column_is_said_at_the_pages_full_width_in_the_users_words(cast: Cast):
    text = "Nom;Date de naissance\nSalamin;14.03.1971\n"
    response = cast.client("head").post(
        import_url(cast), {"file": csv_file(text)}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400
    content = response.content.decode()
    problem = re.search(
        r'<div class="form-errors import-problem" role="alert">(.*?)</div>', content, re.S
    )
    assert problem is not None
    assert "Prénoms officiels" in problem.group(1)
    # Above the steps, not squeezed into the form's field.
    assert content.index("import-problem") < content.index('<ol class="import-steps">')
    assert 'class="field-errors"' not in content


def test_the_help_points_to_the_template_where_it_is(cast: Cast):
    content = cast.client("head").get(import_url(cast), **EN).content.decode()
    assert "(step 1 above)" in content
    assert "the template below" not in content.lower()
    template_link = content.index(
        reverse("participant_import_template", args=[cast.programme.pk, "xlsx"])
    )
    assert template_link < content.index('type="file"')


def test_the_capacity_is_told_on_the_row_that_overflows(cast: Cast):
    cast.programme.capacity = 2
    cast.programme.save(update_fields=["capacity"])
    occupying = Participant.objects.in_programme(cast.programme).occupying().count()
    assert occupying == 1
    text = (
        "Last name;Official first names;Birth date;Admission date\n"
        "Salamin;Chantal;14.03.1971;01.09.2023\n"
        "Roduit;Stéphane;22.07.1980;\n"
        "Favre;Yvan;01.01.1990;01.09.2023\n"
        "Fellay;Elodie;01.01.1991;01.09.2023\n"
    )
    response = cast.client("head").post(import_url(cast), {"file": csv_file(text)}, **EN)
    assert response.status_code == 400
    errors = response.context["result"].errors
    assert [(e.row, e.column) for e in errors] == [(4, "admitted_on")]
    assert "No place is left for this admission" in errors[0].message
    assert "4 people" in errors[0].message
    assert "Admission date" in response.content.decode()
