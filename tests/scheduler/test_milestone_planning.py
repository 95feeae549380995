"""Several milestones per task: the effective-due rule and the reminders planned for each open one."""
from __future__ import annotations

from datetime import date

from scheduler.calendar import WorkingCalendar
from scheduler.model import ChatToPlan, ReminderKind, TaskToPlan
from scheduler.planner import preview_reminders
from scheduler.policy import DEFAULT_POLICY
from store.milestones import EffectiveDue, Milestone, effective_due, reminded_dues
from store.models import DueSource

JUNE, SEPTEMBER, DECEMBER = date(2031, 6, 30), date(2031, 9, 30), date(2031, 12, 31)
PERIOD_END = date(2031, 12, 31)
LEAD, LEAD_CHAT, ADMIN_CHAT = 7, 70, 1
CHATS = (ChatToPlan(LEAD_CHAT, LEAD, False), ChatToPlan(ADMIN_CHAT, None, True))
POLICY = DEFAULT_POLICY.with_overrides({"monthly_poll": False})


# --- the rule ---------------------------------------------------------------------------------

def test_two_milestones_the_earliest_open_one_is_due():
    assert effective_due([Milestone(DECEMBER), Milestone(JUNE)], PERIOD_END) == EffectiveDue(JUNE, DueSource.EXPLICIT)


def test_two_milestones_the_first_met_moves_the_due_date_to_the_second():
    milestones = [Milestone(JUNE, met=True), Milestone(DECEMBER)]
    assert effective_due(milestones, PERIOD_END) == EffectiveDue(DECEMBER, DueSource.EXPLICIT)


def test_three_milestones_met_out_of_order_leave_the_earliest_open_one_due():
    milestones = [Milestone(JUNE), Milestone(SEPTEMBER, met=True), Milestone(DECEMBER)]
    assert effective_due(milestones, PERIOD_END).due == JUNE
    milestones = [Milestone(JUNE, met=True), Milestone(SEPTEMBER, met=True), Milestone(DECEMBER)]
    assert effective_due(milestones, PERIOD_END) == EffectiveDue(DECEMBER, DueSource.EXPLICIT)


def test_every_dated_milestone_met_means_all_met_and_keeps_the_last_date():
    milestones = [Milestone(JUNE, met=True), Milestone(SEPTEMBER, met=True), Milestone(DECEMBER, met=True)]
    assert effective_due(milestones, PERIOD_END) == EffectiveDue(DECEMBER, DueSource.EXPLICIT, all_met=True)


def test_undated_milestones_fall_back_to_the_period_end_and_never_count_as_met():
    assert effective_due([Milestone(None)], PERIOD_END) == EffectiveDue(PERIOD_END, DueSource.PERIOD_END)
    assert effective_due([], None) == EffectiveDue(None, None)
    # An undated milestone beside met dated ones does not keep the task from being all met.
    assert effective_due([Milestone(None), Milestone(JUNE, met=True)], PERIOD_END).all_met


def test_an_administrators_date_wins_over_the_milestones():
    assert effective_due([Milestone(JUNE), Milestone(DECEMBER)], PERIOD_END, admin_due=date(2031, 8, 31)) == \
        EffectiveDue(date(2031, 8, 31), DueSource.ADMIN)


def test_reminded_dues_are_every_open_milestone_with_the_current_one_replaced_by_the_effective_date():
    three = [Milestone(JUNE), Milestone(SEPTEMBER), Milestone(DECEMBER)]
    assert reminded_dues(JUNE, three) == (JUNE, SEPTEMBER, DECEMBER)
    first_met = [Milestone(JUNE, met=True), Milestone(SEPTEMBER), Milestone(DECEMBER)]
    assert reminded_dues(SEPTEMBER, first_met) == (SEPTEMBER, DECEMBER)
    # An approved extension of the June milestone to August: June is no longer reminded, the rest are.
    assert reminded_dues(date(2031, 8, 31), three) == (date(2031, 8, 31), SEPTEMBER, DECEMBER)
    assert reminded_dues(PERIOD_END, []) == (PERIOD_END,)
    assert reminded_dues(None, three) == ()


# --- the planner ------------------------------------------------------------------------------

def _task(milestones: list[Milestone], status: str = "in_progress") -> TaskToPlan:
    due = effective_due(milestones, PERIOD_END).due
    return TaskToPlan(task_id=42, document_id=3, status=status, effective_due=due, units=((LEAD, "lead"),),
                      later_dues=reminded_dues(due, milestones)[1:])


def _rows(task: TaskToPlan, first: date, last: date):
    """The task's rows (the administrators' weekly digests left out)."""
    rows = preview_reminders([task], CHATS, POLICY, WorkingCalendar.from_policy(POLICY), first, last)
    return [r for r in rows if r.task_id is not None]


def _dues_of(rows, kind: ReminderKind) -> list[date]:
    return sorted({r.due_date for r in rows if r.kind is kind})


def test_two_open_milestones_each_get_their_reminders_and_due_day_notice():
    rows = _rows(_task([Milestone(JUNE), Milestone(DECEMBER)]), date(2031, 5, 1), DECEMBER)
    assert _dues_of(rows, ReminderKind.REMINDER) == [JUNE, DECEMBER]
    assert _dues_of(rows, ReminderKind.DUE_TODAY) == [JUNE, DECEMBER]
    # The late June milestone is chased and escalated once; the December one is not late yet.
    assert _dues_of(rows, ReminderKind.OVERDUE) == [JUNE]
    escalations = [r for r in rows if r.kind is ReminderKind.ESCALATION]
    assert {(r.due_date, r.chat_id) for r in escalations} == {(JUNE, LEAD_CHAT), (JUNE, ADMIN_CHAT)}
    assert len(escalations) == 2
    # Every row's key names its milestone's date, so the two never collide.
    assert len({r.dedupe_key for r in rows}) == len(rows)


def test_a_met_milestone_is_no_longer_reminded_and_the_next_one_still_is():
    rows = _rows(_task([Milestone(JUNE, met=True), Milestone(DECEMBER)]), date(2031, 5, 1), DECEMBER)
    assert {r.due_date for r in rows} == {DECEMBER}


def test_three_milestones_the_middle_one_met_leaves_the_first_and_last_reminded():
    task = _task([Milestone(JUNE), Milestone(SEPTEMBER, met=True), Milestone(DECEMBER)])
    rows = _rows(task, date(2031, 5, 1), DECEMBER)
    assert _dues_of(rows, ReminderKind.DUE_TODAY) == [JUNE, DECEMBER]
    assert SEPTEMBER not in {r.due_date for r in rows}


def test_a_done_task_with_open_milestones_gets_nothing():
    assert _rows(_task([Milestone(JUNE), Milestone(DECEMBER)], status="done"), date(2031, 5, 1), DECEMBER) == []
