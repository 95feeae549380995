"""The traffic light next to each task."""
from __future__ import annotations

from datetime import date

import pytest

from scheduler.policy import DEFAULT_POLICY
from scheduler.traffic import TrafficLight, traffic_light

TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(("status", "due", "light"), [
    ("open", date(2026, 5, 31), "red"),
    ("blocked", date(2026, 5, 1), "red"),  # overdue beats blocked
    ("open", date(2026, 6, 1), "yellow"),  # due today is not yet overdue
    ("in_progress", date(2026, 6, 8), "yellow"),  # 7 days ahead
    ("open", date(2026, 6, 9), "green"),
    ("blocked", date(2026, 12, 31), "yellow"),
    ("extension_requested", date(2026, 12, 31), "yellow"),
    ("open", None, "green"),
    ("blocked", None, "yellow"),
])
def test_open_work_gets_a_colour(status, due, light):
    assert traffic_light(status, due, TODAY, DEFAULT_POLICY) == light


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_closed_task_has_no_light_even_when_late(status):
    assert traffic_light(status, date(2020, 1, 1), TODAY, DEFAULT_POLICY) is None


def test_yellow_horizon_comes_from_the_policy():
    policy = DEFAULT_POLICY.with_overrides({"yellow_within_days": 14})
    assert traffic_light("open", date(2026, 6, 12), TODAY, policy) is TrafficLight.YELLOW
    assert traffic_light("open", date(2026, 6, 12), TODAY, DEFAULT_POLICY) is TrafficLight.GREEN
