"""A dispatcher in a process of its own, one of several on one database (test_dispatch_processes.py).

    python -m tests.scheduler.multi_worker DATABASE_URL LOG_FILE WORKER_ID BATCH_SIZE GO_FILE

Waits for GO_FILE (so that every worker starts at once), then ticks until nothing is left to
send. Every message appends "WORKER_ID ID,ID,..." (the reminder ids it carries) to LOG_FILE.
"""
from __future__ import annotations

import asyncio
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from scheduler.dispatch import Dispatcher
from scheduler.ratelimit import RateLimits
from store.db import make_engine
from store.models import Reminder, ReminderState
from tests.scheduler.dispatch_worker import FileNotifier, IdsComposer


def unsent(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(Reminder).where(
            Reminder.state.in_([ReminderState.PENDING, ReminderState.CLAIMED]))).scalar_one()


async def main(url: str, log_path: str, worker_id: str, batch_size: int, go: str) -> None:
    engine = make_engine(url)
    dispatcher = Dispatcher(
        engine, FileNotifier(log_path, worker_id), IdsComposer(), worker_id=worker_id,
        lease=timedelta(seconds=60), batch_size=batch_size, limits=RateLimits(1000, 1000, 1000),
    )
    while not Path(go).exists():
        time.sleep(0.01)
    deadline = time.monotonic() + 120
    try:
        while unsent(engine) and time.monotonic() < deadline:
            if not (await dispatcher.tick()).claimed:
                await asyncio.sleep(0.05)  # the rest is being sent by the others
    finally:
        engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]))
