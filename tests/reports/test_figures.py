"""The report's figures against the hand-computed fixture programme (tests/reports/fixture.py),
every section, internal and protected."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from isa.reports.figures import Period, check_period, report_build
from tests.reports import fixture

BUILT = date(2026, 1, 15)
YEAR = Period.year(2025)


@pytest.fixture
def programme(db):
    return fixture.build()


def stat(section: dict, key: str) -> dict:
    return next(s for s in section["stats"] if s["key"] == key)


def column(table: dict, j: int) -> list:
    return [row[j] for row in table["cells"]]


def test_activity_by_hand(programme):
    r = report_build(programme, YEAR, "en", protected=False, built_on=BUILT)
    people = r["tables"]["people"]
    # accompanied, admissions, returns, paused, exits, referrals, waiting start, end
    assert column(people, 1) == [6, 3, 1, 1, 2, 3, 1, 1]
    assert column(people, 0) == [2, 1, 0, 0, 0, 1, 0, 1]
    exits = r["tables"]["exits"]
    by_reason = dict(zip(exits["row_labels"], column(exits, 1), strict=True))
    assert by_reason["Health"] == 1 and by_reason["Own choice"] == 1
    assert exits["column_totals"] == [0, 2]
    referrals = r["tables"]["referrals"]
    assert dict(zip(referrals["row_labels"], column(referrals, 1), strict=True)) == {
        "CMS de Sion": 2,
        "Psychiatrie": 1,
    }
    activity = r["activity"]
    # days accompanied up to 31.12.2025: 61, 322, 334, 447, 945, 975
    assert stat(activity, "months_q2")["value"] == pytest.approx(390.5 / 30.4375, abs=1e-3)
    assert stat(activity, "months_q1")["value"] == pytest.approx(325 / 30.4375, abs=1e-3)
    assert stat(activity, "months_q3")["value"] == pytest.approx(820.5 / 30.4375, abs=1e-3)
    assert stat(activity, "waiting_days_median")["value"] == 30  # 30, 45, 30
    assert stat(activity, "half_days_held")["value"] == 3
    assert stat(activity, "half_days_held")["previous"] == 1
    assert stat(activity, "presence_half_days")["value"] == 6
    assert stat(activity, "hours")["value"] == 18.0
    assert stat(activity, "rate_median")["value"] == pytest.approx(2 / 3, abs=1e-3)
    assert column(r["tables"]["presence_rates"], 1) == [1, 1, 1]
    media = r["tables"]["media"]
    assert dict(zip(media["row_labels"], column(media, 1), strict=True)) == {
        "Painting": 4,
        "Drawing": 1,
        "Medium not noted": 1,
    }
    works = r["tables"]["works"]
    assert dict(zip(works["row_labels"], column(works, 1), strict=True)) == {
        "Painting": 2,
        "Drawing": 1,
    }
    assert stat(activity, "exhibitions")["value"] == 1
    assert stat(activity, "visitors")["value"] == 120
    assert stat(activity, "press")["value"] == 2
    assert r["empty"] is False


def test_effects_by_hand(programme):
    r = report_build(programme, YEAR, "en", protected=False, built_on=BUILT)
    (who5,) = r["effects"]["questionnaires"]
    changes = r["tables"][who5["tables"][0]]
    assert changes["column_labels"] == ["Previous period", "This period"]
    assert column(changes, 1) == [1, 1, 1]  # +40 better, +2 same, -60 worse (RCI 21.5)
    assert column(changes, 0) == [0, 0, 0]  # in 2024, P1 and P3 answered once each
    assert column(r["tables"][who5["tables"][1]], 1) == [3, 1, 1]  # twice, once, declined
    assert column(r["tables"][who5["tables"][1]], 0) == [0, 2, 0]
    assert who5["summary"] == (
        "Of 3 people who answered twice: 1 feels better in a reliable way, "
        "1 did not change reliably, 1 feels worse."
    )
    appendix = {s["key"]: s["value"] for s in who5["appendix"]}
    assert appendix["median_before"] == 50
    assert appendix["median_after"] == 52
    assert appendix["median_change"] == 2
    assert appendix["effect_size"] == 0  # ranks 2 (+40) + 1 (+2) against 3 (-60)
    grid = r["tables"]["grid_participant"]
    assert grid["cells"][0] == [0, 0, 0, 1, 1]  # isolation
    assert grid["row_totals"][0] == 2
    assert r["tables"]["perverse_participant"]["cells"][0] == [0, 1, 0, 0, 0]
    assert r["tables"]["grid_professional"]["cells"][0] == [0, 0, 1, 0, 0]


def test_health_by_hand_only_with_consent_in_force(programme):
    r = report_build(programme, YEAR, "en", protected=False, built_on=BUILT)
    health = r["health"]
    assert stat(health, "health_people")["value"] == 2  # P2 withdrew on 01.12.2025
    assert stat(health, "costs_before")["value"] == 8000  # (10000 + 6000) / 2
    assert stat(health, "costs_after")["value"] == 4500  # (4000 + 5000) / 2
    assert stat(health, "costs_change")["value"] == pytest.approx(-0.4375)
    assert stat(health, "hospital_before")["value"] == 30
    assert stat(health, "hospital_after")["value"] == 0
    assert stat(health, "emergency_before")["value"] == 2
    assert stat(health, "emergency_after")["value"] == 1
    meds = r["tables"]["medications"]
    assert meds["row_labels"] == ["Antidepressants"]
    assert meds["cells"] == [[1, 1, 0, 0]]  # stopped, reduced, same, increased
    # before the withdrawal, P2 counted
    earlier = report_build(programme, YEAR, "en", protected=False, built_on=date(2025, 11, 1))
    assert stat(earlier["health"], "health_people")["value"] == 3


def test_protected_version_hides_small_cells_and_statistics(programme):
    r = report_build(programme, YEAR, "en", protected=True, built_on=BUILT)
    people = r["tables"]["people"]
    assert people["cells"][0] == [None, 6]  # 2 people last year: hidden
    assert column(people, 1)[1:] == [None] * 7
    assert stat(r["activity"], "months_q2")["value"] is not None  # 6 people
    assert stat(r["activity"], "waiting_days_median")["hidden"] is True  # 3 people
    assert stat(r["activity"], "rate_median")["value"] is None
    assert stat(r["health"], "costs_before")["value"] is None
    (who5,) = r["effects"]["questionnaires"]
    assert "unprotected_summary" not in who5
    assert "fewer than 5" in who5["summary"]
    assert all(s["value"] is None for s in who5["appendix"])
    assert "3" not in who5["caution"] and "3" not in who5["summary"]
    assert "2" not in r["health"]["caution"]
    assert r["raw"] == {}
    # the exits total is the headline's: hidden in both places
    assert r["tables"]["exits"]["column_totals"][1] is None


def test_language_is_chosen_per_report(programme):
    r = report_build(programme, YEAR, "de", protected=False, built_on=BUILT)
    assert r["language"] == "de"
    assert r["tables"]["media"]["row_labels"][0] == "Malerei"


def test_a_period_with_no_data_says_so(programme):
    r = report_build(programme, Period.year(2010), "en", protected=True, built_on=BUILT)
    assert r["empty"] is True


@translation.override("en")
def test_period_checks():
    with pytest.raises(ValidationError, match="ends before it starts"):
        check_period(date(2025, 2, 1), date(2025, 1, 1))
    with pytest.raises(ValidationError, match="at most 5 years"):
        check_period(date(2020, 1, 1), date(2025, 1, 1))
    assert check_period(date(2020, 1, 1), date(2024, 12, 31)).days == 1827
    assert Period.year(2025).previous() == Period.year(2024)
    assert Period(date(2025, 3, 1), date(2025, 3, 31)).previous() == Period(
        date(2025, 1, 29), date(2025, 2, 28)
    )


def test_query_count_does_not_grow_with_the_data(programme, django_assert_num_queries):
    # 27 for this period and the previous one's activity, this period's effects and health;
    # + 2 for the previous period's questionnaires and health figures (one query each, with
    # whatever number of people): 29, the exact count, so that a new query is a decision
    with django_assert_num_queries(29) as small:
        report_build(programme, YEAR, "en", protected=True, built_on=BUILT)
    for _i in range(3):  # three more programmes' worth of data in the same programme
        other = fixture.build(f"Autre {_i}")
        for model in ("participants",):
            getattr(other, model).update(programme=programme)
    with django_assert_num_queries(len(small.captured_queries)):
        report_build(programme, YEAR, "en", protected=True, built_on=BUILT)


def test_cost_benefit_by_hand(programme):
    r = report_build(programme, YEAR, "en", protected=False, built_on=BUILT)
    cb = r["cost_benefit"]
    # 2 people: health costs 16000 -> 9000 a year (7000 saved); 30 -> 0 hospital days
    # valued at CHF 710 x 55 %; deadweight and attribution 0.3 each: x 0.49.
    years = 1
    assert cb["outcomes"][0]["quantity"] == 7000
    assert cb["outcomes"][1]["quantity"] == 30
    central = (7000 + 30 * 710 * 0.55) * years * 0.49
    assert cb["value"]["central"] == pytest.approx(central, abs=0.01)
    assert cb["ratio"]["central"] == pytest.approx(central / (60000 * years), abs=0.01)
    assert cb["ratio"]["low"] < cb["ratio"]["central"] < cb["ratio"]["high"]
    assert "no comparison group" in cb["limits"]
    # protected: two people are too few to value anything
    protected = report_build(programme, YEAR, "en", protected=True, built_on=BUILT)
    assert protected["cost_benefit"]["hidden"] is True
    assert protected["cost_benefit"]["outcomes"] == []


@translation.override("en")
def test_a_proxy_without_source_or_with_a_negative_cost_is_refused():
    from isa.reports.costbenefit import default_proxies, parse_proxies

    assert default_proxies()["psychiatric_clinic_day"].year == 2022
    good = '{"code": "x", "value": 1, "low": 1, "high": 2, "year": 2022, "source": "FSO"}'
    assert parse_proxies(f'{{"proxies": [{good}]}}')["x"].value == 1
    with pytest.raises(ValidationError, match="no source"):
        parse_proxies('{{"proxies": [{}]}}'.format(good.replace('"FSO"', '""')))
    with pytest.raises(ValidationError, match="negative cost"):
        parse_proxies('{{"proxies": [{}]}}'.format(good.replace('"value": 1', '"value": -5')))
