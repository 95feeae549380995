"""Undo what conversion and page breaks did to a plan's text, so later steps see whole paragraphs.

The result is the text every quote and `text_start` is copied from: paragraphs joined by
one newline, page furniture dropped, words split across a page break rejoined.
"""
from __future__ import annotations

import re
from functools import cache

from extract.vocabulary import table

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# A clock time wedged between two Chinese characters is a print stamp, not text.
_STRAY_TIME = re.compile(rf"(?<=[{_CJK}])\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?\s*(?=[{_CJK}])")
# A paragraph that ends like this is complete; anything else was cut by a page break.
_COMPLETE_END = re.compile(r"[。；;：:！!？?…）)”’】」』》\]]$|[.!?]$")
_SENTENCE_INSIDE = re.compile(r"[。；;]|[.!?]\s")
# Long enough to be running text rather than a heading, when it has no full stop yet.
_RUNNING_TEXT_CHARS = 50
# The tail of a unit list that a page break pushed onto the next page is short.
_SHORT_TAIL_CHARS = 30
# A bulleted line opens an item of its own, whatever the line before it lacks.
_BULLET = re.compile(r"^[-*+•·▪●◦]\s+\S")


@cache
def _junk_lines() -> list[re.Pattern]:
    return [re.compile(p, re.IGNORECASE) for p in table("structure")["junk_lines"]["patterns"]]


@cache
def _numbering() -> list[re.Pattern]:
    return [re.compile(row["pattern"]) for row in table("structure")["numbering"]]


@cache
def _heading() -> re.Pattern:
    return re.compile(table("structure")["headings"]["pattern"])


def starts_numbered_item(paragraph: str) -> bool:
    """True when the paragraph opens with an item number such as "（三）", "4.", "一、", "(b)", or is a heading."""
    return is_heading(paragraph) or any(p.match(paragraph) for p in _numbering())


def is_heading(paragraph: str) -> bool:
    """True for a Markdown heading line ("## 2. Accountability")."""
    return bool(_heading().match(paragraph))


def without_heading_marks(paragraph: str) -> str:
    """The paragraph without its Markdown heading marks ("# 2026 Plan" -> "2026 Plan")."""
    match = _heading().match(paragraph)
    return paragraph[match.end():].strip() if match else paragraph


def _clean_line(line: str) -> str:
    line = line.replace("\u3000", " ").replace("\xa0", " ").replace("\ufeff", "")
    # Heading marks stay: a Markdown heading is a section, which segment.py needs to know.
    line = line.replace("**", "").strip()
    return _STRAY_TIME.sub("", line).strip()


def _is_junk(line: str) -> bool:
    return any(p.match(line) for p in _junk_lines())


def _without_item_number(paragraph: str) -> str:
    """"1. 总体要求" -> "总体要求"."""
    for pattern in _numbering():
        if match := pattern.match(paragraph):
            return paragraph[match.end():]
    return paragraph


def _was_cut(paragraph: str) -> bool:
    """A paragraph of running text that stops mid-sentence."""
    if _COMPLETE_END.search(paragraph):
        return False
    # The dot of "1. 总体要求" numbers a heading; it does not end a sentence.
    paragraph = _without_item_number(paragraph)
    if _SENTENCE_INSIDE.search(paragraph):
        return True
    # Titles and cover lines run long too, but they rarely hold a comma.
    return len(paragraph) >= _RUNNING_TEXT_CHARS and bool(re.search(r"[，,、]", paragraph))


@cache
def _role_label() -> re.Pattern:
    words = sorted((w for row in table("roles")["labels"] for w in row["words"]), key=len, reverse=True)
    return re.compile(r"^[（(]?(?:" + "|".join(map(re.escape, words)) + r")\s*[:：]", re.I)


def _is_unfinished_unit_list(paragraph: str, following: str) -> bool:
    """"责任单位：市司法局、市" + "场监管局": a unit list cut by a page break, and its short tail."""
    if not _role_label().match(paragraph) or _role_label().match(following) or _COMPLETE_END.search(paragraph):
        return False
    # Only a stub no unit is named by ("市", "省政") or a dangling separator says the list goes on.
    last_name = re.split(r"[、，,；;:：]", paragraph)[-1]
    return (len(last_name) <= 3 and len(following) <= _SHORT_TAIL_CHARS
            and not re.search(r"\d|。.", following))


def _last_sentence(paragraph: str) -> str:
    """What follows the paragraph's last sentence stop ("…每季度通报。责任单位：X" -> "责任单位：X")."""
    return re.split(r"[。；;]", paragraph)[-1].strip()


def _continues(paragraph: str, following: str) -> bool:
    """Whether `following` is the rest of a paragraph that a page break cut."""
    if starts_numbered_item(following) or is_heading(paragraph) or _BULLET.match(following):
        return False
    if _is_unfinished_unit_list(paragraph, following):
        return True
    # A task's closing unit list ("…。责任单位：X牵头，Y配合") needs no full stop to be complete:
    # only a stub name says a page break cut it, else the next line (a closing word, a signature)
    # is a paragraph of its own.
    tail = _last_sentence(paragraph)
    if tail != paragraph and _role_label().match(tail):
        return _is_unfinished_unit_list(tail, following)
    if following[:1].islower():
        return not _COMPLETE_END.search(paragraph)
    return _was_cut(paragraph) and not following[:1].isupper()


def _join(left: str, right: str) -> str:
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        # English lines break between words ("complete a" + "plain-language course"); a number
        # cut inside Chinese text ("共1" + "2项") joins without a space.
        last_token = left.split()[-1]
        first_token = right.split()[0]
        after_chinese = bool(re.search(rf"[{_CJK}]", last_token))
        latin_words = not after_chinese and bool(re.search(r"[A-Za-z]", last_token + first_token))
        return f"{left} {right}" if latin_words else left + right
    return left + right


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs after cleaning and rejoining, in order, none empty."""
    out: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = _clean_line(raw)
        if not line or _is_junk(line):
            continue
        if out and _continues(out[-1], line):
            out[-1] = _join(out[-1], line)
        else:
            out.append(line)
    return out


def normalize_text(text: str) -> str:
    """The cleaned text: one paragraph per line."""
    return "\n".join(paragraphs(text))
