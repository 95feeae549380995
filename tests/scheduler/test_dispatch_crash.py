"""A worker killed with SIGKILL mid-dispatch loses nothing: its claims lapse and another worker sends them."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from store.models import ChatKind, ReminderState
from store.outbox import sync_planned_reminders
from tests.scheduler.outbox_builders import WINDOW, add_chat, add_document, add_task, planned, reminders

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 1.0


def start_worker(database_url: str, log: Path, worker_id: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.scheduler.dispatch_worker", database_url, str(log), worker_id, str(LEASE_SECONDS)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def sent_lines(log: Path) -> list[str]:
    return log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_a_worker_killed_mid_dispatch_loses_nothing(database_url, engine, tmp_path):
    document = add_document(engine)
    task = add_task(engine, document)
    chats = [add_chat(engine, kind=ChatKind.PRIVATE, is_admin=True) for _ in range(16)]
    due = datetime.now(UTC) - timedelta(minutes=1)
    sync_planned_reminders(engine, [planned(f"r{c}", chat_id=c, task_id=task, send_at=due) for c in chats], *WINDOW)
    ids = {r.id for r in reminders(engine)}
    log = tmp_path / "sent.log"

    first = start_worker(database_url, log, "first")
    deadline = time.monotonic() + 60
    while len(sent_lines(log)) < 3:
        assert first.poll() is None, "the first worker finished before it could be killed"
        assert time.monotonic() < deadline, "the first worker sent nothing"
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    first.wait()
    sent_before_kill = len(sent_lines(log))
    assert sent_before_kill < len(ids)

    time.sleep(LEASE_SECONDS + 0.2)  # the dead worker's claims lapse
    second = start_worker(database_url, log, "second")
    assert second.wait(timeout=120) == 0

    sent = Counter(int(i) for line in sent_lines(log) for i in line.split()[1].split(","))
    assert set(sent) == ids, "every due reminder was sent"
    assert sum(sent.values()) - len(ids) <= 1, f"at most one duplicate for one kill: {sent}"
    assert {r.state for r in reminders(engine)} == {ReminderState.SENT}
