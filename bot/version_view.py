"""How a new version of a plan lines up with the stored one, worded for the import preview and result."""
from __future__ import annotations

from bot.i18n import Catalogue
from store.ingest import ChangedTask, VersionChanges


def version_lines(changes: VersionChanges, texts: Catalogue, limit: int | None = None) -> list[str]:
    """The counts, then each changed task as old label → new label (the first `limit` of them)."""
    lines = [texts.text("versions.summary", kept=changes.kept, changed=len(changes.changed), added=changes.added,
                        dropped=changes.dropped)]
    shown = changes.changed if limit is None else changes.changed[:limit]
    lines += [_pair_line(task, texts) for task in shown]
    if len(shown) < len(changes.changed):
        lines.append(texts.text("versions.more", count=len(changes.changed) - len(shown)))
    return lines


def _pair_line(task: ChangedTask, texts: Catalogue) -> str:
    key = "versions.pair_reworded" if task.reworded else "versions.pair"
    return texts.text(key, old=_label(task.old_label, task.old_section, texts),
                      new=_label(task.new_label, task.new_section, texts), title=task.title)


def _label(label: str, section: str | None, texts: Catalogue) -> str:
    if section:
        return texts.text("versions.label_in_section", section=section, label=label)
    return texts.text("versions.label", label=label)
