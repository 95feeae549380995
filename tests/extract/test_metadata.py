from datetime import date

from extract.metadata import detect_language, period_end, read_head
from extract.normalize import paragraphs

COVER = """成都市人民政府办公厅
关于印发成都市2025年数字政府建设
工作要点的通知
成办函〔2025〕8号

各区（市）县政府，市政府各部门：

现将《成都市2025年数字政府建设工作要点》印发给你们，请认真贯彻执行。

成都市人民政府办公厅
2025年2月14日

成都市2025年数字政府建设工作要点

一、夯实数字底座
"""


def _head(text: str):
    return read_head(paragraphs(text), detect_language(text))


def test_cover_notice_spread_over_lines_gives_issuer_and_title():
    meta = _head(COVER).meta
    assert meta.issuer == "成都市人民政府办公厅"
    assert meta.title == "成都市2025年数字政府建设工作要点"


def test_doc_number_on_its_own_line_is_found():
    assert _head(COVER).meta.doc_number == "成办函〔2025〕8号"


def test_date_under_signature_is_the_issue_date():
    assert _head(COVER).meta.issued_on == date(2025, 2, 14)


def test_body_starts_after_the_plans_own_title():
    head = _head(COVER)
    assert paragraphs(COVER)[head.body_start] == "一、夯实数字底座"


def test_annual_plan_ends_on_december_31_of_its_year():
    assert period_end("广东省2026年普法工作要点") == date(2026, 12, 31)


def test_multi_year_plan_ends_with_its_last_year():
    assert period_end("江西省法治社会建设实施方案（2021—2025年）") == date(2025, 12, 31)


def test_labelled_issue_date_wins_over_later_dates():
    text = "成文日期 :2024-07-01\n某某县2024年工作要点\n一、任务\n2024年8月1日"
    assert _head(text).meta.issued_on == date(2024, 7, 1)


def test_chinese_numeral_date_line_is_read():
    text = "某某市2024年工作要点\n某某市人民政府\n二〇二四年三月五日"
    assert _head(text).meta.issued_on == date(2024, 3, 5)


def test_no_doc_number_gives_none():
    text = "中共某某县委关于印发《某某县2023年法治建设工作要点》的通知\n2023年5月8日\n某某县2023年法治建设工作要点"
    assert _head(text).meta.doc_number is None


def test_english_plan_metadata():
    text = "Harbour City Waste Reduction Action Plan 2026\nIssued by: Harbour City Council\nDate: 3 February 2026\n1. Collection"
    meta = _head(text).meta
    assert detect_language(text) == "en"
    assert (meta.title, meta.issuer) == ("Harbour City Waste Reduction Action Plan 2026", "Harbour City Council")
    assert (meta.issued_on, meta.period_end) == (date(2026, 2, 3), date(2026, 12, 31))


def test_first_short_line_is_the_title_when_nothing_else_names_one():
    text = "某某区2025年河湖治理重点工作\n1.清理河道。完成清淤。（责任单位：区水务局）"
    head = _head(text)
    assert head.meta.title == "某某区2025年河湖治理重点工作"
    assert head.meta.period_end == date(2025, 12, 31)


def test_chinese_numeral_date_after_a_label_is_read():
    text = "成文日期：二〇二七年十二月三十一日\n某某县2028年工作要点\n一、任务"
    assert _head(text).meta.issued_on == date(2027, 12, 31)


def test_english_issuer_and_date_in_a_sentence():
    text = ("Northgate Water Plan 2027\nPublished by the Northgate Water Board on 4 March 2027. Reference: NWB-27-3.\n"
            "1. Leaks")
    meta = _head(text).meta
    assert (meta.issuer, meta.issued_on, meta.doc_number) == ("Northgate Water Board", date(2027, 3, 4), "NWB-27-3")


def test_markdown_title_loses_its_heading_marks():
    text = "# Northgate Water Plan 2027\n\n## 1. Leaks\n"
    assert _head(text).meta.title == "Northgate Water Plan 2027"


def test_issued_by_sentence_inside_a_task_is_not_the_issuer():
    text = "Eastfield Library Plan 2027\n1. Guides. Reprint the guide published by the Friends Group on 2 May 2020."
    meta = _head(text).meta
    assert (meta.issuer, meta.issued_on) == (None, None)
