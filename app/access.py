"""Who may do what: the one home of these rules, asked alike by the command line and the chat.

- An administrator is whoever runs the command line (the shell is the supervising office's), or
  a Telegram user listed in telegram.admin_user_ids acting in a private chat (their own) or in an
  administrators' chat. A listed user in a unit's chat is a member of that unit there; a group
  member who is not listed is no administrator, even in the administrators' group.
- A unit's member (anyone in a chat bound to the unit) reports on, reads, and asks an extension
  for the tasks that name that unit, and only those (the store checks the task names the unit in
  the transaction that writes).
- Only an administrator decides an extension, lists everyone's tasks, or reads any task.

An interface turns who is asking into an Actor once, and hands it to the use cases; a use case
refused raises NotAllowed (or the store's NotUnitsTask), which the interface renders.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from store.db import MAX_ROW_ID


class NotAllowed(Exception):
    """An administrator's action asked by someone who is not one."""

    def __init__(self, action: str) -> None:
        super().__init__(f"only an administrator may {action}")
        self.action = action


@dataclass(frozen=True)
class Actor:
    """Who is acting, as the use cases see them (never a Telegram object)."""

    administrator: bool
    unit_id: int | None = None  # the unit whose member is acting (their chat's unit, or named on the command line)
    chat_id: int | None = None  # the Chat row the action came from; None on the command line
    user_id: int | None = None  # the Telegram user; None on the command line
    user_name: str | None = None  # the name the audit trail keeps ("王 科长 (@wang_kz)")

    @classmethod
    def command_line(cls, unit_id: int | None = None) -> Actor:
        """Whoever runs deadline-bot: an administrator, speaking for `unit_id` when one is named."""
        return cls(administrator=True, unit_id=unit_id)


def is_admin_user(admin_user_ids: Collection[int], user_id: int | None) -> bool:
    """Whether this Telegram user is listed as an administrator (telegram.admin_user_ids)."""
    return user_id is not None and user_id in admin_user_ids


def may_administer(admin_user_ids: Collection[int], user_id: int | None, chat_type: str | None,
                   in_admin_chat: bool) -> bool:
    """The one rule for administrators' actions in chat: a listed user, in a private chat or in an
    administrators' chat."""
    if not is_admin_user(admin_user_ids, user_id):
        return False
    return chat_type == "private" or in_admin_chat


def chat_actor(admin_user_ids: Collection[int], user_id: int | None, chat_type: str | None, *,
               chat_id: int | None, unit_id: int | None, in_admin_chat: bool,
               user_name: str | None = None) -> Actor:
    """The Actor of a chat message or button: a member of the chat's unit, and an administrator
    when may_administer says so."""
    return Actor(administrator=may_administer(admin_user_ids, user_id, chat_type, in_admin_chat),
                 unit_id=unit_id, chat_id=chat_id, user_id=user_id, user_name=user_name)


def require_administrator(actor: Actor, action: str) -> None:
    """Raise NotAllowed unless the actor is an administrator."""
    if not actor.administrator:
        raise NotAllowed(action)


def may_be_stored_id(number: int | None) -> bool:
    """Whether a row could have this id: anything else is answered as unknown without a query."""
    return number is not None and 1 <= number <= MAX_ROW_ID
