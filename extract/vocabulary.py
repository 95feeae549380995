"""The extractor's word tables (extract/data/*.toml), loaded once from the package."""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources


@cache
def table(name: str) -> dict:
    """The parsed contents of extract/data/<name>.toml."""
    return tomllib.loads(resources.files("extract").joinpath(f"data/{name}.toml").read_text("utf-8"))


def alternation(words: Iterable[str]) -> str:
    """A regex alternative of the words, longest first, so that "年底前" wins over "年底"."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@cache
def role_labels() -> str:
    """A regex alternative of the role labels of roles.toml ("牵头单位", "Lead agency"), as every
    reader of a labelled note ("牵头单位：X", "Lead: X") takes them."""
    return alternation(dict.fromkeys(w for row in table("roles")["labels"] for w in row["words"]))


@cache
def deadline_labels() -> str:
    """A regex alternative of the deadline labels of timewords.toml ("完成时限", "Due date")."""
    words = table("timewords")["deadline_labels"]
    return alternation(dict.fromkeys(words["zh"] + words["en"]))
