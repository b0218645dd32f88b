"""Instrument files: the shipped ones load; every kind of bad file is refused with its reason."""

from datetime import date

import pytest
from django.utils import translation

from isa.evaluation.instruments import InstrumentError, parse_instrument, shipped_instruments

VALID = """
format = 1
code = "mini"
version = "1"
source = "Invented for the tests."
licence = "Public domain."
reverse = [2]

[title]
fr = "Mini"
de = "Mini"
en = "Mini"

[description]
fr = "Deux questions."
de = "Zwei Fragen."
en = "Two questions."

[scales.agree]
options = [
  { value = 0, fr = "Non", de = "Nein", en = "No" },
  { value = 1, fr = "Un peu", de = "Etwas", en = "A little" },
  { value = 2, fr = "Oui", de = "Ja", en = "Yes" },
]

[[items]]
number = 1
scale = "agree"
fr = "Je vais bien."
de = "Es geht mir gut."
en = "I am well."

[[items]]
number = 2
scale = "agree"
fr = "Je suis fatigué."
de = "Ich bin müde."
en = "I am tired."

[[scores]]
code = "total"
primary = true
label = { fr = "Total", de = "Total", en = "Total" }
rule = "sum"
minimum = 0
maximum = 4
higher_is_better = true
reliability = 0.8
reliability_source = "Invented."
sd = 1
sd_source = "Invented."
bands = [
  { code = "low", low = 0, high = 1, fr = "Bas", de = "Tief", en = "Low" },
  { code = "high", low = 2, high = 4, fr = "Haut", de = "Hoch", en = "High" },
]
"""


def errors_of(text):
    with translation.override("en"), pytest.raises(InstrumentError) as caught:
        parse_instrument(text)
    return caught.value.errors


def test_the_valid_example_loads_and_scores():
    instrument = parse_instrument(VALID)
    assert instrument.code == "mini" and instrument.version == "1"
    assert instrument.score({1: 2, 2: 0}).primary.value == 4
    assert instrument.score({1: 2, 2: 0}).primary.band.code == "high"
    assert instrument.to_text() == VALID


def test_bytes_are_accepted():
    assert parse_instrument(VALID.encode()).code == "mini"


def test_every_shipped_file_reloads_from_its_text():
    for instrument in shipped_instruments():
        again = parse_instrument(instrument.to_text())
        assert again == instrument


def test_not_toml():
    [error] = errors_of("code = ")
    assert error.startswith("The file is not valid TOML")


def test_not_utf8():
    [error] = errors_of("code = 'é'".encode("latin-1"))
    assert error == "The file is not UTF-8 text."


@pytest.mark.parametrize("field", ["code", "version", "source", "licence"])
def test_missing_top_field(field):
    text = "\n".join(line for line in VALID.splitlines() if not line.startswith(f"{field} ="))
    assert f"The questionnaire: the field “{field}” is missing." in errors_of(text)


def test_missing_title():
    text = VALID.replace('[title]\nfr = "Mini"\nde = "Mini"\nen = "Mini"\n', "")
    assert "The title: texts in French, German and English are missing." in errors_of(text)


def test_text_missing_in_one_language():
    text = VALID.replace('de = "Es geht mir gut."\n', "")
    assert errors_of(text) == ["Question 1 has no text in German."]


def test_scale_option_without_a_label_in_a_language():
    text = VALID.replace(
        '{ value = 1, fr = "Un peu", de = "Etwas", en = "A little" }',
        '{ value = 1, fr = "Un peu", en = "A little" }',
    )
    assert errors_of(text) == ["Scale “agree”, option 2 has no text in German."]


def test_duplicate_scale_values():
    text = VALID.replace("value = 2,", "value = 1,")
    assert "Scale “agree”, option 3: the value 1 appears twice in the scale." in errors_of(text)


def test_reverse_item_that_does_not_exist():
    text = VALID.replace("reverse = [2]", "reverse = [2, 7]")
    assert errors_of(text) == ["Question 7 is marked as reverse-scored but does not exist."]


def test_duplicate_item_numbers():
    text = VALID.replace("number = 2", "number = 1")
    errors = errors_of(text)
    assert "The question number 1 is used twice." in errors


def test_item_numbers_with_a_gap():
    text = VALID.replace("number = 2", "number = 3").replace("reverse = [2]", "reverse = [3]")
    assert "Questions must be numbered 1, 2, 3… without gaps." in errors_of(text)


def test_item_with_an_undefined_scale():
    text = VALID.replace('number = 2\nscale = "agree"', 'number = 2\nscale = "agreement"')
    assert "Question 2 uses the scale “agreement”, which is not defined." in errors_of(text)


def test_unknown_scoring_rule():
    text = VALID.replace('rule = "sum"', 'rule = "median"')
    assert errors_of(text) == [
        "Score “total”: unknown scoring rule “median” (known: sum, mean, sum_times, lookup)."
    ]


def test_score_using_an_item_that_does_not_exist():
    text = VALID.replace('rule = "sum"', 'rule = "sum"\nitems = [1, 2, 3]')
    assert "Score “total” uses question 3, which does not exist." in errors_of(text)


def test_declared_range_must_match_the_items():
    text = VALID.replace("maximum = 4", "maximum = 5").replace("high = 4", "high = 5")
    assert errors_of(text) == [
        "Score “total”: the declared range 0–5 does not match the range the questions give, 0–4."
    ]


def test_sum_times_needs_a_factor_and_checks_the_range():
    text = VALID.replace('rule = "sum"', 'rule = "sum_times"')
    assert "Score “total”: the field “factor” is missing." in errors_of(text)
    scaled = VALID.replace('rule = "sum"', 'rule = "sum_times"\nfactor = 25').replace(
        "maximum = 4", "maximum = 100"
    )
    instrument = parse_instrument(scaled)
    assert instrument.score({1: 1, 2: 1}).primary.value == 50


def test_overlapping_bands():
    text = VALID.replace("low = 2, high = 4", "low = 1, high = 4")
    assert errors_of(text) == ["Score “total”: the bands “low” and “high” overlap."]


def test_band_outside_the_score_range():
    text = VALID.replace("low = 2, high = 4", "low = 2, high = 6")
    assert errors_of(text) == ["Score “total”, band 2 (2–6) lies outside the score range 0–4."]


def test_band_upside_down():
    text = VALID.replace("low = 2, high = 4", "low = 4, high = 2")
    assert "Score “total”, band 2: the lower limit is above the upper limit." in errors_of(text)


def test_band_without_a_label_in_a_language():
    text = VALID.replace('fr = "Haut", ', "")
    assert errors_of(text) == ["Score “total”, band 2 has no text in French."]


def test_missing_answers_in_a_sum_need_prorating():
    text = VALID.replace('rule = "sum"', 'rule = "sum"\nmax_missing = 1')
    assert errors_of(text) == [
        "Score “total” allows missing answers in a sum: set “prorate = true” (the sum "
        "of the answered questions would be too low) or “max_missing = 0”."
    ]
    prorated = parse_instrument(
        VALID.replace('rule = "sum"', 'rule = "sum"\nmax_missing = 1\nprorate = true')
    )
    assert prorated.score({1: 1}).primary.value == 2


def test_max_missing_cannot_allow_every_item_missing():
    text = VALID.replace('rule = "sum"', 'rule = "mean"\nmax_missing = 2')
    assert any("“max_missing” must be a whole number" in e for e in errors_of(text))


LOOKUP = VALID.replace(
    'rule = "sum"', 'rule = "lookup"\nlookup = { 0 = 0, 1 = 20, 2 = 45, 3 = 70, 4 = 100 }'
).replace("maximum = 4", "maximum = 100")


def test_lookup_table():
    instrument = parse_instrument(LOOKUP)
    assert instrument.score({1: 2, 2: 2}).primary.value == 45  # 2 + (2 − 2 reversed) = 2


def test_lookup_table_not_covering_the_raw_range():
    text = LOOKUP.replace(", 3 = 70", "").replace("0 = 0, ", "")
    assert errors_of(text) == [
        "Score “total”: the lookup table does not cover the raw scores 0, 3 (it must cover 0–4)."
    ]


def test_lookup_table_with_a_bad_entry():
    text = LOOKUP.replace("4 = 100", "x = 100")
    assert any("the lookup entry “x” must map" in e for e in errors_of(text))


def test_no_primary_score():
    text = VALID.replace("primary = true\n", "")
    assert errors_of(text) == [
        "Exactly one score must be marked “primary = true” (the headline score)."
    ]


def test_duplicate_score_codes():
    second = VALID[VALID.index("[[scores]]") :]
    text = VALID + "\n" + second.replace("primary = true\n", "")
    assert "The score code “total” is used twice." in errors_of(text)


def test_reliability_and_sd_need_sources_and_sensible_values():
    text = VALID.replace("reliability = 0.8", "reliability = 1.2").replace(
        'sd_source = "Invented."\n', ""
    )
    errors = errors_of(text)
    assert "Score “total”: the reliability must be between 0 and 1." in errors
    assert "Score “total”: give the source of the standard deviation (“sd_source”)." in errors


def test_signal_on_an_unknown_score_or_outside_the_range():
    assert errors_of(VALID + '\n[signal]\nscore = "raw"\nthreshold = 1\n') == [
        "The signal refers to the score “raw”, which does not exist."
    ]
    assert errors_of(VALID + '\n[signal]\nscore = "total"\nthreshold = 9\n') == [
        "The signal threshold lies outside the range of its score."
    ]
    instrument = parse_instrument(VALID + '\n[signal]\nscore = "total"\nthreshold = 1\n')
    assert instrument.signal == ("total", 1.0)
    assert instrument.score({1: 0, 2: 1}).signal
    assert not instrument.score({1: 2, 2: 1}).signal


def test_unknown_fields_are_reported():
    text = VALID.replace("reverse = [2]", "revers = [2]")
    assert "The questionnaire: unknown field “revers”." in errors_of(text)


def test_a_top_level_key_swallowed_by_a_table_is_reported():
    # TOML puts a key written after [scales.agree] inside that table: a classic slip.
    text = VALID.replace("reverse = [2]\n", "").replace(
        "[scales.agree]\n", "[scales.agree]\nreverse = [2]\n"
    )
    assert "Scale “agree”: unknown field “reverse”." in errors_of(text)


def test_every_problem_is_reported_at_once():
    text = (
        VALID.replace("reverse = [2]", "reverse = [9]")
        .replace('rule = "sum"', 'rule = "total"')
        .replace('de = "Ich bin müde."\n', "")
        .replace("low = 2, high = 4", "low = 1, high = 4")
    )
    errors = errors_of(text)
    assert len(errors) == 4, errors
    with pytest.raises(InstrumentError) as caught:
        parse_instrument(text)
    assert str(caught.value) == " ".join(caught.value.errors)


def test_messages_follow_the_active_language():
    text = VALID.replace('rule = "sum"', 'rule = "median"')
    for language in ("fr", "de", "en"):
        with translation.override(language), pytest.raises(InstrumentError) as caught:
            parse_instrument(text)
        assert "median" in caught.value.errors[0]


REFERENCE = """
[reference]
source = "An invented survey."
label = { fr = "Population A", de = "Bevölkerung A", en = "Population A" }

[reference.shares]
low = 0.25
high = 0.75
"""


def test_a_reference_population_loads_with_its_shares():
    instrument = parse_instrument(VALID + REFERENCE)
    assert instrument.reference is not None
    assert dict(instrument.reference.shares) == {"low": 0.25, "high": 0.75}
    with translation.override("de"):
        assert instrument.reference.label == "Bevölkerung A"
    assert parse_instrument(VALID).reference is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("low = 0.25", "The reference: “middle” is not a band of the primary score."),
        ("high = 0.75", "The reference: the share of “high” must be a fraction between 0 and 1."),
        ("sum", "The reference: the shares must add up to 1."),
    ],
)
def test_a_wrong_reference_is_refused_with_the_reason(change, message):
    text = VALID + REFERENCE
    if change == "low = 0.25":
        text = text.replace("low = 0.25", "middle = 0.25")
    elif change == "high = 0.75":
        text = text.replace("high = 0.75", "high = 75")
    else:
        text = text.replace("high = 0.75", "high = 0.5")
    assert message in errors_of(text)


def test_the_signal_of_a_lower_is_better_score_is_on_the_high_side():
    text = VALID.replace("higher_is_better = true", "higher_is_better = false")
    instrument = parse_instrument(text + '\n[signal]\nscore = "total"\nthreshold = 3\n')
    assert instrument.score({1: 2, 2: 1}).signal  # 2 + (2 - 1) = 3: at the threshold
    assert instrument.score({1: 2, 2: 0}).signal  # 4: beyond it
    assert not instrument.score({1: 0, 2: 2}).signal  # 0: the favourable side
    assert not instrument.score({1: 1, 2: 1}).signal  # 2


def test_a_loaded_lower_is_better_instrument_signals_on_its_unfavourable_side(cast):
    """An organisation's loneliness scale (higher = more loneliness) with a signal at 5:
    a lonely answer raises it, a not-lonely one does not."""
    from importlib import resources

    from isa.evaluation import services
    from isa.evaluation.catalogue import choice_for

    text = (resources.files("isa.evaluation.instruments") / "data" / "djg6.toml").read_text()
    text = text.replace('version = "2006"', 'version = "2006-signal"')
    text += '\n[signal]\nscore = "total"\nthreshold = 5\n'
    row = services.instrument_load(programme=cast.programme, text=text, actor=cast.actor("head"))
    choice = choice_for(cast.programme, f"org{row.pk}")
    yes, no = 1, 3

    def enter(answers):
        return services.administration_enter_paper(
            participant=cast.participant,
            choice=choice,
            on=date(2024, 4, 2),
            answers=dict(enumerate(answers, start=1)),
            actor=cast.actor("social_worker"),
        )

    lonely = enter([yes, yes, yes, no, no, no])  # 6: severe loneliness
    assert lonely.primary_value == 6 and lonely.signal
    at_threshold = enter([yes, yes, yes, no, no, yes])  # 3 + 2 = 5
    assert at_threshold.primary_value == 5 and at_threshold.signal
    not_lonely = enter([no, no, no, yes, yes, yes])  # 0
    assert not_lonely.primary_value == 0 and not not_lonely.signal


def test_shipped_files_use_swiss_german_spelling():
    from importlib import resources

    data = resources.files("isa.evaluation.instruments") / "data"
    for path in data.iterdir():
        if path.name.endswith(".toml"):
            assert "ß" not in path.read_text(encoding="utf-8"), path.name
