"""What a unit name says about itself: whether it is a collective, and which aliases it carries."""
from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from importlib import resources

# A trailing parenthetical names the same body under another name: "省政府办公厅（省大数据管理局）".
_ALIAS = re.compile(r"^(?P<main>.+?)[（(](?P<alias>[^（）()]+)[）)]$")


@cache
def _kinds() -> dict:
    return tomllib.loads(resources.files("extract").joinpath("data/unit_kinds.toml").read_text("utf-8"))


def unit_key(name: str) -> str:
    """The form two spellings of one unit share: NFKC, no white space, lower case for Latin."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name)).lower()


def unit_kind(name: str) -> str:
    """"collective" for a group of bodies ("各市州政府"), else "single"."""
    table = _kinds()["collective"]
    text = unicodedata.normalize("NFKC", name).lower()
    if (any(text.startswith(p) for p in table["prefixes"]) or any(m in text for m in table["contains"])
            or any(text.endswith(s) for s in table.get("suffixes", ()))):
        return "collective"
    return "single"


def unit_aliases(name: str) -> list[str]:
    """Other names the unit answers to: both halves of "A（B）"; empty for a plain name."""
    match = _ALIAS.match(unicodedata.normalize("NFKC", name).strip())
    if not match:
        return []
    return [match["main"].strip(), match["alias"].strip()]
