"""Each package imports only what DESIGN.md's layout table allows it to.

The imports of every module are read with ast (top-level and inside functions alike, since a
deferred import is still a dependency), so a forbidden one fails here before review.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# package -> top-level modules it must not import. `vocabulary` is the shared words: everyone may
# import it and it imports no package of ours.
OURS = ("vocabulary", "extract", "store", "scheduler", "app", "bot")
FORBIDDEN = {
    "vocabulary": {"extract", "store", "scheduler", "app", "bot", "telegram", "sqlalchemy", "sqlmodel"},
    "extract": {"store", "scheduler", "app", "bot", "telegram", "sqlalchemy", "sqlmodel", "alembic"},
    "store": {"scheduler", "app", "bot", "telegram"},
    "scheduler": {"app", "bot", "telegram"},
    "app": {"bot", "telegram"},
    "bot": set(),
}


def imported_modules(source: str, module: str) -> list[tuple[int, str]]:
    """(line, absolute dotted name) of every import in `source`, the module being `module`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing module's package
                base = module.split(".")[:-node.level]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            found.append((node.lineno, name))
            if node.module is None or node.level:  # "from . import x" may name submodules
                found += [(node.lineno, f"{name}.{alias.name}") for alias in node.names]
    return found


def violations(package: str) -> list[str]:
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        relative = path.relative_to(ROOT)
        module = ".".join(relative.with_suffix("").parts)
        for line, name in imported_modules(path.read_text(encoding="utf-8"), module):
            top = name.split(".")[0]
            if top in FORBIDDEN[package]:
                bad.append(f"{relative}:{line} imports {name}")
    return bad


@pytest.mark.parametrize("package", OURS)
def test_package_imports_only_what_the_layout_allows(package):
    assert (ROOT / package).is_dir()
    assert violations(package) == []


def test_every_package_is_in_the_table():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "bench", "docs", "examples"}
    assert packages <= set(FORBIDDEN), f"add {sorted(packages - set(FORBIDDEN))} to FORBIDDEN"


def test_a_forbidden_import_is_found(tmp_path):
    # The check itself must see deferred and relative imports, or the tests above prove nothing.
    source = "def f():\n    from scheduler.model import ReminderKind\nfrom . import outbox\nimport bot.cli\n"
    names = [name for _, name in imported_modules(source, "store.holidays")]
    assert "scheduler.model" in names and "store.outbox" in names and "bot.cli" in names
