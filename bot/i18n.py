"""Message catalogues: every text a user reads comes from bot/locales/<language>.toml."""
from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

DEFAULT_LANGUAGE = "zh-CN"


@cache
def _load(language: str) -> dict[str, str]:
    raw = tomllib.loads(resources.files("bot").joinpath(f"locales/{language}.toml").read_text("utf-8"))
    return {f"{section}.{name}": text for section, table in raw.items() for name, text in table.items()}


class Catalogue:
    """Texts in one language, falling back to the default language for a missing key."""

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language

    def text(self, key: str, **values: object) -> str:
        template = _load(self.language).get(key) or _load(DEFAULT_LANGUAGE)[key]
        return template.format(**values)
