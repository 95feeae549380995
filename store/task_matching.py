"""Which task of a plan's new version is which task of the old one: matched by content, not by label.

A revised plan renumbers freely (one item inserted at the top shifts every later label), so the
label says little about identity; what a task asks, of whom and by when says a lot. Each old and
new task is scored on the similarity of its title and body (tf-idf over character pairs for Han
text, words for spaced scripts), its units and its deadlines; pairs above a threshold are taken
best first, the closer position in the plan breaking ties. Pure: values in, values out, the same
answer every time.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date

# Below this a pair is two different tasks. On the thirteen plans of ../shared/corpus and corpus-b, two different items of
# one plan score at most 0.49 (same units and deadline, a form-like body: en_us_fds2021), 0.41
# among the Chinese ones; an item whose title gained and lost words and whose body lost its last
# sentence still scores 0.62 or more against its old self.
MATCH_THRESHOLD = 0.5

# How much each kind of evidence counts; a kind neither task has (no units, no deadlines) is left
# out rather than counted as agreement, so plans without units are not all alike.
_WEIGHTS = {"text": 7.0, "units": 1.5, "deadlines": 1.5}


@dataclass(frozen=True)
class TaskContent:
    """What a task says, in the terms both a stored and an extracted task can give."""

    label: str
    section: str | None
    title: str
    body: str
    units: frozenset[tuple[str, str]] = frozenset()  # (role, unit key)
    deadlines: frozenset[tuple[str, date | None]] = frozenset()  # (phrase, due)


@dataclass(frozen=True)
class TaskPair:
    """An old task and its successor in the new version (indices into the lists given)."""

    old: int
    new: int
    score: float
    relabelled: bool  # printed under another number or section
    reworded: bool  # title, body, units or deadlines differ

    @property
    def changed(self) -> bool:
        return self.relabelled or self.reworded


@dataclass(frozen=True)
class VersionMatching:
    """The old version's tasks against the new one's: pairs, tasks only the new one has, tasks it dropped."""

    pairs: tuple[TaskPair, ...]
    added: tuple[int, ...]  # indices of new tasks without a predecessor
    dropped: tuple[int, ...]  # indices of old tasks without a successor

    @property
    def kept_count(self) -> int:
        return sum(not pair.changed for pair in self.pairs)

    @property
    def changed_pairs(self) -> tuple[TaskPair, ...]:
        return tuple(pair for pair in self.pairs if pair.changed)

    def successor_of(self) -> dict[int, int]:
        """new index → old index, for every matched new task."""
        return {pair.new: pair.old for pair in self.pairs}


def match_tasks(old: list[TaskContent], new: list[TaskContent], threshold: float = MATCH_THRESHOLD) -> VersionMatching:
    """Pair each new task with at most one old task, best-scoring pairs first."""
    wordings = [_wording(task) for task in (*old, *new)]
    old_wordings, new_wordings = wordings[:len(old)], wordings[len(old):]
    matched: dict[int, tuple[int, float]] = {}  # new index → (old index, score)

    # Identical wording is the same task whatever its number; taking those first, in order, keeps
    # the pairwise scoring below to what was really edited.
    by_wording: dict[tuple[str, str], list[int]] = {}
    for i, wording in enumerate(old_wordings):
        by_wording.setdefault(wording, []).append(i)
    for j, wording in enumerate(new_wordings):
        same = by_wording.get(wording)
        if same:
            matched[j] = (same.pop(0), 1.0)
    taken_old = {i for i, _ in matched.values()}

    rest_old = [i for i in range(len(old)) if i not in taken_old]
    rest_new = [j for j in range(len(new)) if j not in matched]
    if rest_old and rest_new:
        vectors = _Vectors(old, new)
        shared = vectors.cosines(rest_old, [len(old) + j for j in rest_new])
        candidates: list[tuple[float, float, int, int]] = []
        for i in rest_old:
            for j in rest_new:
                text = shared.get((i, len(old) + j), vectors.no_overlap(i, len(old) + j))
                score = _score(old[i], new[j], text)
                if score >= threshold:
                    candidates.append((-score, _position_gap(i, len(old), j, len(new)), i, j))
        for negative_score, _gap, i, j in sorted(candidates):
            if i not in taken_old and j not in matched:
                matched[j] = (i, -negative_score)
                taken_old.add(i)

    pairs = tuple(
        TaskPair(old=i, new=j, score=round(score, 4),
                 relabelled=(old[i].label, old[i].section) != (new[j].label, new[j].section),
                 reworded=(old_wordings[i], old[i].units, old[i].deadlines)
                 != (new_wordings[j], new[j].units, new[j].deadlines))
        for j, (i, score) in sorted(matched.items())
    )
    return VersionMatching(
        pairs=pairs,
        added=tuple(j for j in range(len(new)) if j not in matched),
        dropped=tuple(i for i in range(len(old)) if i not in taken_old),
    )


def pair_scores(old: list[TaskContent], new: list[TaskContent]) -> list[list[float]]:
    """Every old task's score against every new one (rows old, columns new), as match_tasks weighs
    them: for checking the threshold against real plans (bench/version_matching_bench.py)."""
    vectors = _Vectors(old, new)
    columns = [len(old) + j for j in range(len(new))]
    shared = vectors.cosines(list(range(len(old))), columns)
    return [[_score(old[i], new[j], shared.get((i, column), vectors.no_overlap(i, column)))
             for j, column in enumerate(columns)] for i in range(len(old))]


def normalized(text: str) -> str:
    """Text as compared: width-folded, lower case, without spaces and punctuation (re-typesetting
    a document changes those, not what it asks)."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


def _wording(task: TaskContent) -> tuple[str, str]:
    return normalized(task.title), normalized(task.body)


class _Vectors:
    """The text (title and body) of every task of both versions as tf-idf weighted character bigrams.

    Weighting by rarity is what tells tasks apart: a plan's stock sentences ("Measurement:
    Completion. Reporting Mechanism: …", "（国家发展改革委会同有关部门负责）") recur in item after
    item and so weigh little, while the words only one item uses carry the score. Rarity is
    counted within each version, taking the larger count: counted over both versions at once, a
    word only the new version has would weigh more than the words both share, and a deadline
    moved from "年底前" to "11月底前" would outweigh an unchanged sentence.
    """

    def __init__(self, old: list[TaskContent], new: list[TaskContent]) -> None:
        # One vector for title and body together, so that where the words that tell items apart
        # sit (a long body, or a title above a form-like body) decides the score by itself.
        counts = [_grams(task.title) + _grams(task.body) for task in (*old, *new)]
        old_frequency: Counter = Counter()
        for grams in counts[:len(old)]:
            old_frequency.update(grams.keys())
        new_frequency: Counter = Counter()
        for grams in counts[len(old):]:
            new_frequency.update(grams.keys())
        size = max(len(old), len(new))
        idf = {gram: math.log((size + 1) / max(old_frequency[gram], new_frequency[gram]))
               for gram in old_frequency.keys() | new_frequency.keys()}
        self.text = [_unit_vector(grams, idf) for grams in counts]

    def cosines(self, rows: list[int], columns: list[int]) -> dict[tuple[int, int], float]:
        """The text similarity of every (row, column) pair that shares a weighted gram.

        Walking an index of the columns' grams visits only the grams a pair shares; comparing
        every pair gram by gram took twice as long on a 289-task plan."""
        postings: dict[str, list[tuple[int, float]]] = {}
        for column in columns:
            for gram, weight in self.text[column].items():
                postings.setdefault(gram, []).append((column, weight))
        found: dict[tuple[int, int], float] = {}
        for row in rows:
            sums: dict[int, float] = {}
            for gram, weight in self.text[row].items():
                for column, other in postings.get(gram, ()):
                    sums[column] = sums.get(column, 0.0) + weight * other
            found.update(((row, column), total) for column, total in sums.items())
        return found

    def no_overlap(self, row: int, column: int) -> float | None:
        """The similarity of a pair without a shared gram: none to compare when neither has text."""
        return 0.0 if self.text[row] or self.text[column] else None


# Han characters run together without spaces, so their unit of meaning is approximated by
# character pairs; Latin, Cyrillic and other spaced scripts are compared word by word.
_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[^\W_]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _grams(text: str) -> Counter:
    grams: Counter = Counter()
    for run in _RUNS.findall(unicodedata.normalize("NFKC", text).lower()):
        if not _HAN.match(run):
            grams[run] += 1
        elif len(run) == 1:
            grams[run] += 1
        else:
            grams.update(run[k:k + 2] for k in range(len(run) - 1))
    return grams


def _unit_vector(grams: Counter, idf: dict[str, float]) -> dict[str, float]:
    """tf-idf weights (tf damped by a logarithm: a phrase repeated is not a second phrase), scaled to length 1."""
    vector = {gram: (1 + math.log(count)) * idf[gram] for gram, count in grams.items() if idf[gram] > 0}
    norm = math.sqrt(sum(w * w for w in vector.values()))
    return {gram: w / norm for gram, w in vector.items()} if norm else {}


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b)


def _score(old: TaskContent, new: TaskContent, text: float | None) -> float:
    """Weighted mean of the evidence both tasks offer; `text` is their texts' similarity."""
    parts: list[tuple[float, float | None]] = [(_WEIGHTS["text"], text)]
    # A unit keeps counting as the same body when its role changes (lead ↔ responsible).
    old_units, new_units = frozenset(key for _, key in old.units), frozenset(key for _, key in new.units)
    if old_units or new_units:
        parts.append((_WEIGHTS["units"], _jaccard(old_units, new_units)))
    if old.deadlines or new.deadlines:
        parts.append((_WEIGHTS["deadlines"], _jaccard(old.deadlines, new.deadlines)))
    counted = [(w, s) for w, s in parts if s is not None]
    weight = sum(w for w, _ in counted)
    return sum(w * s for w, s in counted) / weight if weight else 0.0


def _position_gap(i: int, old_count: int, j: int, new_count: int) -> float:
    # Relative positions: a version that grew or shrank still lines its tasks up.
    return abs(i / max(old_count, 1) - j / max(new_count, 1))
