"""Which spreadsheet is a corrections sheet (bot.correction_sheet.corrections_cells): by its header,
in either language, whatever the file is called; what is kept of it; what is refused."""
from __future__ import annotations

import io

import openpyxl
import pytest

from bot.correction_sheet import UnreadableSheet, corrections_cells


def workbook(*rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_sheet_is_known_by_its_header_in_either_language_and_only_the_read_columns_are_kept():
    zh = workbook(["任务ID", "所属方案", "任务", "报告人", "截止日期"], [7, "方案", "标题", "李", "2031-06-30"], [],
                  [8, "方案", "另一项"])
    assert corrections_cells(zh, "随便起的名字.xlsx") == [["任务ID", "任务", "截止日期"], ["7", "标题", "2031-06-30"],
                                                      ["", "", ""], ["8", "另一项", ""]]
    en = "Task ID,Task,Status\r\n7,A title,done\r\n".encode("utf-8-sig")
    assert corrections_cells(en, "plan.csv") == [["Task ID", "Task", "Status"], ["7", "A title", "done"]]


def test_a_plan_laid_out_as_a_table_is_not_a_corrections_sheet():
    assert corrections_cells(workbook(["序号", "重点任务", "牵头单位", "完成时限"], [1, "推行一网通办。", "市局", "6月底前"]),
                             "任务ID.xlsx") is None
    assert corrections_cells(b"", "empty.csv") is None


@pytest.mark.parametrize(("data", "name", "words"), [
    (b"PK\x03\x04 broken", "a.xlsx", "a.xlsx"),
    (b"\xff\xfe\x00\xd8" * 10, "b.csv", "b.csv"),
    ("任务ID\n".encode() + b"," * 2_000_001, "c.csv", "2,000,000"),
])
def test_a_broken_or_huge_file_is_one_line_naming_it(data, name, words):
    with pytest.raises(UnreadableSheet, match=words) as caught:
        corrections_cells(data, name)
    assert "\n" not in str(caught.value)
