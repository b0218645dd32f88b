"""The rules of the watch: a registry, and the three built-in rules.

A rule is a function ``evaluate(programme, params, today)`` that yields what it notices,
one :class:`Finding` (or a ``(participant, situation, summary)`` tuple) per person and
situation.  The situation is a key ("absent:2025-03-03"): the watch raises one alert per
person, rule and situation, ever.  Other apps register their own rules from their
``AppConfig.ready()`` (the questionnaires will)::

    from isa.watch.rules import ParamSpec, register_rule

    register_rule("declined_twice", _("Declined twice"), {"days": 60}, evaluate,
                  param_specs={"days": ParamSpec(_("Days"), 7, 365)})

Rules look at what happened up to *the day before* ``today``: the watch runs in the
morning, before the day's register is filled in.  A half-day on which nobody's presence or
absence was recorded at all (the register was not filled in) is never counted as missed.

Every word here is care, never sanction: "has not come", not "was absent without excuse".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from isa.core.models import Programme
from isa.journal.models import Entry, EntryKind
from isa.people.models import OCCUPYING, Participant, Pause, Status, Stay
from isa.presence import rates
from isa.presence.models import Presence, PresenceState

if TYPE_CHECKING:
    from isa.watch.models import Alert

HalfDayKey = tuple[date, str]
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Finding:
    """What a rule noticed about one person."""

    participant: Participant | int
    situation: str
    summary: str = ""  # descriptive fallback text; never the text of a journal entry
    facts: dict[str, Any] = field(default_factory=dict)  # JSON, for ``describe``
    entry_id: int | None = None  # the journal entry behind it, if any

    @property
    def participant_id(self) -> int:
        p = self.participant
        return p if isinstance(p, int) else p.pk


@dataclass(frozen=True)
class ParamSpec:
    """A whole-number parameter: its label, its bounds and an optional help text."""

    label: str | Promise
    minimum: int = 0
    maximum: int = 1000
    help: str | Promise = ""


Evaluate = Callable[[Programme, dict[str, int], date], Iterable["Finding | tuple[Any, str, str]"]]
Describe = Callable[["Alert"], str]


@dataclass(frozen=True)
class Rule:
    code: str
    label: str | Promise
    default_params: Mapping[str, int]
    evaluate: Evaluate
    description: str | Promise = ""
    param_specs: Mapping[str, ParamSpec] = field(default_factory=dict)
    describe: Describe | None = None
    #: While an alert of this rule is open for a person, new situations are not raised
    #: for them: someone is already taking news.
    one_open_per_person: bool = False
    #: After an alert of this rule for a person, wait this many days before another one.
    quiet_days: int = 0
    #: Codes of rules that already say it: no alert while one of theirs for the person is
    #: open or was opened within ``quiet_days`` (a streak of absences is also a drop).
    defer_to: tuple[str, ...] = ()
    enabled_by_default: bool = True

    def spec(self, name: str) -> ParamSpec:
        return self.param_specs.get(name) or ParamSpec(name)

    def params_or_defaults(self, raw: Mapping[str, Any] | None) -> dict[str, int]:
        """``clean_params``, falling back on the defaults if what is stored went wrong."""
        try:
            return self.clean_params(raw)
        except ValidationError:
            return dict(self.default_params)

    def clean_params(self, raw: Mapping[str, Any] | None) -> dict[str, int]:
        """The defaults overlaid with ``raw``, each a whole number within its bounds;
        unknown keys are dropped.  Raises ValidationError naming the parameter."""
        params = dict(self.default_params)
        errors: dict[str, str] = {}
        for name in self.default_params:
            if raw is None or name not in raw or raw[name] in (None, ""):
                continue
            spec = self.spec(name)
            try:
                value = int(raw[name])
                if isinstance(raw[name], float) and raw[name] != value:
                    raise ValueError
            except (TypeError, ValueError):
                errors[name] = _("Enter a whole number.")
                continue
            if not spec.minimum <= value <= spec.maximum:
                errors[name] = _("Between %(min)d and %(max)d.") % {
                    "min": spec.minimum,
                    "max": spec.maximum,
                }
                continue
            params[name] = value
        if errors:
            raise ValidationError(errors)
        return params


_rules: dict[str, Rule] = {}


def register_rule(
    code: str,
    label: str | Promise,
    default_params: Mapping[str, int],
    evaluate: Evaluate,
    **options: Any,
) -> Rule:
    """Add a rule to the watch of every programme (each programme turns it on or off and
    sets its parameters).  Registering the same code again replaces it."""
    if not code or len(code) > 60 or ":" in code:
        raise ValueError(f"invalid watch rule code {code!r}")
    rule = Rule(code, label, dict(default_params), evaluate, **options)
    _rules[code] = rule
    return rule


def registered_rules() -> list[Rule]:
    return list(_rules.values())


def get_rule(code: str) -> Rule | None:
    return _rules.get(code)


def rule_label(code: str) -> str:
    rule = _rules.get(code)
    return str(rule.label) if rule else code


def describe(alert: Alert) -> str:
    """The alert's summary in the current language, when its rule can say it."""
    rule = _rules.get(alert.kind)
    if rule is not None and rule.describe is not None and alert.facts:
        try:
            return rule.describe(alert)
        except (KeyError, ValueError, TypeError):
            return alert.summary  # facts from an older version of the rule: the stored text
    return alert.summary


def normalize(finding: Finding | tuple[Any, str, str]) -> Finding:
    if isinstance(finding, Finding):
        return finding
    participant, situation, summary = finding
    return Finding(participant, situation, summary)


# -- helpers shared by the presence rules ------------------------------------------------------


def _short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def recorded_half_days(programme: Programme | int, start: date, end: date) -> set[HalfDayKey]:
    """Half-days on which the register was filled in: at least one presence or absence
    recorded for someone.  Others may simply not have been entered yet."""
    return set(
        Presence.objects.filter(
            session__workshop__programme=programme, session__on__range=(start, end)
        )
        .values_list("session__on", "session__part")
        .order_by()
        .distinct()
    )


def back_on(participant_ids: Iterable[int]) -> dict[int, date]:
    """The day each person's current run of accompaniment began: the admission of their
    open stay, or the end of their latest pause in it.  A streak never spans a pause."""
    ids = list(participant_ids)
    result: dict[int, date] = {}
    stays = {s.pk: s for s in Stay.objects.open().filter(participant_id__in=ids).order_by()}
    for stay in stays.values():
        result[stay.participant_id] = stay.admitted_on
    for pause in Pause.objects.filter(stay_id__in=list(stays), ended_on__isnull=False).order_by():
        pid = stays[pause.stay_id].participant_id
        if pause.ended_on and pause.ended_on > result[pid]:
            result[pid] = pause.ended_on
    return result


# -- built-in rule: several pact half-days in a row without coming -----------------------------

#: How far back the first look goes; people not seen for longer get a second, longer look.
STREAK_WINDOW = timedelta(weeks=13)


def missed_streaks(
    programme: Programme, today: date, participant_ids: list[int]
) -> dict[int, list[HalfDayKey]]:
    """For each person, the pact half-days missed since they last came (any half-day,
    pact or not: the team saw them) and since their current run of accompaniment began,
    counting only held sessions whose register was filled in."""
    end = today - ONE_DAY
    start = end - STREAK_WINDOW
    figures = rates.compute(programme, start, end, participant_ids=participant_ids)
    recorded = recorded_half_days(programme, start, end)
    since_day = back_on(participant_ids)
    streaks: dict[int, list[HalfDayKey]] = {}
    unseen: list[int] = []
    for pid in participant_ids:
        person = figures.people.get(pid)
        if pid not in since_day:
            continue
        floor: HalfDayKey = (since_day[pid], "")  # "" sorts before "am"
        seen = max(person.present_days) if person and person.present_days else None
        if seen is None and since_day[pid] < start:
            unseen.append(pid)
        since = max(seen, floor) if seen else floor
        expected = person.expected_days if person else set()
        streaks[pid] = sorted(k for k in expected if k > since and k in recorded)
    if unseen:
        # Not seen in the window: when did they last come, before it?
        last = dict(
            Presence.objects.filter(
                participant_id__in=unseen,
                state=PresenceState.PRESENT,
                session__on__lt=start,
                session__cancelled=False,
            )
            .values("participant_id")
            .annotate(last=Max("session__on"))
            .values_list("participant_id", "last")
            .order_by()
        )
        since = {
            pid: max(
                (last[pid], "zz") if pid in last else (since_day[pid], ""),
                (since_day[pid], ""),
            )
            for pid in unseen
        }
        first = min(key[0] for key in since.values())
        if first < start:
            older = rates.compute(programme, first, start - ONE_DAY, participant_ids=unseen)
            recorded_older = recorded_half_days(programme, first, start - ONE_DAY)
            for pid in unseen:
                person = older.people.get(pid)
                if person is None:
                    continue
                earlier = [
                    k for k in person.expected_days if k > since[pid] and k in recorded_older
                ]
                streaks[pid] = sorted(earlier) + streaks[pid]
    return streaks


def evaluate_absent_streak(
    programme: Programme, params: dict[str, int], today: date
) -> Iterable[Finding]:
    wanted = params["half_days"]
    people = list(
        Participant.objects.filter(programme=programme, status=Status.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    if not people:
        return
    for pid, missed in missed_streaks(programme, today, people).items():
        if len(missed) >= wanted:
            first_day, first_part = missed[0]
            yield Finding(
                pid,
                f"absent:{first_day.isoformat()}",
                facts={
                    "missed": len(missed),
                    "since": first_day.isoformat(),
                    "part": first_part,
                },
            )


def describe_absent_streak(alert: Alert) -> str:
    facts = alert.facts
    n = int(facts["missed"])
    return ngettext(
        "Has not come for %(n)d of their usual half-days, since %(date)s.",
        "Has not come for %(n)d of their usual half-days in a row, since %(date)s.",
        n,
    ) % {"n": n, "date": _short(date.fromisoformat(facts["since"]))}


# -- built-in rule: the presence rate drops ----------------------------------------------------

RECENT = timedelta(weeks=4)
BEFORE = timedelta(weeks=12)


def evaluate_rate_drop(
    programme: Programme, params: dict[str, int], today: date
) -> Iterable[Finding]:
    points = params["points"]
    minimum = params["min_half_days"]
    people = list(
        Participant.objects.filter(programme=programme, status=Status.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    if not people:
        return
    end = today - ONE_DAY
    recent_start = end - RECENT + ONE_DAY
    start = recent_start - BEFORE
    figures = rates.compute(programme, start, end, participant_ids=people)
    recorded = recorded_half_days(programme, start, end)
    year, week, _weekday = today.isocalendar()
    for pid, person in figures.people.items():
        expected = person.expected_days & recorded
        recent = {k for k in expected if k[0] >= recent_start}
        before = expected - recent
        if len(recent) < minimum or len(before) < minimum:
            continue
        came_recent = len(recent & person.present_days)
        came_before = len(before & person.present_days)
        drop = 100 * (came_before / len(before) - came_recent / len(recent))
        if drop >= points:
            yield Finding(
                pid,
                f"rate:{year}-W{week:02d}",
                facts={
                    "recent": came_recent,
                    "recent_expected": len(recent),
                    "before": came_before,
                    "before_expected": len(before),
                },
            )


def describe_rate_drop(alert: Alert) -> str:
    """The figures as they were on the day the alert was noticed, and that day: beside
    today's rate in the file, an undated "25 %" would contradict it."""
    f = alert.facts
    return _(
        "On %(date)s: came to %(recent)d of %(recent_expected)d usual half-days over the four "
        "weeks before (%(recent_rate)d %%), against %(before)d of %(before_expected)d over the "
        "twelve weeks before those (%(before_rate)d %%)."
    ) % {
        "date": _short(alert.opened_on),
        "recent": f["recent"],
        "recent_expected": f["recent_expected"],
        "recent_rate": round(100 * f["recent"] / f["recent_expected"]),
        "before": f["before"],
        "before_expected": f["before_expected"],
        "before_rate": round(100 * f["before"] / f["before_expected"]),
    }


# -- built-in rule: a concern in the journal ---------------------------------------------------


def evaluate_concern_entry(
    programme: Programme, params: dict[str, int], today: date
) -> Iterable[Finding]:
    since = today - timedelta(days=params["days"])
    rows = (
        Entry.objects.filter(
            programme=programme,
            kind=EntryKind.CONCERN,
            written_on__gte=since,
            written_on__lte=today,
        )
        .values_list("pk", "written_on", "participants__pk", "participants__status")
        .order_by("written_on", "pk")
    )
    for entry_id, written_on, pid, status in rows:
        if pid is None or status not in OCCUPYING:
            continue
        yield Finding(
            pid,
            f"concern:{entry_id}",
            facts={"written_on": written_on.isoformat()},
            entry_id=entry_id,
        )


def describe_concern_entry(alert: Alert) -> str:
    return _("A concern was noted in the journal on %(date)s.") % {
        "date": _short(date.fromisoformat(alert.facts["written_on"]))
    }


def register_builtin_rules() -> None:
    register_rule(
        "absent_streak",
        gettext_lazy("Several usual half-days without coming"),
        {"half_days": 3},
        evaluate_absent_streak,
        description=gettext_lazy(
            "The person has not come for several of the half-days of their pact in a row "
            "(open workshops, outside pauses). Coming on another half-day counts as coming."
        ),
        param_specs={
            "half_days": ParamSpec(gettext_lazy("Half-days in a row"), 1, 20),
        },
        describe=describe_absent_streak,
        one_open_per_person=True,
    )
    register_rule(
        "rate_drop",
        gettext_lazy("Comes less often than before"),
        {"points": 25, "min_half_days": 4},
        evaluate_rate_drop,
        description=gettext_lazy(
            "The share of usual half-days the person came over the last four weeks is lower, "
            "by at least the points below, than over the twelve weeks before."
        ),
        param_specs={
            "points": ParamSpec(gettext_lazy("Drop, in percentage points"), 5, 100),
            "min_half_days": ParamSpec(
                gettext_lazy("Usual half-days needed in each period"),
                1,
                40,
                gettext_lazy("Below this, a few half-days would say too little."),
            ),
        },
        describe=describe_rate_drop,
        one_open_per_person=True,
        quiet_days=28,
        defer_to=("absent_streak",),
    )
    register_rule(
        "concern_entry",
        gettext_lazy("A concern in the journal"),
        {"days": 30},
        evaluate_concern_entry,
        description=gettext_lazy(
            "A journal entry of the kind “concern” was written about the person recently."
        ),
        param_specs={"days": ParamSpec(gettext_lazy("Written in the last … days"), 1, 365)},
        describe=describe_concern_entry,
    )
