"""Spreadsheet formulas are neutralised in every export (OWASP CSV injection)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from isa.core.exports import safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+41 27 123 45 67", "'+41 27 123 45 67"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'\r=1+2"),
        ("\tplain", "'\tplain"),
        ("  =1+2", "'  =1+2"),
        ("\n@cmd", "'\n@cmd"),
        ("＝1+2", "'＝1+2"),
    ],
)
def test_a_text_that_could_run_as_a_formula_gets_an_apostrophe(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize(
    "value",
    ["Zufferey Jean-Marc", "Anne-Marie", "a=b", "1+1", "", "   ", "'=already text", "é@x"],
)
def test_ordinary_text_is_untouched(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize(
    "value",
    [None, 0, -3, 2.5, -0.5, Decimal("-1.5"), True, date(2025, 3, 3), datetime(2025, 3, 3, 9)],
)
def test_numbers_dates_and_none_are_untouched(value):
    assert safe_cell(value) is value


def test_a_lazy_translation_becomes_its_text():
    with translation.override("en"):
        value = safe_cell(gettext_lazy("Total"))
    assert value == "Total"
    assert type(value) is str
