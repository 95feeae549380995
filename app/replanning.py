"""The re-plan a use case asks for, built once per interface: the running bot hands its
ReminderService.replan_in; the command line, which has no service, builds one here."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine

from scheduler.policy import ReminderPolicy
from scheduler.service import replan_in_transaction
from scheduler.stored_calendar import stored_calendar
from store.chats import Replanner


def replanner(engine: Engine, policy: ReminderPolicy, now: datetime, lookback: timedelta,
              horizon: timedelta) -> Replanner:
    """What re-plans the given tasks inside the caller's transaction, with the stored working calendar."""
    calendar = stored_calendar(engine, policy)

    def replan(conn: Connection, task_ids: Sequence[int]) -> object:
        return replan_in_transaction(conn, policy, calendar, now, lookback, horizon, task_ids)

    return replan
