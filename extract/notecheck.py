"""Checks on responsibility notes that say how far a reading can be trusted, not what it reads.

Kept apart from responsibility.py so that what the notes yield stays that module's alone; this
only looks at the same brackets again.
"""
from __future__ import annotations

from extract.responsibility import bracket_contents, is_note


def unclosed_unit_list(text: str) -> bool:
    """True when a responsibility note in the text opens a bracket that never closes
    ("（牵头单位：市发展改革委；责任单位：市财政局" at the end of an item): the list was read to
    the end of its line, and a name after it may be missing or a sentence taken for a name."""
    return any(is_note(content) for content, closed in bracket_contents(text) if not closed)
