"""Regular expressions that pass at once over the characters no match can start with.

A vocabulary pattern ("(?:力争|确保)?(?:2025)年…月…", "\\b(?:by|before)\\s+…") searched through a
task's text is tried at every character, and most characters start no match; where the pattern
opens with optional words, `re` cannot skip ahead by itself and walks the whole alternation each
time. `compiled` puts in front of the pattern a lookahead on the set of characters a match can
start with, read from the parsed pattern itself, so a table row added to a vocabulary changes the
set with it. The lookahead is only ever a necessary condition of a match where it stands: what a
pattern matches, its groups and their numbers stay as they were. Where the set cannot be known (a
pattern that may match the empty string, or open with any character), the pattern is left as written.
"""
from __future__ import annotations

import re
from re import _constants as sre
from re import _parser as sre_parse

_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W",
}
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT)}
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}


class _Unknown(Exception):
    """The pattern may start with any character (or with one this reading does not follow)."""


def _char(code: int) -> str:
    return f"\\U{code:08x}"


def _first_of_sequence(items) -> tuple[set[str], bool]:
    """The class items a match of the sequence may start with, and whether it may match empty."""
    found: set[str] = set()
    for op, av in items:
        first, empty = _first_of_item(op, av)
        found |= first
        if not empty:
            return found, False
    return found, True


def _first_of_item(op, av) -> tuple[set[str], bool]:
    if op is sre.LITERAL:
        return {_char(av)}, False
    if op is sre.IN:
        items = set()
        for kind, value in av:
            if kind is sre.LITERAL:
                items.add(_char(value))
            elif kind is sre.RANGE:
                items.add(f"{_char(value[0])}-{_char(value[1])}")
            elif kind is sre.CATEGORY and value in _CATEGORIES:
                items.add(_CATEGORIES[value])
            else:  # a negated set, or a category this reading does not map
                raise _Unknown
        return items, False
    if op is sre.BRANCH:
        found, empty = set(), False
        for alternative in av[1]:
            first, alternative_empty = _first_of_sequence(alternative)
            found |= first
            empty = empty or alternative_empty
        return found, empty
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, inner = av
        first, empty = _first_of_sequence(inner)
        if first and (add_flags or del_flags):
            raise _Unknown  # "(?i:…)": the set would be read under other flags than its characters
        return first, empty
    if op in _REPEATS:
        low, _high, inner = av
        first, empty = _first_of_sequence(inner)
        return first, empty or low == 0
    if op in _ZERO_WIDTH:
        return set(), True  # a look-around or an anchor consumes nothing: leaving it out only widens the set
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _first_of_sequence(av)
    raise _Unknown  # any character, a back-reference, a conditional group


def _scans_by_itself(items, flags: int) -> bool:
    """Whether `re` already skips to where a match can start: a pattern that opens with a character,
    a set or a choice of characters, matched with case (see re._compiler._get_charset_prefix)."""
    while items and items[0][0] is sre.SUBPATTERN and not (items[0][1][1] or items[0][1][2]):
        items = items[0][1][3]
    if not items or flags & re.IGNORECASE:
        return False
    op, av = items[0]
    if op is sre.BRANCH:
        return all(alternative and alternative[0][0] in (sre.LITERAL, sre.IN) for alternative in av[1])
    return op in (sre.LITERAL, sre.IN)


def start_class(pattern: str, flags: int = 0) -> str | None:
    """A character class ("[…]") holding every character a match of the pattern can start with;
    None where that cannot be known or `re` finds the start by itself."""
    parsed = sre_parse.parse(pattern, flags)
    if _scans_by_itself(parsed.data, flags):
        return None
    try:
        first, empty = _first_of_sequence(parsed)
    except _Unknown:
        return None
    if empty or not first:
        return None
    return "[" + "".join(sorted(first)) + "]"


def compiled(pattern: str, flags: int = 0) -> re.Pattern:
    """re.compile(pattern, flags), with a lookahead on the characters a match can start with."""
    if re.match(r"\(\?[aiLmsux]+\)", pattern):
        return re.compile(pattern, flags)  # a global inline flag must stay first
    start = start_class(pattern, flags)
    if not start:
        return re.compile(pattern, flags)
    # In verbose mode a comment may close the pattern: the group's end goes on a line of its own.
    return re.compile(f"(?={start})(?:{pattern}{chr(10) if flags & re.VERBOSE else ''})", flags)
