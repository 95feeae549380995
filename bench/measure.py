"""Timing, memory and the parent/child protocol shared by the benchmark scripts.

Each measured phase runs in a child process of its own (`python -m bench.<script> --child ...`),
so ru_maxrss, which only ever grows for the life of a process, belongs to that phase alone. A
phase is timed without tracemalloc (tracing slows every allocation several times over) and its
Python-allocation peak comes from a second, traced child.
"""
from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event

RESULT_PREFIX = "BENCH-RESULT "


def rss_peak_bytes() -> int:
    """The process's peak resident set so far (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    begun = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - begun


def traced_peak(fn: Callable[[], Any]) -> tuple[Any, int]:
    """fn's result and the peak of Python allocations made while it ran."""
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile: with 20 samples, p95 is the 19th smallest."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil without floats drifting
    return ordered[int(rank) - 1]


def summary(seconds: Sequence[float]) -> dict[str, float]:
    return {
        "repeats": len(seconds),
        "best_s": min(seconds),
        "median_s": statistics.median(seconds),
        "p95_s": percentile(seconds, 0.95),
        "max_s": max(seconds),
    }


@dataclass
class StatementLog:
    """What an engine sent to the database while attached: counts and time per SQL verb."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    captured: list[tuple[str, Any]] = field(default_factory=list)

    @property
    def writes(self) -> int:
        return sum(self.counts.get(verb, 0) for verb in ("INSERT", "UPDATE", "DELETE"))

    def add(self, other: StatementLog) -> None:
        for verb, count in other.counts.items():
            self.counts[verb] = self.counts.get(verb, 0) + count
            self.seconds[verb] = self.seconds.get(verb, 0.0) + other.seconds[verb]

    def as_dict(self) -> dict[str, Any]:
        return {"counts": dict(self.counts), "seconds": {k: round(v, 4) for k, v in self.seconds.items()}}


@contextmanager
def statement_log(engine: Engine, capture: bool = False) -> Iterator[StatementLog]:
    """Count statements by verb and sum their execution time (cursor.execute to its return)."""
    log = StatementLog()

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()
        if capture:
            log.captured.append((statement, parameters))

    def after(conn, cursor, statement, parameters, context, executemany):
        verb = statement.lstrip().split(None, 1)[0].upper()
        log.counts[verb] = log.counts.get(verb, 0) + 1
        log.seconds[verb] = log.seconds.get(verb, 0.0) + time.perf_counter() - conn.info.pop("bench_started")

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield log
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def report(result: dict[str, Any]) -> None:
    """A child's last word: its result as one JSON line, with its own peak RSS added."""
    result["rss_peak_bytes"] = rss_peak_bytes()
    print(RESULT_PREFIX + json.dumps(result, default=str), flush=True)


def run_child(module: str, *args: str) -> dict[str, Any]:
    """Run `python -m module --child ...` and return the JSON it reported; its stderr passes through."""
    command = [sys.executable, "-m", module, "--child", *args]
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, env=os.environ.copy())
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not lines:
        sys.stdout.write(done.stdout)
        raise RuntimeError(f"{' '.join(args)}: child exited with {done.returncode}")
    result = json.loads(lines[-1][len(RESULT_PREFIX):])
    result["child_wall_s"] = time.perf_counter() - started
    return result


def mib(n: int | None) -> str:
    if n is None:
        return "–"
    return f"{n / 2**10:,.0f} KiB" if n < 2**20 else f"{n / 2**20:,.0f} MiB"


def ms(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds * 1000:,.1f} ms"


def secs(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:,.2f} s"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def finish_report(results: dict, json_path: str | None, render: Callable[[dict], str]) -> dict:
    """Move each backend's server version to the top, keep the raw JSON if asked, print the tables."""
    results["versions"] = {name: found.pop("version") for name, found in results["backends"].items()}
    if json_path:
        with open(json_path, "w") as out:
            json.dump(results, out, indent=1, default=str)
    print(render(results))
    return results
