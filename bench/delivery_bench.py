"""Delivery at Telegram's limit: due reminders sent through a local Bot API server that keeps
Telegram's flood limits (30 messages/s overall, 1/s per chat, 20/min per group chat; a message
over one is answered 429 with retry_after and not delivered).

Cases, each on a fresh database (a SQLite file; PostgreSQL too when a URL is given):
  spread         REMINDERS due rows, one per task, over CHATS private chats and GROUPS groups
                 (task n to chat n mod (CHATS + GROUPS)), all due now
  month-start    MONTH_START tasks with a poll and a reminder each, due at the same instant:
                 exactly one message per (task, chat) must go out
for every round trip (milliseconds the server waits before answering each sendMessage) and
every process count (dispatchers on the one database, each in a process of its own, ticking
every `[delivery] tick_seconds` as the service does, with the service's other delivery
settings). With several processes each keeps `messages_per_second / processes` of the overall
limit (each process counts only its own sends). Reported per case: messages delivered, their
rate over the first to the last and that rate / 30, rows lost (due and never delivered),
deliveries duplicated (a row in two delivered messages), (task, chat) pairs that got two
messages, and the 429 answers.

    python -m bench.delivery_bench [--reminders N] [--round-trips 4,100] [--processes 1,3]
                                   [--sqlite-only | --postgres-only] [--postgres-url URL] [--json PATH]
"""
from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bench.databases import Backend, add_backend_options, backends_from, scratch_database
from bench.measure import markdown_table
from store.db import make_engine, upgrade_database
from store.models import Chat, Document, Reminder, ReminderState, Task, Unit

MODULE = "bench.delivery_bench"
ROOT = Path(__file__).resolve().parent.parent
TELEGRAM_LIMITS = (30, 1, 20)  # what the server keeps: overall per second, per chat per second, per group per minute
TOKEN = "123456:BENCH-token-for-the-local-server"
UNSETTLED = (ReminderState.PENDING, ReminderState.CLAIMED)


# --- the database -----------------------------------------------------------------------------


def seed(url: str, case: str, rows: int, chats: int, groups: int) -> dict[int, tuple[int, int]]:
    """Migrate and bulk-load one case; returns reminder id -> (task, chat) for every due row."""
    upgrade_database(url)
    engine = make_engine(url)
    now = datetime.now(UTC)
    due_at = now - timedelta(minutes=1)
    due_date = (now + timedelta(days=30)).date()
    total_chats = chats + groups
    tasks = rows  # one due row per task (spread), or a poll and a reminder per task (month-start)
    try:
        with engine.begin() as conn:
            conn.execute(insert(Document), [{"id": 1, "title": "基准方案", "language": "zh", "source_name": "bench.txt",
                                             "content_sha256": "0" * 64, "imported_at": now}])
            conn.execute(insert(Unit), [{"id": u, "name": f"单位{u}", "key": f"单位{u}", "kind": "single"}
                                        for u in range(1, total_chats + 1)])
            conn.execute(insert(Chat), [{
                "id": c, "telegram_chat_id": 10_000 + c if c <= chats else -1_000_000 - c,
                "kind": "private" if c <= chats else "group", "unit_id": c, "is_admin": False,
                "language": "zh-CN", "active": True, "created_at": now} for c in range(1, total_chats + 1)])
            conn.execute(insert(Task), [{
                "id": t, "document_id": 1, "seq": t, "label": f"{t}.", "title": f"任务{t}", "body": "",
                "status": "open", "effective_due": due_date, "due_source": "explicit"} for t in range(1, tasks + 1)])
            kinds = ("reminder",) if case == "spread" else ("poll", "reminder")
            reminders = [{
                "dedupe_key": f"bench:{kind}:{t}", "kind": kind, "task_id": t, "unit_id": _chat_of(t, total_chats),
                "chat_id": _chat_of(t, total_chats), "due_date": due_date, "send_at": due_at, "state": "pending",
                "attempts": 0, "created_at": now} for t in range(1, tasks + 1) for kind in kinds]
            for start in range(0, len(reminders), 5_000):
                conn.execute(insert(Reminder), reminders[start:start + 5_000])
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("ANALYZE")
        with engine.connect() as conn:
            return {i: (t, c) for i, t, c in conn.execute(select(Reminder.id, Reminder.task_id, Reminder.chat_id))}
    finally:
        engine.dispose()


def _chat_of(task: int, total_chats: int) -> int:
    return (task - 1) % total_chats + 1


def unsettled(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Reminder)
                            .where(Reminder.state.in_(UNSETTLED))).scalar_one()


def states(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {str(s): n for s, n in conn.execute(select(Reminder.state, func.count()).group_by(Reminder.state))}


# --- one dispatcher process -------------------------------------------------------------------


class IdsComposer:
    """The message names its rows, so that the server's log tells what was delivered."""

    def compose(self, delivery):
        from scheduler.notify import OutgoingMessage

        return OutgoingMessage(text="ids " + ",".join(map(str, delivery.reminder_ids)))


async def worker(config: dict[str, Any]) -> None:
    """A dispatcher as the service runs it, except working hours (the run may fall on any day)."""
    from telegram import Bot

    from bot.config import DeliverySettings
    from bot.telegram_notifier import TelegramNotifier
    from scheduler.dispatch import Dispatcher
    from scheduler.ratelimit import RateLimits

    delivery = DeliverySettings()
    limits = delivery.limits
    if config["processes"] > 1:  # each process counts only its own sends: each keeps its share
        limits = RateLimits(max(1, round(limits.overall_per_second / config["processes"])),
                            limits.per_chat_per_second, limits.per_group_per_minute)
    options = {}
    if hasattr(delivery, "max_in_flight"):  # the code before it existed sent one at a time
        options["max_in_flight"] = delivery.max_in_flight
    if "tasks_per_message" in inspect.signature(Dispatcher).parameters:
        # One message per (task, chat), as before lists: the bench measures the send rate, and a
        # chat's ten tasks in one list would send a tenth of the messages.
        options["tasks_per_message"] = 1
    engine = make_engine(config["url"])
    go, stop = Path(config["go"]), Path(config["stop"])
    async with Bot(TOKEN, base_url=config["base_url"]) as bot:
        dispatcher = Dispatcher(
            engine, TelegramNotifier(bot, send_timeout=delivery.send_timeout_seconds), IdsComposer(),
            worker_id=config["worker_id"], limits=limits, retry=delivery.retry, lease=delivery.lease, **options)
        while not go.exists():
            await asyncio.sleep(0.01)
        # APScheduler's interval job as ReminderService sets it: first run a second after start, then
        # every tick_seconds on that grid; a run still going when the next is due makes it skip (coalesce).
        next_run = time.monotonic() + 1
        while not stop.exists():
            if time.monotonic() >= next_run:
                await dispatcher.tick()
                while next_run <= time.monotonic():
                    next_run += delivery.tick_seconds
            await asyncio.sleep(0.05)
        await dispatcher.shutdown()
    engine.dispose()


# --- one case ---------------------------------------------------------------------------------


def run_case(backend: Backend, case: str, rows: int, chats: int, groups: int, round_trip_ms: float,
             processes: int, timeout: float) -> dict[str, Any]:
    from tests.telegram.bot_api_server import BotApiServer

    with scratch_database(backend, "delivery") as url, tempfile.TemporaryDirectory(prefix="delivery-bench-") as tmp:
        expected = seed(url, case, rows, chats, groups)
        server = BotApiServer(token=TOKEN, limits=TELEGRAM_LIMITS, send_delay=round_trip_ms / 1000).start()
        go, stop = Path(tmp) / "go", Path(tmp) / "stop"
        children = [subprocess.Popen(
            [sys.executable, "-m", MODULE, "--worker", json.dumps({
                "url": url, "base_url": server.base_url, "go": str(go), "stop": str(stop), "processes": processes,
                "worker_id": f"bench-{n}"})],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}) for n in range(processes)]
        engine = make_engine(url)
        try:
            time.sleep(3)  # the children import and connect
            began = time.monotonic()
            go.touch()
            deadline = began + timeout
            while unsettled(engine) and time.monotonic() < deadline:
                if any(child.poll() is not None for child in children):
                    raise SystemExit(f"{MODULE}: a dispatcher process ended early")
                time.sleep(0.5)
            finished = time.monotonic()
            stop.touch()
            for child in children:
                child.wait(timeout=120)
            final = states(engine)
        finally:
            stop.touch()
            for child in children:
                if child.poll() is None:
                    child.kill()
            engine.dispose()
            server.stop()
    delivered = [c for c in server.calls_to("sendMessage") if c.result]
    per_row: Counter[int] = Counter()
    per_pair: Counter[tuple[int, int]] = Counter()
    for call in delivered:
        ids = [int(i) for i in call.params["text"].removeprefix("ids ").split(",")]
        per_row.update(ids)
        per_pair.update({expected[i] for i in ids})
    times = sorted(c.at for c in delivered)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    rate = (len(times) - 1) / span if span else 0.0
    return {
        "database": backend.name, "case": case, "rows": len(expected), "round_trip_ms": round_trip_ms,
        "processes": processes, "messages": len(delivered), "pairs": len(set(expected.values())),
        "seconds": round(span, 1), "until_all_settled_s": round(finished - began, 1),
        "rate": round(rate, 2), "rate_of_30": round(rate / 30, 3),
        "lost": len(set(expected) - set(per_row)), "duplicated": sum(n - 1 for n in per_row.values() if n > 1),
        "pairs_sent_twice": sum(1 for n in per_pair.values() if n > 1), "http_429": server.rate_limited,
        "other_errors": sum(1 for c in server.calls_to("sendMessage") if not c.result) - server.rate_limited,
        "final_states": final, "timed_out": finished >= deadline,
    }


def table(results: list[dict[str, Any]]) -> str:
    headers = ["database", "case", "round trip", "processes", "rows", "messages", "s (first to last)", "messages/s",
               "rate / 30", "lost", "duplicated", "(task, chat) twice", "429s"]
    rows = [[r["database"], r["case"], f"{r['round_trip_ms']:g} ms", r["processes"], f"{r['rows']:,}",
             f"{r['messages']:,}", r["seconds"], r["rate"], f"{r['rate_of_30']:.2f}", r["lost"], r["duplicated"],
             r["pairs_sent_twice"], r["http_429"]] for r in results]
    return markdown_table(headers, rows)


def _numbers(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_backend_options(parser)
    parser.add_argument("--reminders", type=int, default=10_000, help="due rows in the spread case (10,000; 0 skips the case)")
    parser.add_argument("--chats", type=int, default=1_000, help="private chats (1,000)")
    parser.add_argument("--groups", type=int, default=100, help="group chats (100)")
    parser.add_argument("--month-start", type=int, default=1_000, metavar="TASKS",
                        help="tasks with a poll and a reminder due at once (1,000; 0 skips the case)")
    parser.add_argument("--round-trips", default="4,100", help="server-side round trips in ms, comma-separated")
    parser.add_argument("--processes", default="1,3", help="dispatcher process counts, comma-separated")
    parser.add_argument("--timeout", type=float, default=3_600, help="seconds a case may take at most")
    parser.add_argument("--postgres-only", action="store_true", help="skip SQLite (with --postgres-url)")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)  # a dispatcher process of a case
    options = parser.parse_args(argv)
    if options.worker:
        asyncio.run(worker(json.loads(options.worker)))
        return
    results = []
    for backend in backends_from(options):
        if options.postgres_only and backend.name == "sqlite":
            continue
        for round_trip in _numbers(options.round_trips):
            for processes in (int(p) for p in _numbers(options.processes)):
                cases = [("spread", options.reminders)] if options.reminders else []
                if options.month_start and round_trip == _numbers(options.round_trips)[0]:
                    cases.append(("month-start", options.month_start))
                for case, rows in cases:
                    result = run_case(backend, case, rows, options.chats, options.groups, round_trip, processes,
                                      options.timeout)
                    print(json.dumps(result), file=sys.stderr, flush=True)
                    results.append(result)
    print("## Delivery at Telegram's limit\n\n" + table(results) + "\n")
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
