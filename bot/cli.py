"""`deadline-bot`: the administrators' command line. Each command is a thin shell over a library call."""
from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from pathlib import Path
from typing import Iterator, Optional

import typer
from rich.progress import Progress

# The shared helpers keep their old short names here, so this module's commands read as before.
from bot.cli_common import (EXIT_FAILED, EXIT_USAGE, CliState, CommandFailed, OutputFormat, stderr, stdout)
from bot.cli_common import local_time as _local_time
from bot.cli_common import migrated_engine as _engine
from bot.cli_common import print_records as _print_records
from bot.cli_common import replan_now as _replan
from bot.cli_common import running_command as _command
from bot.cli_common import today_in as _today
from bot.config import CONFIG_ENV, Settings
from bot.i18n import Catalogue
from bot.review_view import review_text
from bot.render import (TaskRow, records_as_csv, records_as_table, tasks_as_csv, tasks_as_json,
                        tasks_as_table, units_text)
from bot.cli_batch import SummaryPer, print_summary_per_unit
from bot.schedule_view import (ScheduleLine, ScheduleNames, schedule_counts, schedule_header, schedule_line,
                               schedule_table)
from scheduler.model import ReminderKind

app = typer.Typer(no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  help="Deadline Bot：读取工作要点/实施方案，记录任务、责任单位和期限。"
                       " / Reads work plans and keeps their tasks, units and deadlines.")
db_app = typer.Typer(no_args_is_help=True, help="数据库维护 / Database maintenance.")
app.add_typer(db_app, name="db")
holidays_app = typer.Typer(no_args_is_help=True, help="节假日与调休 / Public holidays and make-up working days.")
app.add_typer(holidays_app, name="holidays")

class OnChange(str, Enum):
    skip = "skip"
    replace = "replace"


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Optional[Path] = typer.Option(None, "--config", envvar=CONFIG_ENV, show_envvar=True,
                                          help="配置文件 / Config file (TOML)."),
) -> None:
    ctx.obj = CliState(config_path=config)


def shown_name(path: str | os.PathLike) -> str:
    """A file name as it can be printed and stored: the file system's bytes read as UTF-8, with
    a replacement character where they are not (a GBK name unpacked from a Windows zip)."""
    try:
        raw = os.fsencode(path)
    except UnicodeEncodeError:  # a surrogate no file system produced (text pasted from elsewhere)
        raw = os.fspath(path).encode("utf-8", errors="replace")
    return raw.decode("utf-8", errors="replace")


_WITHIN = re.compile(r"^\s*(\d+)\s*([dw天周]?)\s*$", re.IGNORECASE)


def parse_within(value: str) -> int:
    """"30d" / "30" / "2w" -> a number of days."""
    match = _WITHIN.match(value)
    if not match:
        raise ValueError(value)
    count = int(match[1])
    return count * 7 if match[2].lower() in ("w", "周") else count


def _task_rows(results) -> list[TaskRow]:
    return [TaskRow(task_id=r.task_id, document_id=r.document_id, document_title=r.document_title,
                    label=r.label, title=r.title, status=r.status, effective_due=r.effective_due,
                    due_source=r.due_source, deadline_phrase=r.deadline_phrase, units=tuple(r.units))
            for r in results]


def _print_tasks(rows: list[TaskRow], fmt: OutputFormat, title: str, as_of: date, texts: Catalogue) -> None:
    if fmt is OutputFormat.json:
        print(tasks_as_json(rows))
    elif fmt is OutputFormat.csv:
        sys.stdout.write(tasks_as_csv(rows, texts))
    elif not rows:
        stdout.print(title, markup=False)
        stdout.print(texts.text("message.nothing"), markup=False)
    else:
        stdout.print(tasks_as_table(rows, as_of, title, texts))


# --- reading plans -----------------------------------------------------------------------------


def _progress(files: list[Path], label: str) -> Progress | None:
    # A bar only helps for many files on a terminal; it would garble piped output.
    return Progress(console=stderr, transient=True) if len(files) > 1 and stderr.is_terminal else None


@app.command()
def extract(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., help="计划文件 / Plan files (.txt .md .html .docx .pdf)."),
    out: Path = typer.Option(..., "--out", help="输出目录 / Directory for one JSON per document."),
) -> None:
    """提取任务、单位和期限，写成 JSON / Extract tasks, units and deadlines to JSON (gold schema)."""
    from extract.model import plan_to_json
    from extract.plan import extract_document
    from extract.reading import UnreadableDocument

    with _command(ctx) as (_settings, texts):
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandFailed(texts.text("error.output_dir", path=shown_name(out), detail=exc.strerror), EXIT_USAGE)
        _refuse_shared_outputs(files, out, texts)
        failures = 0
        for path in files:
            name = shown_name(path)
            try:
                document = _read(path)
                plan = extract_document(document)
            except UnreadableDocument as exc:
                stderr.print(texts.text("error.unreadable", detail=shown_name(str(exc))), markup=False,
                             highlight=False)
                failures += 1
                continue
            except Exception as exc:  # one file the extractor trips on must not end the run for the others
                stderr.print(_internal_error(name, exc, texts), markup=False, highlight=False)
                failures += 1
                continue
            # The output keeps the input's own (byte) name, so it sits beside its source in listings.
            target = out / f"{path.stem}.json"
            _write_atomically(target, json.dumps(plan_to_json(plan), ensure_ascii=False, indent=1) + "\n")
            if not plan.tasks:
                stderr.print(texts.text("message.no_tasks_extract", file=name), markup=False, highlight=False)
            stdout.print(texts.text("message.extracted", file=name, out=shown_name(target), tasks=len(plan.tasks)),
                         markup=False, highlight=False)
        if failures:
            raise CommandFailed(texts.text("error.failed_files", count=failures))


def _refuse_shared_outputs(files: list[Path], out: Path, texts: Catalogue) -> None:
    """Two inputs of one stem (plan.txt and plan.pdf) would write one JSON, the second over the first."""
    first_by_target: dict[Path, Path] = {}
    for path in files:
        target = out / f"{path.stem}.json"
        first = first_by_target.setdefault(target, path)
        if first != path:
            raise CommandFailed(texts.text("error.same_output", first=shown_name(first), second=shown_name(path),
                                           out=shown_name(target)), EXIT_USAGE)


def _read(path: Path):
    """The document, named so that its name can be printed and stored whatever bytes the file
    system gave (the plan's `source` and every message use this name)."""
    import dataclasses

    from extract.reading import read_document

    document = read_document(path)
    return dataclasses.replace(document, name=shown_name(document.name))


def _internal_error(name: str, exc: Exception, texts: Catalogue) -> str:
    detail = shown_name(str(exc).strip().splitlines()[0] if str(exc).strip() else "")
    return texts.text("error.internal", file=name, kind=type(exc).__name__, detail=detail)


def _write_atomically(target: Path, text: str) -> None:
    """A reader never sees half a file: write beside it, then rename over it."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@app.command()
def ingest(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., help="计划文件 / Plan files (.txt .md .html .docx .pdf)."),
    on_change: OnChange = typer.Option(OnChange.skip, "--on-change",
                                       help="已导入计划的新版本：skip 只报告，replace 替换旧版 / "
                                            "A new version of an imported plan: skip reports it, replace supersedes."),
    current: bool = typer.Option(False, "--current", help="计划期已结束也按当前计划导入（发送逾期提醒）/ "
                                                          "Import a finished plan as current, not as history."),
    as_of: Optional[datetime] = typer.Option(None, "--as-of", formats=["%Y-%m-%d"],
                                             help="视为在这一天导入（测试用）/ Import as if on this day (for tests)."),
) -> None:
    """导入计划文件（同一文件重复导入不会产生重复）/ Import plans into the store (idempotent)."""
    from app.plans import BatchReplan, import_plan, read_plan_file
    from bot.version_view import version_lines
    from store.errors import StoreError
    from bot.cli_nagging import cli_actor

    with _command(ctx) as (settings, texts):
        engine = _engine(settings)
        # Several files are planned once, after the last of them.
        replan = BatchReplan(lambda: _replan(engine, settings))
        import_day = as_of.date() if as_of else _today(settings)
        summary: list[tuple[str, str, object, object, object, str]] = []
        failures = 0
        progress = _progress(files, texts.text("message.ingesting"))
        if progress:
            progress.start()
            bar = progress.add_task(texts.text("message.ingesting"), total=len(files))
        try:
            for path in files:
                name = shown_name(path)
                try:
                    reading = read_plan_file(path, shown_name(path.name))
                    if reading.unreadable is not None:
                        stderr.print(texts.text("error.unreadable", detail=shown_name(reading.unreadable)),
                                     markup=False, highlight=False)
                        summary.append((name, texts.text("outcome.failed"), "", "", "", ""))
                        failures += 1
                        continue
                    plan = reading.plan
                    if not plan.tasks:
                        stderr.print(texts.text("message.no_tasks", file=name), markup=False, highlight=False)
                        summary.append((name, texts.text("outcome.skipped"), 0, 0, 0, ""))
                        continue
                    imported = import_plan(engine, plan, reading.source.sha256, on_change.value,
                                           import_day=import_day, current=current, policy=settings.reminders,
                                           by=cli_actor(), now=datetime.now(UTC), replan=replan.request)
                except StoreError as exc:
                    stderr.print(texts.text("error.database", detail=f"{name}: {exc}"), markup=False,
                                 highlight=False)
                    summary.append((name, texts.text("outcome.failed"), "", "", "", ""))
                    failures += 1
                    continue
                except Exception as exc:  # one file the extractor trips on must not end the run for the others
                    stderr.print(_internal_error(name, exc, texts), markup=False, highlight=False)
                    summary.append((name, texts.text("outcome.failed"), "", "", "", ""))
                    failures += 1
                    continue
                finally:
                    if progress:
                        progress.advance(bar)
                outcome = imported.outcome
                if imported.history:
                    stderr.print(texts.text("nagging.history", file=name, day=import_day.isoformat()), markup=False,
                                 highlight=False)
                if outcome.kind == "changed":
                    stderr.print(texts.text("message.changed_hint", file=name, document_id=outcome.document_id),
                                 markup=False, highlight=False)
                if outcome.changes is not None:
                    for line in version_lines(outcome.changes, texts):
                        stderr.print(texts.text("versions.line", file=name, line=line), markup=False,
                                     highlight=False)
                for flag in plan.review_flags:
                    stderr.print(texts.text("message.review", file=name, flag=review_text(flag, texts)),
                                 markup=False, highlight=False)
                summary.append((name, texts.text(f"outcome.{outcome.kind}"), outcome.task_count,
                                outcome.new_unit_count, outcome.deadline_count,
                                f"#{outcome.document_id} {outcome.title or ''}".strip()))
        finally:
            if progress:
                progress.stop()
        replan.run()
        header = [texts.text(f"column.{c}") for c in ("file", "outcome", "tasks", "new_units", "deadlines",
                                                       "document")]
        stdout.print(records_as_table(texts.text("message.ingest_title"), header, summary))
        if failures:
            raise CommandFailed(texts.text("error.failed_files", count=failures))


# --- questions ---------------------------------------------------------------------------------


@app.command()
def due(
    ctx: typer.Context,
    within: str = typer.Option("30d", "--within", help="时间范围，如 30d、2w / How far ahead: 30d, 2w, 30."),
    unit: Optional[str] = typer.Option(None, "--unit", help="单位名称或别名 / Unit name or alias."),
    document: Optional[int] = typer.Option(None, "--document", help="文件编号 / Document id."),
    as_of: Optional[datetime] = typer.Option(None, "--as-of", formats=["%Y-%m-%d"],
                                             help="以哪一天为准（默认今天）/ Answer as of this date (default today)."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table | csv | json"),
) -> None:
    """即将到期的任务 / Tasks due within a period."""
    from store import queries

    with _command(ctx) as (settings, texts):
        try:
            days = parse_within(within)
        except ValueError:
            raise CommandFailed(texts.text("error.bad_within", value=within), EXIT_USAGE) from None
        day = as_of.date() if as_of else _today(settings)
        results = queries.due_within(_engine(settings), day, days, unit=unit, document_id=document)
        rows = _task_rows(results)
        _print_tasks(rows, fmt, texts.text("message.due_title", as_of=day, days=days, count=len(rows)), day, texts)


@app.command()
def overdue(
    ctx: typer.Context,
    unit: Optional[str] = typer.Option(None, "--unit", help="单位名称或别名 / Unit name or alias."),
    document: Optional[int] = typer.Option(None, "--document", help="文件编号 / Document id."),
    as_of: Optional[datetime] = typer.Option(None, "--as-of", formats=["%Y-%m-%d"],
                                             help="以哪一天为准（默认今天）/ Answer as of this date (default today)."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table | csv | json"),
) -> None:
    """已逾期、尚未完成的任务 / Open tasks past their due date."""
    from store import queries

    with _command(ctx) as (settings, texts):
        day = as_of.date() if as_of else _today(settings)
        results = queries.overdue(_engine(settings), day, unit=unit, document_id=document)
        rows = _task_rows(results)
        _print_tasks(rows, fmt, texts.text("message.overdue_title", as_of=day, count=len(rows)), day, texts)


@app.command()
def tasks(
    ctx: typer.Context,
    document: Optional[int] = typer.Option(None, "--document", help="文件编号 / Document id."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table | csv | json"),
    review: bool = typer.Option(False, "--review",
                                help="只列出需核对的任务及原因 / Only tasks with review flags, and why."),
) -> None:
    """全部任务 / All tasks, optionally of one document."""
    from store import queries

    with _command(ctx) as (settings, texts):
        engine = _engine(settings)
        rows = _task_rows(queries.tasks(engine, document_id=document))
        if review:
            _print_review(rows, queries.review_flags(engine, document_id=document), fmt, texts)
            return
        _print_tasks(rows, fmt, texts.text("message.tasks_title", count=len(rows)), _today(settings), texts)


def stored_flag_text(flag, texts: Catalogue) -> str:
    """A stored flag (store.queries.StoredFlag) worded like the extractor's; an unknown code as itself."""
    try:
        return texts.text(f"review.{flag.code}", task=flag.task_seq, **dict(flag.params))
    except (KeyError, IndexError):
        return flag.code


def _print_review(rows: list[TaskRow], flags, fmt: OutputFormat, texts: Catalogue) -> None:
    """Only the tasks with review flags, each with its flags worded, after the plan-level flags."""
    by_task: dict[int, list] = {}
    plan_flags = []
    for flag in flags:
        if flag.task_id is None:
            plan_flags.append(flag)
        else:
            by_task.setdefault(flag.task_id, []).append(flag)
    rows = [r for r in rows if r.task_id in by_task]
    if fmt is OutputFormat.json:
        def worded(flag) -> dict:
            return {"code": flag.code, "values": dict(flag.params), "text": stored_flag_text(flag, texts)}
        documents: dict[int, dict] = {}
        for flag in plan_flags:
            documents.setdefault(flag.document_id, {"id": flag.document_id, "title": flag.document_title,
                                                    "review": []})["review"].append(worded(flag))
        tasks = json.loads(tasks_as_json(rows))
        for task in tasks:
            task["review"] = [worded(flag) for flag in by_task[task["id"]]]
        print(json.dumps({"documents": list(documents.values()), "tasks": tasks}, ensure_ascii=False, indent=2))
        return
    if fmt is OutputFormat.csv:
        header = [texts.text(f"column.{c}") for c in ("document", "id", "task", "review")]
        records = [(f.document_title, "", "", stored_flag_text(f, texts)) for f in plan_flags]
        records += [(r.document_title, r.task_id, f"{r.label}. {r.title}", stored_flag_text(f, texts))
                    for r in rows for f in by_task[r.task_id]]
        sys.stdout.write(records_as_csv(header, records))
        return
    for flag in plan_flags:
        stdout.print(texts.text("message.review_plan", document_id=flag.document_id, title=flag.document_title,
                                flag=stored_flag_text(flag, texts)), markup=False, highlight=False)
    if not rows:
        if not plan_flags:
            stdout.print(texts.text("message.no_review"), markup=False)
        return
    header = [texts.text(f"column.{c}") for c in ("id", "task", "units", "document", "review")]
    records = [(r.task_id, f"{r.label}. {r.title}", units_text(r.units, texts), r.document_title,
                "\n".join(stored_flag_text(f, texts) for f in by_task[r.task_id])) for r in rows]
    stdout.print(records_as_table(texts.text("message.review_title", count=len(rows)), header, records))


@app.command()
def units(
    ctx: typer.Context,
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table | csv | json"),
    unbound: bool = typer.Option(False, "--unbound", help="只列没有聊天的单位 / Only units no chat reaches."),
) -> None:
    """责任单位及其任务数 / Units with their task counts by role."""
    from store import queries

    if unbound:
        return cli_units.print_unbound(ctx, fmt)
    with _command(ctx) as (settings, texts):
        summaries = queries.units(_engine(settings))
        header = [texts.text(f"column.{c}") for c in ("unit", "kind", "aliases", "lead", "responsible",
                                                       "cooperating", "open")]
        records = [(u.name, texts.text(f"kind.{u.kind}"), "、".join(u.aliases), u.lead_count,
                    u.responsible_count, u.cooperating_count, u.open_count) for u in summaries]
        _print_records(fmt, header, records,
                       as_json=lambda: [{"name": u.name, "kind": u.kind, "aliases": list(u.aliases),
                                         "lead": u.lead_count, "responsible": u.responsible_count,
                                         "cooperating": u.cooperating_count, "open": u.open_count}
                                        for u in summaries],
                       title=texts.text("message.units_title", count=len(records)),
                       empty=texts.text("message.no_units"))


@app.command()
def documents(
    ctx: typer.Context,
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table | csv | json"),
) -> None:
    """已导入的文件 / Imported documents."""
    from store import queries

    with _command(ctx) as (settings, texts):
        summaries = queries.documents(_engine(settings))
        header = [texts.text(f"column.{c}") for c in ("id", "title", "issuer", "issued_on", "period_end",
                                                       "tasks", "superseded")]
        records = [(d.document_id, d.title, d.issuer, _iso(d.issued_on), _iso(d.period_end), d.task_count,
                    "✓" if d.superseded else "") for d in summaries]
        _print_records(fmt, header, records, as_json=lambda: [_document_json(d) for d in summaries],
                       title=texts.text("message.documents_title", count=len(records)),
                       empty=texts.text("message.no_documents"))


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _document_json(d) -> dict:
    return {"id": d.document_id, "title": d.title, "issuer": d.issuer, "doc_number": d.doc_number,
            "issued_on": _iso(d.issued_on) or None, "period_end": _iso(d.period_end) or None,
            "source": d.source_name, "tasks": d.task_count, "superseded": d.superseded}


@app.command()
def schedule(
    ctx: typer.Context,
    first: datetime = typer.Option(..., "--from", formats=["%Y-%m-%d"], help="起始日期 / First day."),
    last: datetime = typer.Option(..., "--to", formats=["%Y-%m-%d"], help="结束日期（含）/ Last day (inclusive)."),
    unit: Optional[str] = typer.Option(None, "--unit", help="单位名称或别名 / Unit name or alias."),
    document: Optional[int] = typer.Option(None, "--document", help="文件编号 / Document id."),
    summary: bool = typer.Option(False, "--summary", help="按月、按类型计数 / Counts per month and kind."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table | csv | json"),
    per: Optional[SummaryPer] = typer.Option(None, "--per", help="按单位分列每月消息数（即 --summary 按单位）/ Messages per unit per month (--summary per unit)."),
) -> None:
    """预览发送计划（不发送）/ Preview, day by day, what would be sent to whom, without sending."""
    from scheduler.planner import preview_reminders
    from store import outbox, queries
    from scheduler.stored_calendar import stored_calendar

    with _command(ctx) as (settings, texts):
        if last < first:
            raise CommandFailed(texts.text("schedule.bad_range"), EXIT_USAGE)
        engine = _engine(settings)
        unit_ids = set(queries.find_unit_ids(engine, unit)) if unit else None
        tasks = [t for t in outbox.tasks_to_plan(engine) if document is None or t.document_id == document]
        policy = settings.reminders
        rows = preview_reminders(tasks, outbox.chats_to_plan(engine), policy, stored_calendar(engine, policy),
                                 first.date(), last.date())
        if unit_ids is not None:
            rows = [r for r in rows if r.unit_id in unit_ids]
        # Read as a list: by time, then task by task, not in dedupe-key (string) order.
        rows.sort(key=lambda r: (r.send_at, r.task_id or 0, r.unit_id or 0, r.chat_id or 0, r.kind))
        names = ScheduleNames(tasks={t.task_id: t for t in queries.tasks(engine)},
                              units={u.unit_id: u.name for u in queries.units(engine)},
                              chats=queries.chat_titles(engine))
        lines = [schedule_line(r, names, policy.zone, texts) for r in rows]
        span = {"first": first.date(), "last": last.date()}
        if per is not None:  # a summary per unit; --summary is implied
            print_summary_per_unit(lines, fmt, texts.text("batch.schedule_unit_title", **span), texts, stdout)
        elif summary:
            _print_schedule_summary(lines, fmt, texts.text("schedule.summary_title", **span), texts)
        else:
            _print_schedule(lines, fmt, texts.text("schedule.title", count=len(lines), **span), texts)


def _print_schedule(lines: list[ScheduleLine], fmt: OutputFormat, title: str, texts: Catalogue) -> None:
    if fmt is OutputFormat.json:
        print(json.dumps([line.as_json() for line in lines], ensure_ascii=False, indent=2))
    elif fmt is OutputFormat.csv:
        sys.stdout.write(records_as_csv(schedule_header(texts), [line.cells() for line in lines]))
    elif not lines:
        stdout.print(title, markup=False)
        stdout.print(texts.text("schedule.nothing"), markup=False)
    else:
        stdout.print(schedule_table(lines, title, texts))


def _print_schedule_summary(lines: list[ScheduleLine], fmt: OutputFormat, title: str, texts: Catalogue) -> None:
    header, records = schedule_counts(lines, texts)
    if fmt is OutputFormat.json:
        print(json.dumps([dict(zip(["month", *[k.value for k in ReminderKind], "total", "messages"], r))
                          for r in records],
                         ensure_ascii=False, indent=2))
    elif fmt is OutputFormat.csv:
        sys.stdout.write(records_as_csv(header, records))
    else:
        stdout.print(records_as_table(title, header, records))


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """把数据库迁移到最新版本 / Apply database migrations."""
    from store.db import redacted_url

    with _command(ctx) as (settings, texts):
        _engine(settings)
        stdout.print(texts.text("message.db_upgraded", url=redacted_url(settings.database_url)), markup=False,
                     highlight=False)


def bot_username_or_none(settings: Settings) -> str | None:
    """The bot's @username for invite links, asked of Telegram; None without a token or when the
    Bot API cannot be reached (the error is printed, the token scrubbed from it)."""
    if not settings.telegram_token:
        return None
    import asyncio

    from telegram.error import TelegramError

    from bot.app import bot_username
    from bot.telegram_notifier import scrub

    try:
        return asyncio.run(bot_username(settings))
    except TelegramError as exc:
        stderr.print(scrub(str(exc), settings.telegram_token), markup=False, highlight=False)
        return None


def main() -> None:
    app(args=global_options_first(sys.argv[1:]), prog_name="deadline-bot")


def global_options_first(argv: list[str]) -> list[str]:
    """`deadline-bot due --config x.toml` as well as `deadline-bot --config x.toml due`.

    Click reads an option of the group only before the subcommand's name; administrators type it
    anywhere, so it is moved to the front. Arguments after `--` are left alone.
    """
    end = argv.index("--") if "--" in argv else len(argv)
    moved, rest, position = [], [], 0
    while position < end:
        arg = argv[position]
        if arg == "--config" and position + 1 < end:
            moved += argv[position:position + 2]
            position += 2
            continue
        (moved if arg.startswith("--config=") else rest).append(arg)
        position += 1
    return moved + rest + argv[end:]


# --- holidays (issue 8) -------------------------------------------------------------------------


@holidays_app.command("import")
def holidays_import(
    ctx: typer.Context,
    notice: Path = typer.Argument(..., metavar="NOTICE", help="国务院办公厅节假日安排通知 / The State Council's "
                                                            "holiday notice (.txt .html .docx .pdf)."),
) -> None:
    """导入某年的节假日安排通知，替换该年已有的 / Import a year's holiday notice (replaces that year's)."""
    from extract.holiday_notice import NoticeError, read_holiday_notice
    from extract.reading import UnreadableDocument
    from store.holidays import save_notice

    with _command(ctx) as (settings, texts):
        name = shown_name(notice.name)
        try:
            document = _read(notice)
            read = read_holiday_notice(document.text, name)
        except (UnreadableDocument, NoticeError) as exc:
            raise CommandFailed(texts.text("holidays.bad_notice", detail=shown_name(str(exc))), EXIT_FAILED) from None
        engine = _engine(settings)
        saved = save_notice(engine, read, name, document.sha256, datetime.now(UTC))
        _replan(engine, settings)  # reminders already planned in that year move to its real working days
        key = "holidays.replaced" if saved.replaced else "holidays.imported"
        print(texts.text(key, year=saved.year, holidays=saved.holidays, workdays=saved.workdays, title=read.title))


@holidays_app.command("list")
def holidays_list(
    ctx: typer.Context,
    year: int = typer.Option(..., "--year", min=1900, max=2999, help="年份 / Year."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table | csv | json"),
) -> None:
    """某年的放假日和调休上班日及其来源 / A year's days off and make-up working days, with their source."""
    from scheduler.calendar import CalendarSource
    from scheduler.stored_calendar import stored_calendar
    from store.holidays import stored_notice

    with _command(ctx) as (settings, texts):
        engine = _engine(settings)
        policy = settings.reminders
        calendar = stored_calendar(engine, policy)
        source = calendar.year_source(year)
        notice = stored_notice(engine, year) if source is CalendarSource.NOTICE else None
        if notice is not None:
            source_text = texts.text("holidays.source_notice", title=notice.title,
                                     imported=_local_time(notice.imported_at, zoneinfo.ZoneInfo(settings.timezone)))
            festivals = {day: festival for day, _working, festival in notice.days}
        else:
            source_text = texts.text(f"holidays.source_{source.value}")
            festivals = {}
        listed = set(policy.extra_holidays) | set(policy.extra_workdays)
        # The exceptions to Monday-Friday: weekdays off and weekend days worked, whatever decided them.
        days = [day for day in _days_of(year) if calendar.is_working_day(day) != (day.weekday() < 5)]
        records = []
        for day in days:
            working = calendar.is_working_day(day)
            decided_by = texts.text("holidays.source_config") if day in listed else ""  # the title names the rest
            records.append((day.isoformat(), texts.text("holidays.weekdays").split()[day.weekday()],
                            texts.text("holidays.working" if working else "holidays.off"),
                            festivals.get(day, ""), decided_by))
        header = [texts.text(f"holidays.column_{c}") for c in ("day", "weekday", "kind", "festival", "source")]
        _print_records(fmt, header, records,
                       as_json=lambda: {"year": year, "source": source.value, "official": calendar.has_official_data(year),
                                        "days": [{"day": r[0], "working": calendar.is_working_day(date.fromisoformat(r[0])),
                                                  "festival": r[3], "config": date.fromisoformat(r[0]) in listed}
                                                 for r in records]},
                       title=texts.text("holidays.list_title", year=year, source=source_text),
                       empty=texts.text("holidays.no_days", year=year, source=source_text))


def _days_of(year: int) -> Iterator[date]:
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)



# --- Telegram (issue 4) ----------------------------------------------------------------------


@app.command()
def run(ctx: typer.Context) -> None:
    """启动机器人和提醒引擎 / Start the Telegram bot and the reminder engine (long polling or webhook)."""
    with _command(ctx) as (settings, texts):
        if not settings.telegram_token:
            raise CommandFailed(texts.text("tg.token_missing"), EXIT_USAGE)
        from telegram import Update

        from bot.app import build_application, configure_logging

        engine = _engine(settings)
        configure_logging(settings.telegram_token)
        application = build_application(settings, engine)
        webhook = settings.webhook
        if webhook is None:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
        else:
            application.run_webhook(listen=webhook.listen, port=webhook.port, url_path=webhook.path,
                                    webhook_url=webhook.url, secret_token=webhook.secret,
                                    allowed_updates=Update.ALL_TYPES)


@app.command()
def invite(
    ctx: typer.Context,
    unit: Optional[str] = typer.Argument(None, help="单位名称或别名 / Unit name or alias."),
    all_unbound: bool = typer.Option(False, "--all-unbound", help="为每个没有聊天的单位生成邀请 / One invite per "
                                     "unit no chat reaches (earlier unused ones revoked)."),
    out: Optional[Path] = typer.Option(None, "--out", help="--all-unbound 的 CSV 文件 / CSV file for --all-unbound."),
) -> None:
    """生成绑定聊天的一次性邀请链接 / Make a single-use link that binds a chat to a unit."""
    if all_unbound or unit is None:
        return cli_units.invite_all_unbound(ctx, out, unit, all_unbound)

    from bot.handlers import invite_link
    from store.chats import create_invite

    with _command(ctx) as (settings, texts):
        engine = _engine(settings)
        created = create_invite(engine, unit, timedelta(hours=settings.invite_valid_hours), datetime.now(UTC))
        expires = created.expires_at.astimezone(zoneinfo.ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M")
        username = bot_username_or_none(settings)
        if username:
            print(texts.text("tg.invite_cli_link", unit=created.unit_name, expires=expires,
                             link=invite_link(username, created.code)))
        else:
            print(texts.text("tg.invite_cli", unit=created.unit_name, expires=expires, code=created.code))
            print(texts.text("tg.invite_cli_no_token", code=created.code))
        print(texts.text("tg.invite_cli_id", id=created.invite_id))


@app.command()
def invites(
    ctx: typer.Context,
    unit: Optional[str] = typer.Option(None, "--unit", help="单位名称或别名 / Unit name or alias."),
    fmt: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table | csv | json"),
) -> None:
    """未使用的邀请（未撤销、未过期）/ Invites not yet used, revoked or expired."""
    from store.chats import outstanding_invites
    from store.queries import find_unit_ids

    with _command(ctx) as (settings, texts):
        engine = _engine(settings)
        unit_ids = find_unit_ids(engine, unit) if unit else None
        listed = outstanding_invites(engine, datetime.now(UTC), unit_ids)
        zone = zoneinfo.ZoneInfo(settings.timezone)
        header = [texts.text(f"column.{c}") for c in ("id", "unit", "created_at", "expires_at", "created_by")]
        records = [(i.id, i.unit_name, _local_time(i.created_at, zone), _local_time(i.expires_at, zone),
                    "" if i.created_by is None else i.created_by) for i in listed]
        _print_records(fmt, header, records,
                       as_json=lambda: [{"id": i.id, "unit": i.unit_name, "created_at": i.created_at.isoformat(),
                                         "expires_at": i.expires_at.isoformat(), "created_by": i.created_by}
                                        for i in listed],
                       title=texts.text("message.invites_title", count=len(records)),
                       empty=texts.text("message.no_invites"))


@app.command("revoke-invite")
def revoke_invite(
    ctx: typer.Context,
    invite_id: int = typer.Argument(..., metavar="ID", help="邀请编号（见 deadline-bot invites）/ Invite id."),
) -> None:
    """撤销尚未使用的邀请，其链接不能再绑定聊天 / Revoke an unused invite: its link binds no chat."""
    from store import chats

    with _command(ctx) as (settings, texts):
        try:
            revoked = chats.revoke_invite(_engine(settings), invite_id, datetime.now(UTC))
        except chats.InviteError as exc:
            # An id nobody issued is a typo; a used, revoked or expired invite is a refusal.
            code = EXIT_USAGE if isinstance(exc, chats.UnknownInvite) else EXIT_FAILED
            raise CommandFailed(texts.text(f"error.invite_{exc.reason}", id=invite_id), code) from None
        print(texts.text("message.invite_revoked", id=revoked.id, unit=revoked.unit_name))


# `deadline-bot outbox` lives in its own module; importing it registers the command.
from bot import cli_app, cli_corrections, cli_nagging, outbox_command  # noqa: E402,F401
from bot import cli_units  # noqa: E402
# `deadline-bot verify | send-back` (issue 10's completion) likewise.
from bot import cli_completion  # noqa: E402,F401
