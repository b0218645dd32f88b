"""The forms' renderer writes the drop-down as Django's templates do, byte for byte."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override
from hypothesis import given, settings
from hypothesis import strategies as st

from isa.core.renderers import FormRenderer

DJANGO = DjangoTemplates()
OURS = FormRenderer()

text = st.text(alphabet=st.sampled_from(list("aé Z0<>&\"'-/ü")), max_size=8)
value = st.one_of(text, st.integers(-5, 500), st.booleans(), st.none())
attr_value = st.one_of(text, st.integers(0, 9), st.booleans())
option = st.tuples(value, text)
group = st.tuples(text.filter(bool), st.lists(option, max_size=3))
choices = st.lists(st.one_of(option, group), max_size=6)
attrs = st.dictionaries(st.sampled_from(["class", "data-x", "required", "autofocus"]), attr_value)


def both(widget: forms.Widget, name: str, value: Any) -> tuple[str, str]:
    return (
        widget.render(name, value, renderer=DJANGO),
        widget.render(name, value, renderer=OURS),
    )


@settings(max_examples=300, deadline=None)
@given(choices=choices, chosen=value, attrs=attrs, multiple=st.booleans(), name=text)
def test_any_select_reads_the_same_as_django_s(choices, chosen, attrs, multiple, name):
    widget = (forms.SelectMultiple if multiple else forms.Select)(attrs=attrs, choices=choices)
    django, ours = both(widget, name, [chosen] if multiple else chosen)
    assert ours == django


def test_lazy_labels_safe_values_and_numbers_are_written_as_django_writes_them():
    widget = forms.Select(
        attrs={"aria-describedby": mark_safe("a&amp;b"), "data-n": 3, "hidden": True},
        choices=[
            ("", gettext_lazy("none")),
            (mark_safe("<i>"), mark_safe("<b>safe</b>")),
            (1.5, 2.25),
            (gettext_lazy("Group"), [(2, gettext_lazy("Moment")), (3, "x")]),
        ],
    )
    for language in ("fr", "de", "en"):
        with override(language):
            django, ours = both(widget, "kind", 2)
            assert ours == django
            assert "selected" in ours


def test_the_file_s_drop_downs_read_the_same(cast):
    from isa.people.forms import MilestoneForm
    from isa.presence.forms import SymbolForm

    assert isinstance(get_default_renderer(), FormRenderer)
    for make in (MilestoneForm, lambda: SymbolForm(initial={"symbol": "sun"})):
        ours, django = make(), make()
        django.renderer = DJANGO
        selects = [name for name, f in ours.fields.items() if isinstance(f.widget, forms.Select)]
        assert selects
        for name in selects:
            assert str(ours[name]) == str(django[name])


def test_other_choice_widgets_are_left_to_django():
    widget = forms.RadioSelect(choices=[("a", "A"), ("b", "B")])
    django, ours = both(widget, "r", "a")
    assert ours == django
    assert "<select" not in ours and 'type="radio"' in ours


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(text, st.integers(), st.floats(allow_nan=False), st.none()))
def test_escaped_is_django_s_conditional_escape(value):
    from django.utils.html import conditional_escape

    from isa.core.text import escaped

    for v in (value, mark_safe(str(value)), gettext_lazy("none")):
        assert escaped(v) == str(conditional_escape(v))
