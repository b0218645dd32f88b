"""The watch's pages refuse the wrong method (their roles are in the permission matrix)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import Cast
from tests.watch.matrix import alert

WATCHING = {"head", "social_worker", "watcher"}


@pytest.mark.parametrize("name", ["watch_alert", "watch_take", "watch_resolve"])
def test_a_wrong_method_is_refused(cast: Cast, name: str):
    url = reverse(name, kwargs=alert(cast))
    method = "post" if name == "watch_alert" else "get"
    assert getattr(cast.client("watcher"), method)(url).status_code == 405
