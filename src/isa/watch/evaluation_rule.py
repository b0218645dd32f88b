"""The watch's rule on questionnaires: a low score is a moment to check in.

The watch sits above the evaluation app: it reads evaluation's QuerySets (evaluation never
imports the watch).  The rule looks at each person's latest scored questionnaire of each
instrument and notices those the instrument file's ``signal`` marks: a score at or beyond
its threshold on the unfavourable side (WHO-5: raw score ≤ 7).  One alert per
questionnaire, ever (the situation key holds the administration id).

What the alert says is minimal and source-neutral: "a moment to check in, noted by the
social work team".  Watchers see the alert but never questionnaires (SECURITY.md), so its
label and text name neither a questionnaire nor a score nor well-being: the alert does not
even reveal that a questionnaire was answered.  Only the rule's description, on the rules
page (heads only), says where the signal comes from.  The head and the social workers read
the questionnaire itself on the person's file.

Besides the regular runs, the watch listens to evaluation's ``questionnaire_scored``
signal and runs this rule for the programme at once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from isa.core.models import Programme
from isa.evaluation.models import Administration
from isa.people.models import Participant
from isa.watch.rules import Finding, ParamSpec, register_rule

if TYPE_CHECKING:
    from isa.watch.models import Alert

logger = logging.getLogger(__name__)

CODE = "low_score"


def evaluate_low_score(
    programme: Programme, params: dict[str, int], today: date
) -> Iterable[Finding]:
    """The latest scored questionnaire of each person and instrument, when it signals."""
    since = date.fromordinal(max(today.toordinal() - params["days"], 1))
    latest: dict[tuple[int, str, int | None], Administration] = {}
    rows = (
        Administration.objects.scored()
        .filter(
            programme=programme,
            on__lte=today,
            participant__in=Participant.objects.occupying(),
        )
        .only("pk", "participant_id", "instrument_code", "loaded_instrument_id", "on", "signal")
        .order_by("on", "created_at", "pk")
    )
    for a in rows:
        latest[(a.participant_id, a.instrument_code, a.loaded_instrument_id)] = a
    for a in latest.values():
        if a.signal and a.on >= since:
            yield Finding(
                a.participant_id,
                f"questionnaire:{a.pk}",
                facts={"on": a.on.isoformat()},
            )


def describe_low_score(alert: Alert) -> str:
    """Source-neutral: shown to the watchers, who never see questionnaires."""
    return _("A moment to check in, noted by the social work team.")


def register() -> None:
    register_rule(
        CODE,
        # The label is shown to the watchers (board, alert, digest): nothing revealing.
        gettext_lazy("A moment to check in (social work)"),
        {"days": 60},
        evaluate_low_score,
        description=gettext_lazy(
            "Questionnaire signal: the latest questionnaire a person answered (for example "
            "the well-being questionnaire WHO-5, raw score 7 or less) suggests low "
            "well-being: a moment to check in. The watchers only read “a moment to check "
            "in, noted by the social work team”: neither the questionnaire, the answers nor "
            "the score."
        ),
        param_specs={
            "days": ParamSpec(gettext_lazy("Questionnaires of the last … days"), 1, 365),
        },
        describe=describe_low_score,
    )


def on_questionnaire_scored(
    sender: Any, administration: Any, programme: Any, **kwargs: Any
) -> None:
    """Run the questionnaire rule for the programme at once (the other rules keep their
    own rhythm)."""
    from isa.core.actor import Actor
    from isa.watch.services import watch_evaluate

    try:
        watch_evaluate(programme=programme, actor=Actor.job("watch"), only=(CODE,))
    except Exception:  # the watch must never stop a questionnaire from being saved
        logger.exception("watch: questionnaire rule failed on programme %s", programme.pk)
