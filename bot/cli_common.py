"""What every `deadline-bot` command shares: loading the settings, turning the errors a user
can cause into one line and an exit code, the migrated engine, and printing a listing.

bot.cli and the bot/cli_*.py modules that add commands to it import these; none imports another's.
"""
from __future__ import annotations

import json
import os
import sys
import zoneinfo
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Iterator

import typer
from rich.console import Console

from bot.cli_warnings import warnings_in
from bot.config import ConfigError, Settings, load_settings
from bot.i18n import Catalogue
from bot.render import records_as_csv, records_as_table

# Piped output (files, CI logs, tests) gets wide tables instead of rich's 80-column default,
# which folds Chinese cells into unreadable slivers.
_PIPED_WIDTH = 200
_width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else _PIPED_WIDTH
stdout = Console(soft_wrap=False, width=_width)
stderr = Console(stderr=True, soft_wrap=True)

# Exit codes: 1 for a failed piece of work (a file that could not be read), 2 for a bad invocation or config.
EXIT_FAILED = 1
EXIT_USAGE = 2


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


@dataclass
class CliState:
    config_path: Path | None
    settings: Settings | None = None

    def load(self) -> Settings:
        if self.settings is None:
            self.settings = load_settings(self.config_path)
        return self.settings


class CommandFailed(Exception):
    """Ends a command with one printed line and the given exit code."""

    def __init__(self, line: str, exit_code: int = EXIT_FAILED) -> None:
        super().__init__(line)
        self.exit_code = exit_code


@contextmanager
def running_command(ctx: typer.Context) -> Iterator[tuple[Settings, Catalogue]]:
    """Loads settings and turns the errors users can cause into one line and an exit code."""
    from store.errors import StoreError, UnknownUnit

    state: CliState = ctx.obj
    try:
        settings = state.load()
    except ConfigError as exc:
        stderr.print(Catalogue().text("error.config", detail=exc), markup=False, highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    texts = Catalogue(settings.language)
    try:
        check_ids(ctx, texts)
        with warnings_in(texts, lambda line: stderr.print(line, markup=False, highlight=False)):
            yield settings, texts
    except CommandFailed as exc:
        stderr.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(exc.exit_code) from None
    except UnknownUnit as exc:  # a --unit the store does not know: the user's typo, not a failure
        stderr.print(unknown_unit_line(exc, texts), markup=False, highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    except StoreError as exc:
        stderr.print(texts.text("error.database", detail=exc), markup=False, highlight=False)
        raise typer.Exit(EXIT_FAILED) from None


def check_ids(ctx: typer.Context, texts: Catalogue) -> None:
    """Every id a user typed (--document, ID arguments: parameters named document or *_id) is
    range-checked here, once for all commands, before it can reach a query."""
    from bot.ids import MAX_ID, is_stored_id

    for name, value in ctx.params.items():
        if (name == "document" or name.endswith("_id")) and isinstance(value, int) and not is_stored_id(value):
            raise CommandFailed(texts.text("error.bad_id", option=option_label(ctx, name), value=value,
                                           maximum=MAX_ID), EXIT_USAGE)


def option_label(ctx: typer.Context, name: str) -> str:
    # "--document" for an option, the metavar ("ID") for an argument, as --help shows them.
    for param in ctx.command.params:
        if param.name == name:
            if isinstance(param, typer.core.TyperOption):
                return param.opts[0]
            return param.metavar or name.upper()
    return name


def unknown_unit_line(exc, texts: Catalogue) -> str:
    suggestions = getattr(exc, "suggestions", ()) or ()
    suggestion = texts.text("error.unknown_unit_suggestion", names="、".join(suggestions)) if suggestions else ""
    return texts.text("error.unknown_unit", name=exc.name, suggestion=suggestion)


def migrated_engine(settings: Settings):
    """The store, migrated to the current schema (migrations run automatically at start)."""
    from store.db import make_engine, upgrade_database

    engine = make_engine(settings.database_url)
    upgrade_database(engine)
    return engine


def replan_now(engine, settings: Settings) -> None:
    """Bring the reminder outbox up to date with what was just imported (a running service
    would also catch up at its next planning run; this makes it immediate)."""
    from scheduler.service import replan_reminders
    from scheduler.stored_calendar import stored_calendar

    delivery, policy = settings.delivery, settings.reminders
    replan_reminders(engine, policy, stored_calendar(engine, policy), datetime.now(UTC),
                     timedelta(days=delivery.lookback_days), timedelta(days=delivery.horizon_days),
                     refresh_calendar=False)  # stored_calendar has just read the notices


def today_in(settings: Settings) -> date:
    return datetime.now(zoneinfo.ZoneInfo(settings.timezone)).date()


def print_records(fmt: OutputFormat, header: list[str], records: list[tuple], *, as_json, title: str,
                   empty: str) -> None:
    """One listing in the chosen format; JSON keeps stable English keys for scripts."""
    if fmt is OutputFormat.json:
        print(json.dumps(as_json(), ensure_ascii=False, indent=2))
    elif fmt is OutputFormat.csv:
        sys.stdout.write(records_as_csv(header, records))
    elif not records:
        stdout.print(empty, markup=False)
    else:
        stdout.print(records_as_table(title, header, records))


def local_time(instant: datetime, zone: zoneinfo.ZoneInfo) -> str:
    return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M")
