"""No server error on bad input, anywhere (issue 16).

Every URL of the project (the permission matrix's list, so a new page is fuzzed as soon as
it is declared there) is visited by a user it lets in, with bad values:

- in its query string, for every parameter the view reads (found in its source) and every
  field of the filter forms it shows;
- in its posted form, for every field of the forms the page shows, the fields the view
  reads itself and the matrix's example post: huge and negative numbers, 100,000-character
  texts, control and bidirectional characters, NUL bytes, impossible and out-of-range dates,
  lists where one value is expected, ids that are no number or name nothing;
- in the ids of its address (a number too large for the database).

The answer is always a refusal (4xx) or a normal page or redirect, never a 5xx.  A value
that a field must refuse (too long, out of bounds, not a choice, hidden characters…) writes
nothing: every table of ISA but the audit log is compared before and after.

Each field gets the worst value of each kind once; hypothesis then mixes values for a few
more examples per URL (derandomized, so CI sees the same ones every run).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django import forms
from django.apps import apps
from django.forms.formsets import BaseFormSet
from django.test import Client
from django.urls import resolve, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from isa.core.models import AuditEvent
from isa.core.validators import BIDI_CONTROLS
from tests.conftest import Cast
from tests.test_permission_matrix import MATRIX

#: Who visits: the first of these the matrix lets in (200, else 302).
ROLES = [
    "head",
    "social_worker",
    "facilitator",
    "watcher",
    "referrer",
    "funder",
    "researcher",
    "sysadmin",
    "participant",  # the participant's own space (isa.portal)
    "anonymous",
]
ISA_APPS = {
    "core",
    "people",
    "presence",
    "journal",
    "works",
    "evaluation",
    "watch",
    "portal",
    "reports",
    "privacy",
}
#: Written by the visit itself, whatever was posted.
VOLATILE = {"last_login"}
#: Random examples per URL, on top of the sweep of every field.
EXAMPLES = 5

HUGE = "9" * 30
BIG_INT = str(2**63)
CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\x85", *BIDI_CONTROLS]
DATES = ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01", "2024-02-30", "20240-01-01"]
NOT_NUMBERS = ["abc", "1e999", "NaN", "Infinity", "0x10", "1.5", "--1", ""]
GARBAGE = [HUGE, BIG_INT, "-1", "-" + HUGE, "0", *NOT_NUMBERS, *DATES, "x" * 100_000, "\x00"]

#: Pages that take a POST without a single field: a button (the id is in the address).
FIELDLESS = {
    "admin:index",  # Django's own page: it ignores a POST
    "breakglass_acknowledge",
    "closure_delete",
    "health_delete",
    "kiosk_exit",
    "logout",
    # A forged link shows no form (the set-password form behind a real link is exercised by
    # tests/core/test_password_reset.py, its password fields by the validators' tests).
    "password_reset_confirm",
    "portal_access_disable",
    "portal_access_second_factor_remove",
    "portal_access_letter",
    "portal_data_download",
    "membership_revoke",
    "questionnaire_close",
    "questionnaire_stop",
    "report_proxy_remove",
    "report_publish",
    "watch_take",
}


# -- what a page takes --------------------------------------------------------------------------


@dataclass
class Target:
    """One name a page reads, and the form field behind it when there is one."""

    name: str
    field: forms.Field | None = None


@dataclass
class Plan:
    name: str
    who: str
    url: str
    kwargs: dict[str, Any]
    posts: bool
    client: Client
    query: dict[str, Target] = field(default_factory=dict)
    post: dict[str, Target] = field(default_factory=dict)
    baseline: dict[str, Any] = field(default_factory=dict)
    form_classes: set[type] = field(default_factory=set)


def allowed_role(name: str) -> str:
    expect = MATRIX[name].expect
    for ok in (200, 302):
        for role in ROLES:
            if expect.get(role) == ok:
                return role
    raise AssertionError(f"{name}: nobody may visit it")


def _source(view: Any) -> str:
    view = getattr(view, "view_class", None) or inspect.unwrap(view)
    return inspect.getsource(view)


def _query_source(view: Any) -> str:
    """The view's code, with the code of the module's own functions it calls: a view may
    read its query string or bind its filter form in a helper."""
    view = getattr(view, "view_class", None) or inspect.unwrap(view)
    source = inspect.getsource(view)
    module = inspect.getmodule(view)
    helpers = [
        getattr(module, name)
        for name in sorted(set(re.findall(r"\b(_?[a-z]\w*)\(", source)))
        if inspect.isfunction(getattr(module, name, None))
        and getattr(module, name).__module__ == module.__name__
        and getattr(module, name) is not view
    ]
    return "\n".join([source, *(inspect.getsource(inspect.unwrap(h)) for h in helpers)])


def _names_read(source: str, bag: str) -> set[str]:
    pattern = (
        rf"request\.{bag}(?:\.get(?:list)?\(|\[)\s*[\"'](\w+)[\"']"
        rf"|[\"'](\w+)[\"']\s+(?:not\s+)?in\s+request\.{bag}"
    )
    return {a or b for a, b in re.findall(pattern, source)}


def _form_classes(source: str, module: Any, bag: str) -> set[type]:
    """The form classes a view binds to ``request.GET``; for POST, every form it names."""
    pattern = rf"(\w+)\(\s*request\.{bag}" if bag == "GET" else r"\b([A-Z]\w*)\b"
    found = set()
    for name in re.findall(pattern, source):
        cls = getattr(module, name, None)
        if isinstance(cls, type) and issubclass(cls, (forms.BaseForm, BaseFormSet)):
            found.add(cls)
    return found


def _context_forms(response: Any) -> Iterator[forms.BaseForm | BaseFormSet]:
    seen: set[int] = set()
    for context in response.context or []:
        flat = context.flatten() if hasattr(context, "flatten") else dict(context)
        for value in flat.values():
            items = value if isinstance(value, list | tuple) else [value]
            for item in items:
                if isinstance(item, forms.BaseForm | BaseFormSet) and id(item) not in seen:
                    seen.add(id(item))
                    yield item


def _targets(form: forms.BaseForm | BaseFormSet) -> Iterator[tuple[Target, Any]]:
    """Every field a form (or formset) posts, with the value it shows."""
    if isinstance(form, BaseFormSet):
        yield from _targets(form.management_form)
        for sub in form.forms:
            yield from _targets(sub)
        return
    for name, f in form.fields.items():
        bound = form[name]
        yield Target(bound.html_name, f), _posted(bound.value())


def _posted(value: Any) -> Any:
    """A bound value as the browser would post it back."""
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def plan_for(cast: Cast, name: str) -> Plan:
    case = MATRIX[name]
    who = allowed_role(name)
    kwargs = case.kwargs(cast)
    url = reverse(name, kwargs=kwargs)
    view = resolve(url).func
    source = _source(view)
    module = inspect.getmodule(getattr(view, "view_class", None) or inspect.unwrap(view))
    client = cast.client(who)
    plan = Plan(name=name, who=who, url=url, kwargs=kwargs, posts=False, client=client)
    page = client.get(url, case.data(cast) if case.method == "get" else {})
    shown = list(_context_forms(page)) if page.status_code == 200 else []
    plan.posts = cast.client(who).post(url, {}).status_code != 405
    # The query string: what the view reads, and its filter forms.
    query_source = _query_source(view)
    for q in _names_read(query_source, "GET") | {"page"}:
        plan.query[q] = Target(q)
    for cls in _form_classes(query_source, module, "GET"):
        plan.form_classes.add(cls)
        for form in shown:
            if isinstance(form, cls):
                plan.query.update({t.name: t for t, _value in _targets(form)})
        for fname, f in cls.base_fields.items():
            plan.query.setdefault(fname, Target(fname, f))
    if not plan.posts:
        return plan
    # The posted form: the forms shown on the page, the view's own reads, the matrix's post.
    get_forms = _form_classes(query_source, module, "GET")
    for form in shown:
        if type(form) in get_forms:
            continue
        plan.form_classes.add(type(form))
        for t, value in _targets(form):
            plan.post[t.name] = t
            plan.baseline.setdefault(t.name, value)
    for cls in _form_classes(source, module, "POST") - get_forms:
        plan.form_classes.add(cls)
        if any(isinstance(form, cls) for form in shown):
            continue  # its fields are above, with their prefix
        for fname, f in getattr(cls, "base_fields", {}).items():
            plan.post.setdefault(fname, Target(fname, f))
    for p in _names_read(source, "POST"):
        plan.post.setdefault(p, Target(p))
    for key, value in case.data(cast).items() if case.method == "post" else ():
        plan.post.setdefault(key, Target(key))
        plan.baseline[key] = value
    for t in plan.post.values():
        if plan.baseline.get(t.name) in (None, "", []) and t.field is not None:
            plan.baseline[t.name] = valid_value(t.field)
    return plan


# -- values -------------------------------------------------------------------------------------


def _choices(f: forms.Field) -> set[str]:
    values = set()
    for value, label in f.choices:
        if isinstance(label, list | tuple):
            values |= {str(v) for v, _label in label}
        else:
            values.add(str(value))
    return values


def valid_value(f: forms.Field) -> Any:
    """A value the field accepts, to post beside the bad one (best effort)."""
    if isinstance(f, forms.ModelMultipleChoiceField):
        first = f.queryset.first()
        return [str(first.pk)] if first else []
    if isinstance(f, forms.ModelChoiceField):
        first = f.queryset.first()
        return str(first.pk) if first else ""
    if isinstance(f, forms.MultipleChoiceField):
        return sorted(v for v in _choices(f) if v)[:1]
    if isinstance(f, forms.ChoiceField):
        return next(iter(sorted(v for v in _choices(f) if v)), "")
    if isinstance(f, forms.BooleanField):
        return "on" if f.required else None
    if isinstance(f, forms.DateField):
        return "2024-03-05"
    if isinstance(f, forms.TimeField):
        return "09:00"
    if isinstance(f, forms.IntegerField):
        return str(max(f.min_value or 1, 1) if f.max_value is None else min(1, f.max_value))
    if isinstance(f, forms.DecimalField):
        return "10.00"
    if isinstance(f, forms.EmailField):
        return "fuzz@test.example"
    if isinstance(f, forms.URLField):
        return "https://example.org/"
    if isinstance(f, forms.FileField):
        return None
    return "Fuzz" if f.required else ""


def _password(f: forms.Field | None) -> bool:
    return f is not None and isinstance(f.widget, forms.PasswordInput)


def _multiline(f: forms.Field) -> bool:
    return isinstance(f.widget, forms.Textarea)


def worst_values(t: Target) -> list[tuple[Any, bool]]:
    """The bad values of each kind for one name: (value, whether the field must refuse it)."""
    f = t.field
    if f is None:
        return [(v, False) for v in (HUGE, "-1", "9999-12-31", "a\x00\u202e", "x" * 100_000)]
    if isinstance(f, forms.ModelChoiceField):
        return [(v, True) for v in (HUGE, "-1", "abc")]
    if isinstance(f, forms.ChoiceField):
        choices = _choices(f)
        return [(v, v not in choices) for v in ("not-a-choice\x00", HUGE)]
    if isinstance(f, forms.BooleanField):
        return [("\x00", False), ("x" * 100_000, False)]
    if isinstance(f, forms.FileField):
        return [("not a file", f.required)]
    if isinstance(f, forms.DateField):
        return [(v, True) for v in ("9999-12-31", "0001-01-01", "2024-02-30")]
    if isinstance(f, forms.TimeField):
        return [(v, True) for v in ("25:00", HUGE, "-1:00")]
    if isinstance(f, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return [(v, True) for v in (HUGE, "-" + HUGE, "NaN")]
    if isinstance(f, forms.CharField):
        if _password(f):
            return [("x" * 100_000, False), ("\x00", False)]
        if isinstance(f, forms.EmailField):
            return [("x" * 100_000, True), ("fuzz@exa\u202emple.ch", True)]
        if isinstance(f, forms.URLField):
            return [("x" * 100_000, True), ("https://exa\u202emple.ch/", True)]
        return [("x" * 100_000, True), ("Jean\x00Marc", True), ("Jean\u202eMarc", True)]
    return [(v, False) for v in (HUGE, "\x00", "x" * 100_000)]


def random_value(t: Target) -> st.SearchStrategy[tuple[Any, bool]]:
    """A random bad value for the name; must-refuse only where the bad part is certain."""
    f = t.field
    anything = st.one_of(st.sampled_from(GARBAGE), st.text(max_size=50))
    listed = st.lists(st.sampled_from(GARBAGE), min_size=2, max_size=3)
    loose = st.one_of(anything, listed).map(lambda v: (v, False))
    if f is None or _password(f):
        return loose
    if isinstance(f, forms.IntegerField) and f.max_value is not None:
        too_big = st.integers(min_value=int(f.max_value) + 1, max_value=10**40)
        return st.one_of(loose, too_big.map(lambda n: (str(n), True)))
    if isinstance(f, forms.CharField) and not isinstance(f, forms.ChoiceField):
        bad = st.sampled_from(CONTROLS).flatmap(
            lambda c: st.tuples(st.text(max_size=20), st.text(max_size=20)).map(
                lambda ab: (ab[0] + c + ab[1], True)
            )
        )
        return st.one_of(loose, bad)
    return loose


# -- the state of the database ------------------------------------------------------------------


def snapshot() -> dict[str, str]:
    """Every row of every ISA table but the audit log."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label not in ISA_APPS or model is AuditEvent:
            continue
        columns = [f.attname for f in model._meta.concrete_fields if f.attname not in VOLATILE]
        rows = model._base_manager.order_by("pk").values_list(*columns)
        state[model._meta.label] = repr(list(rows))
    return state


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


# -- the tests ----------------------------------------------------------------------------------


class Visitor:
    """Posts and gets for one plan, keeping the last state of the database seen: a refused
    value is compared with the state just before it (one snapshot per try)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.state: dict[str, str] | None = None

    def send(self, method: str, name: str, value: Any, must_refuse: bool) -> None:
        plan = self.plan
        data = dict(plan.baseline) if method == "post" else {}
        data[name] = value
        data = {k: v for k, v in data.items() if v is not None}
        before = (self.state or snapshot()) if must_refuse else None
        status = getattr(plan.client, method)(plan.url, data).status_code
        shown = f"{plan.who} {method.upper()} {plan.url} {name}={repr(value)[:60]}"
        assert status < 500, f"{shown}: {status}"
        self.state = None  # a value not to refuse may write (a GET only in the audit log)
        if before is not None:
            self.state = snapshot()
            wrote = changed(before, self.state)
            assert not wrote, f"{shown} ({status}) wrote {wrote}"


#: The API's operations (``api:…``) take JSON, not forms: schemathesis fuzzes them against
#: their own schema (tests/api/test_schema.py).  The token pages are fuzzed here.
FUZZED = sorted(name for name in MATRIX if not name.startswith("api:"))


@pytest.mark.parametrize("name", FUZZED)
def test_no_server_error_on_bad_input(cast: Cast, name: str):
    plan = plan_for(cast, name)
    if plan.posts and name not in FIELDLESS:
        assert plan.post, f"{name} takes a POST, but no field of it was found to fuzz"
    visitor = Visitor(plan)
    for q, t in sorted(plan.query.items()):
        for value, _refuse in worst_values(t):
            visitor.send("get", q, value, False)
    # The values to refuse first, one after the other (each compared with the one before).
    sweep = [(p, v, refuse) for p, t in sorted(plan.post.items()) for v, refuse in worst_values(t)]
    for p, value, must_refuse in sorted(sweep, key=lambda row: not row[2]):
        visitor.send("post", p, value, must_refuse)
    if plan.posts:
        visitor.send("post", "unexpected", ["a", "b"], False)

    targets = [("get", t) for t in plan.query.values()] + [("post", t) for t in plan.post.values()]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def mixed(data: st.DataObject) -> None:
        method, t = data.draw(st.sampled_from(targets))
        value, must_refuse = data.draw(random_value(t))
        visitor.send(method, t.name, value, must_refuse)

    if targets:
        mixed()

    # An id too large for the database in the address: no such page.
    case = MATRIX[name]
    for key in [k for k, v in plan.kwargs.items() if isinstance(v, int)]:
        url = reverse(name, kwargs={**plan.kwargs, key: 987654321}).replace("987654321", HUGE)
        status = getattr(plan.client, case.method)(url, case.data(cast)).status_code
        assert status in (302, 400, 404), f"{url}: {status}"


def _project_forms() -> set[type]:
    found: set[type] = set()
    stack = [forms.BaseForm, BaseFormSet]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("isa.") and ".admin" not in sub.__module__:
                found.add(sub)
    return found


#: Forms reached otherwise than through a page's own form (named here, with why).
NOT_POSTED_BY_A_PAGE = {
    # The account page's language choice posts to set_language, which reads the one field
    # (``language``) itself: fuzzed there.
    "LanguageForm",
    # Built per rule inside the watch's settings page (its fields are fuzzed there).
    "RuleForm",
}


def test_every_form_of_the_project_is_fuzzed(cast: Cast):
    seen: set[type] = set()
    for name in FUZZED:
        seen |= plan_for(cast, name).form_classes
    names = {cls.__name__ for cls in seen}
    missing = sorted(
        cls.__name__
        for cls in _project_forms()
        if cls.__name__ not in names
        and cls.__name__ not in NOT_POSTED_BY_A_PAGE
        and not any(issubclass(s, cls) for s in seen)
        and not inspect.isabstract(cls)
    )
    assert not missing, f"forms no fuzzed page posts: {missing}"
