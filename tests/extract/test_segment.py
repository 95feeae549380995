from extract.normalize import paragraphs
from extract.segment import arabic_label, segment_tasks, split_title


def _segments(text: str, language: str = "zh"):
    return segment_tasks(paragraphs(text), language)


def test_chinese_paren_numbers_become_arabic_labels():
    assert arabic_label("十八", "cn_paren") == "18"
    assert arabic_label("三十二", "cn_paren") == "32"


def test_heading_on_its_own_line_is_the_title():
    segs = _segments("一、强化监管\n（一）完善抽查机制\n全面推行双随机抽查。（责任单位：县市场监管局）")
    assert [(s.label, s.section, s.title) for s in segs] == [("1", "一", "完善抽查机制")]
    assert segs[0].body.startswith("全面推行双随机抽查")


def test_title_runs_to_the_first_full_stop():
    assert split_title("优化企业开办。推行全程网办，压缩时限。", False, "zh") == ("优化企业开办", "推行全程网办，压缩时限。")


def test_arabic_items_under_sections_are_tasks():
    text = "一、深化改革\n1. 推进审批改革。压缩时限。\n2. 优化服务。推广网办。\n二、加强监督\n3. 完善监督。强化问责。"
    segs = _segments(text)
    assert [(s.label, s.section) for s in segs] == [("1", "一"), ("2", "一"), ("3", "二")]


def test_guiding_ideology_and_goals_are_not_tasks():
    text = ("一、总体要求\n（一）指导思想\n坚持以人民为中心。\n（二）工作目标\n到2025年基本建成。\n"
            "二、主要任务\n（三）推进依法决策。严格执行决策程序。（责任单位：市司法局）")
    assert [s.label for s in _segments(text)] == ["3"]


def test_level_with_responsibility_notes_holds_the_tasks():
    text = ("一、提升服务\n（一）政务服务\n1．推行一网通办。上线服务。（牵头单位：市数据局）\n"
            "2．推进跨省通办。扩大范围。（牵头单位：市政务服务中心）")
    assert [(s.label, s.section, s.title) for s in _segments(text)] == [("1", "一", "推行一网通办"), ("2", "一", "推进跨省通办")]


def test_signature_and_date_after_last_task_are_not_part_of_it():
    text = "一、任务\n1.加强宣传。开展普法活动。\n某某县人民政府办公室\n2024年1月5日\n（此件公开发布）"
    assert _segments(text)[-1].body == "开展普法活动。"


def test_closing_paragraph_after_last_noted_task_is_dropped():
    text = "一、任务\n（一）加强宣传。开展普法。（责任单位：县司法局）\n各单位要高度重视，确保落实。"
    assert "高度重视" not in _segments(text)[-1].text


def test_english_decimal_items_are_tasks_within_numbered_sections():
    text = "1. Governance\n1.1 Set up a steering group. Meet monthly. (Lead: Mayor's Office)\n2. Housing\n2.1 Build homes. Start works. (Lead: Housing Agency)"
    segs = _segments(text, "en")
    assert [(s.label, s.section, s.title) for s in segs] == [("1.1", "1", "Set up a steering group"), ("2.1", "2", "Build homes")]
