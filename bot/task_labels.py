"""How a plan's own label leads a task's title, wherever a task is named (messages, lists, the
schedule preview). Pure text: the command line's preview imports it without the message stack."""
from __future__ import annotations


def label_prefix(label: str) -> str:
    """The plan's own label as it leads a title: "3" → "3. ", "1." → "1. ", "（三）" and "一、" as they are."""
    label = label.strip()
    if not label:
        return ""
    if label[-1].isascii() and label[-1].isdigit():
        return label + ". "
    return label + " " if label[-1].isascii() else label
