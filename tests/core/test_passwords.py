"""Passwords that resist guessing: zxcvbn's estimate among Django's validators, so that every
form setting a password refuses repeats, keyboard rows and common words with digits, and says
why and how to do better in the user's language."""

from __future__ import annotations

import pytest
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from zxcvbn.adjacency_graphs import ADJACENCY_GRAPHS

from isa.core.demo import DEMO_PASSWORD, STAFF
from isa.core.models import User
from isa.core.passwords import AZERTY, QWERTY, QWERTZ, estimate, keyboard_graph, why_weak
from tests.conftest import PASSWORD, Cast

GUESSABLE = ["aaaaaaaaaaaa", "azertyuiopqs", "Passwort1234"]

#: (why, how) in each language.
WORDS = {
    "fr": ("facile à deviner", "courte phrase de plusieurs mots"),
    "de": ("leicht zu erraten", "kurzen Satz aus mehreren Wörtern"),
    "en": ("easy to guess", "short sentence of several words"),
}
PASSPHRASE = "le vélo bleu attend sous la pluie"


def change_password(client, new: str, lang: str):
    return client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        HTTP_ACCEPT_LANGUAGE=lang,
    )


@pytest.mark.parametrize("lang", ["fr", "de", "en"])
@pytest.mark.parametrize("weak", GUESSABLE)
def test_a_guessable_password_is_refused_saying_why_and_how_in_the_users_language(
    cast: Cast, weak: str, lang: str
):
    response = change_password(cast.client("head"), weak, lang)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["new_password2"])
    why, how = WORDS[lang]
    assert why in errors
    assert how in errors
    if lang != "en":  # zxcvbn's own feedback is English: never shown as such
        assert "guess" not in errors
    cast.users["head"].refresh_from_db()
    assert cast.users["head"].check_password(PASSWORD)


def test_the_reason_names_what_makes_each_password_guessable():
    with translation.override("en"):
        reasons = {p: why_weak(estimate(p)["sequence"]) for p in GUESSABLE}
    assert "Repeated characters" in reasons["aaaaaaaaaaaa"]
    assert "Keys next to each other on the keyboard" in reasons["azertyuiopqs"]
    assert "password that many people use" in reasons["Passwort1234"]


def test_a_long_passphrase_is_accepted(cast: Cast):
    response = change_password(cast.client("head"), PASSPHRASE, "fr")
    assert response.status_code == 302
    cast.users["head"].refresh_from_db()
    assert cast.users["head"].check_password(PASSPHRASE)


def test_the_invitation_refuses_a_guessable_initial_password(cast: Cast):
    response = cast.client("head").post(
        reverse("team", args=[cast.programme.pk]),
        {
            "invite-full_name": "Nouvelle Personne",
            "invite-email": "nouvelle@test.example",
            "invite-role": "facilitator",
            "invite-password": "Passwort1234",
        },
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    errors = " ".join(response.context["invite_form"].errors["password"])
    assert "facile à deviner" in errors
    assert not User.objects.filter(email="nouvelle@test.example").exists()


def test_the_admin_password_form_uses_the_same_rule(cast: Cast):
    form = AdminPasswordChangeForm(
        cast.users["facilitator"], {"password1": "aaaaaaaaaaaa", "password2": "aaaaaaaaaaaa"}
    )
    assert not form.is_valid()
    assert any(e.code == "password_too_guessable" for e in form.errors.as_data()["password2"])


def test_the_persons_own_name_counts_against_the_password():
    mathilde = User(email="mathilde.zufferey@test.example", full_name="Mathilde Zufferey")
    other = User(email="someone@test.example", full_name="Someone Else")
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        password_validation.validate_password("MathildeZufferey", mathilde)
    assert "your name" in " ".join(refused.value.messages)
    # The same words are a fine password for someone they do not name.
    password_validation.validate_password("MathildeZufferey", other)


def test_the_test_and_demo_passwords_pass_every_validator():
    password_validation.validate_password(PASSWORD, User(email="head@test.example"))
    for email, name, *_ in STAFF:
        password_validation.validate_password(DEMO_PASSWORD, User(email=email, full_name=name))


def test_the_french_and_swiss_keyboards_are_known():
    # The grid reader rebuilds zxcvbn's own US keyboard exactly.
    assert keyboard_graph(QWERTY) == ADJACENCY_GRAPHS["qwerty"]
    azerty, qwertz = keyboard_graph(AZERTY), keyboard_graph(QWERTZ)
    assert azerty["q"] == [None, "aA", "zZ", "sS", "wW", "<>"]
    assert "yY" in qwertz["x"] and "zZ" in qwertz["u"]
    for walk in ["qsdfghjklmwxcv", "qwertzuiopasdf", "yxcvbnm,.-"]:
        result = estimate(walk)
        assert result["score"] < 3
        assert any(m["pattern"] == "spatial" for m in result["sequence"]), walk


def test_the_minimum_score_is_a_setting(cast: Cast, settings):
    settings.ISA_PASSWORD_MIN_SCORE = 1
    password_validation.validate_password("azertyuiopqs", cast.users["head"])
    settings.ISA_PASSWORD_MIN_SCORE = 4
    assert estimate("Soleil-Montagne")["score"] == 3
    with pytest.raises(ValidationError):
        password_validation.validate_password("Soleil-Montagne", cast.users["head"])


def test_the_help_text_of_the_password_forms_explains_a_strong_password(cast: Cast):
    response = cast.client("head").get(reverse("password_change"), HTTP_ACCEPT_LANGUAGE="de")
    assert "kurzen Satz aus mehreren Wörtern" in response.content.decode()
