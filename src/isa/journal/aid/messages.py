"""What the writing aid says about a finding: a reason and a suggestion, per kind of wording.

The three lexicons name one of these messages for each entry (``message = "lazy"``), so the
same explanation serves the French, German and English wording of one idea.  The texts here
are the English source messages; they are marked for ``makemessages`` (``gettext_noop``) and
translated in ``isa/locale/{fr,de,en}/LC_MESSAGES/django.po``.  The aid itself does not
translate: the page translates a finding's ``reason`` and ``suggestion`` with gettext, in the
**interface** language, whatever the language of the text (``journal/_aid.html``).

Pure Python, like the rest of the package: no Django import.
"""

from __future__ import annotations

__all__ = ["MESSAGES", "gettext_noop"]


def gettext_noop(message: str) -> str:
    """Marks ``message`` for extraction by ``makemessages``; translated later, by the page."""
    return message


#: message name -> (reason, suggestion), English source texts (gettext msgids)
MESSAGES: dict[str, tuple[str, str]] = {
    "lazy": (
        gettext_noop("Label: reduces the person to a supposed flaw, without saying what happened."),
        gettext_noop(
            'Describe what you saw: "did not start her drawing today", "sat by the '
            'window for an hour".'
        ),
    ),
    "drugs": (
        gettext_noop("Label: the person is reduced to a consumption or an addiction."),
        gettext_noop(
            'Put the person first ("a person living with an addiction") or describe the '
            'fact: "said he used yesterday evening".'
        ),
    ),
    "alcohol": (
        gettext_noop("Label: the person is reduced to their drinking."),
        gettext_noop(
            'Describe what was seen or said: "smelled of alcohol when he arrived", '
            '"talked about his drinking".'
        ),
    ),
    "manipulative": (
        gettext_noop(
            "Label: attributes an intent to deceive or to provoke and makes it a character trait."
        ),
        gettext_noop(
            'What did the person actually say or do? For example: "asked two staff '
            'members for the same material, one after the other".'
        ),
    ),
    "liar": (
        gettext_noop(
            "Label: makes the person a liar, when what you see is a gap between two "
            "pieces of information."
        ),
        gettext_noop(
            'Describe the gap: "said she had an appointment; the social centre did not '
            'know about it".'
        ),
    ),
    "scrounger": (
        gettext_noop("Label: receiving social aid, a right, is turned into a character trait."),
        gettext_noop('Describe the situation: "receives social aid", "asked for an extra coffee".'),
    ),
    "hopeless": (
        gettext_noop("Label: the person is fixed by an overall judgement that closes the door."),
        gettext_noop(
            "Describe a dated moment: what was done, said, or what could not happen "
            'today; for housing, "a person without stable housing".'
        ),
    ),
    "crazy": (
        gettext_noop(
            "Label: an everyday word or a diagnosis is used to describe the whole person."
        ),
        gettext_noop(
            'Describe the behaviour and the moment: "spoke very fast and kept changing '
            'the subject", "said she heard voices this morning".'
        ),
    ),
    "behaviour-label": (
        gettext_noop("Label: the behaviour of one moment becomes the person's identity."),
        gettext_noop(
            'Describe what happened: "raised his voice when asked to tidy up, then '
            'calmed down outside".'
        ),
    ),
    "homeless": (
        gettext_noop("Label: the person is reduced to their housing situation."),
        gettext_noop(
            'Speak of the situation: "a person without stable housing", "has been '
            "sleeping at a friend's since the winter\"."
        ),
    ),
    "insult": (
        gettext_noop("Insult: it judges the person and says nothing of what happened."),
        gettext_noop(
            'Describe the situation that made you react, and what it did to you ("I felt '
            'overwhelmed").'
        ),
    ),
    "character": (
        gettext_noop("Character trait or insult: a judgement of the person, not an observation."),
        gettext_noop(
            "What did you see or hear that gave you this impression? Describe it, with "
            "when it happened."
        ),
    ),
    "problem-person": (
        gettext_noop('Label: the person is described as a problem, a burden or as "not right".'),
        gettext_noop(
            'What happened in the group, and when? "During the discussion, two people '
            'left the table after her remarks".'
        ),
    ),
    "mental-slang": (
        gettext_noop(
            "Colloquial label on a state of mind: it judges instead of saying what was observed."
        ),
        gettext_noop(
            'Describe what you saw: "answered beside the questions", "did not seem to '
            'hear when spoken to".'
        ),
    ),
    "person-first": (
        gettext_noop(
            "Label: a diagnosis or a consumption attached to the noun still defines the "
            "whole person."
        ),
        gettext_noop(
            'Put the person first, then the situation: "a person who uses drugs", "a '
            'woman living with schizophrenia", "a man who has an alcohol problem".'
        ),
    ),
    "reaction-verdict": (
        gettext_noop(
            'Verdict on the reaction: "tantrum", "a fuss about nothing" say it has no good reason.'
        ),
        gettext_noop(
            'Describe what happened before and during: "shouted and threw her brush when '
            'her table was cleared".'
        ),
    ),
    "verdict": (
        gettext_noop("Moral verdict: it says what you think of the person, not what happened."),
        gettext_noop(
            'Describe the facts and their effect: "told Anne to shut up in front of the '
            'group; Anne left the room".'
        ),
    ),
    "work-verdict": (
        gettext_noop(
            'Verdict on what the person made: a word like "rubbish" or "worthless" '
            "judges the maker through the work and says nothing about the work."
        ),
        gettext_noop(
            'Describe the work and the moment: "painted a canvas in blue and grey and '
            'left it half done", and what the person said about it.'
        ),
    ),
    "on-purpose": (
        gettext_noop("Intent presented as fact: an intention cannot be seen, a gesture can."),
        gettext_noop(
            'Describe the gesture and what it caused: "the glass of water tipped over '
            "onto Paul's table for the second time\"."
        ),
    ),
    "faking": (
        gettext_noop('Intent presented as fact: "faking" assumes you know what the person feels.'),
        gettext_noop(
            'Describe what she said and did: "said her back hurt and sat down while the '
            'others tidied up".'
        ),
    ),
    "victim": (
        gettext_noop(
            'Intent presented as fact: "playing the victim" presents suffering as a pose.'
        ),
        gettext_noop(
            'Describe what the person said and did: "said nobody helps her, and left the '
            'table when we asked her to tidy up".'
        ),
    ),
    "manipulation": (
        gettext_noop(
            "Intent presented as fact: manipulating assumes a calculation that cannot be seen."
        ),
        gettext_noop(
            'Describe the request and the context: "asked two people on the team for the '
            'same thing".'
        ),
    ),
    "lying": (
        gettext_noop("Intent presented as fact: saying a person lies asserts what they wanted."),
        gettext_noop(
            'Describe the gap you found: "said he had a medical appointment; there was '
            "none in the social centre's diary\"."
        ),
    ),
    "gaming": (
        gettext_noop("Intent presented as fact: using a right is not gaming it."),
        gettext_noop("Describe the concrete situation: what was asked for or received, and when."),
    ),
    "attitude": (
        gettext_noop(
            "Attitude or motive presented as fact: nobody can see what a person thinks "
            "of themselves or why they come."
        ),
        gettext_noop(
            'Describe words and actions: "told Paul his drawing was a failure", "had two '
            'coffees and left at 10".'
        ),
    ),
    "attention": (
        gettext_noop("Intent presented as fact: a need or a request is read as a manoeuvre."),
        gettext_noop(
            'Describe what happened and what the person expressed: "cried during the '
            'workshop and asked to talk with Anne".'
        ),
    ),
    "motivation": (
        gettext_noop(
            "Intent or inner state presented as fact: motivation, will and sincerity "
            "cannot be seen."
        ),
        gettext_noop(
            'Describe what was done or said: "did not pick up a brush this morning; said '
            'he was tired".'
        ),
    ),
    "always": (
        gettext_noop(
            'Generalisation: "always" turns a few moments into a rule about the person '
            "and erases the exceptions."
        ),
        gettext_noop(
            'Give the moments: "arrived at 10:20 on Tuesday and Thursday; on time on Monday".'
        ),
    ),
    "never": (
        gettext_noop(
            'Generalisation: "never" fixes the person in a reproach and erases the times '
            "it went otherwise."
        ),
        gettext_noop(
            'Give the moments you observed: "did not put her brushes away on Tuesday or '
            'Thursday" — and were there exceptions?'
        ),
    ),
}
