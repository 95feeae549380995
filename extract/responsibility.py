"""Who is responsible for a task: read the notes such as "（牵头单位：X；责任单位：Y、Z）".

A note is a parenthetical (or a line) that opens with a role label, or whose groups end with a
role word ("X、Y牵头，Z负责"). Outside brackets, role-word groups that open or close a sentence
are a note too ("由X牵头，Y配合，9月底前完成。"), and a closing parenthetical that only lists bodies
("（各有关单位）") names the responsible units. Labels, role words, separators and English
abbreviations ("Dept.", which ends no sentence) come from data/roles.toml.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from extract.memo import per_document
from extract.patterns import compiled
from extract.unitnames import unit_aliases
from extract.vocabulary import alternation, deadline_labels, role_labels, table

ROLES = ("lead", "responsible", "cooperating")
# "〔…〕" and "【…】" close items in some plans as "（…）" does in most.
_OPEN, _CLOSE = "（(〔【", "）)〕】"
_CJK = r"\u3400-\u9fff"
# An unbracketed note starts a line or a sentence, and ends with its sentence.
_SENTENCE_ENDS = "。.；;!?！？"
# A page break may cut a note's last name ("（责任单位：园\n\n区相关部门）"): the bracket stays open
# across the break when the next line closes it soon, with no bracket or full stop before.
_WRAPPED_CLOSE = re.compile(r"\n+[ \t\u3000]*[^（(）)\n。]{1,30}[）)]")
_BRACKET_OR_BREAK = re.compile(f"[{re.escape(_OPEN + _CLOSE)}\n]")
_LIST_MARKER = re.compile(r"^[-*+•·▪●◦]\s+")
_FIELD_BAR = re.compile(r"\s+[|｜·•]\s+(?=\S)")
# A unit list is short and has no full stop; longer parentheticals are prose.
_LONGEST_NOTE = 400


@dataclass(frozen=True)
class NoteConventions:
    """How a plan says its notes read, stated once for the items that follow ("…，下同")."""
    first_listed_leads: bool = False  # "排在第一位的部门为牵头部门": a list's first unit leads

    def __or__(self, other: NoteConventions) -> NoteConventions:
        return NoteConventions(first_listed_leads=self.first_listed_leads or other.first_listed_leads)


@cache
def _convention_patterns() -> tuple[re.Pattern, re.Pattern]:
    conventions = _roles()["conventions"]
    return (compiled("|".join(conventions["first_listed_leads"])), compiled("|".join(conventions["scope"])))


def _is_convention(group: str) -> bool:
    """A clause of a note about how notes read or where they apply: it names no unit."""
    first_leads, scope = _convention_patterns()
    group = group.strip()
    return bool(first_leads.search(group) or scope.search(group))


def read_conventions(text: str) -> NoteConventions:
    """The conventions a piece of a plan states in its notes or prose."""
    first_leads, _scope = _convention_patterns()
    return NoteConventions(first_listed_leads=bool(first_leads.search(text)))


@dataclass
class Responsibility:
    lead: list[str] = field(default_factory=list)
    responsible: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)

    def add(self, role: str, unit: str) -> None:
        units = getattr(self, role)
        if unit not in units:
            units.append(unit)

    def is_empty(self) -> bool:
        return not (self.lead or self.responsible or self.cooperating)


@cache
def _roles() -> dict:
    return table("roles")


@cache
def english_full_stop() -> str:
    """A regex for a "." that ends an English sentence: before a space or the end, and not the
    stop of an abbreviation such as "Dept." (roles.toml), which runs on into a unit's name."""
    abbreviations = _roles()["split"]["english_abbreviations"]
    # The stop is matched first and the abbreviations looked behind it, not before: thirty
    # look-behinds tried at every character made this the costliest pattern of a task's reading.
    not_after = "".join(rf"(?<!\b{re.escape(a)}\.)" for a in abbreviations)
    return rf"\.(?i:{not_after})(?=\s|$)"


@cache
def _sentence_end() -> re.Pattern:
    return re.compile(rf"。|{english_full_stop()}")


@cache
def _label_pattern() -> re.Pattern:
    labels = role_labels()
    # Markdown emphasis may wrap the label ("*Owner:* X", "**Lead team**: X"); it belongs to the label.
    # A label may also stand in square brackets instead of before a colon ("【牵头单位】X").
    # "Owner(s): X", "Lead(s): X": a plural marked in brackets is the same label.
    return compiled(rf"(?:[*_]{{1,3}})?(?:(?P<label>{labels})(?:\(s\))?(?:[*_]{{1,3}})?\s*[:：]"
                    rf"|【(?P<bracketed>{labels})】)(?:[*_]{{1,3}})?\s*", re.I)


@cache
def _dash_label() -> re.Pattern:
    return re.compile(rf"^(?P<label>(?:{role_labels()})(?:\(s\))?)\s+[–—]\s+(?=\S)", re.I)


@cache
def _label_roles() -> dict[str, str]:
    return {w.lower(): row["role"] for row in _roles()["labels"] for w in row["words"]}


@cache
def _role_words() -> list[tuple[str, str]]:
    pairs = [(w, row["role"]) for row in _roles()["role_words"] for w in row["words"]]
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


@cache
def _lowered_role_words() -> tuple[tuple[str, int, str], ...]:
    """(word in lower case, the printed word's length, role), longest first."""
    return tuple((word.lower(), len(word), role) for word, role in _role_words())


@cache
def _deadline_label() -> re.Pattern:
    """Where a note's unit lists end and its deadline begins ("；完成时限：2027年6月底前")."""
    # The label may stand in square brackets, as role labels may ("【完成时限】2027年9月底前").
    labels = deadline_labels()
    return compiled(rf"[\s；;，,。.*_]*(?:(?<![\w])(?:{labels})[*_]*\s*[:：]|【(?:{labels})】)", re.I)


def _before_deadline_label(note: str) -> str:
    match = _deadline_label().search(note)
    return note[:match.start()].strip() if match else note


def bracket_contents(text: str) -> list[tuple[str, bool]]:
    """Top-level parenthetical contents, each with whether its bracket closed; one left open runs
    to the end of its line (unless a page break cut a name, see _WRAPPED_CLOSE) or of the text."""
    found: list[tuple[str, bool]] = []
    depth, start = 0, 0
    for match in _BRACKET_OR_BREAK.finditer(text):  # only these characters change anything below
        i, char = match.start(), match.group()
        if char in _OPEN:
            if depth == 0:
                start = i + 1
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
            if depth == 0:
                found.append((text[start:i], True))
        elif char == "\n" and depth and not _WRAPPED_CLOSE.match(text, i):
            found.append((text[start:i], False))
            depth = 0
    if depth:
        found.append((text[start:], False))
    return found


def _parentheticals(text: str) -> list[str]:
    return [content for content, _closed in bracket_contents(text)]


@cache
def _role_word_endings() -> tuple[str, ...]:
    return tuple(word for word, _length, _role in _lowered_role_words())


def _ends_with_role_word(group: str) -> str | None:
    lowered = group.lower()
    if not lowered.endswith(_role_word_endings()):
        return None  # most groups end with none: one test, not one per word
    for word, length, role in _lowered_role_words():
        if lowered.endswith(word) and len(group) > length:
            return role
    return None


# Segmentation asks of a group's text, then of each item's, then of the task's: the same brackets
# and lines come back several times (extract/memo.py).
@per_document()
def is_note(content: str) -> bool:
    content = content.strip().strip("*").strip()
    if not content or len(content) > _LONGEST_NOTE or "。" in content:
        return False
    if _label_pattern().match(content):
        return True
    groups = [g for g in _split_outside_brackets(content, _roles()["split"]["groups"]) if not _is_convention(g)]
    if not any(_ends_with_role_word(g.strip()) for g in groups):
        return False
    if re.search(r"\bto lead\b|\(lead\)", content, re.I):
        return True
    # "X、Y牵头，Z负责": every group with a role word is a list of names of bodies.
    suffixes = _zh_suffixes()
    for group in groups:
        if _ends_with_role_word(group.strip()):
            names = _split_outside_brackets(_strip_role_word(group.strip()), _roles()["split"]["units"])
            if not names or len(group) > 80 or not all(_names_a_body(_clean_unit(n), suffixes) for n in names):
                return False
    return True


@cache
def _zh_suffixes() -> tuple[str, ...]:
    return tuple(_roles()["unit_names"]["zh_suffixes"])


def _without_alias(name: str) -> str:
    """The name a unit is printed under, without its alias: "省政府办公厅（省大数据管理局）" ends
    like a body because 省政府办公厅 does, though the printed name ends with a bracket."""
    aliases = unit_aliases(name)
    return aliases[0] if aliases else name


def _names_a_body(name: str, zh_suffixes: tuple[str, ...]) -> bool:
    name = _without_alias(name)
    words = name.split()
    if words and name.isascii():
        return words[-1].lower() in _roles()["split"]["english_unit_heads"]
    # "督促各部门落实" ends like a body and a role word, but a verb opens it: it is an instruction.
    names = _roles()["unit_names"]
    return (name.endswith(zh_suffixes) and not name.startswith(tuple(names["zh_not_first"]))
            and name not in names["zh_not_bodies"])


def continues_note(previous: str, line: str) -> bool:
    """Whether `line` carries on an English labelled note that `previous` leaves cut at its end:
    "Lead: Ministry of Roads. Partners: Union of Coastal" / "Municipalities. Timing: June 2031."."""
    previous, line = previous.rstrip(), line.strip()
    if not (previous and line and previous.isascii() and line.isascii()) or previous[-1] in _SENTENCE_ENDS + ":：":
        return False
    return _continues_english_note(previous, line)


# The same two lines meet again in every text that holds them (a group's, an item's, a task's).
@per_document()
def _continues_english_note(previous: str, line: str) -> bool:
    labels = list(_label_pattern().finditer(previous))
    if not labels or _sentence_end().search(previous, labels[-1].end()) or _label_pattern().match(line):
        return False
    stop = _sentence_end().search(line)
    name, rest = (line[:stop.start()], line[stop.end():].strip()) if stop else (line, "")
    split = _roles()["split"]
    if not name.strip() or len(name.split()) > split["wrapped_name_words"] or _LIST_MARKER.match(line):
        return False
    if rest and (_label_pattern().match(rest) or _deadline_label().match(rest)):
        return True
    cut = previous.split()[-1].lower()
    return not rest and (cut in split["wrapped_line_endings"] or cut.endswith("-"))


def _rejoined(text: str) -> Iterator[str]:
    """The text's lines, with a note cut at a line's end joined to its rest ("High-" + "way" -> "Highway"),
    each given out once the next line shows it is whole."""
    pending: str | None = None
    for line in text.split("\n"):
        if pending is not None and continues_note(pending, line):
            previous = pending.rstrip()
            hyphen = re.search(r"[a-z]-$", previous) and line.strip()[:1].islower()
            pending = previous[:-1] + line.strip() if hyphen else f"{previous} {line.strip()}"
        else:
            if pending is not None:
                yield pending
            pending = line
    if pending is not None:
        yield pending


def notes(text: str) -> list[str]:
    """The responsibility notes in a task's text, in order."""
    return list(_notes(text))


# A task's notes are read for its units, its deadlines skip them and only_notes compares them: the
# same text three times in a row. The cache is kept small, so that how much of a plan it holds does
# not depend on the plan's size (a plan's later reading of what segmentation read is not kept).
@per_document(maxsize=64)
def _notes(text: str) -> tuple[str, ...]:
    return tuple(_each_note(text))


def _each_note(text: str) -> Iterator[str]:
    """The notes of `notes`, one by one: bracketed first, then the lines' own."""
    found = [c.strip().strip("*").strip() for c in _parentheticals(text) if is_note(c)]
    if (last := _trailing_parenthetical(text)) is not None and last not in found and _lists_bodies(last):
        found.append(last)
    for note in found:
        if note := _before_deadline_label(note):
            yield note
    for line in _rejoined(text):
        for note in _line_notes(line):
            if note := _before_deadline_label(note):
                yield note


@per_document()
def _line_notes(line: str) -> tuple[str, ...]:
    """The notes outside brackets on one line (of a task's text, its cut notes rejoined)."""
    # A labelled field may be printed as a bullet ("- **Lead:** Records Office").
    line = _LIST_MARKER.sub("", line.strip()).strip("*").strip()
    # "Lead – Harbour Board": at a line's start a spaced dash may stand for a label's colon.
    if dash := _dash_label().match(line):  # matched at the start only: `sub` would try every character
        line = f"{dash['label']}: {line[dash.end():]}"
    # "Responsible: X | Partners: Y | Timeline: Z", "Owner: X · Due: Y": a bar or a dot between
    # fields ends each as a stop would.
    if not line.startswith("|"):
        line = _FIELD_BAR.sub(lambda m: ". " if _field_follows(line, m.end()) else m.group(), line)
    return (*_unbracketed_notes(line), *_role_word_sentences(line))


def _field_follows(line: str, at: int) -> bool:
    """Whether a role or deadline label opens the text at `at`."""
    return bool(_label_pattern().match(line, at) or _deadline_label().match(line, at))


def _trailing_parenthetical(text: str) -> str | None:
    """The parenthetical that closes the text ("…完成评估。（各有关单位）"), if one does."""
    closed = text.rstrip().rstrip("*。.").rstrip()
    if not closed or closed[-1] not in _CLOSE:
        return None
    contents = _parentheticals(closed)
    return contents[-1].strip().strip("*").strip() if contents else None


def _lists_bodies(content: str) -> bool:
    """True when every name in an unlabelled list ends like a body that acts ("各有关单位",
    "Finance Bureau"), so a closing "（社区）" or "(see annex)" is not read as units."""
    suffixes = tuple(_roles()["unit_names"]["bare_note_suffixes"])
    heads = set(_roles()["split"]["english_unit_heads"])
    names = [n for group in _split_outside_brackets(content, _roles()["split"]["groups"])
             for n in _units_of_group(group)]

    def acts(name: str) -> bool:
        name = _without_alias(name)
        if name.isascii():
            return bool(name.split()) and name.split()[-1].lower() in heads
        return name.endswith(suffixes)

    return bool(names) and len(content) <= 80 and all(acts(n) for n in names)


def _role_word_sentences(line: str) -> list[str]:
    """Role assignments outside brackets: "由市司法局牵头，市财政局、市人社局配合，9月底前完成。",
    "…全面推开，市住建局、市城管局按职责分工负责。". The groups that end with a role word must open
    or close their sentence and name bodies, so prose such as "各地区要认真贯彻落实" is never units."""
    found: list[str] = []
    if not _any_role_word().search(line.lower()):
        return found  # no group of the line can end with a role word: most lines are passed by at once
    start = 0
    for end in [*_depth_zero_stops(line), len(line)]:
        sentence = line[start:end].strip()
        start = end + 1
        if note := _role_word_run(sentence):
            found.append(note)
    return found


@cache
def _any_role_word() -> re.Pattern:
    """Any role word, in lower case, wherever it stands."""
    return compiled(alternation(word for word, _length, _role in _lowered_role_words()))


def _role_word_run(sentence: str) -> str | None:
    """The groups with role words at the start of a sentence, else at its end, if they are a note."""
    spans = _group_spans(sentence)
    roles = [bool(_ends_with_role_word(sentence[a:b].strip())) for a, b in spans]
    if not any(roles):
        return None
    first_prose = roles.index(False) if False in roles else len(roles)
    last_prose = max((i for i, has in enumerate(roles) if not has), default=-1)
    for run in (spans[:first_prose], spans[last_prose + 1:]):
        if run:
            note = sentence[run[0][0]:run[-1][1]].strip()
            if is_note(note):
                return note
    return None


@cache
def _bracket_or_group_end() -> re.Pattern:
    """The characters _group_spans acts on: brackets and the one-character group separators."""
    separators = "".join(s for s in _roles()["split"]["groups"] if len(s) == 1)
    return re.compile(f"[{re.escape(_OPEN + _CLOSE + separators)}]")


def _group_spans(text: str) -> list[tuple[int, int]]:
    """Where the groups of a note lie in text, split like _split_outside_brackets."""
    separators = _roles()["split"]["groups"]
    spans, depth, start = [], 0, 0
    for match in _bracket_or_group_end().finditer(text):
        i, char = match.start(), match.group()
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
        elif depth == 0 and char in separators:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _depth_zero_stops(line: str) -> list[int]:
    """Where the sentences of a line end, leaving out stops inside brackets."""
    stops, depth, counted = [], 0, 0
    for match in _sentence_end().finditer(line):
        # The depth so far, counted on from the last stop rather than from the line's start each time.
        depth += _bracket_depth(line[counted:match.start()])
        counted = match.start()
        if not depth:
            stops.append(match.start())
    return stops


def _unbracketed_notes(line: str) -> list[str]:
    """Labelled notes outside brackets: a line "牵头单位：X；责任单位：Y", or a sentence
    "…全程网办。牵头单位：X" / "… online. Lead: County Office." that follows the work it assigns."""
    found: list[str] = []
    if not any(mark in line for mark in ":：【"):
        return found  # a label stands before a colon or in 【】: most lines are passed by at once
    covered = 0
    for match in _label_pattern().finditer(line):
        before = line[:match.start()].rstrip().rstrip("*_").rstrip()
        if match.start() < covered or (before and before[-1] not in _SENTENCE_ENDS) or _bracket_depth(before):
            continue
        stop = _sentence_end().search(line, match.end())
        covered = stop.start() if stop else len(line)
        found.append(line[match.start():covered].rstrip("。."))
    return found


def _bracket_depth(text: str) -> int:
    return sum(text.count(c) for c in _OPEN) - sum(text.count(c) for c in _CLOSE)


def only_notes(text: str) -> bool:
    """True when the text holds nothing but responsibility notes ("（市财政局负责）")."""
    rest = text
    for note in notes(text):
        rest = rest.replace(note, "")
    return bool(text.strip()) and not re.sub(r"[\s\W_]+", "", rest)


@cache
def _section_note_words() -> tuple[re.Pattern, re.Pattern]:
    split = _roles()["split"]
    openers = alternation(split["section_note_openers"])
    carries = "|".join(map(re.escape, split["section_note_responsible"]))
    return re.compile(rf"^(?:{openers})"), re.compile(rf"(?:{carries})(?=[，,；;。.]|$)")


def section_note(line: str) -> str | None:
    """The note of a line that assigns a whole group of items ("以上任务由X牵头，Y配合。"), without
    its opening words; None for any other line."""
    line = line.strip()
    opener, carries = _section_note_words()
    if not (match := opener.match(line)):
        return None
    rest = re.sub(r"^[均都统一]*由?", "", line[match.end():]).strip()
    rest = carries.sub("负责", rest)
    return rest if rest and has_responsibility_note(rest) else None


def has_responsibility_note(text: str) -> bool:
    """True when the text names responsible units in a note."""
    return _has_note(text)


# Segmentation asks this of whole groups of items, several times each: the first note answers, the
# rest is not read, and the answer is kept for the document.
@per_document(maxsize=64)
def _has_note(text: str) -> bool:
    return next(_each_note(text), None) is not None


@cache
def _bracket_or_separator(separators: tuple[str, ...]) -> re.Pattern:
    """Where _split_outside_brackets has anything to do: a bracket or a separator's first character."""
    return re.compile(f"[{re.escape(_OPEN + _CLOSE + ''.join(s[0] for s in separators if s))}]")


def _split_outside_brackets(text: str, separators: list[str]) -> list[str]:
    parts, depth, start = [], 0, 0
    for match in _bracket_or_separator(tuple(separators)).finditer(text):
        i, char = match.start(), match.group()
        if i < start:
            continue  # inside a separator already taken
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
        if depth == 0:
            sep = next((s for s in separators if text.startswith(s, i)), None)
            if sep:
                parts.append(text[start:i])
                start = i + len(sep)
    parts.append(text[start:])
    return [p for p in (p.strip() for p in parts) if p]


@cache
def _conjunction() -> re.Pattern:
    split = _roles()["split"]
    not_before = "".join(split["conjunction_not_before"])
    words = "|".join(map(re.escape, split["conjunctions"]))
    return compiled(rf"(?:{words})(?![{re.escape(not_before)}])" if not_before else words)


def _split_conjunctions(name: str) -> list[str]:
    pattern = _conjunction()
    pieces: list[str] = []
    depth_free = re.sub(r"[（(][^（）()]*[）)]", lambda m: "\0" * len(m.group()), name)
    last = 0
    for match in pattern.finditer(depth_free):
        # Only where it joins two names, not at either end.
        if match.start() > 1 and match.end() < len(name) - 1:
            pieces.append(name[last:match.start()])
            last = match.end()
    pieces.append(name[last:])
    return [p.strip() for p in pieces if p.strip()]


@cache
def _unit_ends() -> tuple[re.Pattern, tuple[str, ...]]:
    """The words a unit's name may open with ("由", "Lead: ") as one pattern, and the words it may
    close with, longest first: neither is part of the name."""
    split = _roles()["split"]
    leading = "|".join(re.escape(w.strip()) + (r"\s+" if w.endswith(" ") else "")
                       for w in sorted(split["leading"], key=len, reverse=True))
    return re.compile(rf"^(?:{leading})+", re.I), tuple(sorted(split["trailing"], key=len, reverse=True))


def _clean_unit(name: str) -> str:
    name = name.strip().strip("*")
    # Keep the stop of a trailing abbreviation: "Finance Dept." is printed so.
    keep_stop = name.endswith(".") and not re.search(english_full_stop(), name)
    name = name.strip("：:，,。.；;") + ("." if keep_stop else "")
    name = re.sub(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])", "", name)
    leading, trailings = _unit_ends()
    name = leading.sub("", name).strip()
    for trailing in trailings:
        if name.endswith(trailing) and len(name) > len(trailing) + 1:
            name = name[: -len(trailing)].strip()
            break
    return name


@cache
def _body_conjunction() -> tuple[re.Pattern, tuple[str, ...], tuple[str, ...]]:
    names = _roles()["unit_names"]
    return (compiled("|".join(map(re.escape, _roles()["split"]["body_conjunctions"]))),
            tuple(names["zh_shared_heads"]), tuple(names["zh_shared_tails"]))


def _split_body_conjunctions(name: str) -> list[str]:
    """"市委宣传部和市文明办" -> two names; "省工业和信息化厅", "各市州党委和政府" -> one (roles.toml)."""
    suffixes = _zh_suffixes()
    conjunction, shared_heads, shared_tails = _body_conjunction()
    depth_free = re.sub(r"[（(][^（）()]*[）)]", lambda m: "\0" * len(m.group()), name)
    for match in conjunction.finditer(depth_free):
        left, right = name[:match.start()].strip(), name[match.end():].strip()
        if (_names_a_body(left, suffixes) and _names_a_body(right, suffixes)
                and _without_alias(right).lstrip("各") not in shared_heads
                and not _without_alias(right).endswith(shared_tails)):
            return [left, *_split_body_conjunctions(right)]
    return [name]


def _split_spaced_names(part: str) -> list[str]:
    """"市发改委 市财政局" -> two names, where spaces stand between whole names of bodies; a name a
    line break or a space cut ("县市场监管 局", "各区 政府") is joined again by _clean_unit."""
    suffixes = _zh_suffixes()
    pieces = [p for p in re.split(rf"(?<=[{_CJK}）)])[ \u3000]+(?=[{_CJK}（(])", part) if p]
    out: list[str] = []
    for piece in pieces:
        if out and not (len(out[-1]) >= 3 and len(piece) >= 3 and _names_a_body(out[-1], suffixes)
                        and _names_a_body(piece, suffixes)):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out or [part]


def _units_of_group(group: str) -> list[str]:
    names: list[str] = []
    for part in _split_outside_brackets(group, _roles()["split"]["units"]):
        if re.search(rf"[{_CJK}]", part):
            names += [piece for spaced in _split_spaced_names(part) for joined in _split_conjunctions(spaced)
                      for piece in _split_body_conjunctions(joined)]
        else:
            names += _split_english_and(part)
    return [n for n in (_clean_unit(n) for n in names) if n]


@cache
def _english_and() -> tuple[frozenset[str], re.Pattern, re.Pattern]:
    """English body nouns, the conjunctions between two names, and a body noun with "of" after it."""
    split = _roles()["split"]
    heads = set(split["english_unit_heads"])
    words = "|".join(re.escape(w.strip()) for w in split["english_conjunctions"])
    # "State Forests and Bureau of Land Information": a body noun and "of" open a second name.
    opens_name = re.compile(rf"(?:{'|'.join(map(re.escape, heads))})\s+of\b", re.I)
    return frozenset(heads), re.compile(rf"\s+(?:{words})\s+"), opens_name


def _split_english_and(part: str) -> list[str]:
    """"Water Board and Transport Agency" or "State Forests and Bureau of Mines" -> two names;
    "Department of Housing and Urban Development" -> one."""
    heads, conjunction, opens_name = _english_and()
    out, start = [], 0
    for match in conjunction.finditer(part):
        before = part[start:match.start()].split()
        # "HMRC and Cabinet Office" names two bodies; "CIO and Chief Data Officer Councils" one,
        # whose plural head noun both share.
        after = part[match.end():].split()
        lone_acronym = (len(before) == 1 and re.fullmatch(r"[A-Z][A-Z0-9&]{1,7}", before[0]) is not None
                        and bool(after) and not after[-1].endswith("s"))
        # "… and the Friends Group": an article opens a second name; names rarely hold "and the".
        article = part[match.end():].lower().startswith("the ")
        if before and (before[-1].lower() in heads or opens_name.match(part, match.end()) or lone_acronym or article):
            out.append(part[start:match.start()])
            start = match.end()
    out.append(part[start:])
    return out


def _has_unit_head(name: str) -> bool:
    heads = _english_and()[0]
    return any(word.lower().strip(".,") in heads for word in name.split())


@cache
def _opens_series() -> re.Pattern:
    """"Department of Energy": a body noun and "of" or "for" before a capitalised word, at the end."""
    heads = _roles()["split"]["english_unit_heads"]
    return compiled(rf"\b(?:{'|'.join(map(re.escape, heads))})\s+(?:of|for)\s+[A-Z][\w'-]*$", re.I)


def _rejoin_english_series(groups: list[str]) -> list[str]:
    """Groups with a name's own commas put back: "Department of Energy, Water and Digital
    Infrastructure" is one body, though a comma separates groups. After "<Department> of <Word>",
    pieces with no body noun ("Water") that end in one joined by "and" ("… and Digital
    Infrastructure") continue the series after "of". A piece with a body noun, a lone word (an
    acronym such as "LAs") or no closing "and" is a name of its own. "Department of Health, Fire and
    Rescue" stays ambiguous and is read as one name: the printed list cannot tell them apart."""
    opens_series = _opens_series()
    out: list[str] = []
    i = 0
    while i < len(groups):
        group = groups[i]
        if opens_series.search(group.strip()):
            j = i + 1
            while j < len(groups) and (_continues_series(groups[j]) or _closes_series(groups[j])):
                if " and " in groups[j]:
                    group = ", ".join(g.strip() for g in groups[i:j + 1])
                    i = j
                    break
                j += 1
        out.append(group)
        i += 1
    return out


def _closes_series(piece: str) -> bool:
    """"…, Communities and Local Government": the series' last subject may carry a body noun of its
    own after the "and" that closes it, where the subject before the "and" carries none."""
    before, joined, _after = piece.partition(" and ")
    return bool(joined) and _continues_series(before)


def _continues_series(piece: str) -> bool:
    words = piece.split()
    return (bool(words) and not re.search(rf"[{_CJK}]", piece)
            and words[0][:1].isupper() and not _has_unit_head(piece)
            and (len(words) > 1 or not words[0].isupper()) and not _ends_with_role_word(piece)
            and _english_with(piece) is None)


def _english_with(group: str) -> tuple[str, str] | None:
    rule = _roles()["english_with"]
    for prefix in rule["prefixes"]:
        if group.lower().startswith(prefix):
            return rule["role"], group[len(prefix):]
    return None


def _english_inner_with(group: str) -> tuple[str, str] | None:
    """"Harbour Board with Pilot Service" -> ("Harbour Board", "Pilot Service"): a body's name, then a
    "with …" naming those who help it. Only where the left side ends like a body ("… Board")."""
    if not group.isascii() or _bracket_depth(group):
        return None
    for prefix in _roles()["english_with"]["prefixes"]:
        at = group.lower().find(f" {prefix}")
        if at > 0:
            left, right = group[:at].strip(), group[at + 1 + len(prefix):].strip()
            last = left.split()[-1].lower().strip(".,") if left.split() else ""
            if right and last in _roles()["split"]["english_unit_heads"]:
                return left, right
    return None


@cache
def _joining_words() -> list[tuple[str, str]]:
    pairs = [(w, row["role"]) for row in _roles().get("joining_words", []) for w in row["words"]]
    return sorted(pairs, key=lambda pair: len(pair[0]), reverse=True)


@cache
def _acting_suffixes() -> tuple[str, ...]:
    # Bodies that act, not places: in "某市会同县人民政府" the word is part of a county's name.
    names = _roles()["unit_names"]
    return tuple(w for w in names["zh_suffixes"] if w not in names["zh_places"])


def _joined_lists(group: str, role: str) -> list[tuple[str, str]]:
    """"A、B会同C" -> [("A、B", role), ("C", cooperating)]: a joining word between two lists of bodies."""
    acting = _acting_suffixes()
    for word, joined_role in _joining_words():
        if group.startswith(word):
            # "X牵头，会同Y": the group after the lead's opens with the word.
            return _joined_lists(group[len(word):].strip(), joined_role)
        at = group.find(word)
        if at > 0 and _bracket_depth(group[:at]) == 0:
            left, right = group[:at].strip(), group[at + len(word):].strip()
            left_units = _units_of_group(left)
            if right and _names_a_body(left_units[-1] if left_units else left, acting):
                return [(left, role), *_joined_lists(right, joined_role)]
    return [(group, role)]


@cache
def _no_date_words() -> frozenset[str]:
    words = table("timewords")["no_date_words"]
    return frozenset(w.lower() for w in words["zh"] + words["en"])


def _is_no_date_word(group: str) -> bool:
    """"长期坚持" in "（X负责，长期坚持）": how long the work runs, not who does it."""
    return group.strip().strip("。.").strip().lower() in _no_date_words()


def parse_note(note: str, into: Responsibility | None = None,
               conventions: NoteConventions = NoteConventions()) -> Responsibility:
    """The units a single note names, by role."""
    result = into if into is not None else Responsibility()
    note_units = Responsibility()
    chunks: list[tuple[str | None, str]] = []
    last_role, last_end = None, 0
    for match in _label_pattern().finditer(note):
        chunks.append((last_role, note[last_end:match.start()]))
        last_role, last_end = _label_roles()[(match["label"] or match["bracketed"]).lower()], match.end()
    chunks.append((last_role, note[last_end:]))
    # The units of the note's first responsible list ("X，Y、Z负责", "责任单位：X，Y", "X会同Y负责"),
    # whatever role a joining word gives some of them.
    first_list: list[str] = []
    for label_role, chunk in chunks:
        if label_role == "none":
            continue  # a person or a post ("Lead officer: …"), not a body
        groups = _rejoin_english_series(_split_outside_brackets(chunk, _roles()["split"]["groups"]))
        listed: list[str] = []  # groups up to the role word that closes them
        for group in groups:
            if _is_convention(group) or _is_no_date_word(group):
                continue
            role = label_role or "responsible"
            closes = True
            if word_role := _ends_with_role_word(group):
                role = word_role
                group = _strip_role_word(group)
            elif with_rule := _english_with(group):
                role, group = with_rule
            else:
                closes = False
            parts = _joined_lists(group, role)
            if inner := _english_inner_with(group):
                parts = [(inner[0], role), (inner[1], _roles()["english_with"]["role"])]
            for part, part_role in parts:
                for unit in _units_of_group(part):
                    unit, bracket_role = _without_role_bracket(unit)
                    note_units.add(bracket_role or part_role, unit)
                    listed.append(unit)
            if closes:
                if not first_list and role == "responsible":
                    first_list = listed
                listed = []
        if not first_list and (label_role or "responsible") == "responsible":
            first_list = listed
    # "排在第一位的部门为牵头部门": where a note names no lead, the first unit of its first responsible
    # list leads if the list names several ("X、Y负责", "X会同Y负责"); "X负责，Y、Z指导" has no lead.
    if conventions.first_listed_leads and not note_units.lead and len(first_list) > 1:
        first = first_list[0]
        note_units.lead = [first]
        note_units.responsible = [u for u in note_units.responsible if u != first]
    # "（责任单位：A、B，其中A牵头）": a unit a note names as lead is its lead only.
    note_units.responsible = [u for u in note_units.responsible if u not in note_units.lead]
    note_units.cooperating = [u for u in note_units.cooperating if u not in note_units.lead]
    for role in ROLES:
        for unit in getattr(note_units, role):
            result.add(role, unit)
    return result


def _without_role_bracket(name: str) -> tuple[str, str | None]:
    """A name less a closing bracket that holds a role word or a manner of work, and that role:
    "县供销社（牵头）" -> lead; "区金融服务中心（按职责分工负责）" -> none (the group's role stands)."""
    match = re.match(r"^(?P<name>.+?)\s*[（(](?P<inner>[^（）()]+)[）)]$", name)
    if not match:
        return name, None
    inner = match["inner"].strip().lower()
    if inner in (w.lower() for w in _roles()["split"]["bracket_manner"]):
        return match["name"].strip(), None
    # "Parks Team (with Finance Team)", "Parks Team (Finance Team to support)": the bracket is a note of
    # its own, read as such; not part of the name.
    if _english_with(inner) is not None or (match["inner"].isascii() and _ends_with_role_word(match["inner"].strip())):
        return match["name"].strip(), None
    for word, role in _role_words():
        if inner == word.lower().strip("()"):
            return match["name"].strip(), role
    return name, None


def _strip_role_word(group: str) -> str:
    lowered = group.lower()
    for word, length, _role in _lowered_role_words():
        if lowered.endswith(word):
            return group[:-length].strip()
    return group


def read_responsibility(text: str, conventions: NoteConventions = NoteConventions()) -> Responsibility:
    """All units a task's notes name: the union over its notes, in order, without repeats."""
    result = Responsibility()
    for note in notes(text):
        parse_note(note, result, conventions)
    return result


@cache
def _subject_words() -> dict[str, tuple[str, ...]]:
    """roles.toml's [subjects] words as _subject_at and _with_tail try them, longest first."""
    words = _roles()["subjects"]

    def longest_first(*lists: list[str]) -> tuple[str, ...]:
        return tuple(sorted([w for found in lists for w in found], key=len, reverse=True))

    return {"collectives": longest_first(words["collectives"]), "not_first": tuple(words["not_first"]),
            "suffixes": longest_first(words["suffixes"]),
            "collective_suffixes": longest_first(words["suffixes"], words["collective_place_suffixes"]),
            "predicate_starts": tuple(words["predicate_starts"]), "tails": longest_first(words["tails"])}


def _subject_at(clause: str) -> str | None:
    """The body a clause opens with, if it opens with one: "省民政厅建成…" -> "省民政厅"."""
    words = _subject_words()
    clause = clause.strip()
    for collective in words["collectives"]:
        if clause.startswith(collective):
            return collective
    if clause.startswith(words["not_first"]):
        return None
    collective = clause.startswith("各")
    suffixes = words["collective_suffixes" if collective else "suffixes"]
    predicate = words["predicate_starts"]
    for end in range(2, min(len(clause), _roles()["subjects"]["longest"]) + 1):
        name = clause[:end]
        # Figures may stand inside a name, not open it: "县12345热线中心", but "2025年县民政局" is a time.
        if not re.fullmatch(rf"[{_CJK}（）()、][{_CJK}（）()、0-9A-Za-z]*", name):
            return None
        suffix = next((s for s in suffixes if name.endswith(s)), None)
        # A one-character body word needs a two-character name before it: "财政部", not "全部".
        if suffix and len(name) >= len(suffix) + (2 if len(suffix) == 1 and not collective else 1):
            name = _with_tail(name, clause[end:])
            if clause[len(name):].startswith(predicate):
                return name
    return None


def _with_tail(name: str, rest: str) -> str:
    """"国务院" + "办公厅…" -> "国务院办公厅"; "国家卫生健康委" + "员会…" -> "国家卫生健康委员会"."""
    for tail in _subject_words()["tails"]:
        for overlap in range(len(tail) - 1, -1, -1):
            if name.endswith(tail[:overlap]) and rest.startswith(tail[overlap:]):
                return name + tail[overlap:]
    return name


def subject_units(text: str, phrases: list[str]) -> list[str]:
    """The responsible units of `subject_responsibility`."""
    return subject_responsibility(text, phrases).responsible


def subject_responsibility(text: str, phrases: list[str]) -> Responsibility:
    """Owners as sentence subjects: of each clause carrying one of `phrases` (the item's deadlines),
    the body it opens with, after any time phrase ("2026年3月底前，省民政厅建成…", "各市州于…完成"),
    else the body its sentence opens with. "X会同Y、Z于…": X is responsible, Y and Z cooperate."""
    openers = tuple(_roles()["subjects"]["time_openers"])
    found = Responsibility()
    # A half-width "." after a character ends a sentence too, in plans typed so ("推进X.市民政局于…").
    for sentence in re.split(r"[。；;！？\n]|(?<=[\u4e00-\u9fff\"”’）)])\.(?!\.)", text):
        for phrase in phrases:
            at = sentence.find(phrase)
            if at < 0:
                continue
            # "X于6月底前建成平台，Y于12月底前完成录入": each milestone's own clause names its owner.
            start = max(sentence.rfind(comma, 0, at) for comma in "，,") + 1
            clauses = [sentence[start:], sentence] if start else [sentence]
            for clause in clauses:
                at_in_clause = at - (len(sentence) - len(clause))
                before = clause[:at_in_clause].strip()
                if not before or before in openers:
                    # The clause opens with its time phrase: the subject follows it.
                    rest = clause[at_in_clause + len(phrase):].lstrip("，,、 ")
                else:
                    rest = clause.strip()
                if _read_subject(rest, found):
                    break
            for later in re.split(r"[，,]", sentence[at + len(phrase):])[1:]:
                joint = _subject_at(later)
                if joint and later.strip()[len(joint):].startswith(tuple(_roles()["subjects"]["joint_predicates"])):
                    for unit in _units_of_group(joint):
                        found.add("responsible", unit)
    return found


def _read_subject(clause: str, into: Responsibility) -> bool:
    """The subject `clause` opens with into `into`, and the bodies a joining word adds ("会同Y")."""
    subject = _subject_at(clause)
    if not subject:
        return False
    for unit in _units_of_group(subject):
        into.add("responsible", unit)
    rest = clause[len(subject):]
    for word, role in _joining_words():
        if rest.startswith(word) and (joined := _subject_at(rest[len(word):])):
            for unit in _units_of_group(joined):
                into.add(role, unit)
            break
    return True
