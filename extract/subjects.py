"""Owners printed as the subject of an English commitment, for tasks whose text has no note.

English action plans often name no unit in a note: the action's heading ("Cabinet Office will
support …"), its commitment bullets ("- departments will …") and the line over a list of
commitments ("Government Digital Service will:") say who acts. Only those lines are read; the
explanatory prose around them mentions bodies in passing ("Cabinet Office will help boards …").
Where even they name nobody, the subject of a sentence carrying one of the task's deadlines is
its owner ("The CDO will publish the inventory by March 2026"), and the bodies that sentence says
it works with ("…, in consultation with the Security Bureau") cooperate.

A subject is an owner when its head noun names a body ("departments", "Policy teams", a
capitalised "… Service" or "… Group"; an acronym such as "GDS"), not a post ("Service Managers"),
a thing ("transactional services", "plans") or the plan's own voice ("we", "it", "the
government"); a passive ("will be offered") names no actor, nor does an enabling ("will be able
to"). Both readings are guesses from grammar, and plan.py flags them for an administrator. The
words are in data/subjects.toml.
"""
from __future__ import annotations

import re
from functools import cache

from extract.patterns import compiled
from extract.vocabulary import alternation, table

_BULLET = re.compile(r"^(?:[-*+•·▪●◦]|\d{1,3}[.)])\s+")
# Where a clause ends before a subject: "From April 2014, all new services will …".
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]—–]|\s-\s")
# "GDS", "DHSC", and the mixed case of "DfE", "MoJ", "DfT": a small letter only inside, before a capital.
_ACRONYM = re.compile(r"^[A-Z](?:[A-Z0-9&]|[a-z](?=[A-Z0-9&])){1,7}s?$")
_TRAILING_ACRONYM = re.compile(r"\s*\((?P<acronym>[A-Z](?:[A-Z0-9&]|[a-z](?=[A-Z0-9&])){1,7})\)\s*$")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+(?=[A-Z\"“‘(])")


@cache
def _words() -> dict:
    return table("subjects")


@cache
def _modal() -> re.Pattern:
    verbs = _words()["verbs"]
    modals = alternation(verbs["modals"])
    after = alternation(verbs["after_modal"])
    # "X will, in consultation with Y, introduce …": an aside may open right after the modal.
    return compiled(rf"\s(?:{modals})(?:\s+(?:{after}))*(?=\s|:|,|$)(?P<rest>.*)", re.I)


@cache
def _passive() -> re.Pattern:
    verbs = _words()["verbs"]
    irregular = "|".join(map(re.escape, verbs["irregular_participles"]))
    enabled = alternation(verbs["not_commitments"])
    return compiled(rf"^\s+(?:be\s+(?:\w+ly\s+)?(?:\w+(?:ed|en)|{irregular})|{enabled})\b", re.I)


@cache
def _qualifier() -> re.Pattern:
    words = "|".join(map(re.escape, _words()["heads"]["qualifiers"]))
    return compiled(rf"\s(?:{words})\s", re.I)


def _head_words(core: str) -> list[str]:
    return [w.strip("’'.,").lower() for w in core.split()]


def _names_a_body(subject: str) -> bool:
    heads = _words()["heads"]
    if subject.lower() in heads["not_owners"]:
        return False
    core = _qualifier().split(f"{subject} ", maxsplit=1)[0].strip()
    words = core.split()
    if not words:
        return False
    last = words[-1].strip("’'.,")
    two = " ".join(_head_words(core)[-2:])
    if last.lower() in heads["any_case"] or two in heads["any_case"]:
        return True
    capitalised = all(w[:1].isupper() or w.lower() in ("and", "of", "for", "the", "&") for w in words)
    if last.lower() in heads["capitalised"] and last[:1].isupper() and capitalised:
        return True
    # "GDS", "the CDO": an acronym standing alone names a body or a post that acts for one.
    return len(words) == 1 and bool(_ACRONYM.match(last))


def _without_article(subject: str) -> str:
    first, _, rest = subject.partition(" ")
    return rest if rest and first.lower() in _words()["heads"]["articles"] else subject


def _split_and(subject: str) -> list[str]:
    """"CDO and the CIO Council" names two owners; "CIO and Chief Data Officer Councils" one, whose
    head noun the two share; so does "Departmental and transactional agency boards"."""
    left, sep, right = subject.partition(" and ")
    if not sep:
        return [subject]
    right = _without_article(right.strip())
    left_has_head = _names_a_body(left) and not _ACRONYM.match(left.split()[-1])
    left_acronym = len(left.split()) == 1 and bool(_ACRONYM.match(left))
    shared_head = right.split()[-1].lower().endswith("s") and not left_has_head
    if (left_has_head or left_acronym) and not shared_head and _names_a_body(right):
        return [left, *_split_and(right)]
    return [subject]


def _aside(clause: str) -> bool:
    """A clause that opens with a lower-case qualifier ("in partnership with …", "as well as …")."""
    first = clause.split()[0] if clause.split() else ""
    heads = _words()["heads"]
    return first.islower() and (first in heads["qualifiers"] or first in heads["aside_openers"])


def subject_owners(line: str) -> list[str]:
    """The owners a line names as the subject of its first commitment ("X will …"), if any."""
    line = _BULLET.sub("", line.strip()).strip("*_ ")
    match = _modal().search(line)
    if not match or _passive().match(match["rest"]):
        return []
    before_verb = line[:match.start()]
    # "The Office of the Government Chief Data Officer (OGCDO) will …": the acronym the name is
    # given in brackets is part of the name as printed, not a clause of its own.
    acronym = _TRAILING_ACRONYM.search(before_verb)
    if acronym:
        before_verb = before_verb[:acronym.start()]
    clauses = [c.strip().strip("*_“”\"‘’ ") for c in _CLAUSE_BREAK.split(before_verb)]
    # "X, in partnership with Y, will …": an aside between the subject and its verb is skipped.
    while len(clauses) > 1 and (not clauses[-1] or _aside(clauses[-1])):
        clauses.pop()
    before = clauses[-1]
    subject = _without_article(before)
    if not subject or len(subject.split()) > _words()["limits"]["longest_subject_words"]:
        return []
    if not subject[:1].isalpha():
        return []
    owners = [name for name in _split_and(subject) if _names_a_body(name)]
    if acronym and owners == [subject]:
        return [f"{subject} ({acronym['acronym']})"]
    return owners


def _commitment_lines(title: str, body: str) -> list[str]:
    """The title, the bullets, and the lines that open a list ("X will:")."""
    lines = [title]
    for line in body.split("\n"):
        line = line.strip()
        if _BULLET.match(line) or line.rstrip("*_ ").endswith(":"):
            lines.append(line)
    return lines


def _shortened(short: str, full: str) -> bool:
    """"Police Service" for "Eastmarch Police Service": a capitalised name printed again without the
    capitalised words before it ("All departments" and "IT Reform Group in the Cabinet Office" name
    other owners than "departments" and "Cabinet Office")."""
    extra = full[:-len(short)].split() if full.endswith(" " + short) else []
    return bool(extra) and short[:1].isupper() and all(w[:1].isupper() for w in extra) and extra[0].lower() != "all"


def _unique(names: list[str]) -> list[str]:
    """In order, once each: "Departments" and "departments" are one owner, and so are "Eastmarch
    Police Service" and "The Police Service" named again in a later sentence."""
    seen: set[str] = set()
    out = []
    for name in names:
        if name.lower() not in seen and not any(_shortened(name, other) for other in names):
            seen.add(name.lower())
            out.append(name)
    return out


def commitment_owners(title: str, body: str) -> list[str]:
    """Owners named as subjects of the task's title, bullets and list-opening lines."""
    return _unique([o for line in _commitment_lines(title, body) for o in subject_owners(line)])


@cache
def _clause_joint() -> re.Pattern:
    joiners = "|".join(map(re.escape, _words()["clauses"]["joiners"]))
    return compiled(rf",\s+(?:{joiners})\s+|;\s+", re.I)


def _carries(text: str, phrases: list[str]) -> bool:
    return any(phrase and phrase in text for phrase in phrases)


def dated_sentence_owners(text: str, phrases: list[str]) -> list[str]:
    """Owners named as subjects of the sentences that carry one of the deadline phrases.

    A sentence may join two commitments, each with its own subject and date ("X will draft it by
    May, and agencies will sign it within 90 days"): each dated clause gives its own subject, and
    the sentence's first subject stands for a clause that has none ("…, and publish it by June").
    """
    owners = []
    for line in text.split("\n"):
        for sentence in _SENTENCE.split(line):
            if not _carries(sentence, phrases):
                continue
            clauses = [c for c in _clause_joint().split(sentence) if _carries(c, phrases)]
            found = [o for clause in clauses for o in subject_owners(clause)]
            # A phrase that runs over a joint ("…, and on 5 May") belongs to the sentence as a whole.
            split_phrase = any(p and p in sentence and not any(p in c for c in clauses) for p in phrases)
            if not found or split_phrase:
                found = subject_owners(sentence) + found
            owners += found
    return _unique(owners)


@cache
def _partner_opener() -> re.Pattern:
    words = alternation(_words()["partners"]["openers"])
    # A body may be named in lower case ("Working with local councils, …"): _names_a_body judges it.
    return compiled(rf"\b(?i:{words})\s+(?:the\s+)?(?P<name>[A-Za-z][^,;:.()]*)")


def dated_sentence_partners(text: str, phrases: list[str]) -> list[str]:
    """Bodies a dated sentence names as working with its owner ("The OGCDO will issue the standard
    by 30 June 2027, in consultation with the Security Bureau"): they cooperate."""
    partners = []
    for line in text.split("\n"):
        for sentence in _SENTENCE.split(line):
            if _carries(sentence, phrases):
                for m in _partner_opener().finditer(sentence):
                    name = re.split(r"\s+(?:and|to|by|in|on|at|for)\s+(?=[a-z])", m["name"].strip())[0].strip()
                    partners += [part for part in _split_and(name) if _names_a_body(part)]
    return _unique(partners)
