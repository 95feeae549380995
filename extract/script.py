"""Plans read in another form than they are printed: matched as rewritten, quoted as the file wrote them.

Reading converts a traditional-character plan to simplified (OpenCC), because every vocabulary is
written in simplified characters, and a plan dated in another era's years to Common Era years
(era.py), because every date rule reads four-digit years. What an administrator reads back —
titles, bodies, deadline phrases and quotes — should still be the plan's own words, so
`in_original_script` maps those back. A string found in the rewritten text is the file's own text
at the same place ("计划" goes back to the 計畫 the file printed, "2025年" to its "114年"); OpenCC's
traditional-to-simplified conversion keeps every length, so places only shift where a year was
rewritten. A string the rules put together (found nowhere as such) goes back character by
character: each simplified character to the traditional character the file itself used most for
it (发 to 發 in a plan about 發展, not to 髮). Unit names, the issuer and the document number go
back too: they are the plan's own words, and an administrator recognises a unit as its plan prints it.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from functools import cached_property

from extract.era import Edit
from extract.model import ExtractedPlan, ExtractedTask


def script_map(original_text: str, to_simplified) -> dict[int, str]:
    """{simplified character: the traditional character this text uses for it}, for str.translate."""
    used = Counter(char for char in original_text if "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff")
    best: dict[str, tuple[int, str]] = {}
    for char, count in used.items():
        simplified = to_simplified(char)
        if len(simplified) == 1 and simplified != char and count > best.get(simplified, (0, ""))[0]:
            best[simplified] = (count, char)
    return {ord(simplified): char for simplified, (_count, char) in best.items()}


@dataclass(frozen=True)
class AsPrinted:
    """A plan's text as the file prints it, the same text as the rules read it, and the way back."""
    original: str
    matched: str
    # Spans of `matched` that were rewritten from spans of `original` of another length, in order.
    edits: tuple[Edit, ...] = ()
    characters: dict[int, str] | None = None  # for strings found nowhere in `matched`

    @cached_property
    def _edit_starts(self) -> list[int]:
        return [edit[0] for edit in self.edits]

    def _original_at(self, at: int, end: bool) -> int:
        """The place in `original` of a place in `matched`; one inside a rewritten span takes the
        span's start (or end, for the end of a string)."""
        i = bisect_right(self._edit_starts, at) - 1
        if i < 0:
            return at
        start, stop, original_start, original_stop = self.edits[i]
        if at >= stop:
            return at - stop + original_stop
        return original_stop if end and at > start else original_start

    def find(self, text: str, start: int = 0, end: int | None = None) -> int:
        """Where `text` stands in the rewritten plan between start and end, or -1."""
        return self.matched.find(text, start, len(self.matched) if end is None else end) if text else -1

    def __call__(self, text: str, start: int = 0, end: int | None = None) -> str:
        """`text`, read from the rewritten plan (between start and end), as the file prints it."""
        at = self.find(text, start, end)
        if at < 0:
            return text.translate(self.characters) if self.characters else text
        return self.original[self._original_at(at, False):self._original_at(at + len(text), True)]


# How far past the place the last task was found the next one's words are looked for: a task's
# words stand in its own stretch of the text, and looking there keeps a plan of thousands of
# tasks linear. What is not found there goes back character by character.
_TASK_REACH = 4000


def _task(task: ExtractedTask, back: AsPrinted, start: int) -> ExtractedTask:
    end = start + len(task.title) + len(task.body) + _TASK_REACH

    def own(text: str) -> str:
        return back(text, start, end)

    return replace(
        task,
        title=own(task.title),
        text_start=own(task.text_start),
        body=own(task.body),
        deadlines=[replace(d, phrase=own(d.phrase), quote=own(d.quote)) for d in task.deadlines],
        recurrences=[replace(r, phrase=own(r.phrase), quote=own(r.quote)) for r in task.recurrences],
        lead_units=[own(u) for u in task.lead_units],
        responsible_units=[own(u) for u in task.responsible_units],
        cooperating_units=[own(u) for u in task.cooperating_units],
    )


def in_original_script(plan: ExtractedPlan, back: AsPrinted | None) -> ExtractedPlan:
    """The plan with its own words (titles, units, phrases, quotes) as the file prints them."""
    if back is None:
        return plan
    document = plan.document
    restored = {field: back(getattr(document, field))
                for field in ("title", "issuer", "doc_number") if getattr(document, field)}
    tasks, start, reach = [], 0, _TASK_REACH
    for task in plan.tasks:
        if (at := back.find(task.title, start, start + reach)) >= 0:
            start = at
        tasks.append(_task(task, back, start))
        reach = len(task.title) + len(task.body) + _TASK_REACH
    return replace(plan, document=replace(document, **restored), tasks=tasks)
