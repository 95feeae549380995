"""Task status: the rules that derive it from the units' shares, and the use cases that change it
(a unit reports ✅ / 🔄 / ⛔ / 📅, /status ID WORD or `deadline-bot report` for a unit that phoned
it in, and adds notes; an administrator verifies 销号, sends a task back, reopens it).

Each use case validates, writes in ONE transaction (the StatusReport that is its audit row, the
shares, the task's status, the outbox rows it sends, the re-plan) and returns a frozen value; the
chat handlers and the command line call these and only render. Who reports is an app.access.Actor:
only what REPORTABLE_STATUSES lists may be reported (cancelling is an administrator's correction),
only on a task that names the actor's unit.

The rules, all in `derive_task_status`:

- A unit reports its own share (TaskUnit.status); a unit holding two roles on a task has one share.
  A member of a collective unit named on the task ("各市州政府") reports the collective's share
  (store.chats.task_card_in resolves it): its ✅ is the collective's.
- The deciding units are the task's lead units; without a lead, its responsible units; with
  neither (only cooperating units), every unit on it. Cooperating units' answers are recorded
  but never close a task that has a lead or responsible unit.
- Every deciding unit done: the task is done, or awaiting_verification where the office verifies
  ([workflow] verify_done); an administrator's 销号 then makes it done.
- Otherwise the task shows what needs attention, whoever said it: extension_requested if any
  unit's share is (an administrator has a decision to make), else blocked if any is, else
  in_progress once any unit reported anything (a done share included), else open.
- Cancelled, done and verified are closed: a unit's report (an old button) changes nothing and
  is refused with TaskClosed; only an administrator's reopen opens the task again (this module's
  reopen_task, or app.corrections.reopen_task with its audit row: both through `reopen_in`).
- A done report on a task with a later open milestone is about the milestone at hand: when it
  completes the deciding units, that milestone is met, every done share starts over (in progress)
  for the next one, and the task stays in progress.
- A recurring duty (yearly, semiannual, quarterly, monthly) is one instance per period: the
  deciding units' done completes the period at hand (a TaskPeriod row), and while the plan's
  period holds another, the task is due at the next one and starts over as above; the last
  period's done closes it.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select, update

from app.access import Actor, may_be_stored_id
from store import chats, queries, reports
from store import corrections as correction_rows
from store import shares as share_rows
from store.corrections import Actor as CorrectionActor
from store.corrections import CorrectionField
from store.chats import (
    MILESTONE_MET,
    MilestoneAlreadyMet,
    NotUnitsTask,
    RecordedReport,
    Replanner,
    clip_user_name,
    task_card_in,
)
from store.errors import StoreError
from store.milestones import meet_current_milestone_in, milestones_in, start_next_period_in
from store.models import Reminder, ReminderState, StatusReport, Task
from store.outbox import apply_task_status
from store.pending import QuestionKey, forget_question_in
from vocabulary import CLOSED_STATUSES, REPORTABLE_STATUSES, ReminderKind, TaskStatus, UnitRole

__all__ = [
    "STATUS_WORDS", "MilestoneAlreadyMet", "NotAwaitingVerification", "NotClosed", "NotReportable", "NotUnitsTask",
    "RecordedReport", "ReportOutcome", "Share", "TaskClosed", "TaskDecision", "add_note", "current_status",
    "deciding_units", "derive_task_status", "mark_verified_in", "office_report_in", "record_status", "reopen_in", "reopen_task", "report_status", "send_back",
    "unit_named_on_task", "verify_task",
]

# The words a status is typed with, in chat (/status ID WORD) and on the command line (report ID WORD);
# an extension is asked for with its date (app.extensions), not with a word.
STATUS_WORDS = {"done": TaskStatus.DONE, "progress": TaskStatus.IN_PROGRESS, "blocked": TaskStatus.BLOCKED}


# --- the rules (pure) -----------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """One unit's share of a task, as the rules see it."""

    unit_id: int
    role: UnitRole
    status: TaskStatus


_ATTENTION = (TaskStatus.EXTENSION_REQUESTED, TaskStatus.BLOCKED)


def deciding_units(shares: Iterable[Share]) -> frozenset[int]:
    """The units whose done closes the task: the leads, else the responsible units, else everyone on it."""
    shares = list(shares)
    for role in (UnitRole.LEAD, UnitRole.RESPONSIBLE):
        found = frozenset(s.unit_id for s in shares if s.role == role)
        if found:
            return found
    return frozenset(s.unit_id for s in shares)


def derive_task_status(shares: Iterable[Share], *, verify_done: bool = False) -> TaskStatus:
    """The status of an open task from its units' shares (the rules in this module's docstring).

    Never cancelled: that, and done after 销号, are decisions the shares cannot undo, so this is
    only asked about tasks that are not closed.
    """
    shares = list(shares)
    status_of = {s.unit_id: s.status for s in shares}
    deciding = deciding_units(shares)
    if deciding and all(status_of[unit] is TaskStatus.DONE for unit in deciding):
        return TaskStatus.AWAITING_VERIFICATION if verify_done else TaskStatus.DONE
    said = set(status_of.values())
    for status in _ATTENTION:
        if status in said:
            return status
    return TaskStatus.IN_PROGRESS if said - {TaskStatus.OPEN} else TaskStatus.OPEN


# --- errors ---------------------------------------------------------------------------------


class NotReportable(ValueError):
    """A status a unit cannot report (open, cancelled, awaiting verification): an administrator's decision."""

    def __init__(self, status: str) -> None:
        super().__init__(f"a unit cannot report {status!r}")
        self.status = status


class TaskClosed(StoreError):
    """A report on a closed task (an old button): nothing is written; an administrator may reopen it."""

    def __init__(self, task_id: int, status: TaskStatus, closed_at: datetime | None, verified: bool) -> None:
        super().__init__(f"task {task_id} is {status.value}")
        self.task_id = task_id
        self.status = status
        self.closed_at = closed_at
        self.verified = verified


class NotAwaitingVerification(StoreError):
    """销号 or a send-back on a task that is not waiting for it (decided already, or reported again)."""

    def __init__(self, task_id: int, status: TaskStatus | None) -> None:
        super().__init__(f"task {task_id} is not awaiting verification"
                         + ("" if status is None else f" (it is {status.value})"))
        self.task_id = task_id
        self.status = status


class NotClosed(StoreError):
    """Reopen on a task that is open."""

    def __init__(self, task_id: int, status: TaskStatus | None) -> None:
        super().__init__(f"task {task_id} is not closed" if status is not None else f"no task {task_id}")
        self.task_id = task_id
        self.status = status


# --- a unit reports -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportOutcome(RecordedReport):
    """What a report did: the task after it (card), the reporting unit's own share, and more."""

    share_status: TaskStatus = TaskStatus.OPEN  # the unit's share after the report
    awaiting_verification: bool = False  # this report put the task before the office


def _shares(conn, task_id: int) -> list[Share]:
    return [Share(r.unit_id, r.role, r.status) for r in share_rows.shares_in(conn, task_id)]


def report_status(engine: Engine, actor: Actor, task_id: int, status: TaskStatus | str, now: datetime, *,
                  note: str = "", shown_due: date | None = None, replan: Replanner | None = None,
                  verify_done: bool = False) -> ReportOutcome:
    """The actor's unit reports its share of the task, with its note (record_status); raises
    NotReportable, NotUnitsTask (not the unit's task, or no unit at all), TaskClosed or
    MilestoneAlreadyMet. `verify_done` is the [workflow] setting: done waits for 销号."""
    if status not in {s.value for s in REPORTABLE_STATUSES}:
        raise NotReportable(str(status))
    if actor.unit_id is None or not may_be_stored_id(task_id):
        raise NotUnitsTask(task_id, actor.unit_id)
    return record_status(engine, task_id, actor.chat_id, actor.unit_id, actor.user_id, status, now, note,
                         telegram_user_name=actor.user_name, replan=replan, shown_due=shown_due,
                         verify_done=verify_done)


def record_status(engine: Engine, task_id: int, chat_id: int | None, unit_id: int | None,
                  telegram_user_id: int | None, status: TaskStatus | str, now: datetime, note: str = "", *,
                  telegram_user_name: str | None = None, replan: Replanner | None = None,
                  shown_due: date | None = None, verify_done: bool = False) -> ReportOutcome:
    """A unit reports its share: the StatusReport, the share, the task's derived status, the
    outbox (its reminders on the task stop once its share is done; a verification request to the
    administrators when the task awaits 销号) and the re-plan, in one transaction.

    Raises NotUnitsTask (the task does not name the unit), TaskClosed (done, verified or
    cancelled: nothing is written) or MilestoneAlreadyMet (✅ on a message drawn for a milestone
    met since). `shown_due` is the due date the reporter's message showed.
    """
    if status not in {s.value for s in REPORTABLE_STATUSES}:
        raise NotReportable(str(status))
    status = TaskStatus(status)
    with engine.begin() as conn:
        card = None if unit_id is None else task_card_in(conn, task_id, unit_id)
        if card is None:
            raise NotUnitsTask(task_id, unit_id)
        unit_id = card.unit_id  # a collective's member reports the collective's share
        # The task's row is locked (PostgreSQL; SQLite has one writer): two leads reporting done at
        # the same moment must each see the other's share, or neither would close the task.
        old_status, old_due, changed_at, verified_at = conn.execute(
            select(Task.status, Task.effective_due, Task.status_changed_at, Task.verified_at)
            .where(Task.id == task_id).with_for_update()).one()
        if old_status in CLOSED_STATUSES:
            raise TaskClosed(task_id, TaskStatus(old_status), changed_at, verified_at is not None)
        if (status is TaskStatus.DONE and shown_due is not None and shown_due != old_due
                and any(r.due == shown_due and r.met_at is not None for r in milestones_in(conn, task_id))):
            raise MilestoneAlreadyMet(task_id, shown_due)
        report_id = conn.execute(StatusReport.__table__.insert().values(
            task_id=task_id, unit_id=unit_id, chat_id=chat_id, telegram_user_id=telegram_user_id,
            telegram_user_name=clip_user_name(telegram_user_name), status=status, note=note, reported_at=now,
        )).inserted_primary_key[0]
        share_rows.set_share_status_in(conn, task_id, [unit_id], status, now)
        shares = _shares(conn, task_id)
        deciding = deciding_units(shares)
        met = None
        if status is TaskStatus.DONE and all(s.status is TaskStatus.DONE for s in shares if s.unit_id in deciding):
            met = meet_current_milestone_in(conn, task_id, now)
            if met is None:  # a recurring duty: this period is done, the next one begins
                met = start_next_period_in(conn, task_id, old_due, now, report_id)
            if met is not None:
                # The milestone at hand is behind every unit: the next one is everybody's again.
                share_rows.set_share_status_in(conn, task_id, {s.unit_id for s in shares}, TaskStatus.IN_PROGRESS,
                                               now, only_from=TaskStatus.DONE)
                shares = _shares(conn, task_id)
        task_status = derive_task_status(shares, verify_done=verify_done)
        cancelled = apply_task_status(conn, task_id, task_status, now)
        if met is not None:
            # The met milestone's rows (and an administrator's date that stood in for it) go now,
            # whether or not they fall in the planning window the re-plan looks at.
            cancelled += conn.execute(
                update(Reminder)
                .where(Reminder.task_id == task_id, Reminder.state == ReminderState.PENDING,
                       Reminder.due_date.in_(sorted({met.due, old_due or met.due})))
                .values(state=ReminderState.CANCELLED, last_error=MILESTONE_MET)
            ).rowcount
        awaiting = task_status is TaskStatus.AWAITING_VERIFICATION and old_status != task_status
        if awaiting:
            cancelled += share_rows.cancel_planned_reminders_in(conn, task_id, share_rows.AWAITING)
            share_rows.enqueue_verification_requests_in(conn, task_id, unit_id, report_id, now)
        elif status is TaskStatus.DONE and met is None and task_status not in CLOSED_STATUSES:
            cancelled += share_rows.cancel_unit_reminders_in(conn, task_id, [unit_id], share_rows.SHARE_DONE)
        if old_status == TaskStatus.AWAITING_VERIFICATION and task_status is not TaskStatus.AWAITING_VERIFICATION:
            # A lead took its done back before the office decided: the requests not yet sent are moot.
            cancelled += share_rows.cancel_planned_reminders_in(conn, task_id, "no longer awaiting verification",
                                                                kinds=[ReminderKind.VERIFY_REQUEST])
        if replan is not None:
            replan(conn, [task_id])
        card = task_card_in(conn, task_id, unit_id)
        share = next(s.status for s in shares if s.unit_id == unit_id)
    return ReportOutcome(report_id=report_id, card=card, reminders_cancelled=cancelled, milestone=met,
                         share_status=share, awaiting_verification=awaiting)


# --- the office decides ---------------------------------------------------------------------


@dataclass(frozen=True)
class TaskDecision:
    """An administrator's decision on a task, and the task after it."""

    task_id: int
    label: str
    title: str
    status: TaskStatus
    report_id: int
    units_told: int = 0  # send-back notices queued for the units' chats


def _decision(conn, task_id: int, report_id: int, units_told: int = 0) -> TaskDecision:
    label, title, status = conn.execute(select(Task.label, Task.title, Task.status).where(Task.id == task_id)).one()
    return TaskDecision(task_id, label, title, TaskStatus(status), report_id, units_told)


def office_report_in(conn, task_id: int, chat_id: int | None, user_id: int | None, user_name: str | None,
                   status: TaskStatus, note: str, now: datetime) -> int:
    """An administrator's entry in the task's history, inside the caller's transaction: no unit,
    the office's chat and person (none of either on the command line)."""
    return conn.execute(StatusReport.__table__.insert().values(
        task_id=task_id, unit_id=None, chat_id=chat_id, telegram_user_id=user_id,
        telegram_user_name=clip_user_name(user_name), status=status, note=note, reported_at=now,
    )).inserted_primary_key[0]


def mark_verified_in(conn, task_id: int, user_id: int | None, now: datetime) -> None:
    """Inside the caller's transaction: the office has accepted the task as done (销号)."""
    conn.execute(update(Task).where(Task.id == task_id).values(verified_at=now, verified_by=user_id))


def _document_of(conn, task_id: int) -> int:
    return conn.execute(select(Task.document_id).where(Task.id == task_id)).scalar_one()


def _current_status(conn, task_id: int) -> TaskStatus | None:
    found = conn.execute(select(Task.status).where(Task.id == task_id)).scalar()
    return None if found is None else TaskStatus(found)


def verify_task(engine: Engine, task_id: int, chat_id: int | None, user_id: int | None, now: datetime, *,
                user_name: str | None = None, replan: Replanner | None = None) -> TaskDecision:
    """销号: a task awaiting verification is done, once; raises NotAwaitingVerification otherwise."""
    with engine.begin() as conn:
        # The conditional UPDATE is the lock: of two administrators pressing at once, one verifies.
        taken = conn.execute(
            update(Task).where(Task.id == task_id, Task.status == TaskStatus.AWAITING_VERIFICATION)
            .values(verified_at=now, verified_by=user_id)
        ).rowcount
        if not taken:
            raise NotAwaitingVerification(task_id, _current_status(conn, task_id))
        report_id = office_report_in(conn, task_id, chat_id, user_id, user_name, TaskStatus.DONE, "", now)
        apply_task_status(conn, task_id, TaskStatus.DONE, now)  # closed: its pending rows are cancelled
        if replan is not None:
            replan(conn, [task_id])
        return _decision(conn, task_id, report_id)


def send_back(engine: Engine, task_id: int, chat_id: int | None, user_id: int | None, reason: str,
              now: datetime, *, user_name: str | None = None, replan: Replanner | None = None,
              answers: QuestionKey | None = None) -> TaskDecision:
    """↩ A task awaiting verification goes back to its units with the reason: the deciding units'
    done shares are in progress again, the reason reaches their chats through the outbox, the
    other administrators' pending requests are withdrawn. Raises NotAwaitingVerification.

    `answers` is the bot's question the reason replies to: forgotten in the same transaction.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("a task is sent back with a reason")
    with engine.begin() as conn:
        if answers is not None:
            forget_question_in(conn, answers)
        if _current_status(conn, task_id) is not TaskStatus.AWAITING_VERIFICATION:
            raise NotAwaitingVerification(task_id, _current_status(conn, task_id))
        shares = _shares(conn, task_id)
        reopened = share_rows.set_share_status_in(conn, task_id, deciding_units(shares), TaskStatus.IN_PROGRESS,
                                                  now, only_from=TaskStatus.DONE)
        report_id = office_report_in(conn, task_id, chat_id, user_id, user_name, TaskStatus.IN_PROGRESS, reason, now)
        # Guarded like verify_task: a 销号 committed meanwhile wins, and this changes nothing.
        taken = conn.execute(
            update(Task).where(Task.id == task_id, Task.status == TaskStatus.AWAITING_VERIFICATION)
            .values(status=derive_task_status(_shares(conn, task_id)), status_changed_at=now)
        ).rowcount
        if not taken:
            raise NotAwaitingVerification(task_id, _current_status(conn, task_id))
        share_rows.cancel_planned_reminders_in(conn, task_id, "sent back", kinds=[ReminderKind.VERIFY_REQUEST])
        told = share_rows.enqueue_sent_back_in(conn, task_id, reopened, report_id, now)
        if replan is not None:
            replan(conn, [task_id])
        return _decision(conn, task_id, report_id, told)


def reopen_task(engine: Engine, task_id: int, chat_id: int | None, user_id: int | None, now: datetime, *,
                user_name: str | None = None, replan: Replanner | None = None) -> TaskDecision:
    """An administrator reopens a closed task: done shares are in progress again (the work is not
    finished after all), the verification is forgotten, the task's status is derived afresh and its
    reminders come back with the re-plan. Raises NotClosed."""
    with engine.begin() as conn:
        current = _current_status(conn, task_id)
        if current not in CLOSED_STATUSES:
            raise NotClosed(task_id, current)
        status = reopen_in(conn, task_id, now)
        report_id = office_report_in(conn, task_id, chat_id, user_id, user_name, status, "", now)
        # The same audit row as app.corrections.reopen_task writes: one trail, whichever way it was reopened.
        correction_rows.record_in(conn, CorrectionActor.telegram(user_id, user_name, chat_id),
                                  CorrectionField.STATUS, now=now, document_id=_document_of(conn, task_id),
                                  task_id=task_id, old=current.value, new=status.value)
        if replan is not None:
            replan(conn, [task_id])
        return _decision(conn, task_id, report_id)


def reopen_in(conn, task_id: int, now: datetime) -> TaskStatus:
    """Inside the caller's transaction, the rule of every reopening (this module's and
    app.corrections'): the units' done shares are in progress again (the work is not finished
    after all), the 销号 is forgotten, and the task's status is derived afresh from its shares
    (in progress when any unit had reported, else open). Returns that status."""
    shares = _shares(conn, task_id)
    share_rows.set_share_status_in(conn, task_id, {s.unit_id for s in shares}, TaskStatus.IN_PROGRESS, now,
                                   only_from=TaskStatus.DONE)
    status = derive_task_status(_shares(conn, task_id))
    conn.execute(update(Task).where(Task.id == task_id).values(verified_at=None, verified_by=None))
    apply_task_status(conn, task_id, status, now)
    return status


def current_status(engine: Engine, task_id: int) -> TaskStatus | None:
    """The task's status now, or None when there is no such task."""
    with engine.connect() as conn:
        return _current_status(conn, task_id)


# --- notes and the command line's unit ------------------------------------------------------


def add_note(engine: Engine, actor: Actor, task_id: int, note: str, now: datetime) -> int | None:
    """A note on the task from the actor's chat, under the actor's name; the report's id, or None
    when the task is not the actor's unit's."""
    if actor.unit_id is None or actor.chat_id is None or not may_be_stored_id(task_id):
        return None
    return chats.attach_note(engine, actor.chat_id, actor.unit_id, task_id, note, now,
                             telegram_user_id=actor.user_id, telegram_user_name=actor.user_name)


def unit_named_on_task(engine: Engine, task_id: int, unit_name: str) -> int:
    """The id of the unit called `unit_name` (name or alias) that the task names, for an
    administrator reporting on a unit's behalf; raises UnknownUnit or NotUnitsTask."""
    named = set(queries.find_unit_ids(engine, unit_name))
    on_task = [unit_id for unit_id in reports.unit_ids_of_task(engine, task_id) if unit_id in named] \
        if may_be_stored_id(task_id) else []
    if not on_task:
        raise NotUnitsTask(task_id, min(named))
    return on_task[0]
