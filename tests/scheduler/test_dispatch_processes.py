"""Several dispatcher processes on one database, and a database server stopped and started under
a running dispatcher: every reminder goes out once, as one message per task and chat."""
from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from scheduler.dispatch import Dispatcher
from scheduler.ratelimit import RateLimits
from store.db import make_engine, upgrade_database
from store.models import ChatKind, ReminderState, UnitRole
from store.outbox import sync_planned_reminders
from tests.scheduler.outbox_builders import WINDOW, add_chat, add_document, add_task, add_unit, planned, reminders

ROOT = Path(__file__).resolve().parents[2]


def seed(engine, chats: int, tasks_per_chat: int, rows_per_task: int) -> dict[int, tuple[int, int]]:
    """Due rows for every (task, chat); returns reminder id -> (task, chat)."""
    document = add_document(engine)
    due = datetime.now(UTC) - timedelta(minutes=5)
    rows = []
    for c in range(chats):
        unit = add_unit(engine, f"单位{c}")
        chat = add_chat(engine, unit_id=unit, kind=ChatKind.PRIVATE)
        for _ in range(tasks_per_chat):
            task = add_task(engine, document, units=((unit, UnitRole.LEAD),), due=date(2031, 7, 31))
            rows += [planned(f"t{task}c{chat}k{k}", chat_id=chat, task_id=task, unit_id=unit,
                             due_date=date(2031, 7, 31), send_at=due + timedelta(seconds=k))
                     for k in range(rows_per_task)]
    sync_planned_reminders(engine, rows, *WINDOW)
    return {r.id: (r.task_id, r.chat_id) for r in reminders(engine)}


def messages(log: Path) -> list[tuple[str, list[int]]]:
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [(worker, [int(i) for i in ids.split(",")]) for worker, ids in (line.split() for line in lines)]


@pytest.mark.postgres
def test_three_processes_on_postgresql_send_one_message_per_chat(database_url, database_backend, engine, tmp_path):
    if database_backend != "postgresql":
        pytest.skip("several processes on one database is what PostgreSQL is for")
    pair_of = seed(engine, chats=25, tasks_per_chat=5, rows_per_task=4)
    assert len(pair_of) == 500
    log, go = tmp_path / "sent.log", tmp_path / "go"
    workers = [
        subprocess.Popen([sys.executable, "-m", "tests.scheduler.multi_worker", database_url, str(log), f"w{i}",
                          "7", str(go)], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        for i in range(3)
    ]
    time.sleep(1.0)  # let them import and connect
    go.touch()
    for worker in workers:
        assert worker.wait(timeout=150) == 0

    sent = messages(log)
    # Everything due for one chat is one message (five tasks: one page), sent by one process, once.
    per_chat = Counter()
    for _, ids in sent:
        chats_ = {pair_of[i][1] for i in ids}
        assert len(chats_) == 1, f"a message to two chats: {ids}"
        per_chat[chats_.pop()] += 1
    rows_sent = Counter(i for _, ids in sent for i in ids)
    figures = dict(rows_due=len(pair_of), processes=3, pairs=len(set(pair_of.values())),
                   messages=len(sent), max_messages_per_chat=max(per_chat.values()),
                   lost=len(set(pair_of) - set(rows_sent)), rows_sent_twice=sum(1 for n in rows_sent.values() if n > 1),
                   messages_per_process=dict(Counter(worker for worker, _ in sent)))
    print("multi-process figures:", figures)
    assert set(per_chat.values()) == {1} and len(per_chat) == 25
    assert figures["lost"] == 0 and figures["rows_sent_twice"] == 0
    assert len(figures["messages_per_process"]) == 3, "every process dispatched"
    assert {r.state for r in reminders(engine)} == {ReminderState.SENT}


# --- the database server stops and starts under a running dispatcher -------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_ctl(data: Path, *args: str) -> None:
    bindir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    command = [str(bindir / "pg_ctl"), "-D", str(data), *args]
    if os.getuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class RecordingFileNotifier:
    """Records (monotonic time, ids) per send; a pause stands for the trip to Telegram."""

    def __init__(self) -> None:
        self.sent: list[tuple[float, list[int]]] = []

    async def send(self, chat, message) -> int:
        await asyncio.sleep(0.01)
        self.sent.append((time.monotonic(), [int(i) for i in message.text.split(",")]))
        return len(self.sent)


@pytest.mark.postgres
async def test_a_database_restart_under_a_running_dispatcher_sends_nothing_unrecorded(database_backend, tmp_path):
    if database_backend != "postgresql" or not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        pytest.skip("stops and starts a PostgreSQL server of its own")
    # Outside tmp_path: the server runs as the postgres user, which must reach its data directory.
    home = Path(tempfile.mkdtemp(prefix="deadline-bot-test-pg."))
    home.chmod(0o755)
    data = home / "data"
    port = _free_port()
    url = subprocess.run([str(ROOT / ".ci/start-postgres"), str(data), str(port)], check=True, capture_output=True,
                         text=True).stdout.strip()
    engine = make_engine(url)
    try:
        upgrade_database(engine)
        pair_of = seed(engine, chats=30, tasks_per_chat=4, rows_per_task=2)
        notifier = RecordingFileNotifier()
        from tests.scheduler.dispatch_worker import IdsComposer

        dispatcher = Dispatcher(engine, notifier, IdsComposer(), worker_id="only", batch_size=5,
                                lease=timedelta(seconds=4), limits=RateLimits(1000, 1000, 1000))
        results = []

        async def run(until: float) -> None:
            while time.monotonic() < until:
                results.append(await dispatcher.tick())
                await asyncio.sleep(0.05)

        loop_end = time.monotonic() + 60
        runner = asyncio.create_task(run(loop_end))
        while len(notifier.sent) < 10:
            await asyncio.sleep(0.01)
        # fast: a clean stop. (immediate is a crash, and this throw-away server runs with
        # synchronous_commit=off, so a crash may lose commits it had acknowledged.)
        await asyncio.to_thread(_pg_ctl, data, "-m", "fast", "-w", "stop")
        stopped_at = time.monotonic()
        await asyncio.sleep(6)  # longer than the lease
        down_results = len(results)
        restart_at = time.monotonic()
        await asyncio.to_thread(_pg_ctl, data, "-l", str(data / "server.log"), "-w", "-o",
                                f"-h 127.0.0.1 -p {port} -k /tmp", "start")
        while time.monotonic() < loop_end:
            rows = {r.state for r in reminders(engine)}
            if rows == {ReminderState.SENT}:
                break
            await asyncio.sleep(0.2)
        runner.cancel()
        with pytest.raises(asyncio.CancelledError):
            await runner

        rows_sent = Counter(i for _, ids in notifier.sent for i in ids)
        per_pair = Counter(pair_of[ids[0]] for _, ids in notifier.sent)
        sent_while_down = [at for at, _ in notifier.sent if stopped_at + 0.5 < at < restart_at]
        print("database restart figures:", dict(rows=len(pair_of), messages=len(notifier.sent),
                                                 sent_while_down=len(sent_while_down),
                                                 ticks_while_down=down_results,
                                                 rows_sent_twice=sum(1 for n in rows_sent.values() if n > 1)))
        assert any(r.database_down for r in results)
        assert sent_while_down == []
        assert set(rows_sent) == set(pair_of), "nothing lost"
        assert set(rows_sent.values()) == {1} and set(per_pair.values()) == {1}, "nothing sent twice"
        assert {r.state for r in reminders(engine)} == {ReminderState.SENT}
    finally:
        engine.dispose()
        try:
            _pg_ctl(data, "-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(home, ignore_errors=True)
