"""Planning 100,000 tasks x 3 units through `replan_reminders`, on SQLite and PostgreSQL.

Per backend, in one scratch database, each phase in a child process of its own:
  load       100,000 tasks, 300,000 task-unit rows, one chat per unit and an administrators'
             chat, loaded with bulk Core inserts (setup, timed for information only)
  first      replan_reminders with the live defaults (lookback 14 days, horizon 2 days): rows inserted
  rerun      the same call again, unchanged input: must write nothing (best of 2)
and the pure planner (`plan_reminders`, no store) on the same tasks, for the live 16-day window and a
60-day one. Every phase reports wall time, the tracemalloc peak (from a separate traced child) and
the child's ru_maxrss.

    python -m bench.plan_reminders_bench [--sqlite-only] [--postgres-url URL] [--tasks N]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, text

import scheduler.service
import store.outbox
from bench.databases import Backend, add_backend_options, backends_from, scratch_database, server_version
from bench.measure import (
    markdown_table,
    mib,
    finish_report,
    report,
    run_child,
    secs,
    statement_log,
    summary,
    timed,
    traced_peak,
)
from scheduler.calendar import WorkingCalendar
from scheduler.model import ChatToPlan, TaskToPlan
from scheduler.planner import plan_reminders
from scheduler.policy import DEFAULT_POLICY
from scheduler.service import replan_reminders
from store.db import make_engine, upgrade_database
from store.models import Chat, Document, Recurrence, Reminder, ReminderState, Task, TaskUnit, Unit

MODULE = "bench.plan_reminders_bench"
SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 2026-03-02 09:30 in Shanghai: the first working day of March, so the monthly poll of
# every open task falls inside the live window, as it would on a real first-of-month morning.
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI).astimezone(UTC)
TODAY = date(2026, 3, 2)
LOOKBACK, HORIZON = timedelta(days=14), timedelta(days=2)  # ReminderService's defaults
WIDE_WINDOW = timedelta(days=60)
UNITS = 300
POLICY = DEFAULT_POLICY
CALENDAR = WorkingCalendar.from_policy(POLICY)
PURE_REPEATS = 3
# An unchanged re-plan of 100,000 tasks takes seconds: two runs keep the whole benchmark within minutes.
STORE_RERUNS = 2


@dataclass(frozen=True)
class SyntheticTask:
    task_id: int
    status: str
    due: date | None
    units: tuple[tuple[int, str], ...]  # (unit_id, role)
    recurrences: tuple[str, ...]


def synthetic_tasks(count: int, seed: int = 20260302) -> list[SyntheticTask]:
    """Deterministic tasks: 88% due over the next year, 10% overdue by up to 90 days, 2% with no
    due date; 5% closed, 20% in progress; 3% yearly and 3% quarterly; three distinct units each."""
    rng = random.Random(seed)
    tasks = []
    for task_id in range(1, count + 1):
        draw = rng.random()
        if draw < 0.02:
            due = None
        elif draw < 0.12:
            due = TODAY - timedelta(days=rng.randint(1, 90))
        else:
            due = TODAY + timedelta(days=rng.randint(0, 365))
        draw = rng.random()
        status = "done" if draw < 0.04 else "cancelled" if draw < 0.05 else "in_progress" if draw < 0.25 else "open"
        draw = rng.random()
        recurrences = ("yearly",) if draw < 0.03 else ("quarterly",) if draw < 0.06 else ()
        lead, responsible, cooperating = rng.sample(range(1, UNITS + 1), 3)
        units = ((lead, "lead"), (responsible, "responsible"), (cooperating, "cooperating"))
        tasks.append(SyntheticTask(task_id, status, due, units, recurrences))
    return tasks


def unit_chat_id(unit_id: int) -> int:
    return unit_id  # chat ids are given explicitly: chat n is bound to unit n


ADMIN_CHAT_ID = UNITS + 1


def chats_for_planner() -> list[ChatToPlan]:
    chats = [ChatToPlan(chat_id=unit_chat_id(u), unit_id=u, is_admin=False) for u in range(1, UNITS + 1)]
    return chats + [ChatToPlan(chat_id=ADMIN_CHAT_ID, unit_id=None, is_admin=True)]


def tasks_for_planner(tasks: list[SyntheticTask]) -> list[TaskToPlan]:
    empty = MappingProxyType({})
    return [TaskToPlan(task_id=t.task_id, document_id=1, status=t.status, effective_due=t.due, units=t.units,
                       recurrence_freqs=t.recurrences, document_overrides=empty, task_overrides=empty)
            for t in tasks]


# --- child phases ---------------------------------------------------------------------------


def load(url: str, count: int) -> dict[str, Any]:
    """Migrate and bulk-load with Core executemany (SQLAlchemy batches it into multi-row INSERTs)."""
    upgrade_database(url)
    engine = make_engine(url)
    tasks = synthetic_tasks(count)

    def insert_all() -> dict[str, int]:
        created = NOW - timedelta(days=30)
        with engine.begin() as conn:
            conn.execute(insert(Document), [{
                "id": 1, "title": "基准方案", "language": "zh", "source_name": "bench.txt",
                "content_sha256": "0" * 64, "imported_at": created}])
            conn.execute(insert(Unit), [{"id": u, "name": f"单位{u}", "key": f"单位{u}", "kind": "single"}
                                        for u in range(1, UNITS + 1)])
            chats = [{"id": unit_chat_id(u), "telegram_chat_id": -1_000_000 - u, "kind": "group", "unit_id": u,
                      "is_admin": False, "language": "zh-CN", "active": True, "created_at": created}
                     for u in range(1, UNITS + 1)]
            chats.append({"id": ADMIN_CHAT_ID, "telegram_chat_id": 42, "kind": "private", "unit_id": None,
                          "is_admin": True, "language": "zh-CN", "active": True, "created_at": created})
            conn.execute(insert(Chat), chats)
            for start in range(0, len(tasks), 10_000):
                chunk = tasks[start:start + 10_000]
                conn.execute(insert(Task), [{
                    "id": t.task_id, "document_id": 1, "seq": t.task_id, "label": f"{t.task_id}.",
                    "title": f"任务{t.task_id}", "body": "", "status": t.status, "effective_due": t.due,
                    "due_source": None if t.due is None else "explicit"} for t in chunk])
                conn.execute(insert(TaskUnit), [{"task_id": t.task_id, "unit_id": u, "role": role}
                                                for t in chunk for u, role in t.units])
                recurrences = [{"task_id": t.task_id, "freq": f, "phrase": f} for t in chunk for f in t.recurrences]
                if recurrences:
                    conn.execute(insert(Recurrence), recurrences)
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("ANALYZE")
        with engine.connect() as conn:
            return {table: conn.execute(select(func.count()).select_from(model)).scalar()
                    for table, model in (("task", Task), ("task_unit", TaskUnit), ("recurrence", Recurrence),
                                         ("chat", Chat))}

    rows, seconds = timed(insert_all)
    engine.dispose()
    return {"phase": "load", "seconds": seconds, "rows": rows}


def outbox_state(engine) -> dict[str, Any]:
    """Enough to see whether anything changed: count, max(id), pending count, and a digest of every row."""
    with engine.connect() as conn:
        count, max_id, pending = conn.execute(select(
            func.count(), func.max(Reminder.id),
            func.count().filter(Reminder.state == ReminderState.PENDING))).one()
        by_kind = dict(conn.execute(select(Reminder.kind, func.count()).group_by(Reminder.kind)).all())
        digest = conn.execute(text(
            "SELECT sum(id * length(dedupe_key)), sum(length(state)) , sum(attempts) FROM reminder")).one()
    return {"count": count, "max_id": max_id, "pending": pending, "by_kind": {str(k): v for k, v in by_kind.items()},
            "digest": [str(v) for v in digest]}


def replan_once(engine) -> dict[str, Any]:
    """One replan_reminders call, with its steps timed by wrapping the functions it calls."""
    steps: dict[str, float] = {}

    def timing(name, fn):
        def wrapper(*args, **kwargs):
            result, seconds = timed(lambda: fn(*args, **kwargs))
            steps[name] = steps.get(name, 0.0) + seconds
            return result
        return wrapper

    outbox, service = store.outbox, scheduler.service
    originals = (outbox.tasks_to_plan, outbox.chats_to_plan, outbox.sync_planned_reminders, service.plan_reminders)
    outbox.tasks_to_plan = timing("tasks_to_plan", originals[0])
    outbox.chats_to_plan = timing("chats_to_plan", originals[1])
    outbox.sync_planned_reminders = timing("sync_planned_reminders", originals[2])
    service.plan_reminders = timing("plan_reminders", originals[3])
    try:
        with statement_log(engine) as log:
            result, seconds = timed(lambda: replan_reminders(engine, POLICY, CALENDAR, NOW, LOOKBACK, HORIZON))
    finally:
        (outbox.tasks_to_plan, outbox.chats_to_plan, outbox.sync_planned_reminders,
         service.plan_reminders) = originals
    return {"seconds": seconds, "steps": steps, "statements": log.as_dict(), "writes": log.writes,
            "inserted": result.inserted, "cancelled": result.cancelled, "unchanged": result.unchanged}


def first(url: str, trace: bool) -> dict[str, Any]:
    engine = make_engine(url)
    if trace:  # the timed first run already filled the outbox: empty it, then plan again under tracemalloc
        with engine.begin() as conn:
            conn.execute(Reminder.__table__.delete())
    run, peak = traced_peak(lambda: replan_once(engine)) if trace else (replan_once(engine), None)
    state = outbox_state(engine)
    engine.dispose()
    return {"phase": "first", "traced": trace, "tracemalloc_peak_bytes": peak, **run, "after": state}


def rerun(url: str, trace: bool) -> dict[str, Any]:
    engine = make_engine(url)
    before = outbox_state(engine)
    if trace:
        runs, peak = traced_peak(lambda: [replan_once(engine)])
    else:
        runs, peak = [replan_once(engine) for _ in range(STORE_RERUNS)], None
    after = outbox_state(engine)
    engine.dispose()
    return {"phase": "rerun", "traced": trace, "tracemalloc_peak_bytes": peak, "runs": runs,
            **summary([r["seconds"] for r in runs]), "before": before, "after": after,
            "write_free": before == after and all(r["writes"] == 0 and r["inserted"] == r["cancelled"] == 0
                                                  for r in runs)}


def pure(count: int, window_days: int, trace: bool) -> dict[str, Any]:
    tasks, chats = tasks_for_planner(synthetic_tasks(count)), chats_for_planner()
    if window_days == (LOOKBACK + HORIZON).days:
        start, end = NOW - LOOKBACK, NOW + HORIZON
    else:
        start, end = NOW - LOOKBACK, NOW - LOOKBACK + timedelta(days=window_days)

    def plan():
        return len(plan_reminders(tasks, chats, POLICY, CALENDAR, start, end, now=NOW))

    if trace:
        rows, peak = traced_peak(plan)
        return {"phase": f"pure-{window_days}d", "traced": True, "tracemalloc_peak_bytes": peak, "planned": rows}
    seconds = []
    for _ in range(PURE_REPEATS):
        rows, elapsed = timed(plan)
        seconds.append(elapsed)
    return {"phase": f"pure-{window_days}d", "traced": False, "planned": rows, **summary(seconds)}


def child(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=["load", "first", "rerun", "pure"])
    parser.add_argument("--url")
    parser.add_argument("--tasks", type=int)
    parser.add_argument("--window-days", type=int)
    parser.add_argument("--trace", action="store_true")
    options = parser.parse_args(argv)
    if options.phase == "load":
        report(load(options.url, options.tasks))
    elif options.phase == "first":
        report(first(options.url, options.trace))
    elif options.phase == "rerun":
        report(rerun(options.url, options.trace))
    else:
        report(pure(options.tasks, options.window_days, options.trace))


# --- the parent: runs the phases and prints the tables --------------------------------------


def run_backend(backend: Backend, count: int, trace: bool = True) -> dict[str, Any]:
    with scratch_database(backend, "plan") as url:
        log(f"{backend.name}: loading {count:,} tasks")
        results = {"version": server_version(url),
                   "load": run_child(MODULE, "load", "--url", url, "--tasks", str(count))}
        log(f"{backend.name}: first replan")
        results["first"] = run_child(MODULE, "first", "--url", url)
        log(f"{backend.name}: unchanged re-plans")
        results["rerun"] = run_child(MODULE, "rerun", "--url", url)
        if trace:
            results["rerun_traced"] = run_child(MODULE, "rerun", "--url", url, "--trace")
            log(f"{backend.name}: first replan again, traced")
            results["first_traced"] = run_child(MODULE, "first", "--url", url, "--trace")
    return results


def run_pure(count: int, trace: bool = True) -> dict[str, Any]:
    results = {}
    for days in ((LOOKBACK + HORIZON).days, WIDE_WINDOW.days):
        log(f"pure planner: {days}-day window")
        args = ("pure", "--tasks", str(count), "--window-days", str(days))
        results[days] = {"timed": run_child(MODULE, *args),
                         "traced": run_child(MODULE, *args, "--trace") if trace else {}}
    return results


def log(message: str) -> None:
    print(f"[plan] {message}", file=sys.stderr, flush=True)


def markdown(results: dict[str, Any], count: int) -> str:
    rows = []
    pure_results = results["pure"]
    for days, label in (((LOOKBACK + HORIZON).days, "live window"), (WIDE_WINDOW.days, "wide window")):
        timed_run, traced = pure_results[days]["timed"], pure_results[days]["traced"]
        rows.append([f"pure `plan_reminders`, {days}-day {label}", "–", f"{timed_run['planned']:,} planned",
                     f"{secs(timed_run['best_s'])} (best of {timed_run['repeats']})",
                     mib(traced.get("tracemalloc_peak_bytes")), mib(timed_run["rss_peak_bytes"])])
    for backend, found in results["backends"].items():
        load_run = found["load"]
        rows.append([f"load {count:,} tasks (setup)", backend,
                     f"{sum(load_run['rows'].values()):,} rows", f"{secs(load_run['seconds'])} (1 run)",
                     "–", mib(load_run["rss_peak_bytes"])])
        first_run, first_traced = found["first"], found.get("first_traced", {})
        rows.append(["first `replan_reminders`", backend,
                     f"+{first_run['inserted']:,} / −{first_run['cancelled']:,}",
                     f"{secs(first_run['seconds'])} (1 run)", mib(first_traced.get("tracemalloc_peak_bytes")),
                     mib(first_run["rss_peak_bytes"])])
        again, again_traced = found["rerun"], found.get("rerun_traced", {})
        rows.append(["unchanged re-plan", backend,
                     f"+{sum(r['inserted'] for r in again['runs'])} / −{sum(r['cancelled'] for r in again['runs'])}"
                     f", {sum(r['writes'] for r in again['runs'])} write statements",
                     f"{secs(again['best_s'])} (best of {again['repeats']})",
                     mib(again_traced.get("tracemalloc_peak_bytes")), mib(again["rss_peak_bytes"])])
    table = markdown_table(["phase", "backend", "rows", "wall time", "tracemalloc peak", "ru_maxrss"], rows)

    steps = []
    for backend, found in results["backends"].items():
        for name, run in (("first", found["first"]), ("re-plan (best)", min(found["rerun"]["runs"],
                                                                              key=lambda r: r["seconds"]))):
            s = run["steps"]
            db = run["statements"]["seconds"]
            counts = run["statements"]["counts"]
            steps.append([name, backend, secs(s.get("tasks_to_plan")), secs(s.get("chats_to_plan")),
                          secs(s.get("plan_reminders")), secs(s.get("sync_planned_reminders")),
                          ", ".join(f"{verb} {counts[verb]}× {db[verb]:.2f} s" for verb in sorted(counts))])
    breakdown = markdown_table(["run", "backend", "tasks_to_plan", "chats_to_plan", "plan_reminders",
                                "sync_planned_reminders", "statements (count, time in the driver)"], steps)

    checks = []
    for backend, found in results["backends"].items():
        again = found["rerun"]
        before, after = again["before"], again["after"]
        checks.append([backend, f"{before['count']:,} / {before['max_id']:,}",
                       f"{after['count']:,} / {after['max_id']:,}",
                       "yes" if before == after else "NO", "yes" if again["write_free"] else "NO"])
    verification = markdown_table(["backend", "rows / max(id) before re-plans", "after", "every row identical",
                                   "write-free"], checks)
    kinds = {backend: found["first"]["after"]["by_kind"] for backend, found in results["backends"].items()}
    return "\n\n".join([
        f"### Planning {count:,} tasks × 3 units (now = {NOW.astimezone(SHANGHAI):%Y-%m-%d %H:%M} Shanghai, "
        f"lookback {LOOKBACK.days} d, horizon {HORIZON.days} d)", table,
        "Where the time goes (steps of `replan_reminders`):", breakdown,
        "Unchanged re-plan verification:", verification,
        "Rows stored by the first run, by kind: " + json.dumps(kinds, ensure_ascii=False),
    ])


def main(argv: list[str] | None = None) -> dict[str, Any]:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child(argv[1:])
        return {}
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_backend_options(parser)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--json", help="also write the raw results to this file")
    parser.add_argument("--no-tracemalloc", action="store_true",
                        help="skip the traced children (about two thirds of the run time); no tracemalloc peaks")
    options = parser.parse_args(argv)
    trace = not options.no_tracemalloc
    results = {"pure": run_pure(options.tasks, trace),
               "backends": {b.name: run_backend(b, options.tasks, trace) for b in backends_from(options)}}
    return finish_report(results, options.json, lambda done: markdown(done, options.tasks))


if __name__ == "__main__":
    main()
