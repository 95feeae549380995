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

# The two handlers of status buttons, by pattern: 📅 asks for a date (bot.extensions), every other
# "st:" press (forged ones too, which are answered as unknown) is bot.handlers.status_button's.
EXTENSION_PRESS = re.compile(rf"^{_PREFIX}:[0-9]+:{CODES[TaskStatus.EXTENSION_REQUESTED]}$")
OTHER_STATUS_PRESS = re.compile(rf"^{_PREFIX}:(?![0-9]+:{CODES[TaskStatus.EXTENSION_REQUESTED]}$)")

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


# --- lists: one compact row per task (scheduler.batching) -----------------------------------

_COMPACT = (TaskStatus.DONE, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED, TaskStatus.EXTENSION_REQUESTED)
_RECORDED_MARK = "✔"


def compact_status_row(task_id: int, texts: Catalogue, due: date | None = None) -> tuple[tuple[str, str], ...]:
    """#12 ✅ · 🔄 · ⚠️ · 📅: the status buttons of one task in a list, its number first."""
    icons = [texts.text(f"tg.button_{status.value}").split()[0] for status in _COMPACT]
    icons[0] = f"#{task_id} {icons[0]}"
    return tuple((icon, status_data(task_id, status, due)) for icon, status in zip(icons, _COMPACT))


def is_list_keyboard(buttons: Buttons) -> bool:
    """True when a message's keyboard holds the status buttons of more than one task (a list)."""
    tasks = {parsed[0] for row in buttons for _, data in row if (parsed := parse_status_data(data)) is not None}
    return len(tasks) > 1


def list_keyboard_after_report(buttons: Buttons, task_id: int, status: TaskStatus, done: bool) -> Buttons:
    """The list's keyboard once a task in it was reported: the pressed button is ticked (the row
    goes, once the unit's share is done); the other tasks' rows stay as they were."""
    out = []
    for row in buttons:
        parsed = [parse_status_data(data) for _, data in row]
        if not any(p is not None and p[0] == task_id for p in parsed):
            out.append(row)
            continue
        if done:
            continue
        out.append(tuple(
            (label.rstrip(" " + _RECORDED_MARK) + (f" {_RECORDED_MARK}" if p is not None and p[1] is status else ""),
             data)
            for (label, data), p in zip(row, parsed)))
    return tuple(out)


# --- escalations: what an administrator can do about a late task (bot.batch_commands) -------

_ESCALATION_DATA = re.compile(r"^es:([rho]):([0-9]+)$")  # remind now, hold 7 days, open the task
ESCALATION_ACTIONS = {"r": "remind", "h": "hold", "o": "open"}


def escalation_row(task_id: int, texts: Catalogue, *, numbered: bool) -> tuple[tuple[str, str], ...]:
    """🔔 remind now · ⏸ 7 days · 🔎 details for one late task (its number first, in a list)."""
    labels = [texts.text(f"batch.button_{action}") for action in ("remind", "hold", "open")]
    if numbered:
        labels[0] = f"#{task_id} {labels[0]}"
    return tuple((label, f"es:{code}:{task_id}") for label, code in zip(labels, ("r", "h", "o")))


def parse_escalation_data(data: str | None) -> tuple[str, int] | None:
    """(action, task id) from an escalation button's data, or None."""
    match = _ESCALATION_DATA.match(data or "")
    if match is None or not is_stored_id(int(match.group(2))):
        return None
    return ESCALATION_ACTIONS[match.group(1)], int(match.group(2))


def buttons_of(message) -> Buttons:
    """A Telegram message's inline keyboard as (label, data) rows (empty without one)."""
    markup = getattr(message, "reply_markup", None)
    if markup is None:
        return ()
    return tuple(tuple((button.text, button.callback_data or "") for button in row) for row in markup.inline_keyboard)
