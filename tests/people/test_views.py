"""Participant pages: what each role sees, bad input, audit, query counts."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from isa.core.models import AuditAction, AuditEvent
from isa.people import services
from isa.people.models import ConsentKind, Participant, Referral, Status
from tests.conftest import Cast, refer


@pytest.fixture
def file_url(cast: Cast) -> str:
    return reverse("participant", args=[cast.programme.pk, cast.participant.pk])


@pytest.fixture
def detailed(cast: Cast) -> Participant:
    p = cast.participant
    services.participant_update(
        participant=p,
        data={
            "avs_number": "756.9217.0769.85",
            "social_aid_reference": "SION-2024-0042",
            "phone": "079 123 45 67",
        },
        expected_version=p.version,
        actor=cast.actor("head"),
    )
    return p


def test_reading_a_file_is_audited(cast: Cast, file_url: str):
    assert cast.client("facilitator").get(file_url).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.VIEW, object_type="people.participant")
    assert event.object_id == str(cast.participant.pk)
    assert event.actor_id == cast.users["facilitator"].pk
    assert event.programme_id == cast.programme.pk


def test_a_facilitator_sees_neither_avs_nor_social_aid_nor_contact(cast, file_url, detailed):
    body = cast.client("facilitator").get(file_url).content.decode()
    assert "Zufferey" in body
    assert "756.9217.0769.85" not in body
    assert "SION-2024-0042" not in body
    assert "079 123 45 67" not in body


def test_a_watcher_sees_contact_details_to_reach_out_but_not_the_avs(cast, file_url, detailed):
    body = cast.client("watcher").get(file_url).content.decode()
    assert "079 123 45 67" in body
    assert "756.9217.0769.85" not in body


def test_a_social_worker_sees_the_whole_file(cast, file_url, detailed):
    body = cast.client("social_worker").get(file_url).content.decode()
    for value in ("756.9217.0769.85", "SION-2024-0042", "079 123 45 67"):
        assert value in body


def test_the_file_shows_accompanied_since_and_a_timeline(cast, file_url):
    services.pact_renegotiate(
        participant=cast.participant,
        valid_from=date(2024, 3, 4),
        half_days=["mon_am", "wed_pm"],
        actor=cast.actor("social_worker"),
    )
    response = cast.client("head").get(file_url, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "since 04.03.2024" in body
    kinds = [item.kind for item in response.context["timeline"]]
    assert {"referral", "stay", "pact"} <= set(kinds)
    assert "Monday morning" in body


def test_the_file_page_query_count_is_bounded(cast, file_url, django_assert_max_num_queries):
    client = cast.client("head")
    client.get(file_url)
    # 31: the participant's-space panel (isa.portal) adds one query, access and requests.
    with django_assert_max_num_queries(31):
        client.get(file_url)


def test_the_identity_form_hides_fields_a_role_may_not_see(cast: Cast):
    url = reverse("participant_edit", args=[cast.programme.pk, cast.participant.pk])
    form = cast.client("social_worker").get(url).context["form"]
    assert "avs_number" in form.fields
    assert cast.client("facilitator").get(url).status_code == 403


def test_an_invalid_avs_number_is_explained_on_the_field(cast: Cast):
    url = reverse("participant_edit", args=[cast.programme.pk, cast.participant.pk])
    p = cast.participant
    response = cast.client("social_worker").post(
        url,
        {
            "version": p.version,
            "last_name": p.last_name,
            "official_first_names": p.official_first_names,
            "birth_date": "17.05.1975",
            "avs_number": "756.1234.5678.90",
            "phone": "079 000 00 00",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "check digit" in response.context["form"].errors["avs_number"][0]
    assert response.context["form"]["phone"].value() == "079 000 00 00"
    assert Participant.objects.get(pk=p.pk).phone == ""


def test_a_stale_edit_says_so_and_keeps_the_typed_values(cast: Cast):
    url = reverse("participant_edit", args=[cast.programme.pk, cast.participant.pk])
    p = cast.participant
    data = {
        "version": p.version,
        "last_name": p.last_name,
        "official_first_names": p.official_first_names,
        "birth_date": "17.05.1975",
        "phone": "079 555 55 55",
    }
    assert cast.client("head").post(url, data).status_code == 302
    data["phone"] = "079 666 66 66"
    response = cast.client("social_worker").post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Someone else changed this file" in response.content.decode()
    assert response.context["form"]["phone"].value() == "079 666 66 66"
    assert Participant.objects.get(pk=p.pk).phone == "079 555 55 55"


# -- referral ----------------------------------------------------------------------------------


def referral_data(**overrides: str) -> dict[str, str]:
    data = {
        "id-last_name": "Crettenand",
        "id-official_first_names": "Marie-Claude",
        "id-birth_date": "02.11.1968",
        "id-phone": "027 000 11 22",
        "ref-referred_on": "2024-02-01",
        "ref-referring_service": "CMS de Sion",
        "ref-context": "Aime la peinture.",
    }
    data.update(overrides)
    return data


def test_a_referrer_records_a_referral_and_sees_only_its_status(cast: Cast):
    client = cast.client("referrer")
    url = reverse("referral_create", args=[cast.programme.pk])
    response = client.post(url, referral_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("referral_list", args=[cast.programme.pk])
    referral = Referral.objects.get(participant__last_name="Crettenand")
    assert referral.referred_by == cast.users["referrer"]
    body = client.get(response["Location"]).content.decode()
    assert "Crettenand" in body
    assert reverse("participant", args=[cast.programme.pk, referral.participant_id]) not in body
    file_url = reverse("participant", args=[cast.programme.pk, referral.participant_id])
    assert client.get(file_url).status_code == 403


def test_the_referral_form_names_the_referrer_and_their_service(cast: Cast):
    client = cast.client("referrer")
    url = reverse("referral_create", args=[cast.programme.pk])
    form = client.get(url).context["referral"]
    assert form["referring_person"].value() == "Referrer"  # the referrer's own name
    assert 'name="ref-referring_person" value="Referrer"' in client.get(url).content.decode()
    data = referral_data()
    data["ref-referring_service"] = "Office AI Valais"
    assert client.post(url, data).status_code == 302
    form = client.get(url).context["referral"]
    assert form["referring_service"].value() == "Office AI Valais"  # as written last time
    assert form["referring_person"].value() == "Referrer"
    # The team records referrals for others: nobody is assumed.
    assert cast.client("social_worker").get(url).context["referral"][
        "referring_person"
    ].value() in (None, "")


def test_a_referrer_does_not_see_referrals_sent_by_others(cast: Cast):
    refer(cast.programme, cast.users["social_worker"], "Autre", "Personne")
    response = cast.client("referrer").get(reverse("referral_list", args=[cast.programme.pk]))
    names = [r.participant.last_name for r in response.context["referrals"]]
    assert names == ["Zufferey"]


def test_a_possible_duplicate_is_shown_with_a_link_instead_of_a_silent_copy(cast: Cast):
    client = cast.client("social_worker")
    url = reverse("referral_create", args=[cast.programme.pk])
    data = referral_data(
        **{
            "id-last_name": "ZUFFEREY",
            "id-official_first_names": "Jean-Marc",
            "id-birth_date": "17.05.1975",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert cast.participant.get_absolute_url() in response.content.decode()
    assert Participant.objects.filter(last_name__iexact="zufferey").count() == 1
    data["ref-not_a_duplicate"] = "on"
    assert client.post(url, data).status_code == 302
    assert Participant.objects.filter(last_name__iexact="zufferey").count() == 2


def test_a_referral_with_bad_dates_is_explained(cast: Cast):
    response = cast.client("referrer").post(
        reverse("referral_create", args=[cast.programme.pk]),
        referral_data(**{"id-birth_date": "31.02.1970"}),
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    assert response.context["identity"].errors["birth_date"]
    assert response.context["identity"]["last_name"].value() == "Crettenand"


# -- waiting list and admission ----------------------------------------------------------------


def test_the_waiting_list_is_in_order_with_waiting_times(cast: Cast, time_machine):
    time_machine.move_to("2024-03-01 10:00 +01:00", tick=False)
    refer(cast.programme, cast.users["referrer"], "Second", "B", referred_on=date(2024, 2, 10))
    refer(cast.programme, cast.users["referrer"], "First", "A", referred_on=date(2024, 1, 5))
    response = cast.client("head").get(reverse("waiting_list", args=[cast.programme.pk]))
    rows = response.context["rows"]
    assert [r["referral"].participant.last_name for r in rows] == ["First", "Second"]
    assert [r["days"] for r in rows] == [56, 20]
    assert response.context["occupied"] == 1


def test_admission_on_a_full_programme_shows_the_occupancy(cast: Cast):
    cast.programme.capacity = 1
    cast.programme.save()
    waiting = refer(cast.programme, cast.users["referrer"], "Attente", "Paul").participant
    url = reverse("participant_admit", args=[cast.programme.pk, waiting.pk])
    response = cast.client("social_worker").post(
        url, {"on": "2024-05-01"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "The programme is full: 1 people for 1 places." in response.content.decode()
    assert Participant.objects.get(pk=waiting.pk).status == Status.WAITING
    assert "override_capacity" not in response.context["form"].fields
    response = cast.client("head").post(url, {"on": "2024-05-01", "override_capacity": "on"})
    assert response.status_code == 302
    assert Participant.objects.get(pk=waiting.pk).status == Status.ACTIVE


def test_an_exit_before_admission_is_refused_in_the_form(cast: Cast):
    url = reverse("participant_exit", args=[cast.programme.pk, cast.participant.pk])
    response = cast.client("social_worker").post(
        url,
        {"on": "2024-01-01", "reason": "own_choice", "comment": "parti"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "The exit cannot be before the admission (04.03.2024)." in response.content.decode()
    assert response.context["form"]["comment"].value() == "parti"


def test_pact_set_through_the_page(cast: Cast):
    url = reverse("pact_edit", args=[cast.programme.pk, cast.participant.pk])
    response = cast.client("social_worker").post(
        url, {"valid_from": "2024-03-04", "half_days": ["tue_pm", "mon_am"], "note": "Le lundi"}
    )
    assert response.status_code == 302
    assert services.pact_current(cast.participant).half_days == ["mon_am", "tue_pm"]


def test_a_withdrawal_through_the_page_is_effective_at_once(cast: Cast):
    services.consent_record(
        participant=cast.participant,
        kind=ConsentKind.ONLINE,
        state="given",
        on=date(2024, 3, 4),
        method="paper",
        actor=cast.actor("social_worker"),
    )
    assert services.consent_is_given(cast.participant, ConsentKind.ONLINE)
    response = cast.client("social_worker").post(
        reverse("consent_edit", args=[cast.programme.pk, cast.participant.pk]),
        {"kind": "online", "state": "withdrawn", "on": date.today().isoformat(), "method": "oral"},
    )
    assert response.status_code == 302
    assert not services.consent_is_given(cast.participant, ConsentKind.ONLINE)


# -- list --------------------------------------------------------------------------------------


def test_search_by_name_ignores_case_and_accents(cast: Cast):
    yvan = refer(cast.programme, cast.users["referrer"], "Délèze", "Yvan").participant
    # Admitted: a facilitator meets people once they are (waiting files are referrals).
    services.participant_admit(participant=yvan, on=date(2024, 3, 4), actor=cast.actor("head"))
    url = reverse("participant_list", args=[cast.programme.pk])
    response = cast.client("facilitator").get(url, {"q": "deleze"})
    assert [p.last_name for p in response.context["people"]] == ["Délèze"]


def test_filter_by_status_and_referrer_and_sort(cast: Cast):
    refer(cast.programme, cast.users["referrer"], "Bagnoud", "Christophe")
    url = reverse("participant_list", args=[cast.programme.pk])
    client = cast.client("head")
    waiting = client.get(url, {"status": "waiting"}).context["people"]
    assert [p.last_name for p in waiting] == ["Bagnoud"]
    everyone = client.get(url, {"sort": "-name"}).context["people"]
    assert [p.last_name for p in everyone] == ["Zufferey", "Bagnoud"]
    by_cms = client.get(url, {"referrer": "CMS de Sion"}).context["people"]
    assert len(by_cms) == 2


def test_the_list_never_shows_another_programmes_people(cast: Cast):
    response = cast.client("head").get(
        reverse("participant_list", args=[cast.programme.pk]), {"status": ""}
    )
    assert cast.foreign_participant not in list(response.context["people"])


def test_the_list_query_count_is_constant(cast: Cast, django_assert_max_num_queries):
    client = cast.client("head")
    url = reverse("participant_list", args=[cast.programme.pk])
    client.get(url, {"sort": "name"})
    with django_assert_max_num_queries(20) as few:
        client.get(url, {"sort": "name"})
    for i in range(25):
        refer(cast.programme, cast.users["referrer"], f"Nom{i}", "Prénom")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"sort": "name"})
    assert len(response.context["people"]) == 26


def test_the_list_is_paginated_and_keeps_its_filters(cast: Cast):
    from isa.people.views import PAGE_SIZE

    for i in range(PAGE_SIZE + 4):
        refer(cast.programme, cast.users["referrer"], f"Nom{i:02}", "Prénom")
    client = cast.client("head")
    url = reverse("participant_list", args=[cast.programme.pk])
    first = client.get(url, {"status": "waiting", "sort": "name"}, HTTP_ACCEPT_LANGUAGE="en")
    assert len(first.context["people"]) == PAGE_SIZE
    html = first.content.decode()
    assert f"{PAGE_SIZE + 4} people" in html  # the caption counts everyone, not the page
    assert "status=waiting&amp;sort=name&amp;page=2" in html
    second = client.get(url, {"status": "waiting", "sort": "name", "page": 2})
    assert [p.last_name for p in second.context["people"]] == [
        f"Nom{i:02}" for i in range(PAGE_SIZE, PAGE_SIZE + 4)
    ]
    # a page number out of range shows the last page rather than an error
    assert client.get(url, {"status": "waiting", "page": 99}).status_code == 200


# -- import ------------------------------------------------------------------------------------

HEADER = [
    "last_name",
    "official_first_names",
    "usual_first_name",
    "birth_date",
    "phone",
    "avs_number",
    "referring_service",
    "admitted_on",
]


def xlsx(rows: list[list[object]], header: list[str] = HEADER) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "people.xlsx"
    return buffer


def csv_file(text: str) -> io.BytesIO:
    buffer = io.BytesIO(text.encode("utf-8"))
    buffer.name = "people.csv"
    return buffer


def import_url(cast: Cast) -> str:
    return reverse("participant_import", args=[cast.programme.pk])


def test_import_from_xlsx_creates_every_file(cast: Cast):
    upload = xlsx(
        [
            ["Salamin", "Chantal", "", date(1971, 3, 14), "079 1", "", "CMS de Sion", "01.09.2023"],
            ["Roduit", "Stéphane", "Steph", "22.07.1980", "", "756.9217.0769.85", "", ""],
        ]
    )
    response = cast.client("head").post(import_url(cast), {"file": upload})
    assert response.status_code == 302
    salamin = Participant.objects.get(last_name="Salamin")
    assert salamin.status == Status.ACTIVE
    assert salamin.accompanied_since == date(2023, 9, 1)
    assert salamin.stays.count() == 1
    roduit = Participant.objects.get(last_name="Roduit")
    assert roduit.status == Status.WAITING
    assert roduit.avs_number == "756.9217.0769.85"
    event = AuditEvent.objects.get(action=AuditAction.CREATE, detail__import=2)
    assert sorted(event.detail["ids"]) == sorted([salamin.pk, roduit.pk])


def test_import_is_all_or_nothing_with_errors_by_row_and_column(cast: Cast):
    text = (
        "last_name;official_first_names;birth_date;avs_number\n"
        "Salamin;Chantal;14.03.1971;\n"
        "Roduit;Stéphane;31.13.1980;\n"
        ";Yvan;01.01.1990;756.1234.5678.90\n"
    )
    before = Participant.objects.count()
    response = cast.client("head").post(
        import_url(cast), {"file": csv_file(text)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    errors = {(e.row, e.column) for e in response.context["result"].errors}
    assert errors == {(3, "birth_date"), (4, "last_name"), (4, "avs_number")}
    assert "is not a date like 31.12.1970" in response.content.decode()
    assert Participant.objects.count() == before


def test_import_with_a_missing_column_writes_nothing(cast: Cast):
    text = "last_name;birth_date\nSalamin;14.03.1971\n"
    response = cast.client("head").post(
        import_url(cast), {"file": csv_file(text)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Missing column(s): “Official first names”" in response.content.decode()
    assert not Participant.objects.filter(last_name="Salamin").exists()


def test_import_refuses_a_file_that_is_not_a_spreadsheet(cast: Cast):
    upload = io.BytesIO(b"PK\x03\x04garbage")
    upload.name = "people.xlsx"
    response = cast.client("head").post(
        import_url(cast), {"file": upload}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "not a readable Excel" in response.content.decode()


def test_import_flags_a_person_already_on_file(cast: Cast):
    text = "last_name;official_first_names;birth_date\nZufferey;Jean-Marc;17.05.1975\n"
    response = cast.client("head").post(import_url(cast), {"file": csv_file(text)})
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["result"].errors] == [(2, "last_name")]


def test_the_import_templates_download(cast: Cast):
    client = cast.client("head")
    response = client.get(
        reverse("participant_import_template", args=[cast.programme.pk, "xlsx"]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][:3] == [
        "Last name",
        "Official first names",
        "Usual first name",
    ]
    response = client.get(
        reverse("participant_import_template", args=[cast.programme.pk, "csv"]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.content.decode("utf-8-sig").startswith("Last name;Official first names")
    assert (
        client.get(
            reverse("participant_import_template", args=[cast.programme.pk, "pdf"])
        ).status_code
        == 404
    )


def test_the_template_imports_once_its_example_is_replaced_by_a_person(cast: Cast):
    client = cast.client("head")
    response = client.get(reverse("participant_import_template", args=[cast.programme.pk, "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    sheet["A2"] = "Salamin"  # the example's mark, replaced by a real last name
    upload = io.BytesIO()
    workbook.save(upload)
    upload.seek(0)
    upload.name = "template.xlsx"
    assert client.post(import_url(cast), {"file": upload}).status_code == 302
    assert Participant.objects.filter(last_name="Salamin", usual_first_name="Malou").exists()


@pytest.mark.parametrize("who", ["facilitator", "watcher"])
def test_a_file_never_admitted_is_not_found_for_who_does_not_handle_referrals(cast: Cast, who):
    waiting = refer(cast.programme, cast.users["referrer"], "Bagnoud", "Christophe").participant
    url = reverse("participant", args=[cast.programme.pk, waiting.pk])
    client = cast.client(who)
    assert client.get(url).status_code == 404
    listed = client.get(reverse("participant_list", args=[cast.programme.pk]), {"status": ""})
    assert waiting not in list(listed.context["people"])
    assert listed.context["status_rows"][0][2] == 0  # not even counted among the waiting
    for handler in ("head", "social_worker"):
        assert cast.client(handler).get(url).status_code == 200
    # Admitted, the person is met by the whole team.
    services.participant_admit(participant=waiting, on=date(2024, 3, 4), actor=cast.actor("head"))
    assert client.get(url).status_code == 200


def test_a_file_that_left_stays_open_to_the_facilitator(cast: Cast):
    services.participant_exit(
        participant=cast.participant,
        on=date(2024, 6, 3),
        reason="own_choice",
        actor=cast.actor("head"),
    )
    url = reverse("participant", args=[cast.programme.pk, cast.participant.pk])
    assert cast.client("facilitator").get(url).status_code == 200
