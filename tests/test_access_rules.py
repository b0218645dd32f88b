"""Access in one place (SECURITY.md rule 1, STYLE.md 5): views reach personal data only
through a ``get_<thing>_for_user`` helper in their app's ``access.py`` or a
``visible_to(user)`` QuerySet, and never raise 404 themselves.

This test reads the source of every view module and fails on the shapes of a lookup done
by hand: ``.filter(pk=…).first()``, ``objects.get(pk=…)``, ``get_object_or_404(…)``,
``raise Http404``, a ``get_<thing>_for_user`` helper defined in a view module, and a
personal model filtered by programme or participant without ``visible_to``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps

from isa.people.models import Participant

SRC = Path(__file__).resolve().parent.parent / "src" / "isa"
VIEW_MODULES = sorted([*SRC.glob("*/views.py"), *SRC.glob("*/views/*.py")])

#: Models that hold a person's data: those related to a participant, and those that hang
#: from them (a pause from a stay, an image from a work, an outreach from an alert…).
PERSONAL_MODELS = frozenset(
    {
        "Participant",
        "Referral",
        "Stay",
        "Pause",
        "Milestone",
        "Pact",
        "Consent",
        "Presence",
        "CheckInSymbol",
        "Entry",
        "EntryVersion",
        "Work",
        "WorkImage",
        "Credit",
        "Exhibition",
        "ExhibitionWork",
        "Administration",
        "EffectAssessment",
        "HealthPeriod",
        "Alert",
        "Outreach",
        "Anonymisation",
        "ParticipantAccess",
        "Invitation",
        "CorrectionRequest",
    }
)

#: (module, rule, detail) that may stay, each with the reason written above it.  Empty
#: today: every view module keeps the rules.
ALLOWED: set[tuple[str, str, str]] = set()

RAISE_404 = "raise Http404 in a view"
HELPER_IN_VIEW = "access helper defined in a view module"
GET_OR_404 = "get_object_or_404"
GET_PK = ".get(pk=…)"
FILTER_PK_FIRST = ".filter(pk=…).first()"
UNSCOPED = "personal model filtered by programme or participant without visible_to"

ID_KEYWORDS = {"pk", "id"}
SCOPE_KEYWORDS = ("programme", "participant")


def _chain(node: ast.expr) -> Iterator[ast.expr]:
    """The receivers of a call chain, from the outermost: a.b().c() → a.b().c(), a.b(), a."""
    while True:
        yield node
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            return


def _method(call: ast.Call) -> str | None:
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def _keywords(call: ast.Call) -> set[str]:
    return {k.arg for k in call.keywords if k.arg}


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def violations(source: str) -> list[tuple[int, str, str]]:
    """(line, rule, detail) for each hand-made lookup in one module's source."""
    found: list[tuple[int, str, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if _name(exc) == "Http404":
                found.append((node.lineno, RAISE_404, "Http404"))
        if (
            isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("get_")
            and node.name.endswith("_for_user")
        ):
            found.append((node.lineno, HELPER_IN_VIEW, node.name))
        if not isinstance(node, ast.Call):
            continue
        method = _method(node)
        if _name(node.func) == "get_object_or_404":
            found.append((node.lineno, GET_OR_404, "get_object_or_404"))
        if method == "get" and _keywords(node) & ID_KEYWORDS:
            found.append((node.lineno, GET_PK, ast.unparse(node.func)))
        if method == "first":
            for receiver in _chain(node.func):
                if (
                    isinstance(receiver, ast.Call)
                    and _method(receiver) == "filter"
                    and _keywords(receiver) & ID_KEYWORDS
                ):
                    found.append((node.lineno, FILTER_PK_FIRST, ast.unparse(receiver)))
                    break
        if method == "filter" and isinstance(node.func, ast.Attribute):
            manager = node.func.value
            if (
                isinstance(manager, ast.Attribute)
                and manager.attr == "objects"
                and isinstance(manager.value, ast.Name)
                and manager.value.id in PERSONAL_MODELS
                and any(k.startswith(SCOPE_KEYWORDS) for k in _keywords(node))
            ):
                found.append((node.lineno, UNSCOPED, manager.value.id))
    return sorted(found)


def _hits() -> list[str]:
    hits = []
    for path in VIEW_MODULES:
        module = str(path.relative_to(SRC))
        for line, rule, detail in violations(path.read_text(encoding="utf-8")):
            if (module, rule, detail) not in ALLOWED:
                hits.append(f"{module}:{line}: {rule} ({detail})")
    return hits


def test_the_rules_read_every_view_module():
    names = {str(p.relative_to(SRC)) for p in VIEW_MODULES}
    assert {"people/views.py", "presence/views/register.py", "works/views/works.py"} <= names
    assert len(names) >= 20


def test_views_reach_personal_data_only_through_access_helpers():
    hits = _hits()
    assert not hits, "Look these up through <app>/access.py:\n" + "\n".join(hits)


def test_every_model_related_to_a_participant_is_counted_as_personal():
    related = {
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("isa.")
        and any(
            field.is_relation and field.related_model is Participant
            for field in model._meta.get_fields()
            if field.concrete or field.many_to_many
        )
    }
    assert related, "the registry has no model related to a participant"
    assert related <= PERSONAL_MODELS, sorted(related - PERSONAL_MODELS)


def test_each_allowed_exception_is_still_needed():
    still = set()
    for path in VIEW_MODULES:
        module = str(path.relative_to(SRC))
        for _line, rule, detail in violations(path.read_text(encoding="utf-8")):
            still.add((module, rule, detail))
    assert still >= ALLOWED, sorted(ALLOWED - still)


@pytest.mark.parametrize(
    ("source", "rule"),
    [
        ("x = Work.objects.visible_to(u).filter(pk=1).first()", FILTER_PK_FIRST),
        (
            "x = qs.filter(id=request.POST['w']).select_related('a').first()",
            FILTER_PK_FIRST,
        ),
        ("x = Participant.objects.get(pk=pk)", GET_PK),
        ("x = get_object_or_404(Entry, pk=pk)", GET_OR_404),
        ("def view(request):\n    raise Http404", RAISE_404),
        ("def view(request):\n    raise Http404 from None", RAISE_404),
        ("def get_alert_for_user(request, pk):\n    pass", HELPER_IN_VIEW),
        ("n = Alert.objects.filter(programme=p).count()", UNSCOPED),
        ("n = Stay.objects.filter(participant_id__in=ids)", UNSCOPED),
    ],
)
def test_the_rules_catch_a_lookup_done_by_hand(source: str, rule: str):
    assert [r for _line, r, _detail in violations(source)] == [rule]


@pytest.mark.parametrize(
    "source",
    [
        "x = Work.objects.visible_to(user).filter(programme=p)",
        "x = HealthPeriod.objects.removable_by(user).filter(participant=participant)",
        "x = Workshop.objects.filter(programme=p).order_by('title')",
        "x = request.POST.get('participant')",
        "x = qs.filter(pk__in=ids).first()",
    ],
)
def test_the_rules_let_scoped_lookups_pass(source: str):
    assert violations(source) == []
