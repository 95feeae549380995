"""Commands that never open the database start without loading the database stack.

Each command runs in a fresh interpreter, as an administrator runs it; what it imported is read
from sys.modules when it has finished.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

DATABASE_STACK = ("sqlalchemy", "alembic", "sqlmodel", "psycopg")

# Runs the CLI's entry point with the given arguments, then prints its exit code and the
# top-level packages it loaded.
_PROBE = """
import json, sys
sys.argv = ["deadline-bot", *json.loads(sys.argv[1])]
from bot.cli import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
sys.stdout.flush()
print("\\nLOADED " + json.dumps([code, sorted({name.split(".")[0] for name in sys.modules})]))
"""


def loaded_by(*args: str, cwd: Path) -> tuple[set[str], str]:
    """The top-level packages the command loaded, and what it printed; it must have succeeded."""
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(list(args))], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)})
    marker = done.stdout.rindex("\nLOADED ")
    code, loaded = json.loads(done.stdout[marker + len("\nLOADED "):])
    assert code == 0, done.stderr[-2000:]
    return set(loaded), done.stdout[:marker] + done.stderr


@pytest.mark.parametrize("args", [("--help",), ("extract", "--help"), ("due", "--help"), ("version",)],
                         ids=["help", "extract-help", "due-help", "version"])
def test_command_without_database_loads_no_database_stack(args, tmp_path):
    loaded, output = loaded_by(*args, cwd=tmp_path)
    assert output.strip(), "the command printed nothing"
    assert loaded.isdisjoint(DATABASE_STACK), sorted(loaded & set(DATABASE_STACK))


def test_extract_loads_no_database_stack(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("关于印发2026年工作要点的通知\n一、重点工作\n1. 完善信用体系。责任单位：省发展改革委；完成时限：2026年6月底前。\n",
                    encoding="utf-8")
    loaded, output = loaded_by("extract", str(plan), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert (tmp_path / "out" / "plan.json").exists(), output
    assert loaded.isdisjoint(DATABASE_STACK), sorted(loaded & set(DATABASE_STACK))
