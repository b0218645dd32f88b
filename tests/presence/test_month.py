"""The month view and the monthly attendance sheet (PDF, XLSX): one set of figures."""

from __future__ import annotations

import io
from datetime import date, time, timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from openpyxl import load_workbook
from pypdf import PdfReader

from isa.core.actor import Actor
from isa.core.models import AuditAction, AuditEvent
from isa.people import services as people
from isa.people.models import ExitReason, Participant
from isa.presence.models import ClosureDay, Medium, Presence, PresenceState, Session
from isa.presence.sheets import EXTRA, MISSED, NONE, PACT, monthly_sheet, part_letter, sheet_pdf
from tests import pdftext
from tests.conftest import Cast, refer

YEAR, MONTH = 2025, 3


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def client(cast: Cast, who: str) -> Client:
    """A signed-in client whose pages come in English."""
    c = cast.client(who)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


def month_url(cast: Cast, year: int = YEAR, month: int = MONTH) -> str:
    return reverse("presence_month", args=[cast.programme.pk, year, month])


def sheet_url(cast: Cast, fmt: str, year: int = YEAR, month: int = MONTH) -> str:
    return reverse("presence_sheet", args=[cast.programme.pk, year, month, fmt])


def mark(session: Session, participant: Participant, arrived=None, left=None, medium=None):
    return Presence.objects.create(
        session=session, participant=participant, arrived_at=arrived, left_at=left, medium=medium
    )


@pytest.fixture
def march(cast: Cast) -> dict:
    """March 2025: Monday mornings (9–12) and Wednesday afternoons (13:30–16:30); Wednesday
    19 is a closure day.

    Zufferey Jean-Marc (accompanied since 04.03.2024), pact Monday morning:
      Mon  3 am  present 09:30–11:30, painting   2 h    pact       ●
      Wed  5 pm  —                                                 (blank)
      Mon 10 am  absent (noted)                         pact       ·
      Wed 12 pm  present 13:30–end, no medium    3 h    extra      ○
      Mon 17 am  present 09:00–end, painting     3 h    pact       ●
      Mon 24 am  present 09:15–11:45             2.5 h  pact       ●
      Wed 26 pm  —                                                 (blank)
      Mon 31 am  —                                      pact       ·
      → expected 5, attended 3, rate 60%, half-days 4, hours 10.5

    Berthod Anne, admitted on Monday 17, pact Wednesday afternoon from the 17th:
      Mon 24 am  present 09:00–end, sculpture    3 h    extra      ○
      Wed 26 pm  present 13:30–end               3 h    pact       ●
      → expected 1 (the 19th was closed), attended 1, rate 100%, half-days 2, hours 6

    Paul Ancien left in February: not on the sheet.  Totals: expected 6, attended 4,
    rate 67%, half-days 6, hours 16.5; media: painting 2, sculpture 1, not noted 3.
    """
    head = cast.users["head"]
    workshop = cast.session.workshop
    s: dict[tuple[int, str], Session] = {}
    for day in (3, 10, 17, 24, 31):
        s[day, "am"] = Session.objects.create(
            workshop=workshop, on=date(2025, 3, day), part="am", starts_at=time(9), ends_at=time(12)
        )
    for day in (5, 12, 19, 26):
        s[day, "pm"] = Session.objects.create(
            workshop=workshop,
            on=date(2025, 3, day),
            part="pm",
            starts_at=time(13, 30),
            ends_at=time(16, 30),
            cancelled=day == 19,
        )
    ClosureDay.objects.create(programme=cast.programme, on=date(2025, 3, 19), reason="Formation")

    zufferey = cast.participant
    people.pact_renegotiate(
        participant=zufferey,
        valid_from=date(2024, 3, 4),
        half_days=["mon_am"],
        actor=Actor.of(head),
    )
    painting = Medium.objects.get(code="painting")
    sculpture = Medium.objects.get(code="sculpture")
    mark(s[3, "am"], zufferey, time(9, 30), time(11, 30), painting)
    Presence.objects.create(session=s[10, "am"], participant=zufferey, state=PresenceState.ABSENT)
    mark(s[12, "pm"], zufferey, time(13, 30))
    mark(s[17, "am"], zufferey, time(9), medium=painting)
    mark(s[24, "am"], zufferey, time(9, 15), time(11, 45))

    berthod = refer(cast.programme, head, "Berthod", "Anne").participant
    people.participant_admit(participant=berthod, on=date(2025, 3, 17), actor=Actor.of(head))
    people.pact_renegotiate(
        participant=berthod,
        valid_from=date(2025, 3, 17),
        half_days=["wed_pm"],
        actor=Actor.of(head),
    )
    mark(s[24, "am"], berthod, time(9), medium=sculpture)
    mark(s[26, "pm"], berthod, time(13, 30))

    ancien = refer(cast.programme, head, "Ancien", "Paul").participant
    people.participant_admit(participant=ancien, on=date(2024, 6, 3), actor=Actor.of(head))
    people.participant_exit(
        participant=ancien, on=date(2025, 2, 14), reason=ExitReason.MOVED, actor=Actor.of(head)
    )
    return {"sessions": s, "zufferey": zufferey, "berthod": berthod, "ancien": ancien}


# -- the figures -------------------------------------------------------------------------------


def test_the_sheet_of_a_month_computed_by_hand(cast: Cast, march):
    sheet = monthly_sheet(cast.programme, YEAR, MONTH)
    # Columns: the half-days with a held session; the closed Wednesday 19 has none.
    assert [(c.day.day, c.part) for c in sheet.columns] == [
        (3, "am"), (5, "pm"), (10, "am"), (12, "pm"), (17, "am"), (24, "am"), (26, "pm"),
        (31, "am"),
    ]  # fmt: skip
    assert [c.present for c in sheet.columns] == [1, 0, 0, 1, 1, 2, 1, 0]
    assert [r.name for r in sheet.rows] == ["Berthod Anne", "Zufferey Jean-Marc"]
    berthod, zufferey = sheet.rows
    assert zufferey.marks == [PACT, NONE, MISSED, EXTRA, PACT, PACT, NONE, MISSED]
    assert (zufferey.expected, zufferey.attended, zufferey.half_days) == (5, 3, 4)
    assert zufferey.hours == pytest.approx(2 + 3 + 3 + 2.5)
    assert zufferey.rate_text == "60%"
    # Not accompanied before the 17th: nothing expected on Monday 3 or 10.
    assert berthod.marks == [NONE, NONE, NONE, NONE, NONE, EXTRA, PACT, NONE]
    assert (berthod.expected, berthod.attended, berthod.half_days) == (1, 1, 2)
    assert berthod.hours == pytest.approx(6)
    assert berthod.rate_text == "100%"

    assert (sheet.expected, sheet.attended, sheet.half_days) == (6, 4, 6)
    assert sheet.hours == pytest.approx(16.5)
    assert sheet.rate_text == "67%"
    assert sheet.open_half_days == 8
    assert sum(c.present for c in sheet.columns) == sheet.half_days
    assert sheet.media == [("Painting", 2), ("Sculpture", 1), ("not noted", 3)]
    assert (
        sheet.half_days
        == Presence.objects.filter(
            state=PresenceState.PRESENT, session__on__year=YEAR, session__on__month=MONTH
        ).count()
    )


def test_the_current_month_counts_until_today(cast: Cast, march, time_machine):
    """On Wednesday 12 March the Mondays 17, 24 and 31 are not missed: they are to come."""
    time_machine.move_to("2025-03-12 17:00 +01:00", tick=False)
    sheet = monthly_sheet(cast.programme, YEAR, MONTH)
    assert sheet.is_partial
    assert sheet.until == date(2025, 3, 12)
    assert [(c.day.day, c.part) for c in sheet.columns] == [
        (3, "am"),
        (5, "pm"),
        (10, "am"),
        (12, "pm"),
    ]
    assert [r.name for r in sheet.rows] == ["Zufferey Jean-Marc"]  # Anne comes on the 17th
    (row,) = sheet.rows
    assert (row.expected, row.attended, row.half_days) == (2, 1, 2)


def test_a_presence_on_a_session_cancelled_afterwards_keeps_its_column(cast: Cast, march):
    """rates.compute counts it as activity: the sheet shows it, so rows and columns agree."""
    session = march["sessions"][12, "pm"]
    session.cancelled = True
    session.save()
    sheet = monthly_sheet(cast.programme, YEAR, MONTH)
    assert (12, "pm") in [(c.day.day, c.part) for c in sheet.columns]
    assert sheet.open_half_days == 8
    assert sum(c.present for c in sheet.columns) == sheet.half_days == 6


def test_a_month_to_come_is_empty(cast: Cast, march, time_machine):
    time_machine.move_to("2025-02-20 10:00 +01:00", tick=False)
    sheet = monthly_sheet(cast.programme, YEAR, MONTH)
    assert sheet.rows == [] and sheet.columns == []


# -- the month view ----------------------------------------------------------------------------


def test_the_month_view_shows_the_sheet_its_legend_and_totals(cast: Cast, march):
    response = client(cast, "head").get(month_url(cast))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption" in html and "Presence per half-day, March 2025" in html
    assert 'scope="row"' in html and 'scope="colgroup"' in html
    assert "present, pact half-day" in html  # legend and hidden cell labels
    assert "Zufferey Jean-Marc" in html and "Berthod Anne" in html
    assert "Ancien" not in html
    assert "67%" in html and "16.5" in html
    assert sheet_url(cast, "pdf") in html and sheet_url(cast, "xlsx") in html
    assert month_url(cast, 2025, 2) in html and month_url(cast, 2025, 4) in html
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.filter(action=AuditAction.VIEW, object_type="presence.month").get()
    assert event.detail == {"year": 2025, "month": 3}
    assert event.programme_id == cast.programme.pk


def test_the_month_name_follows_the_language(cast: Cast, march):
    response = cast.client("head").get(month_url(cast))  # French by default
    assert "mars 2025" in response.content.decode()


@pytest.mark.parametrize("who", ["facilitator", "watcher"])
def test_the_team_sees_the_month_but_only_head_and_social_worker_download(cast: Cast, march, who):
    response = client(cast, who).get(month_url(cast))
    assert response.status_code == 200
    assert sheet_url(cast, "pdf") not in response.content.decode()
    assert client(cast, who).get(sheet_url(cast, "pdf")).status_code == 403
    assert client(cast, who).get(sheet_url(cast, "xlsx")).status_code == 403


def test_the_social_worker_downloads_the_sheet(cast: Cast, march):
    response = client(cast, "social_worker").get(sheet_url(cast, "xlsx"))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["referrer", "funder", "researcher"])
def test_roles_outside_the_team_get_403(cast: Cast, march, who):
    assert client(cast, who).get(month_url(cast)).status_code == 403
    assert client(cast, who).get(sheet_url(cast, "pdf")).status_code == 403


def test_another_organisation_gets_404(cast: Cast, march):
    other = client(cast, "other_head")
    assert other.get(month_url(cast)).status_code == 404
    assert other.get(sheet_url(cast, "pdf")).status_code == 404
    assert other.get(sheet_url(cast, "xlsx")).status_code == 404


def test_anonymous_is_sent_to_sign_in(cast: Cast):
    response = Client().get(month_url(cast))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(("year", "month"), [(2025, 13), (2025, 0), (1850, 3), (3000, 1)])
def test_an_impossible_month_is_a_404(cast: Cast, year, month):
    head = client(cast, "head")
    assert head.get(month_url(cast, year, month)).status_code == 404
    assert head.get(sheet_url(cast, "pdf", year, month)).status_code == 404


def test_an_unknown_format_is_a_404(cast: Cast):
    assert client(cast, "head").get(sheet_url(cast, "csv")).status_code == 404


def test_only_get(cast: Cast):
    head = client(cast, "head")
    assert head.post(month_url(cast)).status_code == 405
    assert head.post(sheet_url(cast, "pdf")).status_code == 405


def test_the_month_view_costs_a_constant_number_of_queries(
    cast: Cast, march, django_assert_max_num_queries
):
    head = cast.users["head"]
    s = march["sessions"]
    painting = Medium.objects.get(code="painting")

    def add_people(n: int, start: int) -> None:
        for i in range(start, start + n):
            p = refer(cast.programme, head, f"Nom{i:02d}", "Test").participant
            people.participant_admit(
                participant=p, on=date(2025, 1, 6), actor=Actor.of(head), override_capacity=True
            )
            people.pact_renegotiate(
                participant=p,
                valid_from=date(2025, 1, 6),
                half_days=["mon_am"],
                actor=Actor.of(head),
            )
            mark(s[3, "am"], p, time(9), medium=painting)
            mark(s[12, "pm"], p, time(13, 30))

    add_people(3, 0)
    c = client(cast, "head")
    c.get(month_url(cast))
    with django_assert_max_num_queries(30) as few:
        response = c.get(month_url(cast))
    assert len(response.context["sheet"].rows) == 5
    add_people(17, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = c.get(month_url(cast))
    assert len(response.context["sheet"].rows) == 22


# -- the files ---------------------------------------------------------------------------------


def _xlsx(cast: Cast, who: str = "head"):
    response = client(cast, who).get(sheet_url(cast, "xlsx"))
    assert response.status_code == 200
    return response, load_workbook(io.BytesIO(response.content))


def test_the_xlsx_totals_equal_the_page_and_the_presences(cast: Cast, march):
    page = client(cast, "head").get(month_url(cast)).context["sheet"]
    response, wb = _xlsx(cast)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="isa-presence-2025-03.xlsx"'
    assert "no-store" in response["Cache-Control"]
    ws = wb.worksheets[0]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0][0] == "ISA Sion · March 2025"
    header = next(r for r in values if r[0] == "Participant")
    assert header[1:4] == ["Mon 3 am", "Wed 5 pm", "Mon 10 am"]
    assert header[-5:] == ["Half-days present", "Hours", "Pact half-days", "Attended", "Rate"]
    rows = {r[0]: r for r in values if r[0] in ("Berthod Anne", "Zufferey Jean-Marc")}
    assert rows["Zufferey Jean-Marc"][1:9] == ["●", None, "·", "○", "●", "●", None, "·"]
    assert rows["Zufferey Jean-Marc"][-5:] == [4, 10.5, 5, 3, pytest.approx(3 / 5)]
    total = next(r for r in values if r[0] == "Total")
    assert total[1:9] == [c.present for c in page.columns]
    assert total[-5:] == [
        page.half_days,
        float(page.hours),
        page.expected,
        page.attended,
        pytest.approx(4 / 6),
    ]
    assert ws.cell(values.index(total) + 1, len(total)).number_format == "0%"
    present = Presence.objects.filter(
        state=PresenceState.PRESENT, session__on__year=YEAR, session__on__month=MONTH
    )
    assert total[-5] == sum(total[1:9]) == present.count() == 6
    media = [list(r) for r in wb.worksheets[1].iter_rows(values_only=True)]
    assert ["Painting", 2] in media and ["Sculpture", 1] in media and ["not noted", 3] in media
    assert ["Total", 6] in media
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.object_type == "presence.month"
    assert event.detail == {"format": "xlsx", "year": 2025, "month": 3}


def test_a_name_starting_with_a_formula_is_text_in_the_xlsx(cast: Cast, march):
    head = cast.users["head"]
    tricky = refer(cast.programme, head, '=HYPERLINK("http://evil.example","x")', "Eve")
    people.participant_admit(
        participant=tricky.participant, on=date(2025, 3, 3), actor=Actor.of(head)
    )
    mark(march["sessions"][3, "am"], tricky.participant, time(9))
    _response, wb = _xlsx(cast)
    ws = wb.worksheets[0]
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    names = [c.value for c in cells if c.column == 1]
    assert '\'=HYPERLINK("http://evil.example","x") Eve' in names


def test_the_pdf_shows_the_names_and_the_totals(cast: Cast, march):
    response = client(cast, "head").get(sheet_url(cast, "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="isa-presence-2025-03.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "ISA Sion · March 2025" in text
    assert "Zufferey Jean-Marc" in text and "Berthod Anne" in text
    assert "Ancien" not in text
    assert "16.5" in text and "67%" in text and "60%" in text
    assert "Generated on" in text
    assert reader.metadata.title == "ISA Sion · March 2025"
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).detail == {
        "format": "pdf",
        "year": 2025,
        "month": 3,
    }


def test_a_long_month_repeats_the_header_on_every_pdf_page(cast: Cast, march):
    head = cast.users["head"]
    for i in range(60):
        p = refer(cast.programme, head, f"Nom{i:02d}", "Test").participant
        people.participant_admit(
            participant=p, on=date(2025, 1, 6), actor=Actor.of(head), override_capacity=True
        )
    response = client(cast, "head").get(sheet_url(cast, "pdf"))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert "Participant" in page.extract_text()


# -- the layout of the PDF ---------------------------------------------------------------------


def open_every_half_day(cast: Cast, *, saturdays: bool) -> None:
    """Sessions on every weekday morning and afternoon of March 2025 (and Saturday mornings):
    the narrowest columns a sheet gets."""
    workshop = cast.session.workshop
    day = date(YEAR, MONTH, 1)
    while day.month == MONTH:
        parts = (
            ["am", "pm"]
            if day.weekday() < 5
            else ["am"]
            if saturdays and day.weekday() == 5
            else []
        )
        for part in parts:
            start = time(9) if part == "am" else time(13, 30)
            Session.objects.get_or_create(
                workshop=workshop,
                on=day,
                part=part,
                defaults={"starts_at": start, "ends_at": time(start.hour + 3)},
            )
        day += timedelta(days=1)


def header_runs(content: bytes, sheet) -> dict[str, list]:
    """The runs of the two header rows and of the total row, by what they show."""
    found = pdftext.runs(content)
    parts = {c.part_short for c in sheet.columns} | {part_letter("am"), part_letter("pm")}
    weekdays = {date_format(d.day, "D")[:n] for d in sheet.days for n in (2, 3)}
    return {
        "parts": [r for r in found if r.text in parts],
        "weekdays": [r for r in found if r.text in weekdays],
        "all": found,
    }


@pytest.mark.parametrize(("language", "saturdays"), [("fr", True), ("de", False), ("en", True)])
def test_no_two_labels_of_a_dense_sheet_overlap(cast: Cast, language: str, saturdays: bool):
    open_every_half_day(cast, saturdays=saturdays)
    with translation.override(language):
        sheet = monthly_sheet(cast.programme, YEAR, MONTH)
        content = sheet_pdf(sheet)
        runs = header_runs(content, sheet)
    assert len(sheet.columns) == (47 if saturdays else 42)
    # One half-day label per column, all on one line, each ending before the next begins.
    assert len(runs["parts"]) == len(sheet.columns)
    assert len({r.y for r in runs["parts"]}) == 1
    assert len(runs["weekdays"]) == len(sheet.days)
    assert pdftext.overlaps(runs["all"]) == []
    assert all(r.size >= 4.5 for r in runs["parts"] + runs["weekdays"])


def test_a_sheet_with_room_keeps_the_short_half_day_names(cast: Cast, march):
    with translation.override("fr"):
        sheet = monthly_sheet(cast.programme, YEAR, MONTH)
        content = sheet_pdf(sheet)
        runs = header_runs(content, sheet)
        short_names = [c.part_short for c in sheet.columns]
    assert [r.text for r in runs["parts"]] == short_names
    assert {"mat.", "a.-m."} <= {r.text for r in runs["parts"]}
    assert pdftext.overlaps(runs["all"]) == []


def test_a_dense_sheet_explains_its_half_day_letters(cast: Cast):
    open_every_half_day(cast, saturdays=True)
    with translation.override("fr"):
        sheet = monthly_sheet(cast.programme, YEAR, MONTH)
        text = PdfReader(io.BytesIO(sheet_pdf(sheet))).pages[0].extract_text()
    assert "m: matin, a: après-midi" in text
