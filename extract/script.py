"""Plans in traditional characters: matched in simplified characters, quoted as the file wrote them.

Reading converts a traditional-character plan to simplified (OpenCC), because every vocabulary is
written in simplified characters. What an administrator reads back — titles, bodies, deadline
phrases and quotes — should still be the plan's own words, so `in_original_script` maps those
back. The map is per document: each simplified character goes back to the traditional character
the file itself used most for it (发 to 發 in a plan about 發展, not to 髮). Unit names, the
issuer and the document number go back too: they are the plan's own words, and an administrator
recognises a unit as its plan prints it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

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


def _task(task: ExtractedTask, table: dict[int, str]) -> ExtractedTask:
    return replace(
        task,
        title=task.title.translate(table),
        text_start=task.text_start.translate(table),
        body=task.body.translate(table),
        deadlines=[replace(d, phrase=d.phrase.translate(table), quote=d.quote.translate(table)) for d in task.deadlines],
        recurrences=[replace(r, phrase=r.phrase.translate(table), quote=r.quote.translate(table))
                     for r in task.recurrences],
        lead_units=[u.translate(table) for u in task.lead_units],
        responsible_units=[u.translate(table) for u in task.responsible_units],
        cooperating_units=[u.translate(table) for u in task.cooperating_units],
    )


def in_original_script(plan: ExtractedPlan, table: dict[int, str] | None) -> ExtractedPlan:
    """The plan with its own words (titles, units, phrases, quotes) back in the file's characters."""
    if not table:
        return plan
    document = plan.document
    back = {field: getattr(document, field).translate(table)
            for field in ("title", "issuer", "doc_number") if getattr(document, field)}
    return replace(plan, document=replace(document, **back), tasks=[_task(t, table) for t in plan.tasks])
