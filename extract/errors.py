"""Why a file could not be read: one type for the CLI and the bot to turn into one line."""
from __future__ import annotations


class UnreadableDocument(Exception):
    """The file cannot be turned into text; `str()` is one line naming the file and why."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class InputTooLarge(UnreadableDocument):
    """The file would cost far more to read than its size suggests (a zip bomb, a table of
    huge spans, millions of elements); refused before the cost is paid. See extract/limits.py."""
