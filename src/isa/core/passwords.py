"""Passwords that resist guessing: a Django password validator around zxcvbn.

Django's own validators refuse short passwords and the 20,000 most common ones, but accept
``aaaaaaaaaaaa``, ``azertyuiopqs`` or ``Passwort1234``.  zxcvbn estimates how many guesses a
password needs: it recognises repeats, sequences, keyboard walks, dates, dictionary words
(with capitals, digits and ``@``-for-``a`` substitutions) and the person's own name and
e-mail.  ISA adds what an English-speaking estimator lacks: the French (AZERTY) and German/Swiss
(QWERTZ) keyboards and a short list of French and German words people build passwords from.

The message says why the password is weak (our own FR/DE/EN words for zxcvbn's finding, never
its English text) and how to make a strong one: a sentence of several words.

zxcvbn is called through its parts (match, score) with a dictionary of our own per call,
instead of its ``zxcvbn()`` entry point, which stores the user's inputs in a module-wide
dictionary shared by every thread.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from zxcvbn import matching, scoring, time_estimates

#: zxcvbn's own limit: longer passwords are scored on their first 72 characters.
_MAX_LENGTH = 72

# -- keyboards ---------------------------------------------------------------------------------

# Each key as "unshifted shifted", rows indented as on the keyboard (the format of zxcvbn's
# own ``build_keyboard_adjacency_graphs`` script, so that the same neighbours are found).
QWERTY = r"""
`~ 1! 2@ 3# 4$ 5% 6^ 7& 8* 9( 0) -_ =+
    qQ wW eE rR tT yY uU iI oO pP [{ ]} \|
     aA sS dD fF gG hH jJ kK lL ;: '"
      zZ xX cC vV bB nN mM ,< .> /?
"""
AZERTY = r"""
   &1 é2 "3 '4 (5 -6 è7 _8 ç9 à0 )° =+
    aA zZ eE rR tT yY uU iI oO pP ^¨ $£
     qQ sS dD fF gG hH jJ kK lL mM ù% *µ
   <> wW xX cC vV bB nN ,? ;. :/ !§
"""
# Swiss (French and German speakers alike); its letters are those of the German keyboard.
QWERTZ = r"""
§° 1+ 2" 3* 4ç 5% 6& 7/ 8( 9) 0= '? ^`
    qQ wW eE rR tT zZ uU iI oO pP üè ¨!
     aA sS dD fF gG hH jJ kK lL öé äà $£
   <> yY xX cC vV bB nN mM ,; .: -_
"""


def keyboard_graph(layout: str) -> dict[str, list[str | None]]:
    """The adjacency graph of a slanted keyboard: for each character, its neighbours in
    zxcvbn's order (left, upper left, upper right, right, lower right, lower left)."""
    keys: dict[tuple[int, int], str] = {}
    for y, line in enumerate(layout.split("\n")):
        for found in re.finditer(r"\S+", line):
            x, rest = divmod(found.start() - (y - 1), 3)
            if rest:
                raise ValueError(f"key {found.group()!r} is not on the grid")
            keys[(x, y)] = found.group()
    graph: dict[str, list[str | None]] = {}
    for (x, y), chars in keys.items():
        around = [(x - 1, y), (x, y - 1), (x + 1, y - 1), (x + 1, y), (x, y + 1), (x - 1, y + 1)]
        for char in chars:
            graph[char] = [keys.get(xy) for xy in around]
    return graph


#: Scored as zxcvbn scores its own keyboards (the name selects the keyboard's figures).
_KEYBOARDS = [keyboard_graph(AZERTY), keyboard_graph(QWERTZ)]

# -- words -------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


#: French and German passwords of the leaked lists that zxcvbn's English one misses or ranks
#: low, roughly the most used first.  (Keyboard rows such as "azerty" are found as keyboard
#: patterns.)  Accented words are listed both ways: zxcvbn lower-cases, it does not unaccent.
LOCAL_PASSWORDS = _words(
    """
motdepasse passwort kennwort jetaime ichliebedich bonjour soleil hallo salut coucou
bienvenue willkommen hallowelt chouchou doudou loulou bisous moncoeur monamour schatz
schatzi mausi hase bebe bébé cheri chéri cherie chérie liebe amour geheim secret
"""
)

#: French, German and Swiss words people build passwords from, roughly the most used first:
#: places, seasons, months, days, food, animals and the words of the work.
LOCAL_WORDS = _words(
    """
suisse schweiz helvetia valais wallis sion sitten sierre siders martigny monthey brig visp
geneve genève genf lausanne fribourg freiburg neuchatel neuchâtel berne bern zurich zürich
basel lucerne luzern lugano montagne berg alpes alpen edelweiss marmotte chocolat schoggi
fromage raclette fondue chien chat hund katze cheval pferd famille familie maison haus
jardin garten sonne sonnenschein lune mond etoile étoile stern fleur blume printemps
fruehling frühling ete été sommer automne herbst hiver winter janvier fevrier février mars
avril mai juin juillet aout août septembre octobre novembre decembre décembre januar februar
maerz märz april juni juli august oktober dezember lundi mardi mercredi jeudi vendredi
samedi dimanche montag dienstag mittwoch donnerstag freitag samstag sonntag princesse
prinzessin prince prinz dragon drache fussball fußball football hockey musique musik ecole
école schule travail arbeit atelier werkstatt insertion programme projet projekt equipe
équipe team bureau buero büro securite sécurité sicherheit accueil merci danke bitte gruezi
grüezi salu adieu tschuess tschüss ciao
"""
)

# -- the validator -----------------------------------------------------------------------------


def _ranked(words: list[str]) -> dict[str, int]:
    return {word: rank for rank, word in enumerate(dict.fromkeys(words), 1)}


_LOCAL_DICTIONARIES = {
    "passwords_local": _ranked(LOCAL_PASSWORDS),
    "words_local": _ranked(LOCAL_WORDS),
}
#: zxcvbn's "recent years" end in 2019; the years around today are as easy to guess.
_RECENT_YEARS = {"recent_year": re.compile(r"19\d\d|20[0-4]\d")}


def user_words(user: Any) -> list[str]:
    """What a guesser knows of the person: the parts of their e-mail and name, and ISA."""
    words = ["isa"]
    for field in ("email", "full_name", "first_name", "last_name"):
        value = str(getattr(user, field, "") or "").lower()
        if value:
            words.extend([value, value.split("@")[0], value.replace(" ", "")])
            words.extend(w for w in re.split(r"[\W_]+", value) if len(w) > 1)
    return words


def estimate(password: str, *, inputs: Sequence[str] = ()) -> dict[str, Any]:
    """zxcvbn's estimate of ``password``: ``score`` (0 to 4) and the ``sequence`` of patterns
    it found, with ISA's keyboards and words and the person's own ``inputs``."""
    password = password[:_MAX_LENGTH]
    dictionaries = {
        **matching.RANKED_DICTIONARIES,
        **_LOCAL_DICTIONARIES,
        "user_inputs": _ranked([w.lower() for w in inputs]),
    }
    matches = matching.omnimatch(password, dictionaries)
    for graph in _KEYBOARDS:
        matches.extend(matching.spatial_match_helper(password, graph, "qwerty"))
    matches.extend(matching.regex_match(password, _regexen=_RECENT_YEARS))
    result = scoring.most_guessable_match_sequence(password, matches)
    result["score"] = time_estimates.guesses_to_score(result["guesses"])
    return result


def _dictionary_reason(match: dict[str, Any]) -> str:
    name = match["dictionary_name"]
    if name == "user_inputs":
        return _("It contains your name, your e-mail address or the name of the application.")
    if name in ("passwords", "passwords_local"):
        return _("It is, or resembles, a password that many people use.")
    if name in ("surnames", "male_names", "female_names"):
        return _("First names and surnames are among the first things tried.")
    return _("Common words on their own are easy to guess.")


def _reason(match: dict[str, Any]) -> str:
    """Why the pattern ``match`` is easy to guess, in the user's language."""
    pattern = match["pattern"]
    if pattern == "dictionary":
        reason = _dictionary_reason(match)
        if match.get("l33t"):
            reason += " " + _('Writing "@" for "a" or "0" for "o" hardly helps.')
        elif match.get("reversed"):
            reason += " " + _("Writing a word backwards hardly helps.")
        return reason
    if pattern == "spatial":
        return _('Keys next to each other on the keyboard ("azerty", "qwertz") are easy to guess.')
    if pattern == "repeat":
        return _('Repeated characters or groups ("aaa", "abcabc") are easy to guess.')
    if pattern == "sequence":
        return _('Sequences ("abcd", "1234", "9876") are easy to guess.')
    if pattern in ("regex", "date"):
        return _("Years and dates are easy to guess.")
    return _("It is too short or too simple.")


def why_weak(sequence: list[dict[str, Any]]) -> str:
    """The reason for the longest guessable pattern (zxcvbn's choice for its own feedback)."""
    patterns = [m for m in sequence if m["pattern"] != "bruteforce"]
    if not patterns:
        return _("It is too short or too simple.")
    return _reason(max(patterns, key=lambda m: len(m["token"])))


class StrongPasswordValidator:
    """Refuses a password zxcvbn scores under ``min_score`` (0 to 4; by default
    ``ISA_PASSWORD_MIN_SCORE``, 3: "safely unguessable" for an online attack with some
    throttling and a hashed offline one)."""

    def __init__(self, min_score: int | None = None) -> None:
        if min_score is not None and not 0 <= min_score <= 4:
            raise ImproperlyConfigured("min_score must lie between 0 and 4")
        self.min_score = min_score

    def validate(self, password: str, user: Any = None) -> None:
        needed = settings.ISA_PASSWORD_MIN_SCORE if self.min_score is None else self.min_score
        result = estimate(password, inputs=user_words(user))
        if result["score"] >= needed:
            return
        raise ValidationError(
            [
                ValidationError(
                    _("This password is easy to guess. %(reason)s"),
                    code="password_too_guessable",
                    params={"reason": why_weak(result["sequence"])},
                ),
                ValidationError(self.get_help_text(), code="password_too_guessable"),
            ]
        )

    def get_help_text(self) -> str:
        return _(
            "Choose a short sentence of several words that only you would think of, for "
            'example "the blue bicycle waits under the rain": long, easy to remember, hard '
            "to guess. Avoid names, dates and keyboard rows."
        )
