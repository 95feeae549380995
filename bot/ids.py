"""Numbers users type or buttons carry, read and range-checked before they reach a query.

Every id column is an integer, 32 bits on PostgreSQL: a larger number would make the query
itself fail (and on SQLite one past 64 bits would), leaving the chat without an answer. Only
ASCII digits count: str.isdigit() also accepts "²" and "٣", which int() then refuses or reads.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from store.db import MAX_ROW_ID as MAX_ID  # PostgreSQL's integer; SQLite's is wider, so the bound for both
_NUMBER = re.compile(r"#?([0-9]{1,30})")  # long enough to read, and refuse, any number a user types


def parse_number(text: str | None) -> int | None:
    """The number in "12" or "#12" (ASCII digits only), however large; None if it is not one."""
    match = _NUMBER.fullmatch(text or "")
    return int(match.group(1)) if match else None


def is_stored_id(number: int | None) -> bool:
    """Whether a row could have this id; anything else is answered as unknown without a query."""
    return number is not None and 1 <= number <= MAX_ID


def parse_id(text: str | None) -> int | None:
    """An id from callback data or a command argument, or None when no row could have it."""
    number = parse_number(text)
    return number if is_stored_id(number) else None


def parse_task_id(args: Sequence[str]) -> int | None:
    """The number a command names ("12" or "#12"), however large: check it with is_stored_id before a query."""
    return parse_number(args[0]) if args else None
