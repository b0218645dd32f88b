"""This app's part of the permission matrix (merged in tests/test_permission_matrix.py)."""

from __future__ import annotations

from tests.matrix import Case

MATRIX: dict[str, Case] = {}
