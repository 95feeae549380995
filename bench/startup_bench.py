"""Start-up cost of the command line: whole-process CPU (user + sys) of `deadline-bot --help`
against the floor, a bare typer + rich program that prints its own --help (and, for a command
that runs, `deadline-bot version`, against the same program running one of its commands).

Both run N times, interleaved (one of each per round), each in a fresh interpreter of this venv;
a child's CPU is read from getrusage(RUSAGE_CHILDREN) before and after it. Also run: `version`
and `extract --help`, which open no database either.

    python -m bench.startup_bench [--rounds 30] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import markdown_table

# The floor: what any typer + rich command line pays (interpreter, typer, click, rich, a
# Console), with the same help settings as bot.cli's app.
BARE_PROGRAM = """
import typer
from rich.console import Console

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None, help="A bare program.")
console = Console()


@app.command()
def hello(name: str = typer.Option("world", "--name", help="Whom to greet.")) -> None:
    \"\"\"Greet someone.\"\"\"
    console.print(f"hello {name}")


@app.command()
def bye() -> None:
    \"\"\"Say goodbye.\"\"\"
    console.print("bye")


app()
"""


def deadline_bot() -> list[str]:
    """The installed console script beside this interpreter, as an administrator runs it."""
    script = Path(sys.executable).parent / "deadline-bot"
    return [str(script)] if script.exists() else [sys.executable, "-c", "from bot.cli import main; main()"]


def cpu_of(command: list[str]) -> tuple[float, float]:
    """(user + sys CPU seconds, wall seconds) of one run of command, which must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited with {done.returncode}: {done.stderr.decode()[-500:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def measure(rounds: int) -> dict:
    commands = {
        "bare typer + rich --help": [sys.executable, "-c", BARE_PROGRAM, "--help"],
        "deadline-bot --help": deadline_bot() + ["--help"],
        # A command that runs (rather than --help) also loads typer's parameter conversion.
        "bare typer + rich, one command": [sys.executable, "-c", BARE_PROGRAM, "hello"],
        "deadline-bot version": deadline_bot() + ["version"],
        "deadline-bot extract --help": deadline_bot() + ["extract", "--help"],
    }
    for command in commands.values():  # warm the file cache and the byte-code caches
        cpu_of(command)
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            samples[name].append(cpu_of(command))
    results = {}
    for name, runs in samples.items():
        cpu = [c for c, _ in runs]
        wall = [w for _, w in runs]
        results[name] = {"runs": len(runs), "cpu_median_s": statistics.median(cpu), "cpu_min_s": min(cpu),
                         "wall_median_s": statistics.median(wall)}
    help_floor = results["bare typer + rich --help"]["cpu_median_s"]
    command_floor = results["bare typer + rich, one command"]["cpu_median_s"]
    for name, found in results.items():
        # A subcommand's --help goes through typer's parameter handling, as a command that runs does.
        found["vs_floor"] = found["cpu_median_s"] / (help_floor if name.endswith(" --help") and name.count(" ") == 1
                                                     else command_floor)
    return results


def markdown(results: dict, rounds: int) -> str:
    rows = [[name, f"{r['cpu_median_s'] * 1000:,.0f} ms", f"{r['cpu_min_s'] * 1000:,.0f} ms",
             f"{r['wall_median_s'] * 1000:,.0f} ms", f"{r['vs_floor']:.2f}×"] for name, r in results.items()]
    return (f"### Start-up, whole process ({rounds} interleaved rounds)\n\n"
            + markdown_table(["command", "CPU (user+sys), median", "CPU, best", "wall, median", "CPU vs. its floor"],
                             rows))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30, help="runs of each command (default 30)")
    parser.add_argument("--json", help="also write the raw results here")
    options = parser.parse_args(argv)
    results = measure(options.rounds)
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=1))
    print(markdown(results, options.rounds))
    return results


if __name__ == "__main__":
    main()
