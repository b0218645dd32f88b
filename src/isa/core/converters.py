"""The ``<id:…>`` part of an address: the id of a record, a whole number the database can
hold (at most 18 digits), so that ``/p/99999999999999999999/`` is a 404, not an overflow."""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
