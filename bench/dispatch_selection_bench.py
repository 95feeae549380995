"""One dispatch tick's selection among 1,000,000 pending reminders, on SQLite and PostgreSQL.

The outbox holds ROWS pending rows: DUE of them already due (send_at in the last few hours) and
the rest spread over the next year. Per backend, each step in a child process of its own:
  load    the rows, in one INSERT ... SELECT on the server (setup, timed for information only)
  claim   `claim_due_reminders(engine, now, worker, lease, limit=200)`, REPEATS times, each taking
          the next 200 due rows (the claimed rows are marked sent between repetitions, outside the
          timing, as the dispatcher would); then the due rows are settled and REPEATS idle ticks
          (nothing due) are timed; then the query plans of every statement a claim runs
  traced  a few claims and idle ticks again under tracemalloc, for the peak of Python allocations

    python -m bench.dispatch_selection_bench [--sqlite-only] [--postgres-url URL] [--rows N]
"""
from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text, update

from bench.databases import Backend, add_backend_options, backends_from, scratch_database, server_version
from bench.measure import (
    StatementLog,
    markdown_table,
    mib,
    ms,
    finish_report,
    report,
    run_child,
    secs,
    statement_log,
    summary,
    timed,
    traced_peak,
)
from store.db import make_engine, upgrade_database
from store.models import Chat, Reminder, ReminderState
from store.outbox import claim_due_reminders, mark_sent

MODULE = "bench.dispatch_selection_bench"
NOW = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
LEASE = timedelta(minutes=5)
LIMIT = 200
DUE = 6_000  # enough for the timed and the traced claims to each take rows nobody took before
REPEATS = 20
TRACED_REPEATS = 3
FUTURE_STEP_S = 31  # 994,000 rows x 31 s: spread over the next year


def load(url: str, rows: int) -> dict[str, Any]:
    """Pending rows numbered n = 1..rows: the first DUE are due (n seconds before NOW), the rest
    are in the future, and a chat to own them all (the foreign key wants one)."""
    upgrade_database(url)
    engine = make_engine(url)

    def insert_all() -> int:
        with engine.begin() as conn:
            conn.execute(insert(Chat), [{"id": 1, "telegram_chat_id": -1001, "kind": "group", "is_admin": True,
                                         "language": "zh-CN", "active": True, "created_at": NOW}])
            parameters = {"rows": rows, "due": DUE, "step": FUTURE_STEP_S}
            if conn.dialect.name == "postgresql":
                conn.execute(text(
                    "INSERT INTO reminder (dedupe_key, kind, chat_id, send_at, state, attempts, created_at) "
                    "SELECT 'bench:' || n, 'reminder', 1, "
                    "  CASE WHEN n <= :due THEN :now - n * interval '1 second' "
                    "       ELSE :now + (n - :due) * :step * interval '1 second' END, "
                    "  'pending', 0, :now FROM generate_series(1, :rows) AS n"), {**parameters, "now": NOW})
                conn.exec_driver_sql("ANALYZE reminder")
            else:
                # SQLAlchemy stores SQLite datetimes as naive UTC text with six fractional digits.
                conn.execute(text(
                    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :rows) "
                    "INSERT INTO reminder (dedupe_key, kind, chat_id, send_at, state, attempts, created_at) "
                    "SELECT 'bench:' || i, 'reminder', 1, "
                    "  strftime('%Y-%m-%d %H:%M:%f000', :now, CASE WHEN i <= :due THEN '-' || i "
                    "    ELSE '+' || ((i - :due) * :step) END || ' seconds'), "
                    "  'pending', 0, :now FROM n"), {**parameters, "now": NOW.strftime("%Y-%m-%d %H:%M:%S")})
                conn.exec_driver_sql("ANALYZE")
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(Reminder)
                                .where(Reminder.state == ReminderState.PENDING)).scalar()

    pending, seconds = timed(insert_all)
    engine.dispose()
    return {"phase": "load", "seconds": seconds, "pending": pending}


def claim_and_settle(engine, worker: str, totals: StatementLog | None = None) -> tuple[float, int]:
    """Time one claim (adding its statements to `totals`), then mark the rows sent, untimed."""
    with statement_log(engine) as log:
        claimed, seconds = timed(lambda: claim_due_reminders(engine, NOW, worker, LEASE, limit=LIMIT))
    if totals is not None:
        totals.add(log)
    mark_sent(engine, [c.reminder_id for c in claimed], None, NOW)
    return seconds, len(claimed)


def idle_tick(engine) -> tuple[float, int]:
    claimed, seconds = timed(lambda: claim_due_reminders(engine, NOW, "idle", LEASE, limit=LIMIT))
    return seconds, len(claimed)


def settle_everything_due(engine) -> int:
    with engine.begin() as conn:
        return conn.execute(update(Reminder).where(Reminder.state == ReminderState.PENDING,
                                                   Reminder.send_at <= NOW)
                            .values(state=ReminderState.SENT, sent_at=NOW)).rowcount


def query_plans(engine) -> list[dict[str, Any]]:
    """EXPLAIN every statement one claim sends, with the parameters it sent them with."""
    with statement_log(engine, capture=True) as log:
        claimed = claim_due_reminders(engine, NOW, "explain", LEASE, limit=LIMIT)
    mark_sent(engine, [c.reminder_id for c in claimed], None, NOW)
    plans = []
    with engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        for statement, parameters in log.captured:
            if not statement.lstrip().upper().startswith(("SELECT", "UPDATE")):
                continue  # BEGIN IMMEDIATE
            explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            rows = conn.exec_driver_sql(explain + statement, parameters).all()
            plan = [row[0] for row in rows] if postgres else [f"{'  ' * _depth(rows, row)}{row[-1]}" for row in rows]
            plans.append({"statement": _shortened(" ".join(statement.split())),
                          "plan": [_shortened(line) for line in plan]})
        conn.rollback()
    return plans


def _shortened(line: str) -> str:
    """The 200 ids of an IN list (bound parameters or PostgreSQL's array literal) as one mark."""
    line = re.sub(r"\((?:\?, ){9,}\?\)", "(?, …)", line)
    line = re.sub(r"\((?:%\(id_1_\d+\)s::INTEGER, ){9,}%\(id_1_\d+\)s::INTEGER\)", "(%(id_1_1)s, …)", line)
    return re.sub(r"'\{(?:\d+,){9,}\d+\}'", "'{…}'", line)


def _depth(rows, row) -> int:
    # EXPLAIN QUERY PLAN rows are (id, parent, notused, detail): indent children under parents.
    parents = {r[0]: r[1] for r in rows}
    depth, parent = 0, row[1]
    while parent:
        depth, parent = depth + 1, parents.get(parent, 0)
    return depth


def claim(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    claim_and_settle(engine, "warm-up")  # open the pooled connection outside the timing (and settle:
    # a chat with rows claimed under a live lease is left to its claimer)
    due_log = StatementLog()
    due = [claim_and_settle(engine, f"w{i}", due_log) for i in range(REPEATS)]
    settled = settle_everything_due(engine)
    with statement_log(engine) as idle_log:
        idle = [idle_tick(engine) for _ in range(REPEATS)]
    # The plans come last, from a claim of their own, which needs due rows: re-pend one batch.
    with engine.begin() as conn:
        conn.execute(update(Reminder).where(Reminder.id.in_(
            select(Reminder.id).where(Reminder.state == ReminderState.SENT).order_by(Reminder.id).limit(LIMIT)
            .scalar_subquery())).values(state=ReminderState.PENDING, sent_at=None))
    plans = query_plans(engine)
    engine.dispose()
    return {"phase": "claim", "due": {**summary([s for s, _ in due]), "claimed": [n for _, n in due],
                                      "statements_per_tick": per_tick(due_log)},
            "idle": {**summary([s for s, _ in idle]), "claimed": [n for _, n in idle],
                     "statements_per_tick": per_tick(idle_log)},
            "settled_before_idle": settled, "plans": plans}


def per_tick(log: StatementLog) -> dict[str, dict[str, float]]:
    """Mean statements per tick and mean driver time per tick, by SQL verb."""
    return {verb: {"count": count / REPEATS, "ms": log.seconds[verb] / REPEATS * 1000}
            for verb, count in log.counts.items()}


def traced(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    idle_tick(engine)
    with engine.begin() as conn:  # due rows again: re-pend what the timed claims sent
        conn.execute(update(Reminder).where(Reminder.state == ReminderState.SENT, Reminder.send_at <= NOW)
                     .values(state=ReminderState.PENDING, sent_at=None, message_id=None))
    _, due_peak = traced_peak(lambda: [claim_and_settle(engine, f"t{i}") for i in range(TRACED_REPEATS)])
    settle_everything_due(engine)
    _, idle_peak = traced_peak(lambda: [idle_tick(engine) for _ in range(TRACED_REPEATS)])
    engine.dispose()
    return {"phase": "traced", "due_peak_bytes": due_peak, "idle_peak_bytes": idle_peak}


def child(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("phase", choices=["load", "claim", "traced"])
    parser.add_argument("--url")
    parser.add_argument("--rows", type=int)
    options = parser.parse_args(argv)
    if options.phase == "load":
        report(load(options.url, options.rows))
    elif options.phase == "claim":
        report(claim(options.url))
    else:
        report(traced(options.url))


def run_backend(backend: Backend, rows: int, trace: bool = True) -> dict[str, Any]:
    with scratch_database(backend, "dispatch") as url:
        log(f"{backend.name}: loading {rows:,} pending rows")
        results = {"version": server_version(url),
                   "load": run_child(MODULE, "load", "--url", url, "--rows", str(rows))}
        log(f"{backend.name}: claims")
        results["claim"] = run_child(MODULE, "claim", "--url", url)
        results["traced"] = run_child(MODULE, "traced", "--url", url) if trace else {}
    return results


def log(message: str) -> None:
    print(f"[dispatch] {message}", file=sys.stderr, flush=True)


def markdown(results: dict[str, Any], rows: int) -> str:
    table = []
    for backend, found in results["backends"].items():
        claimed, traced_run = found["claim"], found["traced"]
        for case, key, peak in (("200+ due", "due", "due_peak_bytes"),
                                ("idle (nothing due)", "idle", "idle_peak_bytes")):
            run = claimed[key]
            verdict = "yes" if run["p95_s"] < 0.05 else "NO"
            statements = ", ".join(f"{verb} {n['count']:g}× {n['ms']:.1f} ms"
                                   for verb, n in sorted(run["statements_per_tick"].items()))
            table.append([backend, case, f"{sum(run['claimed']):,} in {run['repeats']} ticks", ms(run["median_s"]),
                          ms(run["p95_s"]), ms(run["max_s"]), verdict, statements, mib(traced_run.get(peak)),
                          mib(claimed["rss_peak_bytes"])])
    loads = [[backend, f"{found['load']['pending']:,}", secs(found["load"]["seconds"])]
             for backend, found in results["backends"].items()]
    sections = [
        f"### One dispatch tick among {rows:,} pending rows (`claim_due_reminders`, limit {LIMIT})",
        markdown_table(["backend", "case", "claimed", "median", "p95", "max", "p95 < 50 ms",
                        "statements per tick (time in the driver)", "tracemalloc peak", "ru_maxrss"], table),
        "Setup (not part of the target):",
        markdown_table(["backend", "pending rows loaded", "load + ANALYZE"], loads),
    ]
    for backend, found in results["backends"].items():
        lines = []
        for entry in found["claim"]["plans"]:
            lines.append("-- " + entry["statement"])
            lines += entry["plan"]
            lines.append("")
        sections.append(f"Query plans of one claim on {backend}:\n\n```\n" + "\n".join(lines).rstrip() + "\n```")
    return "\n\n".join(sections)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        child(argv[1:])
        return {}
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_backend_options(parser)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--json", help="also write the raw results to this file")
    parser.add_argument("--no-tracemalloc", action="store_true", help="skip the traced child; no tracemalloc peaks")
    options = parser.parse_args(argv)
    results = {"backends": {b.name: run_backend(b, options.rows, not options.no_tracemalloc)
                            for b in backends_from(options)}}
    return finish_report(results, options.json, lambda done: markdown(done, options.rows))


if __name__ == "__main__":
    main()
