"""Checks on responsibility notes that say how far a reading can be trusted, not what it reads.

Kept apart from responsibility.py so that what the notes yield stays that module's alone; this
only looks at the same brackets again.
"""
from __future__ import annotations

from extract.responsibility import _CLOSE, _OPEN, _WRAPPED_CLOSE, _is_note


def _unclosed_parentheticals(text: str) -> list[str]:
    """Contents of brackets that never close: cut by a line end (and not a page-wrapped name)
    or by the end of the text. responsibility._parentheticals reads them the same way."""
    found: list[str] = []
    depth, start = 0, 0
    for i, char in enumerate(text):
        if char in _OPEN:
            if depth == 0:
                start = i + 1
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
        elif char == "\n" and depth and not _WRAPPED_CLOSE.match(text, i):
            found.append(text[start:i])
            depth = 0
    if depth:
        found.append(text[start:])
    return found


def unclosed_unit_list(text: str) -> bool:
    """True when a responsibility note in the text opens a bracket that never closes
    ("（牵头单位：市发展改革委；责任单位：市财政局" at the end of an item): the list was read to
    the end of its line, and a name after it may be missing or a sentence taken for a name."""
    return any(_is_note(content) for content in _unclosed_parentheticals(text))
