"""The unit directory: contacts, the members of collective units, which units a chat reaches, and
invites for every unit no chat reaches yet.

Reached: a unit is reached when an active chat is bound to it or, for a collective ("各市州政府"),
to one of its members, since the planner sends a collective's reminders to its members' chats.

The writers take the caller's Connection (app.directory holds the transaction); the readers take
an Engine and return frozen dataclasses, like the rest of store/.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, delete, func, or_, select, update

from extract.unitnames import unit_aliases, unit_key, unit_kind
from store.db import insert_ignoring_duplicates
from store.errors import StoreError
from store.models import (
    CLOSED_STATUSES,
    Chat,
    Document,
    Invite,
    Task,
    TaskUnit,
    Unit,
    UnitAlias,
    UnitKind,
    UnitMember,
    UnitRole,
)

CONTACT_PERSON_CHARS = 100  # unit.contact_person's length (migration 0012)
CONTACT_PHONE_CHARS = 40


class MembershipError(StoreError):
    """A membership that cannot be: a unit in itself, or a collective inside another."""

    def __init__(self, message: str, unit_name: str) -> None:
        super().__init__(message)
        self.unit_name = unit_name


# --- who answers for whom -------------------------------------------------------------------


def answering_unit_in(conn: Connection, task_id: int, unit_id: int) -> int | None:
    """The unit on the task that a chat bound to unit_id answers for: that unit when the task names
    it, else a collective on the task that it belongs to (the strongest role first), else None.

    The rule for a collective's share: any bound member's report is the collective's report, the
    latest one standing, as a second liaison's answer would for a single unit. Which member said it
    stays in the report's chat.
    """
    named = conn.execute(
        select(TaskUnit.unit_id, TaskUnit.role)
        .where(TaskUnit.task_id == task_id,
               or_(TaskUnit.unit_id == unit_id, TaskUnit.unit_id.in_(collectives_of_select(unit_id))))
    ).all()
    if not named:
        return None
    if any(found == unit_id for found, _ in named):
        return unit_id
    rank = {UnitRole.LEAD: 0, UnitRole.RESPONSIBLE: 1, UnitRole.COOPERATING: 2}
    return min(named, key=lambda row: (rank[row[1]], row[0]))[0]


def collectives_of_select(unit_id: int):
    """SELECT of the collectives the unit belongs to, for `TaskUnit.unit_id.in_(...)`."""
    return select(UnitMember.collective_id).where(UnitMember.member_id == unit_id)


def answered_by_clause(unit_id: int):
    """TaskUnit rows a chat of this unit answers for: its own and its collectives'."""
    return or_(TaskUnit.unit_id == unit_id, TaskUnit.unit_id.in_(collectives_of_select(unit_id)))


# --- writing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    person: str | None
    phone: str | None


def set_contact_in(conn: Connection, unit_id: int, person: str | None, phone: str | None) -> Contact:
    """Set the given fields (None leaves one as it is, "" clears it); the contact as it was before."""
    old = Contact(*conn.execute(select(Unit.contact_person, Unit.contact_phone).where(Unit.id == unit_id)).one())
    values = {}
    if person is not None:
        values["contact_person"] = person.strip() or None
    if phone is not None:
        values["contact_phone"] = phone.strip() or None
    if values:
        conn.execute(update(Unit).where(Unit.id == unit_id).values(**values))
    return old


def unit_kind_in(conn: Connection, unit_id: int) -> UnitKind:
    return UnitKind(conn.execute(select(Unit.kind).where(Unit.id == unit_id)).scalar_one())


def unit_id_in(conn: Connection, name: str) -> int | None:
    """The unit printed as `name` or answering to it as an alias, or None."""
    key = unit_key(name)
    return conn.execute(
        select(Unit.id).outerjoin(UnitAlias, UnitAlias.unit_id == Unit.id)
        .where(or_(Unit.key == key, UnitAlias.key == key)).order_by(Unit.id).limit(1)
    ).scalar()


def ensure_unit_in(conn: Connection, name: str) -> tuple[int, bool]:
    """The unit named (by name or alias), created as ingest would create it when there is none;
    (id, created). A collective's members are often named in no plan ("西宁市人民政府")."""
    found = unit_id_in(conn, name)
    if found is not None:
        return found, False
    name = name.strip()
    key = unit_key(name)
    unit_id = conn.execute(Unit.__table__.insert().values(
        name=name, key=key, kind=UnitKind(unit_kind(name)))).inserted_primary_key[0]
    for alias in unit_aliases(name):
        alias_key = unit_key(alias)
        if alias_key != key and unit_id_in(conn, alias) is None:
            conn.execute(UnitAlias.__table__.insert().values(unit_id=unit_id, alias=alias, key=alias_key))
    return unit_id, True


def add_members_in(conn: Connection, collective_id: int, member_ids: Sequence[int], now: datetime) -> int:
    """Add members (a repeat is a no-op); how many were new. The collective becomes one if the
    vocabulary did not see it as one: the administrator knows better. Raises MembershipError for
    the collective itself or another collective (members are bodies that answer for themselves)."""
    names = dict(conn.execute(select(Unit.id, Unit.name).where(Unit.id.in_([collective_id, *member_ids]))).all())
    kinds = dict(conn.execute(select(Unit.id, Unit.kind).where(Unit.id.in_(list(member_ids)))).all())
    for member_id in member_ids:
        if member_id == collective_id:
            raise MembershipError(f"{names[member_id]} cannot be a member of itself", names[member_id])
        if kinds[member_id] == UnitKind.COLLECTIVE:
            raise MembershipError(f"{names[member_id]} is itself a collective unit", names[member_id])
    conn.execute(update(Unit).where(Unit.id == collective_id).values(kind=UnitKind.COLLECTIVE))
    before = _member_count(conn, collective_id)
    if member_ids:
        conn.execute(insert_ignoring_duplicates(conn, UnitMember.__table__, "collective_id", "member_id"),
                     [{"collective_id": collective_id, "member_id": m, "added_at": now} for m in member_ids])
    return _member_count(conn, collective_id) - before


def remove_members_in(conn: Connection, collective_id: int, member_ids: Sequence[int]) -> int:
    """Remove members; how many were members."""
    if not member_ids:
        return 0
    return conn.execute(delete(UnitMember).where(UnitMember.collective_id == collective_id,
                                                 UnitMember.member_id.in_(list(member_ids)))).rowcount


def _member_count(conn: Connection, collective_id: int) -> int:
    return conn.execute(select(func.count()).select_from(UnitMember)
                        .where(UnitMember.collective_id == collective_id)).scalar_one()


def member_names_in(conn: Connection, collective_id: int) -> list[str]:
    return list(conn.execute(
        select(Unit.name).join(UnitMember, UnitMember.member_id == Unit.id)
        .where(UnitMember.collective_id == collective_id).order_by(Unit.name)
    ).scalars())


def task_ids_of_unit_in(conn: Connection, unit_id: int) -> list[int]:
    """The tasks naming the unit (what a change to its members re-plans)."""
    return sorted(set(conn.execute(select(TaskUnit.task_id).where(TaskUnit.unit_id == unit_id)).scalars()))


@dataclass(frozen=True)
class IssuedInvite:
    """A fresh invite for an unreached unit; `code` is shown once, as with store.chats.create_invite."""

    unit_id: int
    unit_name: str
    code: str
    expires_at: datetime
    invite_id: int
    revoked: int  # the unit's earlier outstanding invites revoked to make room for this one


def reissue_invites_in(conn: Connection, unit_ids: Sequence[int], valid_for: timedelta, now: datetime,
                       created_by: int | None = None) -> list[IssuedInvite]:
    """One new single-use invite per unit, after revoking the unit's outstanding ones.

    Revoke, not reuse: only a code's hash is stored, so an earlier link cannot be written out
    again; revoking it keeps one valid invite per unit however often this runs.
    """
    from store.chats import new_invite_in  # store.chats asks this module who answers for whom

    issued = []
    for unit_id in unit_ids:
        revoked = conn.execute(
            update(Invite)
            .where(Invite.unit_id == unit_id, Invite.used_at.is_(None), Invite.revoked_at.is_(None),
                   Invite.expires_at > now)
            .values(revoked_at=now)
        ).rowcount
        created = new_invite_in(conn, unit_id, valid_for, now, created_by)
        issued.append(IssuedInvite(unit_id=unit_id, unit_name=created.unit_name, code=created.code,
                                   expires_at=created.expires_at, invite_id=created.invite_id, revoked=revoked))
    return issued


# --- reading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoundChat:
    title: str  # the group's title, or the person's name in a private chat (Telegram's id when none)
    kind: str  # store.models.ChatKind value
    via_member: str | None = None  # a collective reached through this member's chat


@dataclass(frozen=True)
class DirectoryEntry:
    unit_id: int
    name: str
    kind: UnitKind
    contact_person: str | None
    contact_phone: str | None
    chats: tuple[BoundChat, ...]  # active chats bound to the unit, then (collectives) its members'
    members: tuple[str, ...]  # a collective's member units, by name
    open_count: int  # distinct open tasks of active plans naming the unit or a collective it belongs to

    @property
    def reached(self) -> bool:
        return bool(self.chats)


def directory(engine: Engine, unit_ids: Collection[int] | None = None) -> list[DirectoryEntry]:
    """Every unit (or these) with its contact, the chats that reach it, its members and open tasks; by name."""
    with engine.connect() as conn:
        statement = select(Unit.id, Unit.name, Unit.kind, Unit.contact_person, Unit.contact_phone)
        if unit_ids is not None:
            statement = statement.where(Unit.id.in_(list(unit_ids)))
        units = conn.execute(statement).all()
        own: dict[int, list[BoundChat]] = defaultdict(list)
        for unit_id, title, telegram_id, kind in conn.execute(
            select(Chat.unit_id, Chat.title, Chat.telegram_chat_id, Chat.kind)
            .where(Chat.unit_id.is_not(None), Chat.active.is_(True)).order_by(Chat.id)
        ):
            own[unit_id].append(BoundChat(title or str(telegram_id), str(kind)))
        members: dict[int, list[tuple[int, str]]] = defaultdict(list)
        for collective_id, member_id, member_name in conn.execute(
            select(UnitMember.collective_id, UnitMember.member_id, Unit.name)
            .join(Unit, Unit.id == UnitMember.member_id).order_by(Unit.name)
        ):
            members[collective_id].append((member_id, member_name))
        open_tasks: dict[int, set[int]] = defaultdict(set)
        for unit_id, task_id in conn.execute(
            select(TaskUnit.unit_id, TaskUnit.task_id)
            .join(Task, Task.id == TaskUnit.task_id)
            .join(Document, Document.id == Task.document_id)
            .where(Document.superseded_by_id.is_(None), Task.status.not_in([s.value for s in CLOSED_STATUSES]))
        ):
            open_tasks[unit_id].add(task_id)
    # A member answers for its collectives' tasks too (its /tasks lists them): they count as its own.
    answered = {unit_id: set(tasks) for unit_id, tasks in open_tasks.items()}
    for collective_id, listed in members.items():
        for member_id, _ in listed:
            answered.setdefault(member_id, set()).update(open_tasks.get(collective_id, ()))
    open_counts = {unit_id: len(tasks) for unit_id, tasks in answered.items()}
    entries = []
    for unit_id, name, kind, person, phone in units:
        via = [BoundChat(c.title, c.kind, member_name)
               for member_id, member_name in members.get(unit_id, ()) for c in own.get(member_id, ())]
        entries.append(DirectoryEntry(
            unit_id=unit_id, name=name, kind=UnitKind(kind), contact_person=person, contact_phone=phone,
            chats=tuple(own.get(unit_id, ())) + tuple(via),
            members=tuple(member_name for _, member_name in members.get(unit_id, ())),
            open_count=int(open_counts.get(unit_id, 0))))
    # By code point, not the database's collation: the same pages on SQLite and PostgreSQL.
    entries.sort(key=lambda entry: (entry.name, entry.unit_id))
    return entries


def unreached_units(engine: Engine) -> list[DirectoryEntry]:
    """The units no active chat reaches (directly or, for a collective, through a member); by name."""
    return [entry for entry in directory(engine) if not entry.reached]
