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


# --- bot/ opens no database session and builds no SQL ------------------------------------------
# Handlers parse, call app/ (or a store/ query, off the event loop) and render. Only the wiring
# (bot/app.py) and the command line (bot/cli*.py), which create the engine, may touch sqlalchemy;
# everyone else gets the Engine type from store.db.
DATABASE_LIBRARIES = {"sqlalchemy", "sqlmodel"}
DATABASE_CALLS = {"Session", "select", "session_scope"}  # called by name: a session opened, a query built
DATABASE_METHODS = {"execute", "exec", "begin", "connect", "scalars"}  # called on an engine, session or connection


def database_uses(source: str) -> list[tuple[int, str]]:
    """(line, what) of every import of a database library and every session, query or connection call."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names
                      if a.name.split(".")[0] in DATABASE_LIBRARIES]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            if (node.module or "").split(".")[0] in DATABASE_LIBRARIES:
                found.append((node.lineno, f"from {node.module} import ..."))
            found += [(node.lineno, f"import {a.name}") for a in node.names if a.name in DATABASE_CALLS]
        elif isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name) and function.id in DATABASE_CALLS:
                found.append((node.lineno, f"{function.id}(...)"))
            elif isinstance(function, ast.Attribute) and function.attr in DATABASE_METHODS:
                found.append((node.lineno, f".{function.attr}(...)"))
    return found


def bot_database_uses(root: Path = ROOT) -> list[str]:
    bad = []
    for path in sorted((root / "bot").rglob("*.py")):
        relative = path.relative_to(root)
        if relative.name == "app.py" or relative.name.startswith("cli"):
            continue
        bad += [f"{relative}:{line} {what}" for line, what in database_uses(path.read_text(encoding="utf-8"))]
    return bad


def test_no_chat_handler_opens_a_session_or_builds_sql():
    assert bot_database_uses() == []


def is_command_line(module: str) -> bool:
    """bot.cli, the bot/cli_*.py modules that add commands to it, and bot.outbox_command."""
    name = module.removeprefix("bot.")
    return module.startswith("bot.") and (name.startswith("cli") or name == "outbox_command")


def chat_modules_importing_the_command_line(root: Path = ROOT) -> list[str]:
    """The chat side of bot/ shares nothing with the command line but neutral modules both import."""
    bad = []
    for path in sorted((root / "bot").rglob("*.py")):
        relative = path.relative_to(root)
        module = ".".join(relative.with_suffix("").parts)
        if is_command_line(module):
            continue
        bad += [f"{relative}:{line} imports {name}"
                for line, name in imported_modules(path.read_text(encoding="utf-8"), module) if is_command_line(name)]
    return bad


def test_no_chat_module_imports_the_command_line():
    assert chat_modules_importing_the_command_line() == []


def test_a_session_or_a_query_in_bot_is_found():
    source = ("from sqlalchemy import Engine\nfrom store.db import session_scope\n"
              "def f(engine):\n    with Session(engine) as s:\n        s.exec(select(Task))\n"
              "    with engine.begin() as conn:\n        conn.execute(q)\n")
    assert sorted(database_uses(source)) == [
        (1, "from sqlalchemy import ..."), (2, "import session_scope"), (4, "Session(...)"), (5, ".exec(...)"),
        (5, "select(...)"), (6, ".begin(...)"), (7, ".execute(...)")]


# --- no module imports another's private names ---------------------------------------------------
# A leading underscore says "this module's own"; a name another module needs is public, in the
# module that owns it (bot/context.py, bot/cli_common.py, ...), not borrowed.


def private_imports(source: str, module: str, root: Path = ROOT) -> list[tuple[int, str]]:
    """(line, dotted name) of every private name `module` takes from another module of ours: by
    `from x import _y`, by `import x._y`, or as `x._y` where x is a module of ours it imported."""
    found, modules = [], {}
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in OURS:
                    found += [(node.lineno, alias.name) for part in alias.name.split(".") if is_private(part)][:1]
                    modules[alias.asname or alias.name.split(".")[0]] = alias.asname and alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")[:-node.level]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            if name.split(".")[0] not in OURS:
                continue
            for alias in node.names:
                if is_private(alias.name):
                    found.append((node.lineno, f"{name}.{alias.name}"))
                elif _is_module(root, f"{name}.{alias.name}"):
                    modules[alias.asname or alias.name] = f"{name}.{alias.name}"
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and is_private(node.attr) and isinstance(node.value, ast.Name)
                and node.value.id in modules):
            found.append((node.lineno, f"{modules[node.value.id] or node.value.id}.{node.attr}"))
    return found


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_module(root: Path, dotted: str) -> bool:
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def private_name_imports(root: Path = ROOT) -> list[str]:
    bad = []
    for package in OURS:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            module = ".".join(relative.with_suffix("").parts)
            bad += [f"{relative}:{line} takes {name}"
                    for line, name in private_imports(path.read_text(encoding="utf-8"), module, root)]
    return bad


def test_no_module_imports_another_modules_private_names():
    assert private_name_imports() == []


def test_a_private_import_is_found():
    source = ("from bot.handlers import BotDeps, _reply\nfrom . import _shared\nimport bot.cli as cli\n"
              "from bot import handlers\nfrom telegram import _utils\ncli._engine(s)\nhandlers._chat(d, u)\n")
    assert [name for _, name in private_imports(source, "bot.admin_commands")] == [
        "bot.handlers._reply", "bot._shared", "bot.cli._engine", "bot.handlers._chat"]
