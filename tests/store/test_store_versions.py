"""A plan's new version keeps its tasks' history: matched by content, not by label."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, UTC

from sqlalchemy import func
from sqlmodel import select

from plan_builders import plan, sha, task
from store.db import session_scope
from store.ingest import ingest_plan
from store.models import Deadline, StatusReport, Task, TaskStatus, TaskUnit
from store.task_matching import TaskContent, match_tasks

# Invented: a county's yearly rule-of-law work points, twelve items in three sections, written
# the way such plans are (stock openings, a responsibility note, a deadline for some items).
_ITEMS = (
    ("一", "健全依法决策机制", "修订县政府重大行政决策程序规定，编制年度重大行政决策事项目录并向社会公布。",
     ("示例县司法局",), ("示例县政府办公室",), (("2031年6月底前", date(2031, 6, 30)),)),
    ("一", "规范行政规范性文件管理", "全面落实规范性文件合法性审核机制，开展规范性文件清理，清理结果向社会公开。",
     ("示例县司法局",), ("县政府各部门",), (("2031年9月底前", date(2031, 9, 30)),)),
    ("一", "推进政务公开标准化", "编制基层政务公开事项标准目录，推动乡镇政务公开专区建设全覆盖。",
     ("示例县政务服务中心",), ("各乡镇人民政府",), ()),
    ("一", "加强法律顾问队伍建设", "县乡两级政府及其部门普遍聘请法律顾问，建立法律顾问履职评价制度。",
     (), ("县政府各部门", "各乡镇人民政府"), ()),
    ("二", "深化综合行政执法改革", "整合执法队伍，厘清乡镇综合行政执法权限，制定赋权事项清单并动态调整。",
     ("示例县委编办",), ("示例县司法局",), (("2031年年底前", date(2031, 12, 31)),)),
    ("二", "全面推行行政执法三项制度", "落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，开展执法案卷评查。",
     ("示例县司法局",), ("县政府各执法部门",), ()),
    ("二", "规范涉企行政检查", "建立涉企检查计划统筹机制，推行“综合查一次”，杜绝重复检查和选择性执法。",
     ("示例县市场监管局",), ("县政府各执法部门",), (("2031年10月底前", date(2031, 10, 31)),)),
    ("二", "提升执法人员素质", "组织执法人员参加不少于六十学时的专门法律知识培训，实行持证上岗和资格管理。",
     ("示例县司法局",), (), ()),
    ("三", "发挥行政复议主渠道作用", "畅通复议申请渠道，在乡镇设立行政复议咨询受理点，提高复议案件办理质效。",
     ("示例县司法局",), ("各乡镇人民政府",), ()),
    ("三", "落实行政机关负责人出庭应诉", "行政机关负责人出庭应诉率保持在百分之九十以上，败诉案件逐案分析整改。",
     (), ("县政府各部门",), (("2031年12月20日前", date(2031, 12, 20)),)),
    ("三", "推进信访工作法治化", "依法分类处理信访诉求，落实信访事项办理全过程告知，推动矛盾纠纷就地化解。",
     ("示例县信访局",), ("各乡镇人民政府",), ()),
    ("三", "加强人民调解工作", "完善县乡村三级调解组织网络，培育个人品牌调解室，调解成功率达到百分之九十五。",
     ("示例县司法局",), ("各乡镇人民政府", "示例县人民法院"), ()),
)

_INSERTED = ("一", "开展法治政府建设示范创建", "对照示范创建指标体系逐项自查，补齐短板弱项，力争创成省级示范县。",
             ("示例县委依法治县办",), ("县政府各部门",), (("2031年11月底前", date(2031, 11, 30)),))


def county_plan(items=_ITEMS, **changes):
    """The items numbered 1… as printed, as a new version of a plan renumbers them."""
    tasks = [
        task(seq, title, label=str(seq), section=section, body=body, lead=lead, responsible=responsible, due=due)
        for seq, (section, title, body, lead, responsible, due) in enumerate(items, start=1)
    ]
    return plan(tasks, title="示例县2031年法治政府建设工作要点", issuer="示例县人民政府",
                doc_number="示政发〔2031〕3号", **changes)


def stored_tasks(engine) -> list[Task]:
    with session_scope(engine) as session:
        return list(session.exec(select(Task).order_by(Task.id)).all())


def unit_shares(engine) -> list[tuple[int, int, int, str]]:
    with session_scope(engine) as session:
        return sorted((s.id, s.task_id, s.unit_id, s.role) for s in session.exec(select(TaskUnit)).all())


def report_count(engine, task_id: int) -> int:
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(StatusReport).where(StatusReport.task_id == task_id)).one()


def give_history(engine) -> dict[int, TaskStatus]:
    """Several tasks with a status, a report and, for one, a milestone met: what a version must keep."""
    statuses = {}
    with session_scope(engine) as session:
        for task_row, status in zip(session.exec(select(Task).order_by(Task.seq)).all(),
                                    [TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.BLOCKED,
                                     TaskStatus.EXTENSION_REQUESTED] * 3):
            task_row.status = status
            session.add(task_row)
            session.add(StatusReport(task_id=task_row.id, status=status, note=f"进展 {task_row.label}"))
            statuses[task_row.id] = status
        first = session.exec(select(Task).where(Task.seq == 1)).one()
        milestone = session.exec(select(Deadline).where(Deadline.task_id == first.id)).one()
        milestone.met_at = datetime(2031, 6, 20, 2, 0, tzinfo=UTC)
        session.add(milestone)
    return statuses


def test_renumbered_version_keeps_every_task_with_its_status_reports_and_milestones(engine):
    ingest_plan(engine, county_plan(), sha("v1"))
    statuses = give_history(engine)
    before = {t.title: t for t in stored_tasks(engine)}
    shares = unit_shares(engine)
    # The new version inserts an item at the top (every later label moves down one) and rewords
    # one title.
    items = [_INSERTED, *_ITEMS]
    items[5] = ("二", "深入推进综合行政执法体制改革", *items[5][2:])

    outcome = ingest_plan(engine, county_plan(items, source="plan-v2.txt"), sha("v2"), on_change="replace")

    assert outcome.kind == "replaced"
    assert (outcome.kept_task_count, outcome.cancelled_task_count) == (12, 0)
    after = {t.id: t for t in stored_tasks(engine)}
    for title, old in before.items():
        carried = after[old.id]
        assert carried.document_id == outcome.document_id
        assert carried.label == str(int(old.label) + 1)
        assert carried.status is statuses.get(old.id, TaskStatus.OPEN)
        assert report_count(engine, old.id) == (1 if old.id in statuses else 0)
    assert after[before["深化综合行政执法改革"].id].title == "深入推进综合行政执法体制改革"
    with session_scope(engine) as session:
        met = session.exec(select(Deadline.met_at).where(Deadline.task_id == before["健全依法决策机制"].id)).one()
    assert met is not None
    inserted = [t for t in after.values() if t.title == _INSERTED[1]]
    assert [(t.label, t.status) for t in inserted] == [("1", TaskStatus.OPEN)]
    assert len(after) == 13
    # Each unit's share of a kept task is the same row (a unit's own answer on it stays attached).
    inserted_ids = {t.id for t in inserted}
    assert [s for s in unit_shares(engine) if s[1] not in inserted_ids] == shares
    changes = outcome.changes
    assert (changes.kept, len(changes.changed), changes.added, changes.dropped) == (0, 12, 1, 0)
    assert [(c.old_label, c.new_label, c.reworded) for c in changes.changed][:5] == [
        ("1", "2", False), ("2", "3", False), ("3", "4", False), ("4", "5", False), ("5", "6", True)]


def test_new_task_is_new_and_removed_task_is_cancelled(engine):
    ingest_plan(engine, county_plan(), sha("v1"))
    before = {t.title: t for t in stored_tasks(engine)}
    items = list(_ITEMS)
    del items[6]  # 规范涉企行政检查 is dropped: every later item moves up one
    items.insert(9, _INSERTED)

    outcome = ingest_plan(engine, county_plan(items), sha("v2"), on_change="replace")

    after = {t.title: t for t in stored_tasks(engine)}
    assert after["规范涉企行政检查"].id == before["规范涉企行政检查"].id
    assert after["规范涉企行政检查"].status is TaskStatus.CANCELLED
    assert after[_INSERTED[1]].id not in {t.id for t in before.values()}
    assert after[_INSERTED[1]].status is TaskStatus.OPEN
    kept = [title for title, t in before.items() if title != "规范涉企行政检查"]
    assert all(after[title].id == before[title].id and after[title].document_id == outcome.document_id
               for title in kept)
    assert (outcome.kept_task_count, outcome.cancelled_task_count) == (11, 1)
    changes = outcome.changes
    assert (changes.kept, len(changes.changed), changes.added, changes.dropped) == (8, 3, 1, 1)


def test_changed_version_reports_its_matching_without_writing(engine):
    ingest_plan(engine, county_plan(), sha("v1"))
    before = stored_tasks(engine)

    outcome = ingest_plan(engine, county_plan([_INSERTED, *_ITEMS]), sha("v2"))

    assert outcome.kind == "changed"
    assert (outcome.changes.kept, len(outcome.changes.changed), outcome.changes.added,
            outcome.changes.dropped) == (0, 12, 1, 0)
    assert stored_tasks(engine) == before


def test_identical_texts_pair_in_order_and_distinct_texts_stay_apart():
    same = TaskContent("1", None, "报送工作总结", "按时报送年度工作总结。")
    other = TaskContent("2", None, "建设数据共享平台", "建成全县统一的政务数据共享交换平台并接入各部门系统。")
    matching = match_tasks([same, same, other], [replace(same, label="2"), replace(same, label="3")])

    assert [(p.old, p.new) for p in matching.pairs] == [(0, 0), (1, 1)]
    assert matching.dropped == (2,)
    assert matching.added == ()


def test_matching_is_the_same_every_time():
    old = [TaskContent(str(n), s, t, b) for n, (s, t, b, *_rest) in enumerate(_ITEMS, start=1)]
    new = [TaskContent(str(n), s, t + "工作", b[:-6]) for n, (s, t, b, *_rest) in enumerate(reversed(_ITEMS), start=1)]

    first = match_tasks(old, new)

    assert all(match_tasks(old, new) == first for _ in range(3))
    assert sorted((p.old, p.new) for p in first.pairs) == [(i, len(old) - 1 - i) for i in range(len(old))]
