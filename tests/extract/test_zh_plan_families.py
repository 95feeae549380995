"""Chinese plan shapes met on unseen plans (heldout6), each as a family on a plan of our own
writing: Republic-of-China years, parts numbered 壹/貳/參, Taiwanese role and schedule labels,
web task lists pasted one cell per line, bracketed deadline labels, bodies named 供销社."""
from __future__ import annotations

from datetime import date

from extract.metadata import read_head
from extract.normalize import paragraphs
from extract.plan import extract_document, extract_plan
from extract.reading import read_document_bytes
from extract.responsibility import read_responsibility
from extract.timex import find_deadlines, find_recurrences

TAIWANESE_PLAN = """楓林縣政府113年度社區照顧推動計畫
中華民國113年3月5日府衛照字第1130012345號函核定

壹、計畫依據
依據本縣長期照顧發展規劃辦理。

貳、計畫期程
自113年1月1日起至113年12月31日止。

參、工作項目
一、照顧服務
（一）增設照顧據點
於各區增設照顧據點，113年10月底前新增據點8處，並每季辦理訪視。
主辦機關：衛生局
協辦機關：社會處、各區公所
預定完成期程：113年10月31日
（二）推動共餐服務
結合社區團體辦理長者共餐，113.6.30前完成10處共餐點。
主辦機關：社會處
協辦機關：教育處
預定完成期程：113.6.30
二、社會參與
（一）辦理志工培訓
每半年辦理志工培訓一次。
主辦機關：社會處
協辦機關：文化處
預定完成期程：持續辦理
（二）設置學習據點
設置長青學習據點3處。
主辦機關：教育處
協辦機關：民政處
預定完成期程：113年第3季

肆、預期效益
一、照顧據點涵蓋率達80%以上。
二、共餐服務人次成長20%。
"""


def _taiwanese_plan():
    return extract_document(read_document_bytes(TAIWANESE_PLAN.encode("utf-8"), "fenglin.txt"))


def test_republic_of_china_years_are_read_as_common_era_and_quoted_as_printed():
    plan = _taiwanese_plan()
    first, second = plan.tasks[0], plan.tasks[1]
    assert [(d.phrase, d.due) for d in first.deadlines] == [("113年10月底前", date(2024, 10, 31))]
    assert [(d.phrase, d.due) for d in second.deadlines] == [("113.6.30前", date(2024, 6, 30))]
    assert plan.document.period_end == date(2024, 12, 31)


def test_a_year_counted_from_the_republic_is_read_after_its_era_name_in_simplified_text_too():
    text = "（一）完成平台建设。民国113年6月底前完成。（县数据局负责）"
    document = read_document_bytes(text.encode("utf-8"), "roc.txt")
    plan = extract_document(document)
    assert [(d.phrase, d.due) for d in plan.tasks[0].deadlines] == [("113年6月底前", date(2024, 6, 30))]


def test_a_count_of_years_is_no_era_year():
    text = "（一）完成平台建设。民国113年6月底前完成，10年内保持运行。（县数据局负责）"
    document = read_document_bytes(text.encode("utf-8"), "roc.txt")
    assert "10年内" in document.text and "2024年6月底前" in document.text


def test_traditional_words_come_back_as_the_file_prints_them_not_character_by_character():
    # 計畫 and 規劃 both become 计划 / 规划 in simplified: the title keeps the file's 計畫.
    plan = _taiwanese_plan()
    assert plan.document.title == "楓林縣政府113年度社區照顧推動計畫"


def test_parts_numbered_in_formal_numerals_hold_the_sections_and_tasks():
    plan = _taiwanese_plan()
    assert [(t.label, t.title) for t in plan.tasks] == [
        ("1", "增設照顧據點"), ("2", "推動共餐服務"), ("1", "辦理志工培訓"), ("2", "設置學習據點")]


def test_the_section_of_a_task_under_a_part_is_the_section_numeral_not_the_parts():
    assert [t.section for t in _taiwanese_plan().tasks] == ["一", "一", "二", "二"]


def test_host_and_assisting_agencies_are_lead_and_cooperating():
    plan = _taiwanese_plan()
    first = plan.tasks[0]
    assert first.lead_units == ["衛生局"]
    assert first.cooperating_units == ["社會處", "各區公所"]


def test_a_schedule_field_is_no_tail_of_a_short_unit_name_above_it():
    assert paragraphs("协办机关：文化处\n预定完成期程：持续办理") == ["协办机关：文化处", "预定完成期程：持续办理"]
    assert _taiwanese_plan().tasks[2].cooperating_units == ["文化處"]


def test_a_heading_ending_in_a_role_word_names_no_unit():
    assert read_responsibility("社会参与").is_empty()
    assert read_responsibility("三、社会参与\n（一）办理志工培训").is_empty()


def test_quarter_words_of_taiwanese_plans():
    assert [r.freq for r in find_recurrences("并每季办理访视。", "zh")] == ["quarterly"]
    assert [d.due for d in find_deadlines("2024年第3季完成。", 2024, "zh")] == [date(2024, 9, 30)]
    assert _taiwanese_plan().tasks[3].deadlines[0].phrase == "113年第3季"


def test_expected_benefits_are_no_tasks():
    titles = [t.title for t in _taiwanese_plan().tasks]
    assert len(titles) == 4 and all("涵蓋率" not in title for title in titles)


def test_an_adopting_line_gives_the_date_and_number_and_a_title_may_open_with_its_issuer():
    meta = _taiwanese_plan().document
    assert meta.issued_on == date(2024, 3, 5)
    assert meta.doc_number == "府衛照字第1130012345號"
    assert meta.issuer == "楓林縣政府"
    head = read_head(paragraphs("桐溪市人民政府2026年度河道整治工作计划\n一、总体要求"), "zh")
    assert head.meta.issuer == "桐溪市人民政府"


def test_a_bracketed_deadline_label_ends_the_note_before_it():
    text = ("1.整治农贸市场。完成3个市场改造。【牵头单位】县市场监管局【责任单位】县商务局、城关镇"
            "【完成时限】2027/09/30\n2.整治背街小巷。完成20条改造。【牵头单位】县住建局【完成时限】2027.10.31前")
    plan = extract_plan(text, "brackets.txt")
    assert plan.tasks[0].responsible_units == ["县商务局", "城关镇"]
    assert plan.tasks[1].lead_units == ["县住建局"]
    assert [d.due for d in plan.tasks[1].deadlines] == [date(2027, 10, 31)]


def test_a_supply_and_marketing_cooperative_is_a_body():
    assert read_responsibility("（市供销社、市商务局负责，市城管局指导）").responsible == [
        "市供销社", "市商务局", "市城管局"]


CELLS_WITH_CONTINUATION = """松溪高新区2026年消防安全重点任务清单
序号
重点任务
牵头单位
完成时限
1
排查高层建筑消防通道。
区消防救援大队
2026.05.31前
2
更新老旧小区消防设施。
区建设局
2026/08/31
（续表）
序号
重点任务
牵头单位
完成时限
3
建设智慧消防平台。
区数据中心
2026-10-31
序号
重点任务
牵头单位
完成时限
4
开展消防宣传月活动。
区应急局
11月底前
"""


def test_a_table_pasted_one_cell_per_line_goes_on_after_a_continuation_and_its_repeated_header():
    document = read_document_bytes(CELLS_WITH_CONTINUATION.encode("utf-8"), "cells.txt")
    plan = extract_document(document)
    assert [(t.label, t.lead_units) for t in plan.tasks] == [
        ("1", ["区消防救援大队"]), ("2", ["区建设局"]), ("3", ["区数据中心"]), ("4", ["区应急局"])]
    assert [d.due for d in plan.tasks[2].deadlines] == [date(2026, 10, 31)]


def test_a_row_cut_by_a_continuation_goes_on_under_the_repeated_header():
    cut = CELLS_WITH_CONTINUATION.replace("更新老旧小区消防设施。\n区建设局\n2026/08/31\n（续表）\n序号\n重点任务\n牵头单位\n完成时限\n",
                                          "更新老旧小区消防设施。\n区建设局\n（续表）\n序号\n重点任务\n牵头单位\n完成时限\n2026/08/31\n")
    plan = extract_document(read_document_bytes(cut.encode("utf-8"), "cut.txt"))
    assert [t.label for t in plan.tasks] == ["1", "2", "3", "4"]
    assert [d.due for d in plan.tasks[1].deadlines] == [date(2026, 8, 31)]


def test_the_body_signing_above_the_date_is_the_issuer_not_the_office_that_posted_the_page():
    head = read_head(paragraphs("发布机构：松溪高新区党政办公室\n成文日期：2026年03月02日\n"
                                "关于印发《松溪高新区2026年消防安全重点任务清单》的通知\n各部门：\n现印发给你们。\n"
                                "松溪高新区管理委员会\n2026年3月2日\n松溪高新区2026年消防安全重点任务清单\n一、重点任务"), "zh")
    assert head.meta.issuer == "松溪高新区管理委员会"
    assert head.meta.issued_on == date(2026, 3, 2)


def test_every_task_of_a_long_traditional_plan_keeps_its_own_printed_words():
    items = "\n".join(f"{i}.推動數據共享第{i}項，強化規劃。（縣數據資源管理局負責）完成時限：114年6月底前"
                      for i in range(1, 601))
    plan = extract_document(read_document_bytes(f"楓林縣114年度數據計畫\n{items}".encode("utf-8"), "long.txt"))
    assert len(plan.tasks) == 600
    assert {(t.deadlines[0].phrase, t.responsible_units[0]) for t in plan.tasks} == {("114年6月底前", "縣數據資源管理局")}
    assert plan.tasks[-1].title == "推動數據共享第600項，強化規劃"
