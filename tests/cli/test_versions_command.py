"""`deadline-bot ingest` of a plan's new version: the matching is shown, and replacing keeps every task."""
from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from store.db import session_scope
from store.models import Task, TaskStatus

PLAN = """2031年样例县依法行政工作要点

样例县人民政府办公室
2031年2月3日

一、完善制度

{inserted}{n1}. 清理规范性文件。2031年6月底前完成现行规范性文件全面清理。（牵头单位：县司法局；责任单位：县直各部门）

{n2}. 推进政务公开。年内建成政务公开专区。（责任单位：县政务服务中心）

二、强化监督

{n3}. 加强执法监督。开展行政执法案卷评查。（县司法局牵头，县财政局配合）
"""
INSERTED = "1. 编制权责清单。2031年5月底前公布县政府部门权责清单。（牵头单位：县委编办）\n\n"


def write(tmp_path: Path, name: str, inserted: bool) -> Path:
    path = tmp_path / name
    numbers = dict(n1=2, n2=3, n3=4) if inserted else dict(n1=1, n2=2, n3=3)
    path.write_text(PLAN.format(inserted=INSERTED if inserted else "", **numbers), encoding="utf-8")
    return path


def tasks(engine) -> dict[str, Task]:
    with session_scope(engine) as session:
        return {t.title: t for t in session.exec(select(Task)).all()}


def test_new_version_is_previewed_then_replaced_keeping_every_task(cli, tmp_path, engine):
    assert cli("ingest", str(write(tmp_path, "v1.txt", inserted=False))).exit_code == 0
    before = tasks(engine)
    with session_scope(engine) as session:
        done = session.get(Task, before["加强执法监督"].id)
        done.status = TaskStatus.DONE
        session.add(done)

    preview = cli("ingest", str(write(tmp_path, "v2.txt", inserted=True)))

    assert preview.exit_code == 0
    assert "原样保留 0 项，有变动 3 项，新增 1 项，删去 0 项" in preview.stderr
    assert "一、第1项 → 一、第2项：清理规范性文件" in preview.stderr
    assert "二、第3项 → 二、第4项：加强执法监督" in preview.stderr
    assert tasks(engine).keys() == before.keys()

    replaced = cli("ingest", "--on-change", "replace", str(tmp_path / "v2.txt"))

    assert replaced.exit_code == 0 and "已替换旧版" in replaced.stdout
    after = tasks(engine)
    assert {title: after[title].id for title in before} == {title: t.id for title, t in before.items()}
    assert after["加强执法监督"].status is TaskStatus.DONE and after["加强执法监督"].label == "4"
    assert after["编制权责清单"].id not in {t.id for t in before.values()}
