"""The whole extraction against two general time-expression parsers, side by side in one run.

    python -m bench.time_parsers_bench [--rounds N] [--json FILE]

Over the same documents (../shared/corpus and ../shared/corpus-b, the plans that have gold):

- **speed**: documents/s and MB/s of the whole extraction as `deadline-bot extract` runs it
  (bytes decoded and read, then segmentation, owners, time grammar, recurrences, metadata, and the
  plan written as the JSON the command writes) and of a plain time-expression pass of jionlp
  (`jio.ner.extract_time`) and of dateparser (`search_dates`) over each whole document. The
  three run interleaved, round after round, warm, in this one process; the median round counts,
  in the process's CPU time (on a shared machine the wall time of a round swings with the
  neighbours' load, which would favour whichever pass a busy moment spared).
- **deadline F1** against ../shared/gold + ../shared/gold-b: our own deadlines as extracted, and
  for each parser, every date it finds in a task's text taken as that task's deadline (the end of
  a span, the day itself for a point). Both parsers get the context our extractor has: the task
  boundaries from our segmentation and 1 January of the plan's year as the reference date. This
  measures the time grammar alone; neither parser knows that "2017年底前" is a deadline and
  "2012年起" a start point, which is most of the gap.

jionlp is installed for this benchmark only (`pip install jionlp`); without it its rows are skipped.
"""
from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from bench.measure import markdown_table
from extract.metadata import detect_language, read_head
from extract.model import ExtractedPlan, plan_to_json
from extract.normalize import paragraphs
from extract.plan import extract_document
from extract.reading import read_document_bytes

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPORA = (("corpus", "gold"), ("corpus-b", "gold-b"))


def documents() -> list[tuple[str, bytes, str, dict]]:
    """(name, the file's bytes, its decoded text, gold) for every gold file whose plan is present."""
    found = []
    for corpus, gold_dir in CORPORA:
        for gold_file in sorted((SHARED / gold_dir).glob("*.json")):
            source = SHARED / corpus / (gold_file.stem + ".txt")
            if source.exists():
                found.append((source.name, source.read_bytes(), source.read_text(encoding="utf-8"),
                              json.loads(gold_file.read_text(encoding="utf-8"))))
    if not found:
        sys.exit(f"time_parsers_bench: no corpus with gold under {SHARED}")
    return found


def plan_year(text: str) -> int:
    language = detect_language(text)
    return read_head(paragraphs(text), language).plan_year or date.today().year


def jionlp_dates(jio) -> Callable[[str, int], list[date]]:
    def dates(text: str, year: int) -> list[date]:
        base = datetime(year, 1, 1).timestamp()
        found = []
        for entity in jio.ner.extract_time(text, time_base=base, with_parsing=True):
            detail = entity.get("detail") or {}
            if detail.get("type") not in ("time_point", "time_span"):
                continue
            bounds = [t for t in detail.get("time") or [] if isinstance(t, str) and t[:1].isdigit()]
            if bounds:
                found.append(datetime.fromisoformat(bounds[-1]).date())
        return found
    return dates


def dateparser_dates() -> Callable[[str, int], list[date]]:
    from dateparser.search import search_dates

    def dates(text: str, year: int) -> list[date]:
        settings = {"RELATIVE_BASE": datetime(year, 1, 1), "PREFER_DAY_OF_MONTH": "last"}
        return [when.date() for _, when in search_dates(text, languages=["zh", "en"], settings=settings) or []]
    return dates


def ours(data: bytes, name: str) -> ExtractedPlan:
    """The whole extraction as `deadline-bot extract` runs it: bytes read and decoded, then the plan."""
    return extract_document(read_document_bytes(data, name))


def ours_as_json(data: bytes, name: str) -> str:
    """`ours`, and the plan written as `deadline-bot extract` writes it."""
    return json.dumps(plan_to_json(ours(data, name)), ensure_ascii=False, indent=1) + "\n"


def with_parser_deadlines(plan: ExtractedPlan, parse: Callable[[str, int], list[date]], year: int) -> dict:
    """Our tasks in the gold's JSON, each task's deadlines replaced by every date the parser finds in it."""
    extracted = plan_to_json(plan)
    for task, found in zip(plan.tasks, extracted["tasks"], strict=True):
        dues = sorted({d.isoformat() for d in parse(f"{task.title}\n{task.body}", year)})
        found["deadlines"] = [{"phrase": d, "due": d, "quote": ""} for d in dues]
    return extracted


def deadline_f1(readings: list[tuple[dict, dict]]) -> tuple[float, float, float]:
    sys.path.insert(0, str(SHARED / "eval"))
    import score  # the shared scorer, as the acceptance figures use it

    counts = score.Counts()
    for gold, predicted in readings:
        counts.merge(score.score_document(gold, predicted)["counts"]["deadlines"])
    return counts.prf()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--json", help="also write the raw results here")
    options = parser.parse_args(argv)

    docs = documents()
    megabytes = sum(len(data) for _, data, _, _ in docs) / 2**20
    years = {name: plan_year(text) for name, _, text, _ in docs}
    ours_label = "deadline-bot (read + extract + JSON)"
    passes: dict[str, Callable[[bytes, str, str], object]] = {ours_label: lambda data, text, name: ours_as_json(data, name)}
    parsers: dict[str, Callable[[str, int], list[date]]] = {}
    try:
        import jionlp
        parsers["jionlp extract_time"] = jionlp_dates(jionlp)
        # jionlp logs a traceback for every phrase it gives up on ("3年", "度"): not this benchmark's output.
        logging.disable(logging.ERROR)
    except ImportError:
        print("jionlp is not installed (pip install jionlp): its rows are skipped", file=sys.stderr)
    parsers["dateparser search_dates"] = dateparser_dates()
    for label, parse in parsers.items():
        passes[label] = lambda data, text, name, parse=parse: parse(text, years[name])

    for run in passes.values():  # warm-up: imports, caches, jionlp's dictionaries
        for name, data, text, _ in docs[:2]:
            run(data, text, name)
    seconds: dict[str, list[float]] = {label: [] for label in passes}
    for _ in range(options.rounds):
        for label, run in passes.items():
            began = time.process_time()
            for name, data, text, _ in docs:
                run(data, text, name)
            seconds[label].append(time.process_time() - began)

    plans = {name: ours(data, name) for name, data, _, _ in docs}
    f1 = {ours_label: deadline_f1([(gold, plan_to_json(plans[name])) for name, _, _, gold in docs])}
    for label, parse in parsers.items():
        f1[label] = deadline_f1([(gold, with_parser_deadlines(plans[name], parse, years[name]))
                                 for name, _, _, gold in docs])

    fastest = min(statistics.median(s) for s in seconds.values())
    rows, results = [], {}
    for label, samples in seconds.items():
        median = statistics.median(samples)
        p, r, f = f1[label]
        results[label] = {"median_s": median, "documents_per_s": len(docs) / median,
                          "mb_per_s": megabytes / median, "deadlines_prf": [p, r, f]}
        rows.append([label, f"{len(docs) / median:,.1f}", f"{megabytes / median:,.3f}",
                     f"{median / fastest:.2f}×", f"{p:.3f}", f"{r:.3f}", f"{f:.3f}"])
    print(f"### Extraction vs. time parsers ({len(docs)} documents, {megabytes:.3f} MB, "
          f"median of {options.rounds} interleaved rounds, CPU time)\n")
    print(markdown_table(["pass", "documents/s", "MB/s", "time vs. fastest", "deadline P", "deadline R",
                          "deadline F1"], rows))
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
