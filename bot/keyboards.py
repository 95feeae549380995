"""The status buttons under a task message, and the compact callback data they carry.

Callback data names the task and the status, nothing else ("st:<task id>:<code>", well under
Telegram's 64 bytes). It is not trusted: the handler checks on the server that the task
belongs to the chat's unit before anything is written, so editing the data gains nothing.
✅ also carries the due date the task had when the message was drawn ("st:<id>:d:<yyyymmdd>"):
a second tap on a milestone already met is recognised as a repeat, not as the next milestone.
"""
from __future__ import annotations

import re
from datetime import date

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
_DATA = re.compile(rf"^{_PREFIX}:([0-9]+):([{''.join(CODES.values())}])(?::([0-9]{{8}}))?$")

Buttons = tuple[tuple[tuple[str, str], ...], ...]


def status_data(task_id: int, status: TaskStatus, due: date | None = None) -> str:
    data = f"{_PREFIX}:{task_id}:{CODES[status]}"
    return f"{data}:{due:%Y%m%d}" if due is not None and status is TaskStatus.DONE else data


def parse_status_data(data: str | None) -> tuple[int, TaskStatus] | None:
    """(task id, status) from a button's callback data, or None if it is not one of ours."""
    match = _DATA.match(data or "")
    if match is None or not is_stored_id(int(match.group(1))):
        return None
    return int(match.group(1)), _STATUS_OF[match.group(2)]


def due_of_status_data(data: str | None) -> date | None:
    """The due date a ✅ button was drawn with, or None (older buttons carry none)."""
    match = _DATA.match(data or "")
    if match is None or match.group(3) is None:
        return None
    try:
        return date(int(match.group(3)[:4]), int(match.group(3)[4:6]), int(match.group(3)[6:]))
    except ValueError:
        return None


def status_buttons(task_id: int, texts: Catalogue, due: date | None = None) -> Buttons:
    """✅ 已完成 · 🔄 推进中 / ⚠️ 有困难 · 📅 申请延期, two per row so they fit a phone screen;
    `due` is the task's effective due date as the message shows it."""
    def button(status: TaskStatus) -> tuple[str, str]:
        return texts.text(f"tg.button_{status.value}"), status_data(task_id, status, due)

    return (
        (button(TaskStatus.DONE), button(TaskStatus.IN_PROGRESS)),
        (button(TaskStatus.BLOCKED), button(TaskStatus.EXTENSION_REQUESTED)),
    )


# --- completion: the office's verification and reopening (app.status) ------------------------

_VERIFY_DATA = re.compile(r"^vf:([0-9]+):([vb])$")  # v: 销号, b: send back
_REOPEN_DATA = re.compile(r"^ro:([0-9]+)$")


def verify_buttons(task_id: int, texts: Catalogue) -> Buttons:
    """✅ 销号 · ↩ 退回 under a verification request."""
    return ((texts.text("completion.button_verify"), f"vf:{task_id}:v"),
            (texts.text("completion.button_send_back"), f"vf:{task_id}:b")),


def extension_decision_data(request_id: int, approve: bool) -> str:
    return f"ext:{request_id}:{'a' if approve else 'r'}"


def extension_buttons(request_id: int, texts: Catalogue) -> Buttons:
    """✅ 批准 · ❌ 驳回 under an extension request to the administrators."""
    return ((texts.text("ext.button_approve"), extension_decision_data(request_id, True)),
            (texts.text("ext.button_reject"), extension_decision_data(request_id, False))),


def parse_verify_data(data: str | None) -> tuple[int, bool] | None:
    """(task id, verify? else send back) from a verification button's data, or None."""
    match = _VERIFY_DATA.match(data or "")
    if match is None or not is_stored_id(int(match.group(1))):
        return None
    return int(match.group(1)), match.group(2) == "v"


def reopen_buttons(task_id: int, texts: Catalogue) -> Buttons:
    return ((texts.text("completion.button_reopen"), f"ro:{task_id}"),),


def parse_reopen_data(data: str | None) -> int | None:
    match = _REOPEN_DATA.match(data or "")
    if match is None or not is_stored_id(int(match.group(1))):
        return None
    return int(match.group(1))
