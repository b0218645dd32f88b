"""Scoring of each shipped instrument on examples worked by hand from the published rules."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isa.evaluation.instruments import InstrumentError, get_instrument, shipped_instruments


def test_the_five_instruments_are_shipped_in_order():
    assert [i.code for i in shipped_instruments()] == ["who5", "djg6", "rses", "osss3", "gse"]
    for instrument in shipped_instruments():
        assert instrument.source and instrument.licence
        assert instrument.primary in instrument.scores


def test_get_instrument_by_code_and_version():
    assert get_instrument("who5").version == "1998"
    assert get_instrument("who5", "1998").code == "who5"
    with pytest.raises(KeyError):
        get_instrument("phq9")
    with pytest.raises(KeyError):
        get_instrument("who5", "2024")


# --- WHO-5: raw 0–25, × 4 → 0–100, no missing answer allowed --------------------------------


def test_who5_sum_times_four():
    who5 = get_instrument("who5")
    result = who5.score({1: 3, 2: 4, 3: 2, 4: 1, 5: 3})  # 3+4+2+1+3 = 13
    assert result.results["raw"].value == 13
    assert result.primary.value == 52
    assert result.primary.band.code == "not_low"
    assert result.results["raw"].band.code == "not_low"
    assert result.complete and result.scorable and not result.signal


def test_who5_raw_below_13_is_low_and_at_most_7_raises_the_signal():
    who5 = get_instrument("who5")
    low = who5.score({1: 2, 2: 2, 3: 3, 4: 2, 5: 3})  # 12 → 48
    assert (low.results["raw"].value, low.primary.value) == (12, 48)
    assert low.primary.band.code == "low" and not low.signal
    seven = who5.score({1: 1, 2: 1, 3: 2, 4: 1, 5: 2})  # 7 → 28
    assert (seven.results["raw"].value, seven.primary.value) == (7, 28)
    assert seven.primary.band.code == "very_low" and seven.signal
    eight = who5.score({1: 2, 2: 1, 3: 2, 4: 1, 5: 2})
    assert eight.results["raw"].value == 8 and not eight.signal


def test_who5_extremes():
    who5 = get_instrument("who5")
    assert who5.score(dict.fromkeys(range(1, 6), 0)).primary.value == 0
    assert who5.score(dict.fromkeys(range(1, 6), 5)).primary.value == 100


def test_who5_one_missing_answer_gives_no_score():
    who5 = get_instrument("who5")
    result = who5.score({1: 5, 2: 5, 3: 5, 4: 5, 5: None})
    assert result.primary.value is None and result.results["raw"].value is None
    assert result.primary.missing == 1 and result.primary.answered == 4
    assert not result.complete and not result.scorable and not result.signal
    assert result.as_json() == {
        "scores": {"percent": None, "raw": None},
        "bands": {"percent": None, "raw": None},
        "complete": False,
        "scorable": False,
        "signal": False,
    }


def test_who5_low_answers_with_one_missing_do_not_raise_the_signal():
    who5 = get_instrument("who5")
    assert not who5.score({1: 0, 2: 0, 3: 0, 4: 0}).signal


# --- De Jong Gierveld 6: dichotomous scoring -------------------------------------------------
YES, MORE_OR_LESS, NO = 1, 2, 3


def test_djg_emotional_yes_and_more_or_less_score_one_social_no_and_more_or_less_score_one():
    djg = get_instrument("djg6")
    result = djg.score({1: YES, 2: MORE_OR_LESS, 3: NO, 4: YES, 5: MORE_OR_LESS, 6: NO})
    # emotional: 1 + 1 + 0 = 2; social: 0 + 1 + 1 = 2
    assert result.results["emotional"].value == 2
    assert result.results["social"].value == 2
    assert result.primary.value == 4
    assert result.primary.band.code == "moderate"


@pytest.mark.parametrize(
    ("answers", "emotional", "social", "band"),
    [
        ([NO, NO, NO, YES, YES, YES], 0, 0, "not_lonely"),
        ([YES, YES, YES, NO, NO, NO], 3, 3, "severe"),
        ([NO, NO, NO, NO, NO, NO], 0, 3, "moderate"),
        ([YES, YES, YES, YES, YES, YES], 3, 0, "moderate"),
        ([MORE_OR_LESS] * 6, 3, 3, "severe"),
        ([NO, YES, NO, YES, YES, YES], 1, 0, "not_lonely"),
        ([YES, YES, NO, NO, NO, YES], 2, 2, "moderate"),
        ([YES, YES, YES, NO, NO, YES], 3, 2, "severe"),
    ],
)
def test_djg_worked_examples(answers, emotional, social, band):
    result = get_instrument("djg6").score(dict(enumerate(answers, start=1)))
    assert result.results["emotional"].value == emotional
    assert result.results["social"].value == social
    assert result.primary.value == emotional + social
    assert result.primary.band.code == band


def test_djg_a_missing_emotional_item_keeps_the_social_subscale_only():
    result = get_instrument("djg6").score({1: YES, 3: YES, 4: NO, 5: NO, 6: MORE_OR_LESS})
    assert result.results["emotional"].value is None
    assert result.results["emotional"].missing == 1
    assert result.results["social"].value == 3
    assert result.primary.value is None and not result.scorable


# --- Rosenberg: 0–3, items 2, 5, 6, 8, 9 reversed --------------------------------------------
SA, A, D, SD = 3, 2, 1, 0
REVERSED = (2, 5, 6, 8, 9)


def _rses(positive, negative):
    return {n: (negative if n in REVERSED else positive) for n in range(1, 11)}


@pytest.mark.parametrize(
    ("positive", "negative", "total", "band"),
    [
        (SA, SD, 30, "higher"),  # 5×3 + 5×3
        (SD, SA, 0, "lower"),
        (SA, SA, 15, "usual"),  # 5×3 + 5×0
        (SD, SD, 15, "usual"),  # 5×0 + 5×3
        (A, D, 20, "usual"),  # 5×2 + 5×2
        (D, A, 10, "lower"),  # 5×1 + 5×1
        (A, A, 15, "usual"),  # 5×2 + 5×1
    ],
)
def test_rosenberg_worked_examples(positive, negative, total, band):
    result = get_instrument("rses").score(_rses(positive, negative))
    assert result.primary.value == total
    assert result.primary.band.code == band


def test_rosenberg_reversed_items_are_exactly_2_5_6_8_9():
    rses = get_instrument("rses")
    assert tuple(item.number for item in rses.items if item.reverse) == REVERSED
    item2, item1 = rses.item(2), rses.item(1)
    assert [rses.points(item2, v) for v in (SA, A, D, SD)] == [0, 1, 2, 3]
    assert [rses.points(item1, v) for v in (SA, A, D, SD)] == [3, 2, 1, 0]


def test_rosenberg_below_15_is_called_lower_self_esteem():
    from django.utils import translation

    result = get_instrument("rses").score({n: 1 if n not in REVERSED else 2 for n in range(1, 11)})
    assert result.primary.value == 10
    with translation.override("en"):
        assert result.primary.band.label == "Lower self-esteem"


def test_rosenberg_missing_answer_gives_no_score():
    answers = _rses(A, D)
    del answers[4]
    assert get_instrument("rses").score(answers).primary.value is None


# --- OSSS-3: 3–14 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ({1: 1, 2: 1, 3: 1}, 3, "poor"),
        ({1: 2, 2: 3, 3: 3}, 8, "poor"),
        ({1: 2, 2: 4, 3: 3}, 9, "moderate"),
        ({1: 3, 2: 4, 3: 4}, 11, "moderate"),
        ({1: 3, 2: 5, 3: 4}, 12, "strong"),
        ({1: 4, 2: 5, 3: 5}, 14, "strong"),
    ],
)
def test_osss3_worked_examples(answers, total, band):
    result = get_instrument("osss3").score(answers)
    assert result.primary.value == total
    assert result.primary.band.code == band


def test_osss3_no_missing_answer_allowed_and_item_1_stops_at_4():
    osss = get_instrument("osss3")
    assert osss.score({1: 4, 2: 5}).primary.value is None
    assert not osss.accepts(1, 5)
    assert osss.accepts(2, 5)


# --- GSE: 10–40, mean × 10 with at most 3 missing -------------------------------------------


def test_gse_complete_sum():
    result = get_instrument("gse").score(dict(enumerate([3, 3, 2, 4, 3, 3, 2, 3, 4, 3], start=1)))
    assert result.primary.value == 30
    assert result.primary.band is None  # no published cut-offs


def test_gse_three_missing_answers_are_prorated():
    answers = {1: 4, 2: 3, 3: 3, 4: 2, 5: 4, 6: 3, 7: 3, 8: None, 9: None}
    result = get_instrument("gse").score(answers)  # 22 / 7 × 10
    assert result.primary.value == pytest.approx(220 / 7, abs=1e-6)
    assert result.primary.missing == 3
    assert result.scorable and not result.complete


def test_gse_four_missing_answers_give_no_score():
    result = get_instrument("gse").score({1: 4, 2: 3, 3: 3, 4: 2, 5: 4, 6: 3})
    assert result.primary.value is None
    assert result.primary.missing == 4


# --- answers outside the scale ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "answers"),
    [
        ("who5", {1: 6}),
        ("who5", {1: -1}),
        ("djg6", {1: 0}),
        ("rses", {1: 4}),
        ("osss3", {1: 5}),
        ("gse", {1: 0}),
        ("who5", {1: True}),
        ("who5", {1: 2.5}),
        ("who5", {1: "3"}),
    ],
)
def test_answers_outside_the_scale_are_rejected(code, answers):
    with pytest.raises(InstrumentError) as caught:
        get_instrument(code).score(answers)
    assert len(caught.value.errors) == 1


def test_unknown_question_numbers_are_rejected_with_every_problem():
    with pytest.raises(InstrumentError) as caught:
        get_instrument("who5").score({0: 1, 6: 1, 2: 9})
    assert len(caught.value.errors) == 3


def test_options_are_ordered_and_labelled_in_the_active_language():
    from django.utils import translation

    who5 = get_instrument("who5")
    with translation.override("de"):
        options = who5.options_for(who5.items[0])
        assert options[0].label == "Die ganze Zeit"
        assert who5.title == "WHO-5-Fragebogen zum Wohlbefinden"
    with translation.override("fr"):
        assert [o.value for o in who5.options_for(1)] == [5, 4, 3, 2, 1, 0]
        assert who5.items[0].text.startswith("Je me suis senti")
    with translation.override("en"):
        assert who5.items[4].text == "My daily life has been filled with things that interest me."


def test_every_shipped_text_exists_in_the_three_languages():
    for instrument in shipped_instruments():
        for language in ("fr", "de", "en"):
            assert instrument.titles.get(language)
            for item in instrument.items:
                assert item.texts.get(language)
                for option in instrument.options_for(item):
                    assert option.labels.get(language)
            for score in instrument.scores:
                assert score.labels.get(language)
                for band in score.bands:
                    assert band.labels.get(language)


def test_every_shipped_headline_score_has_a_documented_reliability_and_sd():
    for instrument in shipped_instruments():
        primary = instrument.primary
        assert 0 < primary.reliability < 1
        assert primary.sd > 0
        assert "Default" in primary.reliability_source
        assert primary.sd_source


# --- properties -------------------------------------------------------------------------------


@st.composite
def answer_sets(draw):
    instrument = draw(st.sampled_from(shipped_instruments()))
    answers = {}
    for item in instrument.items:
        values = [o.value for o in instrument.options_for(item)]
        answers[item.number] = draw(st.one_of(st.none(), st.sampled_from(values)))
    return instrument, answers


@settings(max_examples=300, deadline=None)
@given(answer_sets())
def test_every_score_lies_within_its_range_and_its_band(case):
    instrument, answers = case
    result = instrument.score(answers)
    for code, score_result in result.results.items():
        score = instrument.score_by_code(code)
        assert score_result.answered + score_result.missing == len(score.items)
        if score_result.value is None:
            assert score_result.missing > score.max_missing or score_result.answered == 0
        else:
            assert score.minimum <= score_result.value <= score.maximum
            if score.bands and score_result.value == int(score_result.value):
                assert score_result.band is not None
    assert result.complete == all(v is not None for v in answers.values())


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([0, 1, 2, 3]), min_size=10, max_size=10))
def test_rosenberg_mirrored_answers_give_the_mirrored_total(values):
    rses = get_instrument("rses")
    answers = dict(enumerate(values, start=1))
    mirrored = {n: 3 - v for n, v in answers.items()}
    assert rses.score(answers).primary.value + rses.score(mirrored).primary.value == 30


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_reversing_an_item_twice_is_the_identity_and_keeps_the_points(data):
    instrument = data.draw(st.sampled_from(shipped_instruments()))
    item = data.draw(st.sampled_from(instrument.items))
    options = instrument.options_for(item)
    straight = [o.points for o in options]
    scored = [instrument.points(item, o.value) for o in options]
    if item.reverse:
        assert scored == straight[::-1]
    else:
        assert scored == straight
    assert sorted(scored) == sorted(straight)
