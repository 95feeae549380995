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


async def test_a_worker_that_dies_before_it_begins_is_started_once_more(monkeypatch):
    import bot.budget as budget

    starts = []
    real = budget._run_once

    async def first_start_dies(*args):
        starts.append(1)
        if len(starts) == 1:
            return None  # what _run_once answers when the process died before "started"
        return await real(*args)

    monkeypatch.setattr(budget, "_run_once", first_start_dies)
    assert await run_with_budget(double, 4, seconds=60) == 8
    assert len(starts) == 2


async def test_a_worker_that_never_starts_is_one_line(monkeypatch):
    import bot.budget as budget

    async def always_dies(*args):
        return None

    monkeypatch.setattr(budget, "_run_once", always_dies)
    with pytest.raises(WorkFailed, match="could not be started"):
        await run_with_budget(double, 4, seconds=60)
