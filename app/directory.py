"""Use cases of the unit directory: a unit's contact, a collective's members, the units no chat
reaches, and invites for all of them at once.

Each writer validates, writes in one transaction and re-plans what it changed in that same
transaction (`replan`, as store.chats.record_status takes it); the command line and the chat
commands only parse and render.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine

from store import directory
from store.directory import Contact, DirectoryEntry, IssuedInvite, MembershipError
from store.queries import find_unit_ids

__all__ = ["ContactChange", "DirectoryError", "MembershipChange", "MembershipError", "change_members",
           "invite_unreached", "invite_targets", "set_unit_contact", "unit_directory", "unreached_units"]

Replanner = Callable[[Connection, Sequence[int]], object]
# Digits with the usual separators, an extension after 转 / ext / x: "0971-1234567转802", "+86 138 0000 0000".
_PHONE = re.compile(r"^\+?[0-9][0-9 ()\-]*(?:(?:转|ext\.?|x)\s*[0-9]+)?$", re.IGNORECASE)


class DirectoryError(ValueError):
    """Input the directory refuses; `field` names what was wrong ("phone", "person", "members")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class ContactChange:
    unit_name: str
    before: Contact
    after: Contact


def set_unit_contact(engine: Engine, unit_name: str, person: str | None, phone: str | None) -> ContactChange:
    """Set a unit's contact person and/or phone (None: leave it; "": clear it); raises UnknownUnit
    or DirectoryError."""
    if person is None and phone is None:
        raise DirectoryError("contact", "give a contact person, a phone or both")
    if person is not None and len(person.strip()) > directory.CONTACT_PERSON_CHARS:
        raise DirectoryError("person", f"at most {directory.CONTACT_PERSON_CHARS} characters")
    if phone is not None and phone.strip():
        if len(phone.strip()) > directory.CONTACT_PHONE_CHARS or not _PHONE.match(phone.strip()):
            raise DirectoryError("phone", f"not a phone number: {phone.strip()!r}")
    unit_id = find_unit_ids(engine, unit_name)[0]
    with engine.begin() as conn:
        before = directory.set_contact_in(conn, unit_id, person, phone)
    (entry,) = directory.directory(engine, [unit_id])
    return ContactChange(entry.name, before, Contact(entry.contact_person, entry.contact_phone))


@dataclass(frozen=True)
class MembershipChange:
    collective: str
    added: int  # new memberships
    removed: int
    created: tuple[str, ...]  # member names that were no unit yet and now are
    members: tuple[str, ...]  # the members afterwards, by name
    replanned_tasks: int  # tasks naming the collective, re-planned with the new members


def change_members(engine: Engine, collective_name: str, add: Sequence[str], remove: Sequence[str], now: datetime,
                   replan: Replanner | None = None) -> MembershipChange:
    """Add and remove members of a collective unit, then re-plan its tasks, in one transaction.

    A member to add that is no unit yet is created (as ingest would); a member to remove must exist.
    Raises UnknownUnit, MembershipError or DirectoryError; nothing is written then.
    """
    add = _names(add)
    remove = _names(remove)
    if not add and not remove:
        raise DirectoryError("members", "give members to --add or --remove")
    if set(add) & set(remove):
        raise DirectoryError("members", f"both added and removed: {'、'.join(sorted(set(add) & set(remove)))}")
    collective_id = find_unit_ids(engine, collective_name)[0]
    remove_ids = [find_unit_ids(engine, name)[0] for name in remove]
    with engine.begin() as conn:
        created, add_ids = [], []
        for name in add:
            unit_id, new = directory.ensure_unit_in(conn, name)
            add_ids.append(unit_id)
            if new:
                created.append(name)
        added = directory.add_members_in(conn, collective_id, add_ids, now) if add_ids else 0
        removed = directory.remove_members_in(conn, collective_id, remove_ids)
        task_ids = directory.task_ids_of_unit_in(conn, collective_id)
        if replan is not None and task_ids:
            replan(conn, task_ids)
        members = directory.member_names_in(conn, collective_id)
    (entry,) = directory.directory(engine, [collective_id])
    return MembershipChange(entry.name, added, removed, tuple(created), tuple(members), len(task_ids))


def _names(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in names if n and n.strip()))


def unit_directory(engine: Engine) -> list[DirectoryEntry]:
    """Every unit with its contact, the chats that reach it, its members and open tasks; by name."""
    return directory.directory(engine)


def unreached_units(engine: Engine) -> list[DirectoryEntry]:
    """The units no active chat reaches, directly or through a member; by name."""
    return directory.unreached_units(engine)


def invite_targets(entries: Sequence[DirectoryEntry]) -> list[DirectoryEntry]:
    """Which unreached units get an invite: all but collectives with members, whose members are
    invited instead (a collective without members may still have one shared chat)."""
    return [entry for entry in entries if not entry.reached and not entry.members]


def invite_unreached(engine: Engine, valid_for: timedelta, now: datetime, created_by: int | None = None,
                     hand_out: Callable[[list[IssuedInvite]], None] | None = None) -> list[IssuedInvite]:
    """A fresh single-use invite for every unit no chat reaches (see invite_targets), each unit's
    earlier outstanding invites revoked, so there is one valid invite per unit however often it runs.

    `hand_out` (writing the CSV) runs before the transaction commits: if it fails, nothing is
    revoked or issued and the links handed out before stay valid.
    """
    targets = [entry.unit_id for entry in invite_targets(unreached_units(engine))]
    with engine.begin() as conn:
        issued = directory.reissue_invites_in(conn, targets, valid_for, now, created_by)
        if hand_out is not None:
            hand_out(issued)
    return issued
