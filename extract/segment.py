"""Cut a plan's body into numbered items, decide which items are tasks, and title them.

Plans nest numbering styles ("一、" sections holding "（一）" items holding "1." points), and
real plans mix them: one section numbers its tasks "（一）", the next "1.", the next "1、".
So the items are first arranged into an outline (an item opens a new level unless its style
is already open, in which case it closes everything below that one), and then each group of
sibling items is judged on its own: the items that carry a responsibility note are the tasks,
and an item whose note only sits in one of its points is a task holding points.

Plain-text plans may number sections and tasks in one style ("2. 重点任务" over "1. 开展…"):
a run that starts again at 1 under a heading line nests, and the number (or a section title
from data/structure.toml) says which run a later item continues.

Markdown headings are sections, except an action printed as a heading ("#### Action 03: …",
its text running to the next heading of its depth), and a heading that holds no task but has a
note or labelled fields of its own ("### Open a maker space" over "- **Lead:** …") or, numbered,
commits a body to act ("### 3. Departments will publish …"): those are tasks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from extract.metadata import date_line
from extract.normalize import is_heading, without_heading_marks
from extract.numerals import chinese_to_int, circled_to_int, roman_to_int
from extract.patterns import compiled
from extract.responsibility import continues_note, has_responsibility_note, section_note
from extract.subjects import subject_owners
from extract.vocabulary import deadline_labels, role_labels, table

_PUNCT = re.compile(r"[\s\W_]+")
# What `_squash` keeps: a paragraph without any squashes to nothing.
_LETTER_OR_DIGIT = re.compile(r"[^\W_]")
# How much of the body `text_start` keeps.
_TEXT_START_CHARS = 14
_TEXT_START_CHARS_LATIN = 40
# A title is the text up to the first full stop, if the stop comes this soon.
_LONGEST_TITLE = 80
# A heading line holds no sentence; a task's first line usually does.
_SENTENCE_STOP = re.compile(r"[。；;！？]|[.!?](?=\s|$)")
# A Chinese title ends at "。", or at a half-width "." typed in its place ("1.推进企业开办.全面推行…",
# "整治隐患.9月底前完成…"): one after a character or a closing quote or bracket, so neither a decimal
# point ("3.5亿元") nor an abbreviation's dot between Latin letters, nor an ellipsis.
_ZH_TITLE_STOP = re.compile(r"。|(?<=[\u4e00-\u9fff\"”’）)》」』])\.(?!\.)")
_HEADING = "heading"
# A plan "carries notes" when at least this many of its tasks, and this share of them, name units.
_NOTED_PLAN_TASKS = 3
_NOTED_SHARE_NUMERATOR, _NOTED_SHARE_DENOMINATOR = 1, 2


@dataclass(frozen=True)
class NumberedParagraph:
    index: int  # position among the body's paragraphs
    style: str  # a numbering style from data/structure.toml, or "heading" for a Markdown heading
    number: str  # as printed, e.g. "十二", "3", "2.1", "b"; "" for a heading without a number
    rest: str  # the paragraph after its number
    heading_depth: int = 0  # the number of "#" marks of a Markdown heading
    inner_style: str = ""  # a heading's own numbering style ("en_action" for "### Action 3. …")

    @property
    def is_heading(self) -> bool:
        return self.style == _HEADING

    @property
    def is_action_heading(self) -> bool:
        """A heading numbered as a piece of work ("#### Action 03: …"), not as a part of the plan."""
        return self.is_heading and self.inner_style in _action_heading_styles()


@dataclass(frozen=True)
class Segment:
    """One task-level item: its number, section, title and the text that belongs to it."""
    label: str
    section: str | None
    title: str
    body: str  # text after the title: the rest of the first paragraph and the paragraphs below it
    text: str  # the whole item after its number (title included), for finding units and dates
    # the note of the item's group ("以上任务由X牵头", or one on the heading above), for an item without its own
    group_note: str = ""


@dataclass
class _Node:
    """An item in the plan's outline, with the items numbered under it."""
    item: NumberedParagraph
    parent: _Node | None
    children: list[_Node] = field(default_factory=list)
    end: int = 0  # index of the first paragraph after the item and everything under it

    def ancestors(self) -> list[_Node]:
        """Outermost first."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]


@cache
def _styles() -> list[tuple[str, re.Pattern, str]]:
    return [(row["style"], compiled(row["pattern"]), row["kind"]) for row in table("structure")["numbering"]]


@cache
def _any_style() -> re.Pattern:
    """Every numbering style as one pattern, tried in the table's order: style i is group "s<i>",
    its number group "n<i>". One match per line instead of one per style."""
    return compiled("|".join(f"(?P<s{i}>{row['pattern'].replace('(?P<number>', f'(?P<n{i}>')})"
                             for i, row in enumerate(table("structure")["numbering"])))


@cache
def _action_heading_styles() -> frozenset[str]:
    return frozenset(table("structure")["headings"]["task_styles"])


@cache
def _section_styles() -> frozenset[str]:
    return frozenset(table("structure")["sections"]["styles"])


@cache
def _closing() -> list[re.Pattern]:
    return [compiled(p) for p in table("structure")["closing"]["patterns"]]


@cache
def _section_titles() -> frozenset[str]:
    words = table("structure")
    return frozenset(_squash(w) for w in [*words["sections"]["titles"], *words["not_tasks"]["sections"]])


@cache
def _not_task_titles() -> tuple[frozenset[str], frozenset[str]]:
    words = table("structure")["not_tasks"]
    titles = [*words["titles"], *words.get("site_furniture", [])]
    return (frozenset(_squash(w) for w in titles), frozenset(_squash(w) for w in words["sections"]))


@cache
def _joiners() -> re.Pattern:
    return compiled("|".join(map(re.escape, table("structure")["not_tasks"]["joiners"])))


def _squash(text: str) -> str:
    return _PUNCT.sub("", text).lower()


def numbered(paragraph: str, index: int = 0) -> NumberedParagraph | None:
    """The paragraph's item number and style, if it opens with one (or is a Markdown heading)."""
    if is_heading(paragraph):
        text = without_heading_marks(paragraph)
        inner = numbered(text, index)
        depth = len(paragraph) - len(paragraph.lstrip("#"))
        return NumberedParagraph(index, _HEADING, inner.number if inner else "", inner.rest if inner else text, depth,
                               inner.style if inner else "")
    if match := _any_style().match(paragraph):
        at = int(match.lastgroup[1:])
        return NumberedParagraph(index, _styles()[at][0], match[f"n{at}"], paragraph[match.end():].strip())
    return None


def arabic_label(number: str, style: str) -> str:
    """The number in Arabic digits: "十八" -> "18", "③" -> "3", "IV" -> "4"; others as printed."""
    kind = next((k for s, _p, k in _styles() if s == style), None)
    value: int | None = None
    if kind == "chinese":
        value = chinese_to_int(number)
    elif kind == "circled":
        value = circled_to_int(number)
    elif kind in ("roman", "arabic_or_roman") and not number.isdigit():
        value = roman_to_int(number)
    elif kind in ("arabic", "arabic_or_roman") and number.isdigit():
        value = int(number)  # "Action 03" is action 3
    return str(value) if value is not None else number


def split_title(rest: str, has_more_paragraphs: bool, language: str) -> tuple[str, str]:
    """(title, body) of an item: "标题。正文" splits at the first "。"; a bare heading line is all title."""
    # An English stop ends a sentence after a word, a figure ("over £500.", "90%.") or a bracket,
    # but not after a capital, where it is more often an initial or abbreviation ("U.K. ").
    stop = _ZH_TITLE_STOP if language == "zh" else re.compile(r"(?<=[a-z0-9%)\]”’])[.:](?=\s|$)")
    match = stop.search(rest)
    if match and match.start() <= _LONGEST_TITLE:
        return rest[:match.start()].strip(), rest[match.end():].strip()
    if has_more_paragraphs and len(rest) <= _LONGEST_TITLE:
        return rest.rstrip("。.").strip(), ""
    if match:
        return rest[:match.start()].strip(), rest[match.end():].strip()
    return rest.strip(), ""


def text_start(body: str, language: str) -> str:
    """The first few characters of the body's first line, as printed, to find the item again."""
    # A list marker is no part of the text ("- departments will …" starts "departments will").
    body = re.sub(r"^[-*+•·▪●◦]\s+", "", body.strip().split("\n")[0])
    if language == "zh":
        return body[:_TEXT_START_CHARS]
    if len(body) <= _TEXT_START_CHARS_LATIN:
        return body
    cut = body.rfind(" ", 0, _TEXT_START_CHARS_LATIN)
    return body[:cut if cut > 10 else _TEXT_START_CHARS_LATIN]


def _closes(open_item: NumberedParagraph, item: NumberedParagraph) -> bool:
    """Whether `item` ends the open item `open_item` (and starts a sibling or an ancestor's sibling)."""
    if item.is_action_heading and open_item.is_action_heading:
        # Actions nest by their numbers ("Action 1.1" under "Action 1"), not by marks an author
        # varied between siblings ("### Action 2" then "#### Action 03").
        return open_item.number.count(".") >= item.number.count(".")
    if item.is_heading:
        return not open_item.is_heading or open_item.heading_depth >= item.heading_depth
    return open_item.style == item.style


def _value(item: NumberedParagraph) -> int | None:
    label = arabic_label(item.number, item.style)
    return int(label) if label.isdigit() else None


def _is_heading_line(item: NumberedParagraph) -> bool:
    """A short line with no sentence in it: how a section heading is printed."""
    return len(item.rest) <= _LONGEST_TITLE and not _SENTENCE_STOP.search(item.rest)


def _is_section_title(text: str) -> bool:
    """A heading that names a part of a plan ("重点任务", "保障措施") rather than a piece of work."""
    return _squash(text) in _section_titles()


def _closing_from(stack: list[_Node], item: NumberedParagraph) -> int | None:
    """Where on the open items' stack `item` closes: the first index it ends, or None."""
    same = [i for i, n in enumerate(stack) if _closes(n.item, item)]
    if not same or item.is_heading:
        return same[0] if same else None
    value, innermost = _value(item), stack[same[-1]].item
    # Plain-text plans may number sections and the tasks under them alike ("2. 重点任务" then
    # "1. 开展河道清淤"): a run starting again at 1 under a heading line of its own style is nested,
    # once: the outline is never deeper than two levels per style, however many "1." lines follow.
    if value == 1 and _value(innermost) and _is_heading_line(innermost) and len(same) == 1:
        return same[-1] + 1 if same[-1] + 1 < len(stack) else None
    if len(same) == 1:
        return same[0]
    # Two open levels share the style: the number says which run the item continues, and where
    # both could go on ("3." after "2. 重点任务" and its "2."), a heading line goes up a level.
    following = [i for i in same if (v := _value(stack[i].item)) is not None and value == v + 1] or same
    outer, inner = following[0], following[-1]
    goes_up = _is_heading_line(item) and (_is_section_title(item.rest) or not _is_heading_line(stack[inner].item))
    return outer if goes_up or outer == inner else inner


def outline(items: list[NumberedParagraph], paragraph_count: int) -> list[_Node]:
    """The items arranged by nesting: a style already open closes the items opened inside it."""
    roots: list[_Node] = []
    stack: list[_Node] = []
    for item in items:
        closing_from = _closing_from(stack, item)
        if closing_from is not None:
            for node in stack[closing_from:]:
                node.end = item.index
            del stack[closing_from:]
        parent = stack[-1] if stack else None
        node = _Node(item, parent)
        (parent.children if parent else roots).append(node)
        stack.append(node)
    for node in stack:
        node.end = paragraph_count
    return roots


def _is_closing(paragraph: str) -> bool:
    return any(p.search(paragraph) for p in _closing())


@cache
def _field_label() -> re.Pattern:
    """A line that is a labelled deadline field, bulleted or not ("- **Due:** …", "完成时限：…"); the
    labels are the time grammar's own, so a signature's "Date: …" is no field of the last task."""
    return compiled(rf"^(?:[-*+•]\s+)?[*_]{{0,3}}(?:{deadline_labels()})[*_]{{0,3}}(?:\s*[:：]|\s+[–—]\s)", re.I)


@cache
def _role_field() -> re.Pattern:
    """A line that opens with a role label, bulleted or not ("- **Lead:** …", "牵头单位：…")."""
    return compiled(rf"^(?:[-*+•]\s+)?[*_]{{0,3}}(?:{role_labels()})(?:\(s\))?[*_]{{0,3}}(?:\s*[:：]|\s+[–—]\s)", re.I)


def _is_field(line: str) -> bool:
    return bool(_field_label().match(line))


def only_fields(body: str) -> bool:
    """A body of nothing but labelled lines ("Lead: X", "Supporting: Y", "Target date: Z"): no text
    of the item's own to find it by."""
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    return bool(lines) and all(_is_field(line) or _role_field().match(line) for line in lines)


def _trim_end(lines: list[str], uses_notes: bool) -> list[str]:
    """Drop the signature, date and closing words that follow the last task."""
    for i, line in enumerate(lines):
        if _is_closing(line) or date_line(line):
            lines = lines[:i]
            # (a field line, "- 完成时限：2027年12月31日", is the last task's own)
            if i >= 2 and len(lines[-1]) <= 40 and not re.search(r"[。；;，,.]", lines[-1]) and not _is_field(lines[-1]):
                lines = lines[:-1]  # the signature above the date
            break
    if uses_notes:
        # A field printed under the note ("Due: 31 October 2026") still belongs to the last task.
        noted = [i for i, line in enumerate(lines) if has_responsibility_note(line) or _is_field(line)]
        if noted:
            last = noted[-1]
            # A note wrapped at the line's end goes on on the next line ("… Partners: Road" / "Users. Timing: …").
            while last + 1 < len(lines) and continues_note(lines[last], lines[last + 1]):
                last += 1
            lines = lines[:last + 1]
    return lines


class _Reading:
    """One plan body's paragraphs and outline, and the questions asked of its items."""

    def __init__(self, paragraphs: list[str], language: str):
        self.paragraphs = paragraphs
        self._group_lines: dict[int, str | None] = {}
        # Whether an item's text holds a note, per item (id of its node) and reading (own text, or
        # with its points): the outline asks it of an item more than once, first while finding the
        # tasks and again when weighing whole groups of them, however far apart in a long plan.
        self._noted: dict[tuple[int, bool], bool] = {}
        self.language = language
        self.uses_notes = any(has_responsibility_note(p) for p in paragraphs)

    def lines(self, node: _Node, through_children: bool) -> list[str]:
        """The item's text by paragraph: its own (up to its first point), or all of it."""
        stop = node.end if through_children or not node.children else node.children[0].item.index
        lines = [node.item.rest, *self.paragraphs[node.item.index + 1:stop]]
        if stop == len(self.paragraphs):
            lines = _trim_end(lines, self.uses_notes)
        return lines

    def _has_note(self, node: _Node, through_children: bool) -> bool:
        # An item without points reads the same either way.
        key = (id(node), through_children and bool(node.children))
        if key not in self._noted:
            self._noted[key] = has_responsibility_note("\n".join(self.lines(node, through_children)))
        return self._noted[key]

    def has_own_note(self, node: _Node) -> bool:
        return not node.item.is_heading and self._has_note(node, False)

    def has_any_note(self, node: _Node) -> bool:
        return self._has_note(node, True)

    @staticmethod
    def reads_as_heading(node: _Node) -> bool:
        """A short line with no sentence in it and nothing but numbered items below it."""
        item = node.item
        own_paragraphs = bool(node.children) and node.children[0].item.index > item.index + 1
        return item.is_heading or (not own_paragraphs and len(item.rest) <= _LONGEST_TITLE
                                   and not _SENTENCE_STOP.search(item.rest))

    def holds_titled_items(self, node: _Node) -> bool:
        """Most items under it are "标题。正文" or hold items of their own: tasks, not a task's points."""
        def titled(child: _Node) -> bool:
            _title, body = split_title(child.item.rest, False, self.language)
            return bool(child.children) or bool(body) or child.end > child.item.index + 1
        return sum(map(titled, node.children)) * 2 > len(node.children)

    def points_are_tasks(self, node: _Node, level_has_notes: bool, depth: int) -> bool:
        """Whether the items under a note-less item are where its notes, hence its tasks, are."""
        noted = sum(self.has_any_note(child) for child in node.children)
        if not noted:
            return False
        # A note in one point of several is the whole item's note, put at the end of its last point.
        return (self.reads_as_heading(node) or noted * 2 > len(node.children)
                or (depth == 0 and not level_has_notes))

    def group_note(self, node: _Node) -> str:
        """The note that assigns the item's whole group: on the nearest heading above it that has one
        ("（三）强化预警（X牵头，Y配合）"), or a line in that heading's span ("以上任务由X牵头。")."""
        for above in reversed(node.ancestors()):  # nearest first
            if _heading_without_note(above.item.rest) is not None:
                return above.item.rest
            if note := self.own_group_line(above):
                return note
        return ""

    def own_group_line(self, group: _Node) -> str | None:
        """The first group line in the group's span outside its sub-groups (a line inside a
        sub-group, a "（一）" holding items, is that sub-group's note). Kept per group, so every item
        under it asks once, not once per item: a plan of thousands of items stays linear."""
        if id(group) not in self._group_lines:
            inner: set[int] = set()
            for child in group.children:
                if child.children:
                    inner.update(range(child.item.index, child.end))
            self._group_lines[id(group)] = next(
                (note for i in range(group.item.index + 1, group.end)
                 if i not in inner and (note := section_note(self.paragraphs[i]))), None)
        return self._group_lines[id(group)]

    def groups_under_noted_heading(self, node: _Node) -> bool:
        """A short heading carrying a note, right above its numbered items: the items are the tasks.
        Chinese only: an English numbered action with a note often lists its steps below it."""
        return (self.language == "zh" and len(node.children) >= 2 and node.children[0].item.index == node.item.index + 1
                and _heading_without_note(node.item.rest) is not None)

    def has_heading_note(self, node: _Node) -> bool:
        return self._has_note(node, False)

    def has_heading_fields(self, node: _Node) -> bool:
        """A note in the heading itself, or labelled field lines below it ("- **Lead:** X")."""
        heading, *below = self.lines(node, False)
        fields = [line for line in below if _role_field().match(line)]
        return has_responsibility_note(heading) or has_responsibility_note("\n".join(fields))

    def is_commitment(self, node: _Node) -> bool:
        """A numbered English heading that commits a body to act ("### 3. Departments will publish …")."""
        return self.language == "en" and bool(node.item.number) and bool(subject_owners(node.item.rest))

    def action_heading_tasks(self, node: _Node, depth: int) -> list[_Node]:
        """An action printed as a heading is a task, and the items under it are its points; unless
        the tasks are the items under it (milestones "7.1", "7.2" under "### Action 7: …") and
        the action's own lines, up to its first item, carry no note of their own."""
        if not node.children or self.has_heading_note(node):
            return [node]
        return self.tasks(node.children, depth) or [node]

    def without_unnoted_groups(self, found: list[_Node]) -> list[_Node]:
        """The tasks less whole runs of note-less items, where the plan's tasks otherwise carry notes.

        A plan that names the units of (nearly) every task does not leave a whole list of its
        tasks without: such a list is something else printed in the plan's own numbering (the
        sources it drew on, a table of measures). One note-less item among noted siblings stays,
        and so does a list numbered like the noted tasks ("C5", "C6" in a table after "C1"…"C4"):
        its units may be printed where no note is looked for.
        """
        noted = {id(n) for n in found if self.has_any_note(n)}
        if len(noted) < _NOTED_PLAN_TASKS or len(noted) * _NOTED_SHARE_DENOMINATOR < len(found) * _NOTED_SHARE_NUMERATOR:
            return found
        groups: dict[int, list[_Node]] = {}
        for node in found:
            groups.setdefault(id(node.parent), []).append(node)
        task_styles = {n.item.style for n in found if id(n) in noted}
        unnoted = {key for key, group in groups.items()
                   if not any(id(n) in noted or n.item.style in task_styles for n in group)}
        return [n for n in found if id(n.parent) not in unnoted]

    def tasks(self, group: list[_Node], depth: int = 0) -> list[_Node]:
        """The task items among siblings and below them, in document order."""
        level_has_notes = any(self.has_own_note(n) for n in group)
        flat = not any(n.children for n in group)
        found: list[_Node] = []
        for node in group:
            if node.item.is_action_heading:
                found += self.action_heading_tasks(node, depth)
            elif node.item.is_heading:
                inner = self.tasks(node.children, depth)
                # "### 2. Retire the old portal" over "- Lead: …": a heading with fields of its own
                # and no tasks under it is a task too, numbered or not. Notes inside bulleted
                # sentences ("- Repair the roof (Lead: Estates)") are those bullets', not the heading's.
                own_task = not inner and (self.has_heading_fields(node) or self.is_commitment(node))
                found += [node] if own_task else inner
            elif self.groups_under_noted_heading(node):
                found += self.tasks(node.children, depth + 1)
            elif self.has_own_note(node):
                found.append(node)
            elif self.points_are_tasks(node, level_has_notes, depth):
                found += self.tasks(node.children, depth + 1)
            elif level_has_notes or self.has_any_note(node):
                found.append(node)
            elif node.children:
                # No notes anywhere below: sections hold tasks, and a task may hold points.
                holds_tasks = ((depth == 0 and (node.item.style in _section_styles() or self.reads_as_heading(node)))
                               or (self.reads_as_heading(node) and self.holds_titled_items(node)))
                found += self.tasks(node.children, depth + 1) if holds_tasks else [node]
            elif depth > 0 or flat:
                found.append(node)
        return found


@cache
def _part_styles() -> frozenset[str]:
    return frozenset(table("structure")["sections"]["parts"])


def _section_label(node: _Node) -> str | None:
    numbered_above = [a.item for a in node.ancestors() if a.item.number]
    sections = [item for item in numbered_above if item.style not in _part_styles()] or numbered_above
    # "Milestone 1.1" under "Objective 1" under "3. Implementation milestones": a decimal number
    # names its own section, the heading above it that carries its first part.
    head = node.item.number.split(".")[0] if re.fullmatch(r"\d{1,2}(?:\.\d{1,2})+", node.item.number) else None
    if head and len(sections) > 1 and (own := [item for item in sections if item.number == head]):
        return own[-1].number
    if sections:
        return sections[0].number
    if node.item.style == "arabic_decimal":
        return node.item.number.split(".")[0]
    return None


def _is_described_not_done(node: _Node, title: str) -> bool:
    """Guiding ideology, principles, goals: items that describe the plan rather than assign work."""
    if _squash(title) in _not_task_titles()[0]:
        return True
    return any(_describes_the_plan(re.split(r"[，,:：]", a.item.rest)[0]) for a in node.ancestors())


@cache
def _follow_up_sections() -> frozenset[str]:
    return frozenset(_squash(w) for w in table("structure")["not_tasks"]["follow_up_sections"])


def _follows_the_plan_up(node: _Node) -> bool:
    """An item under a section on how the plan is followed up ("5. Monitoring")."""
    return any(_squash(a.item.rest) in _follow_up_sections() for a in node.ancestors())


def _describes_the_plan(heading: str) -> bool:
    """"指导思想", "指导思想和基本原则": a section heading made only of descriptive words."""
    parts = [part for part in map(_squash, _joiners().split(heading.lower())) if part]
    return bool(parts) and all(part in _not_task_titles()[1] for part in parts)


@cache
def _indicator_words() -> tuple[frozenset[str], frozenset[str], list[re.Pattern]]:
    words = table("structure")["indicator_tables"]
    return (frozenset(map(_squash, words["header_words"])), frozenset(map(_squash, words["core"])),
            [compiled(p) for p in words["ends"]])


def _header_cells(paragraphs: list[str], start: int) -> tuple[list[str], int]:
    """The cells of a table header starting at `start`: one line split by tabs or bars, or one cell
    per line (blank lines skipped), as long as each is an indicator header word; and where it ends."""
    header_words, _core, _ends = _indicator_words()
    line = paragraphs[start].strip().strip("|")
    if re.search(r"\t|\||\s{2,}", line):
        return [c for c in re.split(r"\s*(?:\t|\||\s{2,})\s*", line) if c], start + 1
    cells, i = [], start
    while i < len(paragraphs) and (not paragraphs[i].strip() or _squash(paragraphs[i]) in header_words):
        if paragraphs[i].strip():
            cells.append(paragraphs[i].strip())
        i += 1
    return cells, i


@cache
def _task_column_words() -> frozenset[str]:
    """Header words of a task table's task, unit and deadline columns (data/tables.toml)."""
    columns = table("tables")["columns"]
    return frozenset(_squash(w) for kind in ("task", "measures", "lead", "responsible", "cooperating", "deadline")
                     for language in ("zh", "en") for w in columns[kind][language])


def _goes_on_as_task_table(paragraphs: list[str], header: list[str], after: int) -> bool:
    """A header with (or followed by) a unit, deadline or task column is a task table's ("指标 | 责任单位")."""
    following = next((_squash(p) for p in paragraphs[after:after + 3] if p.strip()), "")
    return any(c in _task_column_words() for c in [*header, following])


def without_indicator_tables(paragraphs: list[str]) -> list[str]:
    """The paragraphs with every indicator table (指标 | 分值 | 考核方式) blanked out, up to the next
    attachment heading; one that runs to the end is cut off with what follows it."""
    header_words, core, ends = _indicator_words()
    out = list(paragraphs)
    i = 0
    while i < len(out):
        cells, after = _header_cells(out, i) if _LETTER_OR_DIGIT.search(out[i]) else ([], i + 1)
        squashed = [_squash(c) for c in cells]
        if (len(cells) >= 2 and all(c in header_words for c in squashed)
                and sum(c in core for c in squashed) >= 2 and not _goes_on_as_task_table(out, squashed, after)):
            stop = next((j for j in range(after, len(out)) if any(p.search(out[j].strip()) for p in ends)), None)
            if stop is None:
                return out[:i]
            out[i:stop] = [""] * (stop - i)
            i = stop
        else:
            i += 1
    return out


@cache
def _notes_block_opener() -> re.Pattern:
    words = "|".join(map(re.escape, table("structure")["notes_block"]["openers"]))
    return compiled(rf"^(?:{words})\s*[:：]\s*(?P<rest>.*)$")


def without_notes_blocks(paragraphs: list[str]) -> list[str]:
    """The paragraphs with every numbered notes block ("注：1.…", "2.联系人：…") blanked out."""
    out = list(paragraphs)
    for i, paragraph in enumerate(paragraphs):
        match = _notes_block_opener().match(paragraph.strip())
        if not match:
            continue
        rest = match["rest"]
        following = next((p for p in paragraphs[i + 1:] if p.strip()), "")
        first = numbered(rest) if rest else numbered(following.strip())
        if first is None or _value(first) != 1:
            continue  # a single remark ("注：数据截至6月底") is left where it stands
        out[i] = ""
        j = i + 1
        while j < len(out) and out[j].strip() and (numbered(out[j].strip()) or not rest):
            out[j] = ""
            j += 1
    return out


_DIGIT_TITLE = re.compile(r"^(?P<number>\d{1,3})\s*[.．](?=\d)")


def _with_digit_titles(paragraphs: list[str], items: list[NumberedParagraph]) -> list[NumberedParagraph]:
    """Items whose title opens with a figure ("11.121人才计划") read as a decimal "11.121": taken as
    item 11 only where the item before in that style is 10, so a paragraph opening with an amount stays prose."""
    out: list[NumberedParagraph] = []
    by_index = {item.index: item for item in items}
    last_dot: NumberedParagraph | None = None
    for i, paragraph in enumerate(paragraphs):
        item = by_index.get(i)
        if item is None and last_dot is not None and (match := _DIGIT_TITLE.match(paragraph)):
            if int(match["number"]) == (_value(last_dot) or -1) + 1:
                item = NumberedParagraph(i, "arabic_dot", match["number"], paragraph[match.end():].strip())
        if item is not None:
            out.append(item)
            if item.style == "arabic_dot":
                last_dot = item
    return out
_CLOSING_BRACKET = re.compile(r"\s*[（(](?P<inner>[^（）()]*)[）)]\s*$")


def _heading_without_note(text: str) -> str | None:
    """A heading line closed by a note ("强化海洋灾害预警（X牵头，Y配合）"), without the note; None
    when the line is no such heading (no closing note, or a sentence)."""
    match = _CLOSING_BRACKET.search(text)
    if not match or match.start() == 0 or not has_responsibility_note(match.group().strip()):
        return None
    heading = text[:match.start()].strip()
    return heading if len(heading) <= _LONGEST_TITLE and not _SENTENCE_STOP.search(heading) else None


def _without_closing_note(title: str) -> str:
    """"Bring empty homes back into use (Lead: Housing Office)": the note is no part of the title."""
    match = _CLOSING_BRACKET.search(title)
    if match and match.start() > 0 and has_responsibility_note(match.group().strip()):
        return title[:match.start()].rstrip(" .;,")
    return title


def segment_tasks(paragraphs: list[str], language: str) -> list[Segment]:
    """The task-level items of a plan body, in order, with non-actionable items left out."""
    paragraphs = without_notes_blocks(without_indicator_tables(paragraphs))
    items = _with_digit_titles(paragraphs, [n for i, p in enumerate(paragraphs) if (n := numbered(p, i))])
    if not items:
        return []
    reading = _Reading(paragraphs, language)
    segments: list[Segment] = []
    for node in reading.without_unnoted_groups(reading.tasks(outline(items, len(paragraphs)))):
        # A group's note is the group's, not its last item's: read it for every item that has none.
        lines = [line for line in reading.lines(node, True) if not section_note(line)]
        first, below = node.item.rest, lines[1:]
        if not first.strip("*").strip() and below and not _is_field(below[0]) and not has_responsibility_note(below[0]):
            # A number on a line of its own ("Action 3", then "Plant 5,000 trees"): the next line is its title.
            first, below = below[0], below[1:]
            title, body = split_title(first, bool(below), language)
        elif node.item.is_heading:
            # A heading holds no body: all of it is the title, however many sentences it has.
            title, body = first.rstrip("。.").strip(), ""
        else:
            title, body = split_title(first, bool(below), language)
        title = title.strip("*").strip()
        if language == "en":
            title = _without_closing_note(title)
        # "Objective 1  4,200  3,100  1,800": a budget table's row read as a numbered line names no work.
        if not re.search(r"[^\W\d_]", title + body):
            continue
        if _is_described_not_done(node, title) or (_follows_the_plan_up(node) and not reading.has_any_note(node)):
            continue
        segments.append(Segment(
            label=arabic_label(node.item.number, node.item.inner_style or node.item.style),
            section=_section_label(node),
            title=title,
            body="\n".join(part for part in [body, *below] if part),
            text="\n".join(part for part in lines if part),
            group_note=reading.group_note(node),
        ))
    return segments
