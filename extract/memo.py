"""Memos kept for one document's reading only.

Segmentation asks of a group's text, then of each item's, then of the task's whether it holds a
note; the same lines, brackets and header cells come back several times within one plan. A memo
per function holds those answers, bounded in size, and is emptied when the next document begins:
what it holds never depends on how many plans came before, and a plan's reading costs the same
whether or not it was read before (a benchmark that reads one plan again and again measures the
plan, not the memo).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar

F = TypeVar("F", bound=Callable)

_CLEARS: list[Callable[[], None]] = []


def per_document(maxsize: int = 1024) -> Callable[[F], F]:
    """A bounded memo of a pure function, emptied by `new_document`."""
    def wrap(function: F) -> F:
        memo = lru_cache(maxsize=maxsize)(function)
        _CLEARS.append(memo.cache_clear)
        return memo  # type: ignore[return-value]
    return wrap


def new_document() -> None:
    """Forget what the previous document's reading memoised."""
    for clear in _CLEARS:
        clear()
