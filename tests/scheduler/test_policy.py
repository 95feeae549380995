"""The [reminders] table: defaults, validation that names the key, partial overrides."""
from __future__ import annotations

import tomllib
from datetime import date, time

import pytest

from scheduler.policy import (
    CadenceStep,
    DEFAULT_POLICY, OVERRIDE_KEYS, POLICY_KEYS, PolicyError, ReminderPolicy, policy_from_mapping)


def test_defaults_are_design_md_defaults():
    policy = policy_from_mapping({})
    assert policy == ReminderPolicy()
    assert policy.offsets_days == (30, 7, 1)
    assert policy.send_time == time(9, 0)
    assert policy.overdue_cadence[0] == CadenceStep(3, "working_days", 4)
    assert (policy.working_hours_start, policy.working_hours_end) == (time(9), time(18))
    assert policy.timezone == "Asia/Shanghai"
    assert policy.digest_weekday == "monday"
    assert policy.poll_months_for("yearly") == (10, 12)
    assert policy.poll_months_for("quarterly") == (3, 6, 9, 12)


def test_reads_a_toml_reminders_table():
    table = tomllib.loads("""
[reminders]
offsets_days = [14, 3]
send_time = "10:30"
digest_time = 09:15:00
extra_holidays = [2030-10-01, "2030-10-02"]
recurrence_poll_months = { yearly = [11] }
""")["reminders"]
    policy = policy_from_mapping(table)
    assert policy.offsets_days == (14, 3)
    assert policy.send_time == time(10, 30)
    assert policy.digest_time == time(9, 15)
    assert policy.extra_holidays == (date(2030, 10, 1), date(2030, 10, 2))
    assert policy.poll_months_for("yearly") == (11,)
    assert policy.poll_months_for("quarterly") == ()


def test_as_mapping_round_trips():
    assert policy_from_mapping(DEFAULT_POLICY.as_mapping()) == DEFAULT_POLICY


@pytest.mark.parametrize(("table", "message"), [
    ({"offsets_days": "x"}, "reminders.offsets_days: expected a list of whole numbers of days, got 'x'"),
    ({"offsets_days": [7, True]}, "reminders.offsets_days: expected a list of whole numbers of days"),
    ({"offsets_days": [0]}, "reminders.offsets_days:"),
    ({"send_time": "9 am"}, "reminders.send_time: expected a time of day"),
    ({"send_time": "08:00"}, "reminders.send_time: 08:00 is outside working hours 09:00-18:00"),
    ({"digest_time": "18:00"}, "reminders.digest_time: 18:00 is outside working hours"),
    ({"working_hours_end": "08:00"}, "reminders.working_hours_end:"),
    ({"timezone": "Mars/Olympus"}, "reminders.timezone:"),
    ({"digest_weekday": "funday"}, "reminders.digest_weekday:"),
    ({"poll_roles": ["boss"]}, "reminders.poll_roles:"),
    ({"recurrence_poll_months": {"yearly": [13]}}, "reminders.recurrence_poll_months:"),
    ({"extra_holidays": ["2030-02-30"]}, "reminders.extra_holidays:"),
    ({"extra_holidays": ["2030-10-01"], "extra_workdays": ["2030-10-01"]}, "reminders.extra_workdays:"),
    ({"overdue_every_working_days": 0}, "reminders.overdue_every_working_days:"),
    ({"offset_days": [1]}, "reminders.offset_days: unknown key"),
])
def test_errors_are_one_line_naming_the_key(table, message):
    with pytest.raises(PolicyError) as caught:
        policy_from_mapping(table)
    text = str(caught.value)
    assert text.startswith(message)
    assert "\n" not in text


def test_error_prefix_follows_where():
    with pytest.raises(PolicyError, match=r"^task 7 overrides\.offsets_days:"):
        DEFAULT_POLICY.with_overrides({"offsets_days": "soon"}, "task 7 overrides")


def test_with_overrides_changes_only_the_given_keys():
    policy = DEFAULT_POLICY.with_overrides({"offsets_days": [14], "monthly_poll": False})
    assert policy.offsets_days == (14,)
    assert policy.monthly_poll is False
    assert policy.send_time == DEFAULT_POLICY.send_time
    assert DEFAULT_POLICY.offsets_days == (30, 7, 1)


def test_overrides_cannot_change_service_wide_keys():
    with pytest.raises(PolicyError, match=r"^overrides\.timezone: can be set only in the \[reminders\] table"):
        DEFAULT_POLICY.with_overrides({"timezone": "UTC"})


def test_override_send_time_still_checked_against_working_hours():
    with pytest.raises(PolicyError, match="outside working hours"):
        DEFAULT_POLICY.with_overrides({"send_time": "20:00"})


def test_every_key_is_documented_in_one_line():
    assert set(POLICY_KEYS) == set(DEFAULT_POLICY.as_mapping())
    assert OVERRIDE_KEYS < set(POLICY_KEYS)
    for name, doc in POLICY_KEYS.items():
        assert doc and "\n" not in doc, name
