"""Run every benchmark and print one Markdown report: the machine, then each script's tables.

    python -m bench [--sqlite-only] [--postgres-url URL] [--json-dir DIR] [--no-tracemalloc] [--no-delivery]

The delivery benchmark (bench.delivery_bench) runs at Telegram's real pace: about half an hour
per database; --no-delivery skips it.

Without --postgres-url, PostgreSQL is benchmarked when DEADLINE_BOT_BENCH_POSTGRES_URL is set.
"""
from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import time
from pathlib import Path

from bench import delivery_bench, dispatch_selection_bench, lists_bench, plan_reminders_bench, startup_bench
from bench.databases import add_backend_options, backends_from, scratch_database, server_version
from bench.measure import markdown_table


def machine(options: argparse.Namespace) -> str:
    memory = next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal:"))
    rows = [["CPU cores (nproc)", os.cpu_count()], ["RAM", f"{int(memory) / 2**20:.1f} GiB"],
            ["OS", platform.platform()], ["Python", platform.python_version()],
            ["SQLite (Python's sqlite3)", sqlite3.sqlite_version]]
    for backend in backends_from(options):
        if backend.name == "postgresql":
            with scratch_database(backend, "version") as url:
                rows.append(["PostgreSQL", server_version(url).removeprefix("PostgreSQL ")])
    return markdown_table(["", ""], rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_backend_options(parser)
    parser.add_argument("--json-dir", help="also write each script's raw results here")
    parser.add_argument("--no-tracemalloc", action="store_true",
                        help="skip the traced children (about 60%% of the run time); no tracemalloc peaks")
    parser.add_argument("--no-delivery", action="store_true", help="skip the delivery benchmark (real time)")
    options = parser.parse_args()
    shared = ["--sqlite-only"] if options.sqlite_only else []
    if options.postgres_url:
        shared += ["--postgres-url", options.postgres_url]
    if options.no_tracemalloc:
        shared.append("--no-tracemalloc")
    print("## Machine\n\n" + machine(options) + "\n", flush=True)
    began = time.perf_counter()
    for name, script in (("plan_reminders", plan_reminders_bench), ("dispatch_selection", dispatch_selection_bench),
                         ("lists", lists_bench)):
        json_args = ["--json", str(Path(options.json_dir) / f"{name}.json")] if options.json_dir else []
        script.main(shared + json_args)
        print(flush=True)
    # Start-up needs no database: no backend options.
    startup_bench.main(["--json", str(Path(options.json_dir) / "startup.json")] if options.json_dir else [])
    print(flush=True)
    if not options.no_delivery:
        backend_args = [a for a in shared if a != "--no-tracemalloc"]
        json_args = ["--json", str(Path(options.json_dir) / "delivery.json")] if options.json_dir else []
        delivery_bench.main(backend_args + json_args)
        print(flush=True)
    print(f"Whole run: {time.perf_counter() - began:,.0f} s.", file=sys.stderr)


if __name__ == "__main__":
    main()
