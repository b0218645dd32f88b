"""The pages: results of a person and of the group, the file panel; their query counts stay
constant whatever the number of people and questionnaires."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from isa.core.actor import Actor
from isa.core.models import AuditEvent
from isa.evaluation import services
from isa.evaluation.catalogue import choice_for
from isa.evaluation.models import PeriodKind
from isa.people import services as people
from tests.conftest import Cast, refer
from tests.evaluation.conftest import give_health_consent

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
ENTRY = date(2024, 3, 4)


def _person(cast: Cast, index: int):
    p = refer(cast.programme, cast.users["head"], f"Personne{index}", "Alex").participant
    people.participant_admit(participant=p, on=ENTRY, actor=cast.actor("head"))
    p.refresh_from_db()
    return p


def _data(cast: Cast, participants) -> None:
    sw = cast.users["social_worker"]
    for i, p in enumerate(participants):
        for code, answers in (
            ("who5", dict.fromkeys(range(1, 6), 2)),
            ("rses", dict.fromkeys(range(1, 11), 1)),
        ):
            choice = choice_for(cast.programme, code)
            for k, on in enumerate((date(2024, 3, 10), date(2024, 9, 10))):
                better = {n: min(v + k + (i % 2), 3) for n, v in answers.items()}
                services.administration_enter_paper(
                    participant=p, choice=choice, on=on, answers=better, actor=Actor.of(sw)
                )
        give_health_consent(cast, p)
        services.health_period_record(
            participant=p,
            kind=PeriodKind.BASELINE,
            starts_on=ENTRY - timedelta(days=365),
            ends_on=ENTRY - timedelta(days=1),
            costs_chf=Decimal(10000 + i * 500),
            actor=Actor.of(sw),
        )
        services.health_period_record(
            participant=p,
            kind=PeriodKind.FOLLOW_UP,
            starts_on=date(2024, 3, 4),
            ends_on=date(2025, 3, 3),
            costs_chf=Decimal(5000 + i * 200),
            hospital_days=2,
            medications={"antidepressants": "reduced"},
            actor=Actor.of(sw),
        )


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **EN)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_stay_constant(cast: Cast):
    client = cast.client("social_worker")
    first = [cast.participant, _person(cast, 1)]
    _data(cast, first)
    urls = {
        "group": reverse("evaluation_group", args=[cast.programme.pk]),
        "person": reverse("evaluation_person", args=[cast.programme.pk, cast.participant.pk]),
        "file": cast.participant.get_absolute_url(),
    }
    small = {k: _count(client, u) for k, u in urls.items()}
    more = [_person(cast, i) for i in range(2, 8)]
    _data(cast, more)
    # More questionnaires for the same person too.
    services.administration_enter_paper(
        participant=cast.participant,
        choice=choice_for(cast.programme, "who5"),
        on=date(2025, 1, 10),
        answers=dict.fromkeys(range(1, 6), 3),
        actor=cast.actor("social_worker"),
    )
    large = {k: _count(client, u) for k, u in urls.items()}
    assert large == small, (small, large)
    assert small["group"] <= 14 and small["person"] <= 15 and small["file"] <= 32


def test_group_page_is_anonymous_honest_and_audited(cast: Cast):
    participants = [cast.participant] + [_person(cast, i) for i in range(1, 4)]
    _data(cast, participants)
    response = cast.client("head").get(reverse("evaluation_group", args=[cast.programme.pk]), **EN)
    content = response.content.decode()
    assert response.status_code == 200
    for p in participants:
        assert p.last_name not in content
    # Every result has its caution; small counts are counts, not percentages.
    assert content.count('class="eval-caution"') == 4  # WHO-5, Rosenberg, costs, counts
    assert "of 4" in content
    chart = reverse("evaluation_group_chart", args=[cast.programme.pk, "who5", 0, "distribution"])
    assert f'src="{chart}"' in content
    assert "Wilcoxon" in content
    assert "−" in content  # the cost change, with a true minus sign
    assert AuditEvent.objects.filter(
        action="view", object_type="evaluation.group", programme_id=cast.programme.pk
    ).exists()


def test_person_page_shows_trajectories_and_the_reliable_change(cast: Cast):
    _data(cast, [cast.participant])
    url = reverse("evaluation_person", args=[cast.programme.pk, cast.participant.pk])
    content = cast.client("social_worker").get(url, **EN).content.decode()
    assert "data:image/svg+xml" in content
    assert "WHO-5 Well-Being Index" in content
    assert "reliable" in content or "no reliable change" in content
    assert AuditEvent.objects.filter(
        action="view", object_type="people.participant", detail__page="evaluation"
    ).exists()


def test_file_panel_suggests_gently(cast: Cast):
    content = cast.client("social_worker").get(cast.participant.get_absolute_url(), **EN)
    text = content.content.decode()
    assert "A suggestion: a first questionnaire could be offered" in text
    assert "Offer a questionnaire" in text


def test_the_suggestion_never_says_overdue(cast: Cast, time_machine):
    """Six months after the last offer, the file invites; it never counts days late."""
    time_machine.move_to(date(2024, 3, 20))
    choice = choice_for(cast.programme, "who5")
    services.administration_decline(
        participant=cast.participant, choice=choice, on=date(2024, 3, 20), actor=cast.actor("head")
    )
    url = cast.participant.get_absolute_url()
    time_machine.move_to(date(2024, 5, 1))  # (a fresh sign-in each time: sessions expire idle)
    text = cast.client("social_worker").get(url, **EN).content.decode()
    assert "could be offered from around 18.09.2024" in text
    time_machine.move_to(date(2026, 1, 5))
    text = cast.client("social_worker").get(url, **EN).content.decode()
    assert "whenever it suits the person (the last one was offered on 20.03.2024)" in text
    assert "overdue" not in text.lower()


def test_group_page_sets_the_bands_beside_a_reference_population(cast: Cast):
    """An organisation's copy of the OSSS-3 with the Swiss figures: the group's bands at the
    first and latest answer stand beside the population's shares."""
    from importlib import resources

    text = (resources.files("isa.evaluation.instruments") / "data" / "osss3.toml").read_text()
    text = text.replace('version = "2006"', 'version = "2006-ch"') + (
        "\n[reference]\n"
        'source = "An invented survey for the test."\n'
        'label = { fr = "Population (test)", de = "Bevölkerung (Test)", '
        'en = "Population (test)" }\n'
        "\n[reference.shares]\npoor = 0.2\nmoderate = 0.5\nstrong = 0.3\n"
    )
    row = services.instrument_load(programme=cast.programme, text=text, actor=cast.actor("head"))
    choice = choice_for(cast.programme, f"org{row.pk}")
    sw = cast.users["social_worker"]
    for i, p in enumerate([cast.participant] + [_person(cast, i) for i in range(1, 4)]):
        for on, answers in (
            (date(2024, 3, 10), {1: 1, 2: 2, 3: 2}),
            (date(2024, 9, 10), {1: 3, 2: 4, 3: 3 + i % 2}),
        ):
            services.administration_enter_paper(
                participant=p, choice=choice, on=on, answers=answers, actor=Actor.of(sw)
            )
    content = (
        cast.client("head")
        .get(reverse("evaluation_group", args=[cast.programme.pk]), **EN)
        .content.decode()
    )
    assert "Where the people stand, by band" in content
    assert "Population (test)" in content and "An invented survey for the test." in content
    assert "20 %" in content and "50 %" in content and "30 %" in content
    # 5 at first (poor) for all four; latest 10 or 11 (moderate): counts, not percentages
    assert content.count("4 of 4") >= 2


def test_group_health_figures_are_per_12_months_and_leave_short_periods_out(cast: Cast):
    """A 3-month follow-up is brought to 12 months like the costs; a 17-day period is never
    multiplied up: it is left out and the 12-month one before it is compared instead."""
    from isa.evaluation.models import HealthPeriod
    from isa.evaluation.results import health_results

    sw = cast.users["social_worker"]
    second = _person(cast, 1)

    def period(p, kind, starts_on, ends_on, hospital_days, emergency_visits):
        services.health_period_record(
            participant=p,
            kind=kind,
            starts_on=starts_on,
            ends_on=ends_on,
            hospital_days=hospital_days,
            emergency_visits=emergency_visits,
            actor=Actor.of(sw),
        )

    for p in (cast.participant, second):
        give_health_consent(cast, p)
    baseline = (date(2023, 3, 4), date(2024, 3, 3))  # 366 days (a leap year): 12 months
    period(cast.participant, PeriodKind.BASELINE, *baseline, 12, 4)
    period(cast.participant, PeriodKind.FOLLOW_UP, date(2024, 3, 4), date(2024, 6, 2), 3, 1)
    period(second, PeriodKind.BASELINE, *baseline, 10, 2)
    period(second, PeriodKind.FOLLOW_UP, date(2024, 3, 4), date(2025, 3, 3), 5, 1)
    period(second, PeriodKind.FOLLOW_UP, date(2025, 3, 4), date(2025, 3, 20), 2, 1)  # 17 days

    health = health_results(HealthPeriod.objects.filter(programme=cast.programme))
    assert health.people == 2
    assert health.hospital_people == 2 and health.emergency_people == 2
    assert health.hospital_before == 22 and health.emergency_before == 6
    # 3 days and 1 visit in 91 days → 12.03 and 4.01 per 12 months; the 12-month period as is
    assert round(health.hospital_after, 2) == round(3 * 365 / 91 + 5, 2)
    assert round(health.emergency_after, 2) == round(365 / 91 + 1, 2)

    content = (
        cast.client("head")
        .get(reverse("evaluation_group", args=[cast.programme.pk]), **EN)
        .content.decode()
    )
    assert "periods shorter than 90 days are left out" in content
    assert "<td>22</td><td>17.0</td>" in content
    assert "<td>6</td><td>5.0</td>" in content


def test_group_page_names_the_test_method_in_words(cast: Cast):
    import re

    from django.utils import translation

    from isa.evaluation.results import wilcoxon_method_label

    with translation.override("en"):
        assert wilcoxon_method_label("exact") == "exact test"
        assert wilcoxon_method_label("permutation") == "exact, with ties (permutation)"
        assert wilcoxon_method_label("none") == "not computed"
    _data(cast, [cast.participant] + [_person(cast, i) for i in range(1, 4)])
    content = (
        cast.client("head")
        .get(reverse("evaluation_group", args=[cast.programme.pk]), **EN)
        .content.decode()
    )
    methods = re.findall(r"p = [0-9.]+ <span class=\"muted\">\((.*?)\)</span>", content)
    assert methods, "the p-values are shown with their method"
    assert set(methods) <= {"exact test", "exact, with ties (permutation)"}
    assert "(exact)" not in content and "(permutation)</span>" not in content
