"""The chat import preview: review flags counted by kind first, then at most a few in full."""
from __future__ import annotations

from dataclasses import replace

from bot.i18n import Catalogue
from bot.imports import PREVIEW_FLAGS, summary_text
from extract.plan import extract_plan


def plan_without_units(count: int) -> str:
    """An invented plan: `count` tasks with a deadline and no unit, and one deadline after the plan's year."""
    items = "\n\n".join(f"{n}. 推进第{n}项改革。2031年{n % 12 + 1}月底前完成。" for n in range(1, count + 1))
    return f"2031年样例市改革工作要点\n\n一、重点任务\n\n{items}\n\n{count + 1}. 健全长效机制。2032年年底前出台办法。（责任单位：市司法局）\n"


def test_preview_leads_with_counts_per_kind_and_keeps_the_detail_short():
    plan = extract_plan(plan_without_units(14), "p.txt")
    codes = [f.code for f in plan.review_flags]
    assert codes.count("task_without_units") == 14 and "deadline_after_period_end" in codes
    text = summary_text(plan, Catalogue())
    lines = text.splitlines()
    counts = next(line for line in lines if line.startswith("⚠️ 需核对："))
    assert "14 项任务无责任单位" in counts and "1 个期限晚于计划期末" in counts
    # The counts come before any single flag.
    assert lines.index(counts) < min(i for i, line in enumerate(lines) if line.startswith("⚠️ 请核对"))
    assert sum(line.startswith("⚠️ 请核对") for line in lines) == PREVIEW_FLAGS
    assert f"另有 {len(plan.review_flags) - PREVIEW_FLAGS} 条" in lines[-1]


def test_preview_in_english_and_without_flags():
    plan = extract_plan(plan_without_units(2), "p.txt")
    lines = summary_text(plan, Catalogue("en")).splitlines()
    counts = next(line for line in lines if line.startswith("⚠️ To check:"))
    assert "2 task(s) without a unit" in counts and "1 deadline(s) after the period end" in counts
    assert not any("more" in line for line in lines)  # few enough to list them all
    clean = replace(plan, review_flags=[])
    assert summary_text(clean, Catalogue()).splitlines()[-1] == "未发现需要核对的问题。"
