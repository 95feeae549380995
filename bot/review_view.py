"""How a review flag reads: one sentence per flag, and counts per kind, for the command line and the chat import alike."""
from __future__ import annotations

from bot.i18n import Catalogue
from extract.model import ReviewFlag


def review_text(flag: ReviewFlag, texts: Catalogue) -> str:
    return texts.text(f"review.{flag.code}", task=flag.task, **dict(flag.values))


def review_counts(codes: list[str], texts: Catalogue) -> list[str]:
    """How many flags of each kind, worded, in the order the kinds first appear."""
    counts: dict[str, int] = {}
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    worded, others = [], 0
    for code, count in counts.items():
        try:
            worded.append(texts.text(f"review_count.{code}", count=count))
        except KeyError:  # a code newer than the catalogue still counts
            others += count
    if others:
        worded.append(texts.text("review_count.other", count=others))
    return worded
