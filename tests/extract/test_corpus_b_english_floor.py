"""The two real English plans of ../shared/corpus-b, against their gold: a guard on what the
English structure reaches (Markdown actions under headings with commitment bullets; milestone
tables), so a merge or a later change that loses it fails here.

Blind, before the English structure work (commit f8fc076), both gave no task at all: tasks,
units and deadlines 0.000. Tasks, units and lead units then reached 1.000 on both plans.
Deadlines and recurrences are the time grammar's, guarded by its own tests, not here.
"""
from __future__ import annotations

import json

import pytest

from extract.model import plan_to_json
from extract.plan import extract_plan
from extract.reading import read_document
from tests.extract.scoring import SHARED, overall_score

PLANS = ("en_uk_gds2012_actions", "en_us_fds2021_shared_actions")
FLOORS = {"tasks": 0.98, "units": 0.98, "lead_units": 0.98}


@pytest.fixture(scope="module")
def english_score() -> dict:
    if not (SHARED / "corpus-b").is_dir() or not (SHARED / "gold-b").is_dir():
        pytest.skip(f"corpus-b or its gold not found under {SHARED}")

    def readings():
        for name in PLANS:
            source = SHARED / "corpus-b" / f"{name}.txt"
            gold = json.loads((SHARED / "gold-b" / f"{name}.json").read_text(encoding="utf-8"))
            yield gold, plan_to_json(extract_plan(read_document(source).text, source.name))

    return overall_score(readings())


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_english_corpus_b_f1_meets_the_floor(english_score, metric):
    assert english_score["f1"][metric] >= FLOORS[metric]
