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
