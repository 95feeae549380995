"""Values the planner reads and writes. They live in the shared vocabulary (`vocabulary`,
`vocabulary.planning`) so that `store/` can build and store them without importing `scheduler/`;
these names stay importable from here."""
from __future__ import annotations

from vocabulary import UNPLANNED_KEY_PREFIXES, ReminderKind
from vocabulary.planning import ChatToPlan, PlannedReminder, TaskToPlan

__all__ = ["UNPLANNED_KEY_PREFIXES", "ChatToPlan", "PlannedReminder", "ReminderKind", "TaskToPlan"]
