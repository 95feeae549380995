"""The lookahead extract/patterns.py puts before a vocabulary pattern only lets it skip characters:
every pattern matches exactly what it matched before, at the same places, with the same groups."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from extract.patterns import compiled, start_class
from extract.responsibility import _deadline_label, _label_pattern
from extract.timex import _en_patterns, _fiscal_patterns_en, _zh_patterns

HERE = Path(__file__).resolve().parent


def test_the_start_set_holds_what_optional_words_and_repeats_may_open_with():
    pattern = compiled(r"(?:力争|确保)?(?P<year>\d{4})年")
    assert pattern.pattern.startswith("(?=[")
    assert [m["year"] for m in pattern.finditer("力争2025年底前，确保2026年、2027年")] == ["2025", "2026", "2027"]
    assert compiled(r"\b(?:by|before)\s+June", re.I).findall("BY June, Before June, maybe June") == ["BY June", "Before June"]
    # A bracketed flag, a pattern that may match nothing, and one that opens with any character: as written.
    assert start_class(r"(?i:ab)c") is None
    assert start_class(r"x*") is None
    assert start_class(r".x") is None
    assert compiled(r"(?i)abc").pattern == "(?i)abc"


def test_a_pattern_re_skips_on_its_own_is_left_as_written():
    # "[。；]" and "《…》|〈…〉" open with characters `re` scans for itself; a lookahead would only slow it.
    assert compiled(r"[。；]").pattern == r"[。；]"
    assert compiled(r"《[^《》]*》|〈[^〈〉]*〉").pattern == r"《[^《》]*》|〈[^〈〉]*〉"


def _texts() -> list[str]:
    folders = [HERE / name for name in ("heldout", "heldout2", "heldout3", "heldout5")]
    return [p.read_text(encoding="utf-8") for folder in folders for p in sorted(folder.iterdir())
            if p.suffix in (".txt", ".md", ".html")]


def _guarded_patterns() -> list[re.Pattern]:
    """The time grammar's and the note readers' patterns that got a lookahead."""
    patterns = [*_zh_patterns().values(), *(p for p, _ in _en_patterns()), *(p for p, _ in _fiscal_patterns_en()),
                _label_pattern(), _deadline_label()]
    return [p for p in patterns if p.pattern.startswith("(?=[")]


def test_most_vocabulary_patterns_skip_what_no_match_starts_with():
    assert len(_guarded_patterns()) >= 40


@pytest.mark.parametrize("index", range(len(_guarded_patterns())))
def test_every_vocabulary_pattern_matches_as_it_did_without_the_lookahead(index):
    guarded = _guarded_patterns()[index]
    written = re.compile(guarded.pattern[guarded.pattern.index("])(?:") + 5:-1], guarded.flags)
    for text in _texts():
        assert ([(m.span(), m.groups()) for m in guarded.finditer(text)]
                == [(m.span(), m.groups()) for m in written.finditer(text)])
