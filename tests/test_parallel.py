"""The units that ``tests/parallel.py`` hands out to the workers of ``make test``."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.parallel import give_unique_ids


def test_every_collected_test_has_an_id_of_its_own(request: pytest.FixtureRequest) -> None:
    """xdist runs one test per id: a shared id would leave tests unrun on two cores."""
    ids = [item.nodeid for item in request.session.items]
    assert len(ids) == len(set(ids))


def test_each_api_operation_has_its_own_contract_test(request: pytest.FixtureRequest) -> None:
    from isa.api.main import api

    operations = {
        f"{method.upper()} {path}"
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method in methods
    }
    contract = {
        item.nodeid.partition("[")[2].removesuffix("]")
        for item in request.session.items
        if item.nodeid.startswith("tests/api/test_schema.py::test_the_api_keeps_its_contract")
    }
    if not contract:
        pytest.skip("the contract tests are not collected in this run")
    assert contract == operations


def test_two_tests_with_one_id_stop_the_collection() -> None:
    twins = [SimpleNamespace(nodeid="tests/x.py::test_a") for _ in range(2)]
    with pytest.raises(pytest.UsageError, match=r"tests/x\.py::test_a"):
        give_unique_ids(twins)  # type: ignore[arg-type]
