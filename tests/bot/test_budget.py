"""run_with_budget: work in a process of its own, its value back, or one line when it overruns or fails."""
from __future__ import annotations

import multiprocessing

import pytest

from bot.budget import OverBudget, WorkFailed, run_with_budget


def double(value: int) -> int:
    return value * 2


def forever() -> None:
    while True:
        pass


def hungry() -> bytes:
    return b"x" * (4 * 1024 ** 3)


def broken() -> None:
    raise ValueError("the table has no end")


async def test_the_value_comes_back():
    assert await run_with_budget(double, 21, seconds=60) == 42


async def test_work_over_its_time_is_stopped_and_its_process_gone():
    with pytest.raises(OverBudget) as stopped:
        await run_with_budget(forever, seconds=1)
    assert str(stopped.value) == "stopped after 1 s"
    assert not multiprocessing.active_children()


async def test_work_over_its_memory_is_one_line():
    with pytest.raises(WorkFailed, match="out of memory"):
        await run_with_budget(hungry, seconds=60, memory_bytes=1024 ** 3)


async def test_an_error_in_the_work_is_one_line():
    with pytest.raises(WorkFailed, match="ValueError: the table has no end"):
        await run_with_budget(broken, seconds=60)
