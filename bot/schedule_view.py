"""How `deadline-bot schedule` shows a reminder plan: one line per message, grouped by day."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from rich.table import Table

from bot.compose import label_prefix
from bot.i18n import Catalogue
from scheduler.batching import count_messages
from scheduler.model import PlannedReminder, ReminderKind


@dataclass(frozen=True)
class ScheduleNames:
    """What the preview prints instead of ids."""

    tasks: dict  # task id -> store.queries.TaskDue
    units: dict[int, str]  # unit id -> name
    chats: dict[int, str]  # chat id -> title


@dataclass(frozen=True)
class ScheduleLine:
    day: date
    time: str  # local HH:MM
    kind: ReminderKind
    kind_text: str
    unit: str
    chat: str
    task: str
    due: date | None
    task_id: int | None
    unit_id: int | None
    chat_id: int | None

    def cells(self) -> list[object]:
        return [self.day.isoformat(), self.time, self.kind_text, self.unit, self.chat, self.task,
                self.due.isoformat() if self.due else ""]

    def as_json(self) -> dict:
        return {"date": self.day.isoformat(), "time": self.time, "kind": self.kind.value, "unit": self.unit or None,
                "unit_id": self.unit_id, "chat_id": self.chat_id, "chat": self.chat, "task_id": self.task_id,
                "task": self.task or None, "due": self.due.isoformat() if self.due else None}


def schedule_line(row: PlannedReminder, names: ScheduleNames, zone: ZoneInfo, texts: Catalogue) -> ScheduleLine:
    local = row.send_at.astimezone(zone)
    task = names.tasks.get(row.task_id)
    if row.unit_id is not None:
        unit = names.units.get(row.unit_id, f"#{row.unit_id}")
    else:
        unit = texts.text("schedule.admins")
    if row.chat_id is None:
        chat = texts.text("schedule.no_chat")
    else:
        chat = names.chats.get(row.chat_id) or texts.text("schedule.chat", chat_id=row.chat_id)
    return ScheduleLine(day=local.date(), time=local.strftime("%H:%M"), kind=row.kind,
                        kind_text=texts.text(f"reminder_kind.{row.kind.value}"), unit=unit, chat=chat,
                        task=f"#{task.task_id} · {label_prefix(task.label)}{task.title}" if task else "",
                        due=row.due_date or (task.effective_due if task else None),
                        task_id=row.task_id, unit_id=row.unit_id, chat_id=row.chat_id)


def schedule_header(texts: Catalogue) -> list[str]:
    return [texts.text(f"column.{c}") for c in ("date", "time", "kind_of_message", "unit", "chat", "task", "due")]


def schedule_table(lines: list[ScheduleLine], title: str, texts: Catalogue) -> Table:
    table = Table(title=title)
    for column in schedule_header(texts):
        table.add_column(column, overflow="fold")
    for index, line in enumerate(lines):
        last_of_day = index + 1 == len(lines) or lines[index + 1].day != line.day
        table.add_row(*(str(cell) for cell in line.cells()), end_section=last_of_day)
    return table


def _recipient(line: ScheduleLine) -> tuple:
    # A unit without a chat yet is counted as the one chat it would have.
    return (line.chat_id, line.unit_id if line.chat_id is None else None)


def messages_per_send(lines: list[ScheduleLine]) -> dict[tuple, int]:
    """Messages per (recipient, day, time), as the dispatcher groups and pages them (scheduler.batching)."""
    return count_messages((_recipient(line), (line.day, line.time), line.task_id, line.kind) for line in lines)


def schedule_counts(lines: list[ScheduleLine], texts: Catalogue) -> tuple[list[str], list[list[object]]]:
    """Reminders per month and kind, and the messages they make (everything due for one chat at one
    send is one message, paged), with totals: the shape of a plan at a glance."""
    kinds = list(ReminderKind)
    per_month: dict[str, Counter] = {}
    for line in lines:
        per_month.setdefault(line.day.strftime("%Y-%m"), Counter())[line.kind] += 1
    messages: Counter = Counter()
    for (_, (day, _)), count in messages_per_send(lines).items():
        messages[day.strftime("%Y-%m")] += count
    header = [texts.text("schedule.month"), *(texts.text(f"reminder_kind.{k.value}") for k in kinds),
              texts.text("batch.schedule_reminders"), texts.text("batch.schedule_messages")]
    records: list[list[object]] = []
    for month in sorted(per_month):
        counts = per_month[month]
        records.append([month, *(counts[k] for k in kinds), sum(counts.values()), messages[month]])
    totals = Counter()
    for counts in per_month.values():
        totals.update(counts)
    records.append([texts.text("schedule.total"), *(totals[k] for k in kinds), sum(totals.values()),
                    sum(messages.values())])
    return header, records


def schedule_counts_per_unit(lines: list[ScheduleLine], texts: Catalogue) -> tuple[list[str], list[list[object]]]:
    """Reminders and messages per month for each recipient (a unit, or the administrators), busiest first."""
    names = {_recipient(line): line.unit for line in lines}
    reminders: Counter = Counter()
    for line in lines:
        reminders[(line.day.strftime("%Y-%m"), _recipient(line))] += 1
    messages: Counter = Counter()
    for (recipient, (day, _)), count in messages_per_send(lines).items():
        messages[(day.strftime("%Y-%m"), recipient)] += count
    header = [texts.text("schedule.month"), texts.text("batch.schedule_unit"), texts.text("batch.schedule_reminders"),
              texts.text("batch.schedule_messages")]
    keys = sorted(reminders, key=lambda key: (key[0], -messages[key], -reminders[key], names[key[1]]))
    return header, [[month, names[recipient], reminders[(month, recipient)], messages[(month, recipient)]]
                    for month, recipient in keys]
