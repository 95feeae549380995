"""The status buttons under a task message, and the compact callback data they carry.

Callback data names the task and the status, nothing else ("st:<task id>:<code>", well under
Telegram's 64 bytes). It is not trusted: the handler checks on the server that the task
belongs to the chat's unit before anything is written, so editing the data gains nothing.
"""
from __future__ import annotations

import re

from bot.i18n import Catalogue
from bot.ids import is_stored_id
from store.models import TaskStatus

_PREFIX = "st"
CODES = {
    TaskStatus.DONE: "d",
    TaskStatus.IN_PROGRESS: "p",
    TaskStatus.BLOCKED: "b",
    TaskStatus.EXTENSION_REQUESTED: "x",
}
_STATUS_OF = {code: status for status, code in CODES.items()}
_DATA = re.compile(rf"^{_PREFIX}:([0-9]+):([{''.join(CODES.values())}])$")

Buttons = tuple[tuple[tuple[str, str], ...], ...]


def status_data(task_id: int, status: TaskStatus) -> str:
    return f"{_PREFIX}:{task_id}:{CODES[status]}"


def parse_status_data(data: str | None) -> tuple[int, TaskStatus] | None:
    """(task id, status) from a button's callback data, or None if it is not one of ours."""
    match = _DATA.match(data or "")
    if match is None or not is_stored_id(int(match.group(1))):
        return None
    return int(match.group(1)), _STATUS_OF[match.group(2)]


def status_buttons(task_id: int, texts: Catalogue) -> Buttons:
    """✅ 已完成 · 🔄 推进中 / ⚠️ 有困难 · 📅 申请延期, two per row so they fit a phone screen."""
    def button(status: TaskStatus) -> tuple[str, str]:
        return texts.text(f"tg.button_{status.value}"), status_data(task_id, status)

    return (
        (button(TaskStatus.DONE), button(TaskStatus.IN_PROGRESS)),
        (button(TaskStatus.BLOCKED), button(TaskStatus.EXTENSION_REQUESTED)),
    )
