"""The effects grid: the effects the measure may have for a person, as data.

The list follows the seed (DOMAIN.md, "The effects the measure produces"): the gains
(*plus-values*) and the two perverse effects the seed names alongside them.  An honest
grid records the perverse effects as carefully as the gains: same scale width, same place
on the page, same weight.

Gains are assessed as a change since the person came ("much less" … "much more"); the
perverse effects as how present they are ("not at all" … "strongly").  Neither scale
judges: it describes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CHANGE = "change"
PRESENCE = "presence"

#: 1..5, the change since the person came to the workshop.
CHANGE_SCALE: tuple[tuple[int, Promise], ...] = (
    (1, _("much less")),
    (2, _("a little less")),
    (3, _("no change")),
    (4, _("a little more")),
    (5, _("much more")),
)
#: 1..5, how present a perverse effect is.
PRESENCE_SCALE: tuple[tuple[int, Promise], ...] = (
    (1, _("not present")),
    (2, _("a little present")),
    (3, _("somewhat present")),
    (4, _("clearly present")),
    (5, _("strongly present")),
)


@dataclass(frozen=True)
class Effect:
    code: str
    label: Promise
    help: Promise
    scale: str = CHANGE
    perverse: bool = False

    @property
    def choices(self) -> tuple[tuple[int, Promise], ...]:
        return PRESENCE_SCALE if self.scale == PRESENCE else CHANGE_SCALE

    def level_label(self, level: int | None) -> str:
        return str(dict(self.choices).get(level, "")) if level else ""


EFFECTS: tuple[Effect, ...] = (
    Effect(
        "isolation",
        _("Feeling of isolation"),
        _("How alone the person feels, compared with before coming to the workshop."),
    ),
    Effect(
        "self_esteem",
        _("Self-esteem"),
        _("How the person sees and values themself."),
    ),
    Effect(
        "physical_health",
        _("Physical health"),
        _("Body, sleep, movement, care for one's health."),
    ),
    Effect(
        "psychological_health",
        _("Psychological health"),
        _("Mood, worries, inner calm."),
    ),
    Effect(
        "social_health",
        _("Social health"),
        _("Relationships, exchanges with others, place among people."),
    ),
    Effect(
        "transversal_skills",
        _("Transversal skills"),
        _("Skills used across situations: organising, keeping an appointment, cooperating."),
    ),
    Effect(
        "projecting",
        _("Capacity to project oneself"),
        _("Thinking about what comes next, at one's own pace, without a set goal."),
    ),
    Effect(
        "employment_steps",
        _("Steps towards employment"),
        _("Steps the person takes of their own accord; never expected of anyone."),
    ),
    Effect(
        "protective_island",
        _("Protective island that becomes a cocoon"),
        _(
            "Perverse effect: the workshop becomes the only place where the person feels "
            "safe, and other ties or places fade."
        ),
        scale=PRESENCE,
        perverse=True,
    ),
    Effect(
        "curtailed_autonomy",
        _("Curtailed autonomy"),
        _(
            "Perverse effect: the person leaves to the team things they used to do or could "
            "do themself."
        ),
        scale=PRESENCE,
        perverse=True,
    ),
)

EFFECTS_BY_CODE = {e.code: e for e in EFFECTS}
