"""app.status's rules as a pure function: who decides a task, and what the shares make of it."""
from __future__ import annotations

import pytest

from app.status import Share, deciding_units, derive_task_status
from store.models import TaskStatus, UnitRole

LEAD, RESPONSIBLE, COOPERATING = UnitRole.LEAD, UnitRole.RESPONSIBLE, UnitRole.COOPERATING
OPEN, PROGRESS, BLOCKED, EXTENSION, DONE = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS, TaskStatus.BLOCKED,
                                            TaskStatus.EXTENSION_REQUESTED, TaskStatus.DONE)


def shares(*rows):
    return [Share(unit_id, role, status) for unit_id, role, status in rows]


def test_the_leads_decide_and_cooperating_units_never_close_a_task():
    both_helpers_done = shares((1, LEAD, OPEN), (2, COOPERATING, DONE), (3, COOPERATING, DONE))
    assert derive_task_status(both_helpers_done) is PROGRESS
    assert derive_task_status(shares((1, LEAD, DONE), (2, COOPERATING, OPEN), (3, COOPERATING, BLOCKED))) is DONE


def test_every_lead_must_be_done():
    assert derive_task_status(shares((1, LEAD, DONE), (2, LEAD, PROGRESS))) is PROGRESS
    assert derive_task_status(shares((1, LEAD, DONE), (2, LEAD, DONE))) is DONE


def test_without_a_lead_every_responsible_unit_decides():
    assert deciding_units(shares((1, RESPONSIBLE, OPEN), (2, RESPONSIBLE, OPEN), (3, COOPERATING, OPEN))) == {1, 2}
    assert derive_task_status(shares((1, RESPONSIBLE, DONE), (2, RESPONSIBLE, OPEN))) is PROGRESS
    assert derive_task_status(shares((1, RESPONSIBLE, DONE), (2, RESPONSIBLE, DONE), (3, COOPERATING, OPEN))) is DONE


def test_a_task_of_cooperating_units_only_is_decided_by_all_of_them():
    assert deciding_units(shares((1, COOPERATING, OPEN), (2, COOPERATING, OPEN))) == {1, 2}
    assert derive_task_status(shares((1, COOPERATING, DONE), (2, COOPERATING, DONE))) is DONE


def test_a_unit_holding_two_roles_decides_as_its_lead_share():
    assert derive_task_status(shares((1, LEAD, DONE), (1, COOPERATING, DONE), (2, COOPERATING, OPEN))) is DONE


def test_with_verification_the_leads_done_awaits_the_office():
    assert derive_task_status(shares((1, LEAD, DONE)), verify_done=True) is TaskStatus.AWAITING_VERIFICATION


@pytest.mark.parametrize(("said", "expected"), [
    ((OPEN, OPEN, OPEN), OPEN),
    ((OPEN, DONE, OPEN), PROGRESS),  # a cooperating unit's done is progress on the task
    ((PROGRESS, BLOCKED, OPEN), BLOCKED),  # whoever is stuck, the office should see it
    ((BLOCKED, OPEN, EXTENSION), EXTENSION),  # a decision waiting for an administrator comes first
])
def test_until_the_leads_are_done_the_task_shows_what_needs_attention(said, expected):
    lead, helper_a, helper_b = said
    assert derive_task_status(shares((1, LEAD, lead), (2, COOPERATING, helper_a), (3, COOPERATING, helper_b))) \
        is expected


def test_a_task_without_units_is_open():
    assert derive_task_status([]) is OPEN
