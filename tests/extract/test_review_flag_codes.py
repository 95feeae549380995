"""Review flags about how far a unit list can be trusted (invented snippets)."""
from __future__ import annotations

from extract.model import ReviewFlag
from extract.notecheck import unclosed_unit_list
from extract.plan import extract_plan
from extract.responsibility import read_responsibility

HEAD = "2031年样例区城市管理工作要点\n\n一、重点任务\n\n"


def test_a_note_whose_bracket_never_closes_is_flagged_and_still_read():
    plan = extract_plan(HEAD + "1. 整治背街小巷。2031年8月底前完成。（牵头单位：区城管局；责任单位：区住建局\n\n"
                               "2. 更新路灯设施。2031年10月底前完成。（牵头单位：区城管局）\n", "p.txt")
    first, second = plan.tasks
    assert first.lead_units == ["区城管局"] and first.responsible_units == ["区住建局"]
    assert ReviewFlag("unclosed_unit_list", task=1) in plan.review_flags
    assert ReviewFlag("unclosed_unit_list", task=2) not in plan.review_flags


def test_closed_notes_read_the_same_and_raise_nothing():
    closed = "开展专项整治。（牵头单位：区城管局；责任单位：区住建局、区交通局）"
    assert not unclosed_unit_list(closed)
    units = read_responsibility(closed)
    assert (units.lead, units.responsible) == (["区城管局"], ["区住建局", "区交通局"])


def test_an_open_bracket_that_is_not_a_note_is_not_this_flag():
    # A parenthetical aside left open is prose, not a unit list.
    assert not unclosed_unit_list("完善停车设施（包括新建和改造停车泊位。\n下一段。")
    assert unclosed_unit_list("Improve street lighting (Lead: City Works Department; Partners: Transport Office\n")


def test_a_name_wrapped_by_a_page_break_is_not_an_unclosed_note():
    assert not unclosed_unit_list("开展专项整治。（牵头单位：区城管局；责任单位：区住\n\n建局）")
