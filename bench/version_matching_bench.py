"""A renumbered plan version: how many tasks keep their id, under the old rule and the new one, and how long matching takes.

    python -m bench.version_matching_bench [--corpus DIR ...] [--sqlite-only] [--postgres-url URL] [--json FILE]

For each plan of the corpus directories (default ../shared/corpus): the plan is read and
extracted, ingested into a scratch database, and every task is given a status and a status
report. Version 2 is the same plan with one invented task inserted at the top, every later task's
sequence number and label moved down by one. It is ingested with on_change="replace".

- "before": the rule this replaced (store/ingest.py until this change: a task keeps its id when
  its label and its normalized title are unchanged), applied to the same two versions.
- "after": tasks whose id, status and reports the real replace kept (read back from the store).
- "reworded": the same, where in version 2 every title also gained two characters and lost its
  last two, and every body lost its last sentence, so that no task can be paired by identical
  wording and every pair is scored.
- Matching time: `store.task_matching.match_tasks` alone (pure, best of 5), for the renumbered and
  for the reworded version; and the whole replacing `ingest_plan` (one transaction) once.
- A size point: every task of every plan read, as one plan, reworded (the scoring is pairwise).
- The threshold's margins: per plan, the highest score of two different tasks (version 1 against
  itself, the diagonal left out) and the lowest score of a reworded task against its old self.
"""
from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import re
import sys
import unicodedata
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from bench.databases import add_backend_options, backends_from, scratch_database
from bench.measure import markdown_table, ms, timed
from extract.model import ExtractedPlan, ExtractedTask
from extract.plan import extract_document
from extract.reading import read_document
from extract.unitnames import unit_key
from store.db import make_engine, session_scope, upgrade_database
from store.ingest import ingest_plan
from store.models import StatusReport, Task, TaskStatus
from store.task_matching import MATCH_THRESHOLD, TaskContent, match_tasks, pair_scores

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
STATUSES = (TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.BLOCKED, TaskStatus.OPEN)
HEADER = ["plan", "backend", "tasks", "ids kept before", "ids kept after", "after, reworded",
          "match (renumbered)", "match (reworded)", "replace ingest"]


def inserted_task(first: ExtractedTask) -> ExtractedTask:
    """An invented item, printed where the first one was."""
    return ExtractedTask(seq=1, label=first.label, section=first.section, title="建立重点任务工作台账",
                         text_start="对本要点确定的", body="对本要点确定的各项任务逐项建立台账，每季度通报一次进展情况。",
                         responsible_units=["示例办公室"])


def renumbered(plan: ExtractedPlan, reword: bool = False) -> ExtractedPlan:
    tasks = [inserted_task(plan.tasks[0])]
    for t in plan.tasks:
        changed = dataclasses.replace(t, seq=t.seq + 1, label=_next_label(t.label))
        if reword:
            changed = dataclasses.replace(changed, title="进一步" + t.title[:-2], body=_without_last_sentence(t.body))
        tasks.append(changed)
    return dataclasses.replace(plan, tasks=tasks, review_flags=[], source="v2-" + plan.source)


def _next_label(label: str) -> str:
    return str(int(label) + 1) if label.isdigit() else label + "′"


def _without_last_sentence(body: str) -> str:
    sentences = [s for s in re.split(r"(?<=[。；.;])", body) if s]
    return "".join(sentences[:-1]) if len(sentences) > 1 else body[: len(body) * 3 // 4]


def label_title_kept(old: ExtractedPlan, new: ExtractedPlan) -> int:
    """The rule before: a task kept its id only under the same label and the same normalized title."""
    def key(t: ExtractedTask) -> tuple[str, str]:
        return t.label.strip(), re.sub(r"\s+", "", unicodedata.normalize("NFKC", t.title)).rstrip("。.;；:：")
    available = [key(t) for t in old.tasks]
    kept = 0
    for t in new.tasks:
        if key(t) in available:
            available.remove(key(t))
            kept += 1
    return kept


def contents(plan: ExtractedPlan) -> list[TaskContent]:
    return [TaskContent(t.label, t.section, t.title, t.body,
                        frozenset((role, unit_key(n)) for role, names in (("lead", t.lead_units),
                                  ("responsible", t.responsible_units), ("cooperating", t.cooperating_units))
                                  for n in names),
                        frozenset((d.phrase, d.due) for d in t.deadlines)) for t in plan.tasks]


def best_match_seconds(old: ExtractedPlan, new: ExtractedPlan, repeats: int = 5) -> float:
    a, b = contents(old), contents(new)
    return min(timed(lambda: match_tasks(a, b))[1] for _ in range(repeats))


def sha(plan: ExtractedPlan) -> str:
    return hashlib.sha256(json.dumps(dataclasses.asdict(plan), default=str, ensure_ascii=False).encode()).hexdigest()


def history(engine) -> dict[int, tuple[TaskStatus, int]]:
    with session_scope(engine) as session:
        reports = dict(session.exec(select(StatusReport.task_id, func.count()).group_by(StatusReport.task_id)).all())
        return {t.id: (t.status, reports.get(t.id, 0)) for t in session.exec(select(Task)).all()}


def kept_after_replace(url: str, plan: ExtractedPlan, version2: ExtractedPlan) -> tuple[int, float]:
    """Tasks of version 1 whose id, status and reports the replacing import kept; and its time."""
    upgrade_database(url)
    engine = make_engine(url)
    try:
        ingest_plan(engine, plan, sha(plan))
        with session_scope(engine) as session:
            for n, task in enumerate(session.exec(select(Task).order_by(Task.seq)).all()):
                task.status = STATUSES[n % len(STATUSES)]
                session.add(task)
                session.add(StatusReport(task_id=task.id, status=task.status, note="bench"))
        before = history(engine)
        outcome, seconds = timed(lambda: ingest_plan(engine, version2, sha(version2), on_change="replace"))
        assert outcome.kind == "replaced", outcome.message
        after = history(engine)
        with session_scope(engine) as session:
            current = set(session.exec(select(Task.id).where(Task.document_id == outcome.document_id)).all())
        return sum(task_id in current and after[task_id] == was for task_id, was in before.items()), seconds
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", type=Path, help=f"plan directory (default {DEFAULT_CORPUS})")
    parser.add_argument("--json", help="also write the raw results here")
    add_backend_options(parser)
    options = parser.parse_args(argv)
    paths = sorted(p for d in (options.corpus or [DEFAULT_CORPUS]) for p in d.iterdir()
                   if p.suffix in (".txt", ".md", ".html", ".docx", ".pdf", ".xlsx"))
    plans = [(p.name, extract_document(read_document(p))) for p in paths]
    plans = [(name, plan) for name, plan in plans if plan.tasks]
    rows, raw = [], []
    totals: dict[str, list[int]] = {}
    for backend in backends_from(options):
        total = totals.setdefault(backend.name, [0, 0, 0, 0])
        for name, plan in plans:
            version2, reworded = renumbered(plan), renumbered(plan, reword=True)
            before = label_title_kept(plan, version2)
            with scratch_database(backend, "versions") as url:
                after, replace_seconds = kept_after_replace(url, plan, version2)
            with scratch_database(backend, "versions") as url:
                after_reworded, _ = kept_after_replace(url, plan, reworded)
            match_plain, match_reworded = best_match_seconds(plan, version2), best_match_seconds(plan, reworded)
            n = len(plan.tasks)
            for k, v in enumerate((n, before, after, after_reworded)):
                total[k] += v
            raw.append({"plan": name, "backend": backend.name, "tasks": n, "kept_before": before, "kept_after": after,
                        "kept_after_reworded": after_reworded, "match_s": match_plain,
                        "match_reworded_s": match_reworded, "replace_s": replace_seconds})
            rows.append([name[:32], backend.name, n, f"{before}/{n}", f"{after}/{n}", f"{after_reworded}/{n}",
                         ms(match_plain), ms(match_reworded), ms(replace_seconds)])
            print(markdown_table(HEADER, rows[-1:]), file=sys.stderr, flush=True)
        n, before, after, after_reworded = total
        rows.append(["**all**", backend.name, n, f"{before}/{n}", f"{after}/{n}", f"{after_reworded}/{n}", "", "", ""])
    print(markdown_table(HEADER, rows))

    # One plan of every task read, reworded: the pairwise scoring at its largest.
    merged = [dataclasses.replace(t, seq=k, label=str(k)) for k, t in
              enumerate((t for _, plan in plans for t in plan.tasks), start=1)]
    big = dataclasses.replace(plans[0][1], tasks=merged)
    big_reworded = renumbered(big, reword=True)
    seconds = best_match_seconds(big, big_reworded, repeats=3)
    pairs = match_tasks(contents(big), contents(big_reworded)).pairs
    right = sum(p.old + 1 == p.new for p in pairs)
    print(f"\nAll {len(merged)} tasks as one plan, renumbered and reworded: {right}/{len(merged)} paired with "
          f"their own successor, matching {ms(seconds)} (best of 3).")

    margins = []
    for name, plan in plans:
        same = pair_scores(contents(plan), contents(plan))
        others = max((score for i, row in enumerate(same) for j, score in enumerate(row) if i != j), default=0.0)
        reworded = pair_scores(contents(plan), contents(renumbered(plan, reword=True)))
        weakest = min(reworded[i][i + 1] for i in range(len(plan.tasks)))
        margins.append({"plan": name, "different_max": others, "reworded_min": weakest})
    print(f"\nThreshold {MATCH_THRESHOLD}: highest score of two different tasks of one plan, lowest of a reworded "
          "task against its old self.\n")
    print(markdown_table(["plan", "different tasks, max", "reworded, min"],
                         [[m["plan"][:32], f"{m['different_max']:.3f}", f"{m['reworded_min']:.3f}"] for m in margins]))
    if options.json:
        with open(options.json, "w") as out:
            json.dump({"plans": raw, "merged": {"tasks": len(merged), "right": right, "match_s": seconds},
                       "margins": margins}, out, indent=1)


if __name__ == "__main__":
    main()
