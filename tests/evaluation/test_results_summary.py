"""The group results page a head can read: a summary in plain words first, the statistics
folded below with a sentence for each, and a page light enough for a phone."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from isa.core.models import Programme, User
from isa.evaluation import services
from isa.evaluation.catalogue import choice_for
from isa.people import services as people
from tests.conftest import Cast, refer

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ENTRY = date(2024, 3, 4)


def _who5_twice(cast: Cast, name: str, first: int, latest: int) -> None:
    """A person whose five WHO-5 answers are all ``first``, then all ``latest``."""
    p = refer(cast.programme, cast.users["head"], name, "Alex").participant
    people.participant_admit(participant=p, on=ENTRY, actor=cast.actor("head"))
    p.refresh_from_db()
    for value, on in ((first, date(2024, 3, 10)), (latest, date(2024, 9, 10))):
        services.administration_enter_paper(
            participant=p,
            choice=choice_for(cast.programme, "who5"),
            on=on,
            answers=dict.fromkeys(range(1, 6), value),
            actor=cast.actor("social_worker"),
        )


@pytest.fixture
def three_people(cast: Cast) -> str:
    # WHO-5 in percent: 20 → 80 (reliably better), 60 → 60 (same), 80 → 20 (reliably worse).
    _who5_twice(cast, "Premier", 1, 4)
    _who5_twice(cast, "Deuxieme", 3, 3)
    _who5_twice(cast, "Troisieme", 4, 1)
    return reverse("evaluation_group", args=[cast.programme.pk])


def test_the_page_opens_with_a_summary_in_plain_words(cast: Cast, three_people: str):
    content = cast.client("head").get(three_people, **EN).content.decode()
    sentence = (
        "Of 3 people who answered twice: 1 feels better in a reliable way, "
        "1 did not change reliably, 1 feels worse."
    )
    assert sentence in content
    # The summary comes before any statistic, and the statistics are folded.
    start = content.index('<details class="eval-statistics"')
    assert content.index(sentence) < start
    assert start < content.index("Wilcoxon signed-rank test")
    assert content.index("Wilcoxon signed-rank test") < content.index("</details>", start)


def test_the_summary_is_in_the_readers_language(cast: Cast, three_people: str):
    french = cast.client("head").get(three_people, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Sur 3 personnes ayant répondu deux fois" in french
    german = cast.client("head").get(three_people, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Von 3 Personen, die zweimal geantwortet haben" in german


def test_every_statistic_is_explained_for_a_non_statistician(cast: Cast, three_people: str):
    content = cast.client("head").get(three_people, **EN).content.decode()
    start = content.index('<details class="eval-statistics"')
    folded = content[start : content.index("</details>", start)]
    for term in ("Median change", "Wilcoxon signed-rank test", "Effect size (rank-biserial)"):
        assert term in folded
    assert folded.count('class="eval-why"') >= 7
    assert "says nothing about how large or how important the change is" in folded
    assert "measurement error alone" in folded


def test_the_charts_are_images_of_their_own_with_words_for_screen_readers(
    cast: Cast, three_people: str
):
    client = cast.client("head")
    content = client.get(three_people, **EN).content.decode()
    assert "data:image/svg+xml" not in content
    sources = re.findall(r'<img class="eval-chart-img" src="([^"]+)" alt="([^"]+)"', content)
    assert {src.rsplit("/", 1)[1] for src, _alt in sources} == {
        "distribution.svg",
        "categories.svg",
    }
    assert any("1 improved" in alt for _src, alt in sources)
    for src, _alt in sources:
        response = client.get(src, **EN)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert response.content.lstrip().startswith(b"<svg")


def test_a_chart_of_a_questionnaire_nobody_answered_twice_is_not_found(cast: Cast, three_people):
    url = reverse("evaluation_group_chart", args=[cast.programme.pk, "rses", 0, "distribution"])
    assert cast.client("head").get(url).status_code == 404
    url = reverse("evaluation_group_chart", args=[cast.programme.pk, "who5", 0, "pie"])
    assert cast.client("head").get(url).status_code == 404


def test_a_chart_follows_the_scope_of_the_page(cast: Cast, three_people: str):
    url = reverse("evaluation_group_chart", args=[cast.programme.pk, "who5", 0, "categories"])
    assert cast.client("facilitator").get(url).status_code == 403
    assert cast.client("other_head").get(url).status_code == 404


@pytest.fixture
def demo(db) -> tuple[Client, Programme]:
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    client = Client()
    client.force_login(User.objects.get(email="claire.favre@demo.isa.example"))
    return client, Programme.objects.get(name="ISA Sion")


def test_the_demo_group_results_weigh_less_than_100_kb(demo):
    client, programme = demo
    response = client.get(reverse("evaluation_group", args=[programme.pk]))
    assert response.status_code == 200
    assert len(response.content) < 100_000, f"{len(response.content)} bytes"
    assert "<details" in response.content.decode()
