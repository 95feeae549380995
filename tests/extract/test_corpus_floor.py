"""The acceptance floor: the extractor scored against the shared gold readings of the corpus."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from extract.model import plan_to_json
from extract.plan import extract_plan

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FLOORS = {"tasks": 0.98, "units": 0.95, "deadlines": 0.90}
DUE_FLOOR = 0.95
DOCUMENT_FLOOR = 0.90


def _scorer():
    path = SHARED / "eval" / "score.py"
    if not path.exists() or not (SHARED / "corpus").is_dir() or not (SHARED / "gold").is_dir():
        pytest.skip(f"shared corpus, gold or scorer not found under {SHARED}")
    spec = importlib.util.spec_from_file_location("deadline_bot_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus_score() -> dict:
    score = _scorer()
    totals = {m: score.Counts() for m in score.METRICS}
    due_right = due_total = doc_right = doc_total = 0
    for gold_file in sorted((SHARED / "gold").glob("*.json")):
        source = SHARED / "corpus" / (gold_file.stem + ".txt")
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        pred = plan_to_json(extract_plan(source.read_text(encoding="utf-8"), source.name))
        result = score.score_document(gold, pred)
        for metric in score.METRICS:
            totals[metric].merge(result["counts"][metric])
        due_right += result["due_right"]
        due_total += result["due_total"]
        doc_right += result["doc_right"]
        doc_total += result["doc_total"]
    return {"f1": {m: totals[m].prf()[2] for m in totals}, "due": due_right / due_total, "doc": doc_right / doc_total}


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_corpus_f1_meets_the_floor(corpus_score, metric):
    assert corpus_score["f1"][metric] >= FLOORS[metric]


def test_corpus_effective_due_dates_meet_the_floor(corpus_score):
    assert corpus_score["due"] >= DUE_FLOOR


def test_corpus_document_fields_meet_the_floor(corpus_score):
    assert corpus_score["doc"] >= DOCUMENT_FLOOR
