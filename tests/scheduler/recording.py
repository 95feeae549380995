"""Test doubles for the dispatcher: a clock that only moves when told, a notifier that records."""
from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from scheduler.notify import ChatAddress, Delivery, OutgoingMessage


class FakeClock:
    """Call it for now; `sleep` advances it instead of waiting."""

    def __init__(self, start: datetime = datetime(2031, 6, 2, 1, 0, tzinfo=UTC)) -> None:
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float = 0, **delta) -> None:
        self.now += timedelta(seconds=seconds, **delta)

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)


@dataclass(frozen=True)
class Sent:
    at: datetime
    chat: ChatAddress
    message: OutgoingMessage
    message_id: int


class RecordingNotifier:
    """Records every send with the fake clock's time; `fail(chat, error)` makes the next send to it raise."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.sent: list[Sent] = []
        self.attempts: list[tuple[datetime, int]] = []  # (at, telegram_chat_id), failures included
        self._failures: dict[int, deque[BaseException]] = defaultdict(deque)
        self._next_id = 1000

    def fail(self, telegram_chat_id: int, *errors: BaseException) -> None:
        self._failures[telegram_chat_id].extend(errors)

    async def send(self, chat: ChatAddress, message: OutgoingMessage) -> int:
        self.attempts.append((self.clock(), chat.telegram_chat_id))
        queue = self._failures.get(chat.telegram_chat_id)
        if queue:
            raise queue.popleft()
        self._next_id += 1
        self.sent.append(Sent(self.clock(), chat, message, self._next_id))
        return self._next_id


class PlainComposer:
    """`kind|task_id|kinds|unit` as the text, one button: enough to assert on."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []

    def compose(self, delivery: Delivery) -> OutgoingMessage:
        self.deliveries.append(delivery)
        kinds = ",".join(k.value for k in delivery.kinds)
        # A list of several tasks shows their ids joined by "+".
        task = "+".join(str(item.task_id) for item in delivery.items) if delivery.items else delivery.task_id
        text = f"{delivery.kind.value}|{task}|{kinds}|{delivery.unit_name}"
        return OutgoingMessage(text=text, buttons=((("done", f"done:{delivery.task_id}"),),))
