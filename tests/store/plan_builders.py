"""Small invented plans for the store tests, built from extract.model's dataclasses."""
from __future__ import annotations

import hashlib
from datetime import date

from extract.model import Deadline, DocumentMeta, ExtractedPlan, ExtractedTask


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def task(
    seq: int,
    title: str,
    *,
    label: str | None = None,
    section: str | None = "一",
    lead: tuple[str, ...] = (),
    responsible: tuple[str, ...] = (),
    cooperating: tuple[str, ...] = (),
    due: tuple[tuple[str, date], ...] = (),
    body: str = "",
) -> ExtractedTask:
    return ExtractedTask(
        seq=seq,
        label=label or str(seq),
        section=section,
        title=title,
        text_start=body[:12],
        body=body or f"{title}的具体要求。",
        lead_units=list(lead),
        responsible_units=list(responsible),
        cooperating_units=list(cooperating),
        deadlines=[Deadline(phrase=phrase, due=d, quote=f"{title}，{phrase}") for phrase, d in due],
    )


def plan(
    tasks: list[ExtractedTask],
    *,
    title: str | None = "示例市2031年营商环境改进工作方案",
    issuer: str | None = "示例市人民政府办公室",
    doc_number: str | None = "示政办发〔2031〕7号",
    period_end: date | None = date(2031, 12, 31),
    source: str = "plan.txt",
) -> ExtractedPlan:
    return ExtractedPlan(
        source=source,
        language="zh",
        document=DocumentMeta(
            title=title, issuer=issuer, doc_number=doc_number, issued_on=date(2031, 2, 1), period_end=period_end
        ),
        tasks=tasks,
    )


def business_plan() -> ExtractedPlan:
    """Three tasks: an explicit deadline, two deadlines, and none (falls back to the period end)."""
    return plan(
        [
            task(
                1,
                "压减开办企业时间",
                lead=("示例市市场监管局",),
                cooperating=("示例市税务局", "示例市政务服务中心（示例市数据资源局）"),
                due=(("2031年6月底前", date(2031, 6, 30)),),
            ),
            task(
                2,
                "推行电子证照互认",
                responsible=("示例市政务服务中心（示例市数据资源局）",),
                due=(("2031年9月底前", date(2031, 9, 30)), ("2031年3月底前", date(2031, 3, 31))),
            ),
            task(3, "健全营商环境投诉机制", responsible=("各区县人民政府", "示例市司法局")),
        ]
    )
