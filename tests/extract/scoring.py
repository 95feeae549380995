"""The shared scorer (../shared/eval/score.py) applied to a set of (gold, extracted) readings."""
from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def load_scorer():
    """score.py as a module; the test is skipped where ../shared is not beside the repository."""
    path = SHARED / "eval" / "score.py"
    if not path.exists():
        pytest.skip(f"the shared scorer is not at {path}")
    spec = importlib.util.spec_from_file_location("deadline_bot_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def overall_score(readings: Iterable[tuple[dict, dict]]) -> dict:
    """F1 per metric, the share of right effective due dates and of right document fields."""
    score = load_scorer()
    totals = {m: score.Counts() for m in score.METRICS}
    due_right = due_total = doc_right = doc_total = 0
    for gold, extracted in readings:
        result = score.score_document(gold, extracted)
        for metric in score.METRICS:
            totals[metric].merge(result["counts"][metric])
        due_right += result["due_right"]
        due_total += result["due_total"]
        doc_right += result["doc_right"]
        doc_total += result["doc_total"]
    return {"f1": {m: totals[m].prf()[2] for m in totals}, "due": due_right / due_total, "doc": doc_right / doc_total}
