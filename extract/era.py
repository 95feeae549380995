"""Plans dated in another era's years ("民国114年", "114年12月底前"): read with Common Era years.

Every date rule reads four-digit years, so a plan counted from 1912 is read after its years are
rewritten ("114年" -> "2025年", "114.6.30" -> "2025.6.30"), as a traditional-character plan is
read in simplified characters. Each rewritten span is kept, so titles, phrases and quotes go back
to the plan's own "114年" (script.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extract.vocabulary import alternation, table

# (start, end) in the rewritten text, (start, end) in the text before it.
Edit = tuple[int, int, int, int]


@dataclass(frozen=True)
class Era:
    marker: re.Pattern  # a marker and the year it dates: "民国114年", "中华民国 99 年"
    year: re.Pattern  # a year to rewrite, in words or figures
    three_digit_year: re.Pattern
    common_era_year: re.Pattern
    offset: int
    min_years: int


@cache
def _eras() -> list[Era]:
    eras = []
    for era in table("timewords")["zh"]["eras"].values():
        markers = alternation(era["markers"])
        sep = r"[./／\-－]"
        year = (rf"(?:(?:{markers})\s*(?P<marked>\d{{2,3}})|(?<![\d.／/\-－])(?P<bare>\d{{3}}))"
                rf"(?=\s*年|{sep}\d{{1,2}}{sep}\d{{1,2}}(?![\d.]))")
        eras.append(Era(marker=re.compile(rf"(?:{markers})\s*\d{{1,3}}\s*年"), year=re.compile(year),
                         three_digit_year=re.compile(r"(?<!\d)\d{3}\s*年"),
                         common_era_year=re.compile(r"(?<!\d)(?:19|20)\d{2}\s*年"),
                         offset=era["offset"], min_years=era["min_years"]))
    return eras


def era_of(text: str) -> Era | None:
    """The era of data/timewords.toml ([zh.eras]) the plan counts its years in, if any."""
    for era in _eras():
        if era.marker.search(text) or (not era.common_era_year.search(text)
                                       and len(era.three_digit_year.findall(text)) >= era.min_years):
            return era
    return None


def in_common_era(text: str, era: Era) -> tuple[str, list[Edit]]:
    """The text with the years of the era in the Common Era, and the spans rewritten."""
    out: list[str] = []
    edits: list[Edit] = []
    last = length = 0
    for match in era.year.finditer(text):
        group = "marked" if match["marked"] else "bare"
        start, end = match.span(group)
        year = str(int(match[group]) + era.offset)
        out.append(text[last:start])
        length += start - last
        edits.append((length, length + len(year), start, end))
        out.append(year)
        length += len(year)
        last = end
    out.append(text[last:])
    return "".join(out), edits
