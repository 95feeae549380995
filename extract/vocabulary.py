"""The extractor's word tables (extract/data/*.toml), loaded once from the package."""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def table(name: str) -> dict:
    """The parsed contents of extract/data/<name>.toml."""
    return tomllib.loads(resources.files("extract").joinpath(f"data/{name}.toml").read_text("utf-8"))
