"""How long a failed send waits before the next attempt. Its own module because the settings
(bot.config) build it at start-up, and the dispatcher's imports (the store, SQLAlchemy) are
not needed for that."""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter, capped. Transient errors are retried for as long as the
    reminder is wanted; `max_attempts` only ends errors nobody classified (a bug in a channel)."""

    max_attempts: int = 5
    first_delay: timedelta = timedelta(seconds=30)
    # Short enough that a reminder goes out within minutes of an outage's end (the end also
    # pulls every backed-off row forward, as soon as one message gets through).
    max_delay: timedelta = timedelta(minutes=5)
    jitter: float = 0.5  # the delay is scaled by a random factor in [1 - jitter, 1]

    def delay(self, attempt: int, draw: Callable[[], float] = random.random) -> timedelta:
        """The wait after failed attempt number `attempt` (1 for the first failure)."""
        base = min(self.max_delay, self.first_delay * (2 ** (attempt - 1)))
        return base * (1 - self.jitter * draw())
