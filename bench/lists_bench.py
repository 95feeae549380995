"""The list commands at 100,000 tasks, on SQLite and PostgreSQL, as an administrator runs them.

Per backend, one scratch database holding one plan of N tasks (bench.databases.load_large_plan:
44% overdue, two units and one milestone per task, a 2,000-character body each), then each
command below run whole (`deadline-bot ...` in a process of its own, start-up included), best
wall time of R runs and the largest peak RSS (the child's maxrss, from /usr/bin/time):

  overdue --as-of 2000-01-01    on a terminal: nothing to list (start-up and migration check)
  overdue                       on a terminal (a pty): the first page, 50 rows
  due --within 30d              on a terminal: the first page
  tasks --format json           to /dev/null: every task
  tasks --format jsonl          to /dev/null
  overdue --format csv          to /dev/null
  overdue --all                 to /dev/null: the whole table, printed in blocks of 1,000 rows

    python -m bench.lists_bench [--sqlite-only] [--postgres-url URL] [--tasks 100000] [--repeats 3] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import pty
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.databases import add_backend_options, backends_from, load_large_plan, scratch_database, server_version
from bench.measure import markdown_table, mib, secs, timed
from store.db import upgrade_database

AS_OF = date(2026, 12, 5)
COMMANDS = [
    # Nothing is overdue before 2000: what any command that opens the database pays first.
    ("overdue --as-of 2000-01-01 (empty: start-up)", ["overdue", "--as-of", "2000-01-01"], True),
    ("overdue (terminal, first page)", ["overdue", "--as-of", AS_OF.isoformat()], True),
    ("due --within 30d (terminal, first page)", ["due", "--within", "30d", "--as-of", AS_OF.isoformat()], True),
    ("tasks --format json", ["tasks", "--format", "json"], False),
    ("tasks --format jsonl", ["tasks", "--format", "jsonl"], False),
    ("overdue --format csv", ["overdue", "--as-of", AS_OF.isoformat(), "--format", "csv"], False),
    ("overdue --all (table, piped)", ["overdue", "--as-of", AS_OF.isoformat(), "--all"], False),
]


def deadline_bot() -> list[str]:
    script = Path(sys.executable).parent / "deadline-bot"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from bot.cli import main; main()"]


def run_once(args: list[str], terminal: bool, env: dict[str, str]) -> dict[str, Any]:
    """Wall time, CPU, peak RSS and bytes written of one whole `deadline-bot` process.

    The peak RSS comes from /usr/bin/time, not from this process's wait4: a child exec'd from a
    process starts its ru_maxrss at its parent's peak, and this one has held a 100,000-task load."""
    written = 0
    with tempfile.NamedTemporaryFile("r", suffix=".time") as measured:
        command = ["/usr/bin/time", "-f", "%M %U %S", "-o", measured.name, *deadline_bot(), *args]
        began = time.perf_counter()
        if terminal:
            controller, child_end = pty.openpty()
            child = subprocess.Popen(command, stdout=child_end, stderr=subprocess.DEVNULL, env=env)
            os.close(child_end)
            while True:
                try:
                    chunk = os.read(controller, 1 << 16)
                except OSError:  # the child closed its terminal
                    break
                if not chunk:
                    break
                written += len(chunk)
            os.close(controller)
        else:
            child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
            while chunk := child.stdout.read(1 << 16):
                written += len(chunk)
        code = child.wait()
        wall = time.perf_counter() - began
        if code != 0:
            raise RuntimeError(f"deadline-bot {' '.join(args)} exited with {code}")
        kib, user, system = measured.read().split()[-3:]
    return {"wall_s": wall, "rss_peak_bytes": int(kib) * 1024, "bytes": written, "cpu_s": float(user) + float(system)}


def run_backend(backend, tasks: int, repeats: int) -> dict[str, Any]:
    with scratch_database(backend, "lists") as url:
        upgrade_database(url)
        rows, load_seconds = timed(lambda: load_large_plan(url, tasks, AS_OF))
        env = {**os.environ, "DEADLINE_BOT_DATABASE_URL": url, "COLUMNS": "160"}
        env.pop("DEADLINE_BOT_CONFIG", None)
        found: dict[str, Any] = {"version": server_version(url), "load_s": load_seconds, "rows": rows, "commands": {}}
        for name, args, terminal in COMMANDS:
            runs = [run_once(args, terminal, env) for _ in range(repeats)]
            found["commands"][name] = {"best_wall_s": min(r["wall_s"] for r in runs),
                                       "best_cpu_s": min(r["cpu_s"] for r in runs),
                                       "rss_peak_bytes": max(r["rss_peak_bytes"] for r in runs),
                                       "bytes": runs[0]["bytes"], "runs": len(runs)}
            print(f"{backend.name}: {name}: {found['commands'][name]}", file=sys.stderr, flush=True)
        found["in_process"] = first_pages(url, repeats)
        print(f"{backend.name}: in process: {found['in_process']}", file=sys.stderr, flush=True)
        return found


def first_pages(url: str, repeats: int) -> dict[str, float]:
    """The first page of due and overdue inside one warm process, without start-up: count the
    listing, read its first 50 rows, render the table (best of `repeats`)."""
    from rich.console import Console

    from bot.i18n import Catalogue
    from bot.listing import PAGE, ListFormat, print_task_listing
    from store import queries
    from store.db import make_engine

    engine = make_engine(url)
    texts = Catalogue("en")
    console = Console(file=open(os.devnull, "w"), width=160)
    listings = {"overdue": lambda: queries.overdue_list(engine, AS_OF),
                "due --within 30d": lambda: queries.due_within_list(engine, AS_OF, 30)}
    found = {}
    try:
        for name, listing in listings.items():
            seconds = []
            for _ in range(repeats):
                began = time.perf_counter()
                print_task_listing(listing(), ListFormat.table, PAGE, str, AS_OF, texts, console)
                seconds.append(time.perf_counter() - began)
            found[name] = min(seconds)
    finally:
        engine.dispose()
        console.file.close()
    return found


def markdown(results: dict[str, Any]) -> str:
    rows = []
    for backend, found in results["backends"].items():
        for name, measured in found["commands"].items():
            rows.append([backend, name, secs(measured["best_wall_s"]), secs(measured["best_cpu_s"]),
                         mib(measured["rss_peak_bytes"]), mib(measured["bytes"])])
    pages = "; ".join(f"{b}: " + ", ".join(f"{name} {secs(t)}" for name, t in f["in_process"].items())
                      for b, f in results["backends"].items())
    loads = ", ".join(f"{b} {f['load_s']:.1f} s" for b, f in results["backends"].items())
    return (f"### The list commands at {results['tasks']:,} tasks (whole process, best of {results['repeats']})\n\n"
            + markdown_table(["backend", "command", "wall time", "CPU (user+sys)", "peak RSS", "output"], rows)
            + f"\n\nFirst page inside a warm process (count, first 50 rows, table; best of {results['repeats']}): "
            + pages + f".\n\nLoading the plan (setup, bulk inserts): {loads}. Versions: "
            + ", ".join(f"{b}: {v}" for b, v in results["versions"].items()) + ".")


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_backend_options(parser)
    parser.add_argument("--tasks", type=int, default=100_000, help="tasks in the plan (default 100000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each command (default 3)")
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument("--no-tracemalloc", action="store_true", help=argparse.SUPPRESS)  # python -m bench passes it
    options = parser.parse_args(argv)
    results: dict[str, Any] = {"tasks": options.tasks, "repeats": options.repeats, "backends": {}}
    for backend in backends_from(options):
        results["backends"][backend.name] = run_backend(backend, options.tasks, options.repeats)
    results["versions"] = {name: found.pop("version") for name, found in results["backends"].items()}
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=1, default=str))
    print(markdown(results))
    return results


if __name__ == "__main__":
    main()
