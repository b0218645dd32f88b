"""Results kept in memory for the evaluation's pure functions (charts, statistics).

A chart or a statistic is a pure function of its data and of the language of its words (the
same data always give the same bytes), so a page shown again with unchanged data skips the
work: ~8 ms a bootstrap (a chart, hand-written SVG, costs well under a millisecond).  New
data make a new key, so nothing stale is ever shown; a withdrawn consent changes the data,
hence the key.  Entries are small (a chart a few KB): 512 of them stay under a few MB per
process, least recently used first out.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from django.utils import translation

CACHE_SIZE = 512
_cache: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_lock = threading.Lock()

Result = TypeVar("Result")


def _freeze(value: Any) -> Any:
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        value = value.tolist()
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def memoised(function: Callable[..., Result]) -> Callable[..., Result]:
    """Remember ``function``'s results by arguments and active language (arguments must be
    hashable once lists are made tuples)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Result:
        key = (
            function.__module__,
            function.__qualname__,
            translation.get_language(),
            _freeze(args),
            tuple(sorted((k, _freeze(v)) for k, v in kwargs.items())),
        )
        try:
            hash(key)
        except TypeError:  # an argument that cannot be a key: compute, keep nothing
            return function(*args, **kwargs)
        with _lock:
            if key in _cache:
                _cache.move_to_end(key)
                return _cache[key]
        result = function(*args, **kwargs)
        with _lock:
            _cache[key] = result
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
        return result

    wrapper.uncached = function  # type: ignore[attr-defined]
    return wrapper


def clear() -> None:
    with _lock:
        _cache.clear()
