"""The acceptance floor: the extractor scored against the shared gold readings of the corpus."""
from __future__ import annotations

import json

import pytest

from extract.model import plan_to_json
from extract.plan import extract_plan
from tests.extract.scoring import SHARED, overall_score

# Measured 1.000 on every metric; a floor just under it makes any regression fail.
FLOORS = {"tasks": 0.99, "units": 0.99, "lead_units": 0.99, "deadlines": 0.99, "recurrences": 0.99}
DUE_FLOOR = 0.99
DOCUMENT_FLOOR = 0.96


@pytest.fixture(scope="module")
def corpus_score() -> dict:
    if not (SHARED / "corpus").is_dir() or not (SHARED / "gold").is_dir():
        pytest.skip(f"shared corpus or gold not found under {SHARED}")

    def readings():
        for gold_file in sorted((SHARED / "gold").glob("*.json")):
            source = SHARED / "corpus" / (gold_file.stem + ".txt")
            gold = json.loads(gold_file.read_text(encoding="utf-8"))
            yield gold, plan_to_json(extract_plan(source.read_text(encoding="utf-8"), source.name))

    return overall_score(readings())


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_corpus_f1_meets_the_floor(corpus_score, metric):
    assert corpus_score["f1"][metric] >= FLOORS[metric]


def test_corpus_effective_due_dates_meet_the_floor(corpus_score):
    assert corpus_score["due"] >= DUE_FLOOR


def test_corpus_document_fields_meet_the_floor(corpus_score):
    assert corpus_score["doc"] >= DOCUMENT_FLOOR
