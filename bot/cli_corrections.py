"""`deadline-bot edit | assign | unassign | close | cancel | reopen | archive | snooze | merge-units |
rename-unit | add-alias | corrections`: an administrator's corrections from the command line.

Each command parses its options, calls one function of app.corrections (which validates, writes
with its audit row and re-plans in one transaction) and prints one line. Registered on the
command line's app by bot.cli.
"""
from __future__ import annotations

import getpass
import os
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from bot.cli import app, shown_name
from bot.cli_common import (EXIT_FAILED, EXIT_USAGE, CommandFailed, OutputFormat, local_time, migrated_engine,
                            print_records, running_command, stderr, stdout)
from bot.config import Settings
from bot.i18n import Catalogue


def cli_actor():
    """Who types the command: the login name (the audit trail's "who")."""
    from app.corrections import Actor

    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (a container's anonymous uid)
        name = f"uid {os.getuid()}"
    return Actor(source="cli", name=name)


def cli_replanner(settings: Settings, engine):
    """Re-plans the touched tasks inside the correction's transaction, as the running service would."""
    from scheduler.service import replan_in_transaction
    from scheduler.stored_calendar import stored_calendar

    now = datetime.now(UTC)
    delivery, policy = settings.delivery, settings.reminders
    calendar = stored_calendar(engine, policy)  # read before the transaction opens

    def replan(conn, task_ids):
        return replan_in_transaction(conn, policy, calendar, now, timedelta(days=delivery.lookback_days),
                                     timedelta(days=delivery.horizon_days), task_ids)

    return replan


@contextmanager
def _correcting(ctx: typer.Context) -> Iterator[tuple[Settings, Catalogue, object]]:
    """running_command, plus the refusals of a correction as one line each (exit 2: the input was wrong)."""
    from store.corrections import CorrectionError
    from store.errors import UnknownDocument

    with running_command(ctx) as (settings, texts):
        engine = migrated_engine(settings)
        try:
            yield settings, texts, engine
        except CorrectionError as exc:
            raise CommandFailed(exc.text(texts), EXIT_USAGE) from None
        except UnknownDocument as exc:
            raise CommandFailed(texts.text("corrections.unknown_document", id=exc.document_id), EXIT_USAGE) from None


def _date_or_none(value: str, option: str, texts: Catalogue) -> date | None:
    if value.strip().lower() in ("none", "-", "无"):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CommandFailed(texts.text("corrections.bad_date", option=option, value=value), EXIT_USAGE) from None


def _milestone(value: str, texts: Catalogue) -> tuple[date | None, str]:
    """"2026-06-30=6月底前完成调研" (a date, then the phrase as printed); "?=..." for an undated one."""
    day, sep, phrase = value.partition("=")
    if not sep or not phrase.strip():
        raise CommandFailed(texts.text("corrections.bad_milestone", value=value), EXIT_USAGE)
    due = None if day.strip() == "?" else _date_or_none(day, "--milestone", texts)
    if due is None and day.strip() != "?":
        raise CommandFailed(texts.text("corrections.bad_milestone", value=value), EXIT_USAGE)
    return due, phrase.strip()


def _targets(texts: Catalogue, task: list[int] | None, document: int | None, tasks: str | None) -> dict:
    """--task ID (repeatable) or --document N --tasks 1-23: the keyword arguments app.corrections takes."""
    from app.corrections import parse_numbers

    if document is not None and tasks:
        return {"document_id": document, "seqs": parse_numbers(tasks)}
    if task and document is None and not tasks:
        for task_id in task:
            _check_task_id(task_id, texts)
        return {"task_ids": task}
    raise CommandFailed(texts.text("corrections.targets_usage"), EXIT_USAGE)


def _check_task_id(task_id: int, texts: Catalogue) -> None:
    """--task is range-checked like every id bot.cli checks (an id no row could have is a usage error)."""
    from bot.ids import MAX_ID, is_stored_id

    if not is_stored_id(task_id):
        raise CommandFailed(texts.text("error.bad_id", option="--task", value=task_id, maximum=MAX_ID), EXIT_USAGE)


@app.command()
def edit(
    ctx: typer.Context,
    task_id: int = typer.Argument(..., metavar="TASK", help="任务编号 / Task id."),
    title: Optional[str] = typer.Option(None, "--title", help="新标题 / New title."),
    due: Optional[str] = typer.Option(None, "--due", help="截止日期 YYYY-MM-DD，none 恢复计划的日期 / "
                                                         "Due date; none gives the plan's back."),
    milestone: Optional[list[str]] = typer.Option(None, "--milestone",
                                                  help="节点 DATE=原文，可重复，替换全部节点 / A milestone "
                                                       "DATE=phrase, repeatable; replaces them all."),
    note: str = typer.Option("", "--note", help="说明 / Why."),
) -> None:
    """修改任务的标题、截止日期或节点 / Edit a task's title, due date or milestones."""
    from app.corrections import UNCHANGED, edit_task

    with _correcting(ctx) as (settings, texts, engine):
        new_due = UNCHANGED if due is None else _date_or_none(due, "--due", texts)
        milestones = [_milestone(m, texts) for m in milestone] if milestone else None
        done = edit_task(engine, cli_actor(), task_id, title=title, due=new_due, milestones=milestones, note=note,
                         replan=cli_replanner(settings, engine))
        print(texts.text("corrections.edited" if done.changed else "corrections.unchanged", id=task_id,
                         count=done.changed))


@app.command()
def assign(
    ctx: typer.Context,
    unit: str = typer.Option(..., "--unit", help="单位名称或别名 / Unit name or alias."),
    role: str = typer.Option("lead", "--role", help="lead | responsible | cooperating（牵头/负责/配合）"),
    task: Optional[list[int]] = typer.Option(None, "--task", help="任务编号，可重复 / Task id, repeatable."),
    document: Optional[int] = typer.Option(None, "--document", help="文件编号 / Document id."),
    tasks: Optional[str] = typer.Option(None, "--tasks", help="该文件中的任务序号，如 1-23 或 1,3,5-7 / "
                                                              "Task numbers in that document."),
    create: bool = typer.Option(False, "--create", help="单位不存在时新建 / Create the unit if it is new."),
    note: str = typer.Option("", "--note", help="说明 / Why."),
) -> None:
    """给任务指定单位及其角色（可批量）/ Give a unit a role on one or many tasks."""
    from app.corrections import assign_units, parse_role

    with _correcting(ctx) as (settings, texts, engine):
        parsed_role = parse_role(role)
        done = assign_units(engine, cli_actor(), unit, parsed_role, create=create, note=note,
                            replan=cli_replanner(settings, engine), **_targets(texts, task, document, tasks))
        if done.unit_created:
            print(texts.text("corrections.unit_created", unit=done.unit_name))
        print(texts.text("corrections.assigned", unit=done.unit_name, role=texts.text(f"role.{parsed_role.value}"),
                         count=done.changed, unchanged=done.unchanged))


@app.command()
def unassign(
    ctx: typer.Context,
    unit: str = typer.Option(..., "--unit", help="单位名称或别名 / Unit name or alias."),
    task: Optional[list[int]] = typer.Option(None, "--task", help="任务编号，可重复 / Task id, repeatable."),
    document: Optional[int] = typer.Option(None, "--document", help="文件编号 / Document id."),
    tasks: Optional[str] = typer.Option(None, "--tasks", help="该文件中的任务序号 / Task numbers in that document."),
    note: str = typer.Option("", "--note", help="说明 / Why."),
) -> None:
    """把单位从任务中移除 / Take a unit off one or many tasks."""
    from app.corrections import unassign_unit

    with _correcting(ctx) as (settings, texts, engine):
        done = unassign_unit(engine, cli_actor(), unit, note=note, replan=cli_replanner(settings, engine),
                             **_targets(texts, task, document, tasks))
        print(texts.text("corrections.unassigned", unit=done.unit_name, count=done.changed))


def _status_command(name: str, help_text: str, use_case: str, done_key: str) -> None:
    def command(
        ctx: typer.Context,
        task_id: int = typer.Argument(..., metavar="TASK", help="任务编号 / Task id."),
        note: str = typer.Option("", "--note", help="说明 / Why."),
    ) -> None:
        import app.corrections as corrections

        with _correcting(ctx) as (settings, texts, engine):
            done = getattr(corrections, use_case)(engine, cli_actor(), task_id, note=note,
                                                  replan=cli_replanner(settings, engine))
            print(texts.text(done_key, id=task_id, cancelled=done.reminders_cancelled))

    command.__doc__ = help_text
    app.command(name)(command)


_status_command("close", "办结任务（停止其提醒）/ Close a task as done (stops its reminders).", "close_task",
                "corrections.closed")
_status_command("cancel", "取消任务（停止其提醒）/ Cancel a task (stops its reminders).", "cancel_task",
                "corrections.cancelled")
_status_command("reopen", "重新打开已办结或取消的任务 / Reopen a closed or cancelled task.", "reopen_task",
                "corrections.reopened")


@app.command()
def archive(
    ctx: typer.Context,
    document: int = typer.Argument(..., metavar="DOCUMENT", help="文件编号 / Document id."),
    undo: bool = typer.Option(False, "--undo", help="取消归档 / Bring the plan back."),
    note: str = typer.Option("", "--note", help="说明 / Why."),
) -> None:
    """归档计划：不再提醒其任何任务 / Archive a plan: none of its tasks is reminded any more."""
    from app.corrections import archive_document

    with _correcting(ctx) as (settings, texts, engine):
        done = archive_document(engine, cli_actor(), document, archived=not undo, note=note,
                                replan=cli_replanner(settings, engine))
        print(texts.text("corrections.unarchived" if undo else "corrections.archived", id=document,
                         count=len(done.task_ids)))


@app.command()
def snooze(
    ctx: typer.Context,
    until: str = typer.Option(..., "--until", help="此日期前不提醒（YYYY-MM-DD），none 取消 / "
                                                   "Nothing is sent before this date; none lifts it."),
    task: Optional[int] = typer.Option(None, "--task", help="任务编号 / Task id."),
    unit: Optional[str] = typer.Option(None, "--unit", help="单位名称或别名 / Unit name or alias."),
    note: str = typer.Option("", "--note", help="说明 / Why."),
) -> None:
    """暂停某任务或某单位的提醒至某日 / Hold a task's or a unit's reminders back until a date."""
    from app.corrections import snooze_task, snooze_unit

    with _correcting(ctx) as (settings, texts, engine):
        day = _date_or_none(until, "--until", texts)
        if (task is None) == (unit is None):
            raise CommandFailed(texts.text("corrections.snooze_usage"), EXIT_USAGE)
        if task is not None:
            _check_task_id(task, texts)
            snooze_task(engine, cli_actor(), task, day, note=note, replan=cli_replanner(settings, engine))
            what = texts.text("corrections.task_ref", id=task)
        else:
            done = snooze_unit(engine, cli_actor(), unit, day, note=note, replan=cli_replanner(settings, engine))
            what = done.unit_name
        print(texts.text("corrections.snoozed", what=what, until=day.isoformat()) if day
              else texts.text("corrections.unsnoozed", what=what))


@app.command("merge-units")
def merge_units_command(
    ctx: typer.Context,
    merged: str = typer.Argument(..., metavar="UNIT", help="被合并的单位 / The unit that goes."),
    into: str = typer.Argument(..., metavar="INTO", help="保留的单位 / The unit that stays."),
    note: str = typer.Option("", "--note", help="说明 / Why."),
) -> None:
    """合并两个单位（名称保留为别名）/ Merge a unit into another; its names stay as aliases."""
    from app.corrections import merge_units

    with _correcting(ctx) as (settings, texts, engine):
        done = merge_units(engine, cli_actor(), merged, into, note=note, replan=cli_replanner(settings, engine))
        print(texts.text("corrections.merged", merged=done.extra["merged"], unit=done.unit_name,
                         count=len(done.task_ids)))


@app.command("rename-unit")
def rename_unit_command(
    ctx: typer.Context,
    unit: str = typer.Argument(..., metavar="UNIT", help="单位名称或别名 / Unit name or alias."),
    new_name: str = typer.Argument(..., metavar="NEW_NAME", help="新名称 / New name."),
    note: str = typer.Option("", "--note", help="说明 / Why."),
) -> None:
    """单位改名（旧名保留为别名）/ Rename a unit; the old name stays an alias."""
    from app.corrections import rename_unit

    with _correcting(ctx) as (settings, texts, engine):
        done = rename_unit(engine, cli_actor(), unit, new_name, note=note)
        print(texts.text("corrections.renamed", old=done.extra.get("old", unit), unit=done.unit_name))


@app.command("add-alias")
def add_alias_command(
    ctx: typer.Context,
    unit: str = typer.Argument(..., metavar="UNIT", help="单位名称或别名 / Unit name or alias."),
    alias: str = typer.Argument(..., metavar="ALIAS", help="别名 / Another name."),
    note: str = typer.Option("", "--note", help="说明 / Why."),
) -> None:
    """给单位加别名 / Add another name a unit answers to."""
    from app.corrections import add_unit_alias

    with _correcting(ctx) as (settings, texts, engine):
        done = add_unit_alias(engine, cli_actor(), unit, alias, note=note)
        print(texts.text("corrections.alias_added", unit=done.unit_name, alias=alias.strip()))


@app.command("corrections")
def corrections_command(
    ctx: typer.Context,
    task: Optional[int] = typer.Option(None, "--task", help="任务编号 / Task id."),
    document: Optional[int] = typer.Option(None, "--document", help="文件编号 / Document id."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table | csv | json"),
) -> None:
    """管理员更正记录 / The audit trail of administrators' corrections."""
    from store.corrections import corrections

    with _correcting(ctx) as (settings, texts, engine):
        entries = corrections(engine, task_id=task, document_id=document)
        zone = zoneinfo.ZoneInfo(settings.timezone)
        header = [texts.text(f"corrections.column_{c}") for c in
                  ("id", "when", "who", "task", "unit", "field", "old", "new", "note")]
        records = [(e.correction_id, local_time(e.made_at, zone), f"{e.source}:{e.actor}",
                    "" if e.task_id is None else e.task_id, e.unit_name or "",
                    _field_name(e.field, texts), _value(e.field, e.old_value, texts), _value(e.field, e.new_value, texts),
                    e.note) for e in entries]
        print_records(fmt, header, records,
                       as_json=lambda: [{"id": e.correction_id, "made_at": e.made_at.isoformat(), "source": e.source,
                                         "actor": e.actor, "document_id": e.document_id, "task_id": e.task_id,
                                         "unit": e.unit_name, "field": e.field, "old": e.old_value,
                                         "new": e.new_value, "note": e.note} for e in entries],
                       title=texts.text("corrections.list_title", count=len(records)),
                       empty=texts.text("corrections.none"))


def _value(field: str, value: str | None, texts: Catalogue) -> str:
    """A stored value as the reader says it: roles and statuses in words (JSON keeps the codes)."""
    if not value:
        return ""
    section = {"unit_role": "role", "status": "status"}.get(field)
    if section is None:
        return value
    return "、".join(texts.text(f"{section}.{part}") for part in value.split(","))


def _field_name(field: str, texts: Catalogue) -> str:
    try:
        return texts.text(f"corrections.field_{field}")
    except KeyError:
        return field


# --- the spreadsheet round trip (issue 10 item 3) ---------------------------------------------


class SheetFormat(str, Enum):
    xlsx = "xlsx"
    csv = "csv"


@app.command()
def export(
    ctx: typer.Context,
    fmt: SheetFormat = typer.Option(SheetFormat.xlsx, "--format", help="xlsx | csv"),
    out: Optional[Path] = typer.Option(None, "--out", help="输出文件（默认 tasks-日期时间.xlsx）/ Output file."),
    document: Optional[int] = typer.Option(None, "--document", help="只导出该文件 / Only this document."),
) -> None:
    """导出全部任务供修改后导回 / Export every task to a sheet that import-corrections reads back."""
    from bot.correction_sheet import sheet_rows
    from bot.exports import csv_bytes, xlsx_bytes

    with _correcting(ctx) as (settings, texts, engine):
        zone = zoneinfo.ZoneInfo(settings.timezone)
        now = datetime.now(zone)
        rows = sheet_rows(engine, texts, now.date(), settings.reminders, zone, document)
        target = out or Path(f"tasks-{now.strftime('%Y%m%d-%H%M')}.{fmt.value}")
        data = xlsx_bytes(rows, texts.text("export.sheet")) if fmt is SheetFormat.xlsx else csv_bytes(rows)
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise CommandFailed(texts.text("error.output_dir", path=shown_name(target), detail=exc.strerror),
                                EXIT_USAGE) from None
        print(texts.text("corrections.exported", count=len(rows) - 1, file=shown_name(target)))


@app.command("import-corrections")
def import_corrections(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="FILE", help="修改过的导出表 (.xlsx .csv) / The edited export."),
    apply: bool = typer.Option(False, "--apply", help="写入（默认只显示差异）/ Apply (default: show the diff only)."),
    create_units: bool = typer.Option(False, "--create-units", help="新单位名称时新建单位 / Create units "
                                                                    "nobody knows yet."),
) -> None:
    """读回修改过的任务表：先显示差异，--apply 后在一个事务中写入 / Read an edited sheet back: a dry-run
    diff, then with --apply every change in one transaction, each recorded."""
    from app.corrections import Actor, apply_task_changes
    from bot.correction_sheet import UnreadableSheet, read_corrections, read_sheet
    from bot.render import records_as_table

    with _correcting(ctx) as (settings, texts, engine):
        name = shown_name(file)
        try:
            reading = read_corrections(engine, read_sheet(file), texts, create_units)
        except (UnreadableSheet, OSError) as exc:
            raise CommandFailed(texts.text("corrections.sheet_unreadable", file=name, detail=str(exc)),
                                EXIT_FAILED) from None
        header = [texts.text(f"corrections.column_{c}") for c in ("row", "task", "field", "old", "new")]
        records = [(d.row, d.task_id, texts.text(f"corrections.sheet_field_{d.field}"), d.old, d.new)
                   for d in reading.diff]
        if records:
            stdout.print(records_as_table(texts.text("corrections.diff_title", file=name, count=len(records)),
                                          header, records))
        else:
            print(texts.text("corrections.no_differences", file=name))
        for number, problem in reading.unreadable:
            stderr.print(texts.text("corrections.sheet_row", file=name, row=number, problem=problem), markup=False,
                         highlight=False)
        if reading.unreadable:
            # Half a sheet applied is worse than none: the administrator fixes the rows and loads it again.
            raise CommandFailed(texts.text("corrections.sheet_not_applied", count=len(reading.unreadable)))
        if not apply:
            if records:
                print(texts.text("corrections.dry_run"))
            return
        changed = apply_task_changes(engine, Actor(source="sheet", name=cli_actor().name), reading.changes,
                                     create_units=create_units, replan=cli_replanner(settings, engine))
        print(texts.text("corrections.applied", count=changed, tasks=len(reading.changes)))
