"""`deadline-bot schedule --summary --per unit`: the messages each unit would receive per month,
counted as the dispatcher sends them (one message per chat and send instant, paged)."""
from __future__ import annotations

import json
import sys
from enum import Enum

from rich.console import Console

from bot.i18n import Catalogue
from bot.render import records_as_csv, records_as_table
from bot.schedule_view import ScheduleLine, schedule_counts_per_unit


class SummaryPer(str, Enum):
    unit = "unit"


def print_summary_per_unit(lines: list[ScheduleLine], fmt, title: str, texts: Catalogue,
                           console: Console | None = None) -> None:
    header, records = schedule_counts_per_unit(lines, texts)
    if fmt.value == "json":
        print(json.dumps([dict(zip(["month", "unit", "reminders", "messages"], r)) for r in records],
                         ensure_ascii=False, indent=2))
    elif fmt.value == "csv":
        sys.stdout.write(records_as_csv(header, records))
    else:
        (console or Console(soft_wrap=False)).print(records_as_table(title, header, records))
