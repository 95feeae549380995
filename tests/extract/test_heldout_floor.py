"""Plans the extractor was not developed on: invented plans (Chinese text, Markdown, HTML and
.docx tables; English action, implementation and delivery plans) annotated by hand before the
extractor ever ran on them, in six rounds (tests/extract/heldout … heldout6; round 4 adds .xlsx,
.pdf, text tables one cell per line, traditional characters and half-width notes; a round's floor may
cover only the plans of one language, by file-name prefix).

Each round was blind once: its first measurement is in its README. Fixes informed by those
measurements followed, so these floors now guard against regressions on shapes beyond the
corpus; they no longer measure generality on their own.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from extract.model import plan_to_json
from extract.plan import extract_document
from extract.reading import read_document
from tests.extract.scoring import overall_score

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class HeldOut:
    folder: str
    plans: int
    f1: float  # floor for every metric's F1
    due: float
    documents: float
    # Only the plans whose file names start with one of these ("zh_"); all of the folder's when empty.
    prefix: tuple[str, ...] = ()


# Measured after the fixes — heldout: tasks 0.984 (3 保障措施 items the annotator left out),
# every other F1 1.000, due dates 91/91, fields 29/30; heldout2: recurrences 0.984 ("once in
# each Commissioner's term"), the rest 1.000, due 54/54; heldout3: 1.000 throughout; heldout4
# (15 plans, blind tasks 0.674, due 54/163): units 0.997, recurrences 0.974 (weekly duties the
# annotator left out), the rest 1.000, due 163/163, fields 75/75; heldout5 (8 plans written while
# this round's fixes were made, first measured on main with them: tasks 0.788, due 62/90): 1.000
# throughout, due 90/90, fields 39/40 (a letterhead's capitals); heldout6's 7 Chinese plans (blind on
# main: tasks 0.866, due 54/72, a traditional-character plan read as no task at all): 1.000 throughout,
# due 70/72 and fields 34/35 (lingbei's period end, which its gold takes from a goal sentence);
# heldout7's 5 Chinese plans (blind: units 0.911, lead 0.906, deadlines 0.955, tasks 0.968): units
# 0.995 (guanqu's "我局", the issuer's self-reference, left unread), the rest 1.000, due 45/45, fields 25/25.
ROUNDS = (HeldOut("heldout", 6, f1=0.98, due=0.97, documents=0.93),
          HeldOut("heldout2", 4, f1=0.98, due=0.97, documents=0.95),
          HeldOut("heldout3", 4, f1=0.98, due=0.97, documents=0.95),
          HeldOut("heldout4", 15, f1=0.96, due=0.98, documents=0.98),
          HeldOut("heldout5", 8, f1=0.98, due=0.98, documents=0.95),
          HeldOut("heldout6", 7, f1=0.98, due=0.96, documents=0.96, prefix=("zh_",)),
          # heldout6's English plans (blind: tasks 0.887, units 0.778, deadlines 0.694, due 36/61, fields
          # 18/30), after issue 9's fixes of their families: 1.000 throughout, due 61/61, fields 30/30.
          HeldOut("heldout6", 6, f1=0.98, due=0.98, documents=0.96, prefix=("en_",)),
          HeldOut("heldout7", 5, f1=0.99, due=0.99, documents=0.99, prefix=("zh_",)),
          # heldout7's English plans (blind: a milestone plan read as no task, deadlines 0.821 over both
          # languages, due 29/46 on the English five), after their families' fixes: units 0.994 ("driving
          # instructors" as a partner), the rest 1.000, due 44/46 and fields
          # 24/25 (Northmere's period end: its gold takes the calendar year, the plan keeps financial years).
          HeldOut("heldout7", 5, f1=0.98, due=0.95, documents=0.95, prefix=("en_",)))


def round_name(held_out: HeldOut) -> str:
    return "-".join([held_out.folder, *(prefix.rstrip("_") for prefix in held_out.prefix)])


def plan_files(folder: Path, prefix: tuple[str, ...] = ()) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name.startswith(prefix or ("zh_", "en_")))


@pytest.fixture(scope="module", params=ROUNDS, ids=lambda r: round_name(r))
def scored(request) -> tuple[HeldOut, dict]:
    held_out, folder = request.param, HERE / request.param.folder

    def readings():
        for source in plan_files(folder, held_out.prefix):
            gold = json.loads((folder / "gold" / f"{source.stem}.json").read_text(encoding="utf-8"))
            yield gold, plan_to_json(extract_document(read_document(source)))

    return held_out, overall_score(readings())


@pytest.mark.parametrize("held_out", ROUNDS, ids=lambda r: round_name(r))
def test_every_plan_has_its_gold(held_out):
    folder = HERE / held_out.folder
    plans = plan_files(folder, held_out.prefix)
    assert len(plans) == held_out.plans
    assert {p.stem for p in plans} == {g.stem for g in (folder / "gold").glob("*.json")
                                       if g.name.startswith(held_out.prefix or ("zh_", "en_"))}


def test_every_f1_meets_the_floor(scored):
    held_out, score = scored
    assert {m: f1 for m, f1 in score["f1"].items() if f1 < held_out.f1} == {}


def test_effective_due_dates_and_document_fields_meet_the_floor(scored):
    held_out, score = scored
    assert score["due"] >= held_out.due
    assert score["doc"] >= held_out.documents
