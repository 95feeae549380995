"""CPU-heavy work (reading and extracting an imported plan) in a process of its own, with a time budget.

A thread would keep the event loop's GIL busy and could not be stopped; a separate process
leaves every other chat answered while it works, and is killed when it overruns its time or
memory, so one odd file costs one administrator a one-line answer and nobody else anything.
The process is started with "spawn": forking a process that runs threads (the event loop's
executor, APScheduler) can copy a lock that is held and never released.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

# Reading a plan takes well under a second and a few hundred MB; anything far beyond is hostile.
DEFAULT_MEMORY_BYTES = 2 * 1024 ** 3
# How many times a worker that dies before it begins the work is started.
STARTS = 2


class OverBudget(Exception):
    """The work took longer than its budget and was stopped."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"stopped after {seconds:g} s")
        self.seconds = seconds


class WorkFailed(Exception):
    """The work raised, or its process died (out of memory, killed); `str()` is one line."""


def _work(connection, function: Callable[..., Any], args: tuple, memory_bytes: int | None) -> None:
    connection.send(("started", None))  # the process came up: a death from here on is the work's
    if memory_bytes:
        try:
            import resource
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        except (ImportError, ValueError, OSError):  # not on this platform: the time budget still holds
            pass
    try:
        result = ("ok", function(*args))
    except MemoryError:
        result = ("error", "out of memory")
    except Exception as error:  # sent back as one line: custom exceptions need not survive pickling
        result = ("error", f"{type(error).__name__}: {error}")
    try:
        connection.send(result)
    except Exception as error:  # e.g. a result that cannot be pickled
        connection.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


async def run_with_budget(function: Callable[..., Any], *args: Any, seconds: float,
                          memory_bytes: int | None = DEFAULT_MEMORY_BYTES) -> Any:
    """function(*args) in a fresh process; its value, or OverBudget / WorkFailed.

    `function` and its arguments and value cross a pipe, so they must be picklable (a
    module-level function, plain data).
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    for attempt in range(1, STARTS + 1):
        outcome = await _run_once(function, args, memory_bytes, deadline, seconds)
        if outcome is not None:
            break
        # The process died before it began the work (spawning under heavy load, a killed
        # interpreter start-up): nothing of the work was tried, so it is started once more.
        log.warning("budget worker for %s died while starting (attempt %d)", getattr(function, "__name__", "work"),
                    attempt)
    else:
        raise WorkFailed("the worker process could not be started")
    status, value = outcome
    if status != "ok":
        raise WorkFailed(value)
    return value


async def _run_once(function: Callable[..., Any], args: tuple, memory_bytes: int | None,
                    deadline: float, budget: float) -> tuple[str, Any] | None:
    """(status, value) of one worker process, or None when it died before it began the work."""
    loop = asyncio.get_running_loop()
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_work, args=(sending, function, args, memory_bytes), daemon=True,
                              name=f"budget:{getattr(function, '__name__', 'work')}")
    process.start()
    sending.close()  # the child holds its own end; ours would keep recv() from seeing the child die
    started = False
    try:
        while True:
            if not await _readable(receiving, max(0.0, deadline - loop.time())):
                log.warning("%s overran its budget of %g s: stopped", process.name, budget)
                raise OverBudget(budget)
            try:
                status, value = await asyncio.to_thread(receiving.recv)
            except EOFError:
                if not started:
                    return None
                raise WorkFailed(f"the worker process died (exit code {process.exitcode})") from None
            if status != "started":
                return status, value
            started = True
    finally:
        receiving.close()
        if process.is_alive():
            process.kill()
        await asyncio.to_thread(process.join)


async def _readable(connection, seconds: float) -> bool:
    """Wait, without holding a thread of the event loop's executor, until the pipe has data or
    end-of-file (the child died); False after `seconds`."""
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(connection.fileno(), lambda: ready.done() or ready.set_result(True))
    try:
        return await asyncio.wait_for(ready, seconds)
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(connection.fileno())
