"""A dispatcher in a process of its own, for the crash test (test_dispatch_crash.py).

    python -m tests.scheduler.dispatch_worker DATABASE_URL LOG_FILE WORKER_ID LEASE_SECONDS

Ticks until a tick finds nothing to claim. Every send appends "WORKER_ID ID,ID,..." (the
reminder ids the message carries) to LOG_FILE before the "response" arrives, so a kill between
the send and mark_sent shows up as a duplicate.
"""
from __future__ import annotations

import asyncio
import sys
from datetime import timedelta

from scheduler.dispatch import Dispatcher
from scheduler.notify import ChatAddress, Delivery, OutgoingMessage
from store.db import make_engine

SEND_PAUSE = 0.05  # seconds before and after the message "leaves"


class IdsComposer:
    def compose(self, delivery: Delivery) -> OutgoingMessage:
        return OutgoingMessage(text=",".join(str(i) for i in delivery.reminder_ids))


class FileNotifier:
    def __init__(self, path: str, worker_id: str) -> None:
        self.path = path
        self.worker_id = worker_id
        self.count = 0

    async def send(self, chat: ChatAddress, message: OutgoingMessage) -> int:
        await asyncio.sleep(SEND_PAUSE)
        with open(self.path, "a", encoding="utf-8") as log:
            log.write(f"{self.worker_id} {message.text}\n")
        self.count += 1
        await asyncio.sleep(SEND_PAUSE)
        return self.count


async def main(url: str, log_path: str, worker_id: str, lease_seconds: float) -> None:
    engine = make_engine(url)
    dispatcher = Dispatcher(
        engine, FileNotifier(log_path, worker_id), IdsComposer(), worker_id=worker_id,
        lease=timedelta(seconds=lease_seconds), batch_size=4,
    )
    try:
        while (await dispatcher.tick()).claimed:
            pass
    finally:
        engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])))
