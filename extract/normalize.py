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


@cache
def _junk_lines() -> list[re.Pattern]:
    return [re.compile(p, re.IGNORECASE) for p in table("structure")["junk_lines"]["patterns"]]


@cache
def _numbering() -> list[re.Pattern]:
    return [re.compile(row["pattern"]) for row in table("structure")["numbering"]]


def starts_numbered_item(paragraph: str) -> bool:
    """True when the paragraph opens with an item number such as "（三）", "4.", "一、", "(b)"."""
    return any(p.match(paragraph) for p in _numbering())


def _clean_line(line: str) -> str:
    line = line.replace("\u3000", " ").replace("\xa0", " ").replace("\ufeff", "")
    line = line.replace("**", "")
    line = re.sub(r"^#{1,6}\s+", "", line.strip())
    return _STRAY_TIME.sub("", line).strip()


def _is_junk(line: str) -> bool:
    return any(p.match(line) for p in _junk_lines())


def _was_cut(paragraph: str) -> bool:
    """A paragraph of running text that stops mid-sentence."""
    if _COMPLETE_END.search(paragraph):
        return False
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


def _continues(paragraph: str, following: str) -> bool:
    """Whether `following` is the rest of a paragraph that a page break cut."""
    if starts_numbered_item(following):
        return False
    if _is_unfinished_unit_list(paragraph, following):
        return True
    if following[:1].islower():
        return not _COMPLETE_END.search(paragraph)
    return _was_cut(paragraph) and not following[:1].isupper()


def _join(left: str, right: str) -> str:
    if left[-1:].isascii() and left[-1:].isalnum() and right[:1].isascii() and right[:1].isalnum():
        latin_words = re.search(r"[A-Za-z]{2,}\s*$", left) and not re.search(rf"[{_CJK}]$", left)
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
