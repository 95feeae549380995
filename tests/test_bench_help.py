"""Every benchmark explains itself: `python -m bench --help` and each script's --help exit 0."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["bench"] + sorted(f"bench.{path.stem}" for path in (ROOT / "bench").glob("*_bench.py"))


@pytest.mark.parametrize("module", MODULES)
def test_help_prints_usage_and_exits_cleanly(module):
    done = subprocess.run([sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout
