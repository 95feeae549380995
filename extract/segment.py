"""Cut a plan's body into numbered items, find the level that holds the tasks, and title them.

Plans nest numbering styles ("一、" sections holding "（一）" items holding "1." points); which
style is which level is learnt from the order in which the styles first appear, so the same
code reads "一、/（一）", "一、/1.", "1./1.1" and "Part I/(a)" layouts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extract.numerals import chinese_to_int, circled_to_int, roman_to_int
from extract.responsibility import has_responsibility_note
from extract.vocabulary import table

_PUNCT = re.compile(r"[\s\W_]+")
# How much of the body `text_start` keeps.
_TEXT_START_CHARS = 14
_TEXT_START_CHARS_LATIN = 40
# A title is the text up to the first full stop, if the stop comes this soon.
_LONGEST_TITLE = 80


@dataclass(frozen=True)
class NumberedParagraph:
    index: int  # position among the body's paragraphs
    style: str
    number: str  # as printed, e.g. "十二", "3", "2.1", "b"
    rest: str  # the paragraph after its number


@dataclass(frozen=True)
class Segment:
    """One task-level item: its number, section, title and the text that belongs to it."""
    label: str
    section: str | None
    title: str
    body: str  # text after the title: the rest of the first paragraph and the paragraphs below it
    text: str  # the whole item after its number (title included), for finding units and dates


@cache
def _styles() -> list[tuple[str, re.Pattern, str]]:
    return [(row["style"], re.compile(row["pattern"]), row["kind"]) for row in table("structure")["numbering"]]


@cache
def _closing() -> list[re.Pattern]:
    return [re.compile(p) for p in table("structure")["closing"]["patterns"]]


@cache
def _not_task_titles() -> tuple[frozenset[str], frozenset[str]]:
    words = table("structure")["not_tasks"]
    return (frozenset(_squash(w) for w in words["titles"]), frozenset(_squash(w) for w in words["sections"]))


def _squash(text: str) -> str:
    return _PUNCT.sub("", text).lower()


def numbered(paragraph: str, index: int = 0) -> NumberedParagraph | None:
    """The paragraph's item number and style, if it opens with one."""
    for style, pattern, _kind in _styles():
        if match := pattern.match(paragraph):
            return NumberedParagraph(index, style, match["number"], paragraph[match.end():].strip())
    return None


def arabic_label(number: str, style: str) -> str:
    """The number in Arabic digits: "十八" -> "18", "③" -> "3", "IV" -> "4"; others as printed."""
    kind = next(k for s, _p, k in _styles() if s == style)
    value: int | None = None
    if kind == "chinese":
        value = chinese_to_int(number)
    elif kind == "circled":
        value = circled_to_int(number)
    elif kind in ("roman", "arabic_or_roman") and not number.isdigit():
        value = roman_to_int(number)
    return str(value) if value is not None else number


def split_title(rest: str, has_more_paragraphs: bool, language: str) -> tuple[str, str]:
    """(title, body) of an item: "标题。正文" splits at the first "。"; a bare heading line is all title."""
    stop = r"[。]" if language == "zh" else r"(?<=[a-z\)])[.:](?=\s|$)"
    match = re.search(stop, rest)
    if match and match.start() <= _LONGEST_TITLE:
        return rest[:match.start()].strip(), rest[match.end():].strip()
    if has_more_paragraphs and len(rest) <= _LONGEST_TITLE:
        return rest.rstrip("。.").strip(), ""
    if match:
        return rest[:match.start()].strip(), rest[match.end():].strip()
    return rest.strip(), ""


def text_start(body: str, language: str) -> str:
    """The first few characters of the body, as printed, to find the item again."""
    body = body.strip()
    if language == "zh":
        return body[:_TEXT_START_CHARS]
    if len(body) <= _TEXT_START_CHARS_LATIN:
        return body
    cut = body.rfind(" ", 0, _TEXT_START_CHARS_LATIN)
    return body[:cut if cut > 10 else _TEXT_START_CHARS_LATIN]


def _levels(items: list[NumberedParagraph]) -> dict[str, int]:
    order: dict[str, int] = {}
    for item in items:
        order.setdefault(item.style, len(order))
    return order


def _task_level(items: list[NumberedParagraph], levels: dict[str, int], paragraphs: list[str]) -> int:
    """The level whose items carry responsibility notes; without any, the one below the sections."""
    if not levels:
        return 0
    noted: dict[int, int] = {}
    for pos, item in enumerate(items):
        level = levels[item.style]
        stop = items[pos + 1].index if pos + 1 < len(items) else len(paragraphs)
        if any(has_responsibility_note(p) for p in [item.rest, *paragraphs[item.index + 1:stop]]):
            noted[level] = noted.get(level, 0) + 1
    if noted:
        return max(sorted(noted), key=lambda level: noted[level])
    top = min(levels.values())
    top_style = next(s for s, lv in levels.items() if lv == top)
    # Sections are headings; a plan numbered only "1." "2." has its tasks at the top.
    return top + 1 if len(levels) > 1 and top_style in ("cn_dun", "roman_dot", "en_part") else top


def _is_closing(paragraph: str) -> bool:
    return any(p.search(paragraph) for p in _closing())


def _trim_end(lines: list[str], uses_notes: bool) -> list[str]:
    """Drop the signature, date and closing words that follow the last task."""
    for i, line in enumerate(lines):
        if _is_closing(line) or re.fullmatch(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", line):
            lines = lines[:i]
            if i >= 2 and len(lines[-1]) <= 40 and not re.search(r"[。；;，,.]", lines[-1]):
                lines = lines[:-1]  # the signature above the date
            break
    if uses_notes:
        noted = [i for i, line in enumerate(lines) if has_responsibility_note(line)]
        if noted:
            lines = lines[:noted[-1] + 1]
    return lines


def segment_tasks(paragraphs: list[str], language: str) -> list[Segment]:
    """The task-level items of a plan body, in order, with non-actionable items left out."""
    items = [n for i, p in enumerate(paragraphs) if (n := numbered(p, i))]
    levels = _levels(items)
    if not items:
        return []
    task_level = _task_level(items, levels, paragraphs)
    uses_notes = any(has_responsibility_note(p) for p in paragraphs)
    not_titles, not_sections = _not_task_titles()
    section: NumberedParagraph | None = None
    segments: list[Segment] = []
    for pos, item in enumerate(items):
        level = levels[item.style]
        if level < task_level:
            section = item if level == min(levels.values()) else section
            continue
        if level > task_level:
            continue
        stop = next((later.index for later in items[pos + 1:] if levels[later.style] <= task_level), len(paragraphs))
        below = paragraphs[item.index + 1:stop]
        if stop == len(paragraphs):
            below = _trim_end([item.rest, *below], uses_notes)[1:]
        title, body = split_title(item.rest, bool(below), language)
        title = title.strip("*").strip()
        if _squash(title) in not_titles:
            continue
        if section and _squash(re.split(r"[，,:：]", section.rest)[0]) in not_sections:
            continue
        body = "\n".join(part for part in [body, *below] if part)
        section_label = section.number if section and task_level > 0 else None
        if section_label is None and item.style == "arabic_decimal":
            section_label = item.number.split(".")[0]
        segments.append(Segment(
            label=arabic_label(item.number, item.style),
            section=section_label,
            title=title,
            body=body,
            text="\n".join(part for part in [item.rest, *below] if part),
        ))
    return segments
