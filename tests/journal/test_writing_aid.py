"""The non-judgment writing aid: what it flags, where, and how well (docs/writing-aid.md).

Pure Python: no database, no Django import in the engine.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import tomllib
import unicodedata
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation
from django.utils.translation import gettext

from isa.journal.aid import (
    CATEGORIES,
    LANGUAGES,
    Finding,
    candidate_languages,
    check,
    detect_language,
    lexicon,
)
from isa.journal.aid.evaluate import (
    evaluate,
    evaluate_round,
    load_round,
    load_sample,
    main,
    round_report,
    rounds,
)
from isa.journal.aid.messages import MESSAGES

ROOT = Path(__file__).resolve().parents[2]


def found(text: str, language: str) -> list[tuple[str, str]]:
    return [(f.phrase, f.category) for f in check(text, language)]


def assert_well_placed(text: str, findings: list[Finding]) -> None:
    """Offsets point into the original text, in order, never overlapping."""
    previous_end = 0
    for f in findings:
        assert text[f.start : f.end] == f.phrase
        assert 0 <= f.start < f.end <= len(text)
        assert f.start >= previous_end
        previous_end = f.end


# --------------------------------------------------------------------------- each category


@pytest.mark.parametrize(
    ("language", "text", "phrase", "category"),
    [
        # French
        ("fr", "Hier, Zoé était vraiment Paresseuse.", "Paresseuse", "label"),
        ("fr", "Hélène est une vraie MANIPULATRICE.", "MANIPULATRICE", "label"),
        ("fr", "C'était Inadmissible de sa part.", "Inadmissible", "verdict"),
        ("fr", "Éric fait exprès de casser les fusains.", "fait exprès", "intent"),
        ("fr", "Thérèse fait semblant d'avoir mal.", "fait semblant", "intent"),
        (
            "fr",
            "Éloïse arrive toujours en retard.",
            "Éloïse arrive toujours en retard",
            "generalisation",
        ),
        ("fr", "Il n'écoute jamais les consignes.", "Il n'écoute jamais", "generalisation"),
        # German
        ("de", "Er ist ein SÄUFER.", "SÄUFER", "label"),
        ("de", "Jürgen ist ein Junkie.", "Junkie", "label"),
        ("de", "Das war unverschämt gegenüber Anne.", "unverschämt", "verdict"),
        ("de", "Er macht das absichtlich.", "macht das absichtlich", "intent"),
        ("de", "Er nutzt das System aus.", "nutzt das System aus", "intent"),
        ("de", "Er kommt immer zu spät.", "Er kommt immer zu spät", "generalisation"),
        ("de", "Sie räumt nie auf.", "Sie räumt nie", "generalisation"),
        # English
        ("en", "He is a Junkie, the team says.", "Junkie", "label"),
        ("en", "She is so lazy.", "lazy", "label"),
        ("en", "That was UNACCEPTABLE.", "UNACCEPTABLE", "verdict"),
        ("en", "He is gaming the system.", "gaming the system", "intent"),
        ("en", "She is just seeking attention.", "seeking attention", "intent"),
        ("en", "She never listens.", "She never listens", "generalisation"),
        ("en", "He always arrives late.", "He always arrives late", "generalisation"),
    ],
)
def test_each_category_is_found_at_the_right_place(language, text, phrase, category):
    findings = check(text, language)
    assert_well_placed(text, findings)
    assert (phrase, category) in [(f.phrase, f.category) for f in findings]
    finding = next(f for f in findings if f.phrase == phrase)
    assert text.index(phrase) == finding.start
    assert finding.reason.strip()
    assert finding.suggestion.strip()


@pytest.mark.parametrize(
    ("interface", "describe", "label"),
    [
        ("fr", "Décrivez", "Étiquette"),
        ("de", "Beschreiben", "Etikett"),
        ("en", "Describe", "Label"),
    ],
)
def test_reason_and_suggestion_are_in_the_interface_language_whatever_the_text(
    interface, describe, label
):
    with translation.override(interface):
        for text, language in [
            ("Il est paresseux.", "fr"),
            ("Er ist faul.", "de"),
            ("He is lazy.", "en"),
        ]:
            (finding,) = check(text, language)
            assert finding.message == "lazy"
            assert finding.language == language
            assert gettext(finding.reason).startswith(label), (text, interface)
            assert describe in gettext(finding.suggestion), (text, interface)


@pytest.mark.parametrize("interface", ["fr", "de", "en"])
def test_every_explanation_of_every_lexicon_is_translated_in_each_interface_language(interface):
    catalogue = read_po(
        (ROOT / "src" / "isa" / "locale" / interface / "LC_MESSAGES" / "django.po").open("rb")
    )
    translated = {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}
    used = {entry.message for language in LANGUAGES for entry in lexicon(language)}
    assert used == set(MESSAGES), "every message is used by a lexicon, and only those"
    for reason, suggestion in MESSAGES.values():
        assert reason in translated, reason
        assert suggestion in translated, suggestion


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("fr", ["paresseux", "paresseuse", "paresseuses", "Fainéants", "FAINEANT", "fainéante"]),
        ("de", ["faul", "faule", "fauler", "faulen", "Faulpelz", "manipulativ", "manipulative"]),
        ("en", ["lazy", "manipulative", "manipulator", "junkies", "scroungers", "addict"]),
    ],
)
def test_inflections_and_accents(language, words):
    for word in words:
        text = f"--- {word} ---"
        assert found(text, language) == [(word, "label")], word


def test_accents_in_decomposed_form_keep_the_offsets_right():
    text = unicodedata.normalize("NFD", "Élodie est fainéante ; c'est inadmissible.")
    findings = check(text, "fr")
    assert_well_placed(text, findings)
    assert [unicodedata.normalize("NFC", f.phrase) for f in findings] == [
        "fainéante",
        "inadmissible",
    ]


def test_multi_word_patterns_accept_line_breaks_and_apostrophes():
    assert found("Il fait\n   semblant.", "fr") == [("fait\n   semblant", "intent")]
    assert found("Elle n’écoute jamais.", "fr") == [("Elle n’écoute jamais", "generalisation")]
    assert found("He is  gaming the\nsystem.", "en") == [("gaming the\nsystem", "intent")]
    assert found("Er macht das  absichtlich.", "de") == [("macht das  absichtlich", "intent")]


def test_whole_words_only():
    assert check("Le faulx et le paresseuxx.", "fr") == []
    assert check("Der Faultierpfleger kam.", "de") == []
    assert check("The addiction clinic and the alcoholic drinks.", "en") == []


# --------------------------------------------------------------------------- overlaps


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "C'est un malade mental.", [("C'est un malade mental", "label")]),
        ("de", "Ein hoffnungsloser Fall.", [("hoffnungsloser Fall", "label")]),
        # across entries: the intent "faule Ausrede" wins over the label "faule"
        ("de", "Wieder eine faule Ausrede.", [("faule Ausrede", "intent")]),
        ("en", "A hopeless case.", [("hopeless case", "label")]),
        ("en", "He does it on purpose.", [("does it on purpose", "intent")]),
    ],
)
def test_the_longest_of_overlapping_matches_wins(language, text, expected):
    assert [(p.lower(), c) for p, c in found(text, language)] == [
        (p.lower(), c) for p, c in expected
    ]


# --------------------------------------------------------------------------- descriptive uses


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "L'atelier est toujours ouvert le lundi."),
        ("fr", "Comme toujours, nous avons commencé à 9 h."),
        ("fr", "Marc travaille toujours sur sa toile (il n'a pas fini)."),
        ("fr", "Il n'est toujours pas revenu ; Anne l'a appelé."),
        ("fr", "Elle n'avait jamais touché de l'argile avant aujourd'hui."),
        ("fr", "Il a dit qu'il ne se sentait jamais à l'aise en groupe."),
        ("fr", "Le bus arrive toujours en retard le mardi."),
        ("fr", "Elle ne vient jamais le vendredi, c'est prévu dans son pacte."),
        ("de", "Das Atelier ist immer offen."),
        ("de", "Wie immer haben wir um 9 Uhr begonnen."),
        ("de", "Er arbeitet immer noch an seinem Bild."),
        ("de", "Sie hatte noch nie mit Ton gearbeitet."),
        ("de", "Er sagte, dass er sich in Gruppen nie wohl fühlt."),
        ("de", "Der Brennofen heizt nie über 1000 Grad."),
        ("de", "Sie kommt nie am Freitag, so steht es in der Vereinbarung."),
        ("en", "As always we started at 9."),
        ("en", "The workshop is always open on Mondays."),
        ("en", "He had never worked with clay before."),
        ("en", "She said she never feels at ease in groups."),
        ("en", "The kiln never goes above 1000 degrees."),
        ("en", "She has always loved drawing horses."),
        ("en", "She never comes on Fridays, as agreed in her pact."),
    ],
)
def test_descriptive_uses_of_always_and_never_are_not_flagged(language, text):
    assert check(text, language) == []


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # reported speech, quotations, name-calling someone suffered, self-perception
        ("fr", "Elle a raconté qu'on la traitait de paresseuse quand elle était enfant."),
        ("fr", "Il a dit : « Je suis un raté », et nous en avons parlé."),
        ("fr", "Il dit qu'il se sent indigne de l'aide qu'il reçoit."),
        ("de", "Sie erzählte, dass man sie als Kind faul genannt hat."),
        ("de", "Er sagte: «Ich bin ein Versager», und wir haben darüber gesprochen."),
        ("en", "She told us she was called lazy as a child."),
        ("en", "He feels like a failure since the divorce."),
        # the workshop's own vocabulary
        ("fr", "Il a dessiné un homme qui fait semblant de dormir."),
        ("fr", "Le papier épais a été acheté exprès pour la gravure."),
        ("fr", "La photo n'est pas nette, il veut la refaire."),
        ("fr", "Le tableau n'est pas fini, elle le reprendra jeudi."),
        ("fr", "Lucie a eu un fou rire ; il a assisté à tout l'atelier."),
        ("fr", "Le vernis est toxique, nous avons ouvert les fenêtres."),
        ("fr", "Nous avons regardé les Caprices de Goya dans un livre."),
        ("fr", "Le CMS oriente une personne sans domicile fixe."),
        ("de", "Wir haben den Tisch verrückt, damit sie durchkommt."),
        ("de", "Das Bild ist absichtlich unscharf."),
        ("de", "Es war unmöglich, den Brennofen vor Mittag zu öffnen."),
        ("de", "Er setzte sich daneben und schaute zu."),
        ("de", "Das dicke Papier haben wir extra für die Radierung gekauft."),
        ("en", "He hammered the copper plate for an hour."),
        ("en", "Her painting entitled “Blue Morning” is in the corridor."),
        ("en", "We bought the thick paper on purpose for the engravings."),
        ("en", "She took advantage of the quiet afternoon to finish her collage."),
        ("en", "The printer was out of order; the firing was a complete failure."),
        ("en", "He drew a man pretending to be asleep."),
    ],
)
def test_descriptive_sentences_with_trigger_words_are_not_flagged(language, text):
    assert check(text, language) == []


# ------------------------------------------------------------------ work, person first, victim


@pytest.mark.parametrize(
    ("language", "text", "phrase", "message"),
    [
        ("fr", "Son dessin est nul.", "Son dessin est nul", "work-verdict"),
        (
            "fr",
            "Franchement, sa peinture ne vaut rien.",
            "sa peinture ne vaut rien",
            "work-verdict",
        ),
        ("de", "Sein Bild ist Schrott.", "Sein Bild ist Schrott", "work-verdict"),
        ("de", "Ihre Skulptur taugt nichts.", "Ihre Skulptur taugt nichts", "work-verdict"),
        ("en", "His painting is rubbish.", "His painting is rubbish", "work-verdict"),
        (
            "en",
            "Tom's sculpture is a total mess.",
            "Tom's sculpture is a total mess",
            "work-verdict",
        ),
        ("fr", "Nous accueillons une personne toxicomane.", "personne toxicomane", "person-first"),
        ("fr", "C'est une personne schizophrène.", "personne schizophrène", "person-first"),
        ("de", "Eine drogensüchtige Frau kam.", "drogensüchtige Frau", "person-first"),
        ("en", "A schizophrenic man came in.", "schizophrenic man", "person-first"),
        ("fr", "Il se pose en victime.", "se pose en victime", "victim"),
        ("de", "Er stellt sich als Opfer dar.", "stellt sich als Opfer dar", "victim"),
        ("de", "Sie macht sich zum Opfer.", "macht sich zum Opfer", "victim"),
        (
            "de",
            "Er stellt sich wieder als das arme Opfer hin.",
            "stellt sich wieder als das arme Opfer hin",
            "victim",
        ),
        (
            "en",
            "He makes himself out to be the victim.",
            "makes himself out to be the victim",
            "victim",
        ),
    ],
)
def test_verdicts_on_work_labels_after_a_noun_and_playing_the_victim_are_found(
    language, text, phrase, message
):
    findings = check(text, language)
    assert_well_placed(text, findings)
    assert [(f.phrase, f.message) for f in findings] == [(phrase, message)]


def test_the_person_first_suggestion_names_the_person_before_the_situation():
    (finding,) = check("une personne toxicomane", "fr")
    with translation.override("fr"):
        assert "une personne qui consomme" in gettext(finding.suggestion)
        assert "une personne vivant avec une schizophrénie" in gettext(finding.suggestion)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Le dessin représente une victime."),
        ("fr", "Pendant le théâtre forum, il a joué la victime."),
        ("fr", "« Mon dessin est nul », a-t-elle dit, puis elle l'a fini."),
        ("fr", "Le match s'est terminé sur un score nul."),
        ("fr", "Il vit avec un trouble bipolaire depuis dix ans."),
        ("fr", "La lumière de l'atelier est lamentable en hiver."),
        ("fr", "Elle a dessiné un chat paresseux au soleil."),
        ("de", "Sie hat Schrott gesammelt für eine Skulptur."),
        ("de", "Er stellt sich neben die Staffelei."),
        ("de", "Sie wurde Opfer eines Diebstahls."),
        ("de", "Er hat eine bipolare Störung."),
        ("de", "Das Licht im Atelier ist im Winter erbärmlich."),
        ("en", "She collected scrap metal and rubbish for a sculpture."),
        ("en", "In the forum theatre he played the victim."),
        ("en", "The drawing shows a victim of the flood."),
        ("en", "She lives with bipolar disorder."),
        ("en", "He painted a lazy cat lying in the sun."),
        ("en", "The addiction clinic and the alcoholic drinks."),
    ],
)
def test_the_same_words_in_descriptive_use_are_not_flagged(language, text):
    assert check(text, language) == []


# --------------------------------------------------------------------------- language of the text


@pytest.mark.parametrize(
    "text", ["une personne toxicomane", "Sein Bild: Schrott", "junkie", "Opferrolle!", "12:30"]
)
def test_a_short_text_of_uncertain_language_is_checked_against_every_language(text):
    assert candidate_languages(text) == LANGUAGES


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Il est arrivé à l'atelier avec son carnet et il a dessiné.", "fr"),
        ("Er ist heute mit seinem Skizzenbuch ins Atelier gekommen.", "de"),
        ("She came to the workshop with her sketchbook and drew.", "en"),
    ],
)
def test_a_text_whose_language_is_clear_is_checked_in_that_language_only(text, language):
    assert candidate_languages(text) == (language,)


@pytest.mark.parametrize(
    ("text", "phrase", "language"),
    [
        ("une personne toxicomane", "personne toxicomane", "fr"),
        ("eine drogensüchtige Frau", "drogensüchtige Frau", "de"),
        ("Opferrolle", "Opferrolle", "de"),
        ("a schizophrenic man", "schizophrenic man", "en"),
    ],
)
def test_without_a_language_a_short_text_is_checked_in_the_language_that_knows_the_words(
    text, phrase, language
):
    (finding,) = check(text)
    assert (finding.phrase, finding.language) == (phrase, language)


def test_a_clear_text_is_not_checked_against_the_other_languages():
    # "nie" is the German "never": a French text is not read with the German lexicon.
    text = "Elle nie avoir cassé le vase, et il est arrivé à l'atelier avec son carnet."
    assert candidate_languages(text) == ("fr",)
    assert check(text) == []


# --------------------------------------------------------------------------- plain text, edge cases


def test_html_is_treated_as_plain_text_and_offsets_stay_right():
    text = '<p class="x">Il est <strong>paresseux</strong> et c\'est <em>INADMISSIBLE</em>.</p>'
    findings = check(text, "fr")
    assert_well_placed(text, findings)
    assert [(f.phrase, f.category) for f in findings] == [
        ("paresseux", "label"),
        ("INADMISSIBLE", "verdict"),
    ]
    assert findings[0].start == text.index("paresseux")


@pytest.mark.parametrize("text", ["", " ", "\n\t  \n"])
def test_empty_text_gives_no_finding(text):
    for language in LANGUAGES:
        assert check(text, language) == []
    assert check(text) == []


def test_several_findings_in_one_entry_come_in_reading_order():
    text = "Il est paresseux. Elle ne range jamais rien. C'est inacceptable, il fait exprès."
    findings = check(text, "fr")
    assert_well_placed(text, findings)
    assert [f.category for f in findings] == ["label", "generalisation", "verdict", "intent"]


def test_findings_are_frozen():
    (finding,) = check("He is lazy.", "en")
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.start = 0  # type: ignore[misc]


def test_language_is_normalised_or_detected():
    assert found("Er ist faul.", "de-CH") == [("faul", "label")]
    assert found("Er ist faul und das ist unverschämt.", "") == [
        ("faul", "label"),
        ("unverschämt", "verdict"),
    ]
    assert found("He is lazy and that is not acceptable.", None) == [("lazy", "label")]
    with pytest.raises(ValueError):
        lexicon("it")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Il est arrivé à l'atelier avec son carnet et il a dessiné.", "fr"),
        ("Er ist heute mit seinem Skizzenbuch ins Atelier gekommen.", "de"),
        ("She came to the workshop with her sketchbook and drew.", "en"),
        ("", "fr"),
        ("12:30", "fr"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


def test_every_finding_of_the_samples_is_well_placed():
    for language in LANGUAGES:
        for _label, sentence in load_sample(language):
            findings = check(sentence, language)
            assert_well_placed(sentence, findings)
            assert all(f.category in CATEGORIES for f in findings)


# --------------------------------------------------------------------------- the data files


@pytest.mark.parametrize("language", LANGUAGES)
def test_lexicon_files_are_valid_data_with_a_how_to_comment(language):
    source = resources.files("isa.journal.aid").joinpath(f"lexicon_{language}.toml")
    text = source.read_text(encoding="utf-8")
    assert text.startswith("#"), "each lexicon begins with a comment on how to add entries"
    data = tomllib.loads(text)
    entries = data["entry"]
    assert {e["category"] for e in entries} == set(CATEGORIES)
    assert len({e["id"] for e in entries}) == len(entries)
    assert len(lexicon(language)) == len(entries)


def test_the_engine_does_not_import_django():
    code = (
        "import sys, isa.journal.aid, isa.journal.aid.evaluate;"
        "bad = [m for m in sys.modules if m.split('.')[0] == 'django'];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# --------------------------------------------------------------------------- the quality gate


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_sample_is_large_and_balanced(language):
    sample = load_sample(language)
    labels = [label for label, _ in sample]
    assert len(sample) >= 60
    assert labels.count(1) >= 30
    assert labels.count(0) >= 30
    assert len({sentence for _, sentence in sample}) == len(sample), "duplicate sentence"


@pytest.mark.parametrize("language", LANGUAGES)
def test_quality_gate_recall_and_precision_do_not_fall(language):
    metrics = evaluate(language)
    assert metrics.recall >= 0.8, (metrics, metrics.false_negatives)
    assert metrics.precision >= 0.9, (metrics, metrics.false_positives)


def test_the_table_in_the_docs_is_the_current_one():
    doc = (ROOT / "docs" / "writing-aid.md").read_text(encoding="utf-8")
    for language in LANGUAGES:
        m = evaluate(language)
        row = (
            f"| {language} | {m.total} | {m.tp + m.fn} | {m.fp + m.tn} | {m.tp} | {m.fp} "
            f"| {m.fn} | {m.tn} | {m.precision:.2f} | {m.recall:.2f} |"
        )
        assert row in doc, f"update the table in docs/writing-aid.md: {row}"


def test_the_evaluation_command_prints_the_table(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^\| fr \| \d+ \|", out, re.MULTILINE)
    assert "false negatives" in out
    assert main(["xx"]) == 2


# --------------------------------------------------------------------------- the blind rounds


@pytest.mark.parametrize("number", rounds())
def test_each_blind_round_is_balanced_in_each_language_and_new_to_the_samples(number):
    sentences = load_round(number)
    known = {sentence for language in LANGUAGES for _, sentence in load_sample(language)}
    earlier = {s for n in rounds() if n < number for _, _, _, s in load_round(n)}
    for language in LANGUAGES:
        labels = [label for lang, _, label, _ in sentences if lang == language]
        assert labels.count(1) >= 15 and labels.count(0) >= 15, language
    texts = [sentence for _, _, _, sentence in sentences]
    assert len(set(texts)) == len(texts), "duplicate sentence"
    assert not set(texts) & (known | earlier), "a blind round holds only sentences never seen"


def test_the_blind_round_tables_in_the_docs_are_the_current_ones():
    doc = (ROOT / "docs" / "writing-aid.md").read_text(encoding="utf-8")
    assert len(rounds()) >= 2
    for number in rounds():
        for language in LANGUAGES:
            m = evaluate_round(number, language)
            row = (
                f"| {number} | {language} | {m.total} | {m.tp} | {m.fp} | {m.fn} | {m.tn} "
                f"| {m.precision:.2f} | {m.recall:.2f} |"
            )
            assert row in doc, f"update the blind round table in docs/writing-aid.md: {row}"


def test_the_evaluation_command_reports_a_blind_round(capsys):
    number = rounds()[0]
    assert main(["--round", str(number)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(round_report(number).splitlines()[0])
    assert "| work |" in out
    assert main(["--round", "999"]) == 2


@pytest.mark.parametrize("number", rounds())
def test_no_blind_round_falls_below_the_precision_gate(number):
    for language in LANGUAGES:
        metrics = evaluate_round(number, language)
        assert metrics.precision >= 0.9, (language, metrics.false_positives)
