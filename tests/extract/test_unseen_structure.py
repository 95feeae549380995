"""Plan layouts the corpus does not show, read end to end: invented plans, fictional places.

Conventions these tests pin down (the gold annotations' reading of the corpus):
- a task is a numbered item that assigns work; "一是…；二是…" inside an item is that item's body;
- "（1）" points under a "1." task are part of its body, not tasks of their own;
- items under 保障措施 / 组织领导 sections are tasks (they assign work), while numbered
  principles and goals under 指导思想 / 基本原则 / 工作目标 are not;
- a plan whose title names no year has no known period end: it is flagged, never guessed.
"""
from __future__ import annotations

from datetime import date

from extract.plan import extract_plan


def _shape(plan):
    return [(t.section, t.label, t.title) for t in plan.tasks]


def _flags(plan):
    return {f.code for f in plan.review_flags}


# (a) Sections numbered "1." with tasks numbered "1." again under each of them.
SAME_STYLE_SECTIONS = """青禾县2026年河湖保护工作要点

1. 总体要求
以改善水环境质量为核心，统筹推进河湖治理，让群众看得见清水绿岸。
2. 重点任务
1. 开展河道清淤。完成城区主要河道清淤疏浚。（责任单位：县水利局）
2. 整治入河排污口。建立排污口台账，逐一整治销号。（牵头单位：县生态环境局；责任单位：各乡镇人民政府）
3. 推进岸线绿化。新增岸线绿化12公里。（责任单位：县林业局）
3. 保障措施
1. 加强组织领导。各乡镇明确分管负责人，按月调度进展。（责任单位：各乡镇人民政府）
2. 强化督查考核。将河湖保护纳入年度综合考核。（责任单位：县委督查室）

青禾县人民政府办公室
2026年3月5日
"""

SAME_STYLE_TITLES_ON_OWN_LINES = """青禾县2026年河湖保护工作要点

1. 重点任务
1. 开展河道清淤
完成城区主要河道清淤疏浚。（责任单位：县水利局）
2. 整治入河排污口
建立排污口台账，逐一整治销号。（责任单位：县生态环境局）
2. 保障措施
1. 强化督查考核
将河湖保护纳入年度综合考核。（责任单位：县委督查室）
"""

ARABIC_SECTIONS_PAREN_TASKS = """青禾县2026年河湖保护工作要点

1. 主要任务
（1）开展河道清淤。完成城区主要河道清淤疏浚。（责任单位：县水利局）
（2）整治入河排污口。建立排污口台账。（责任单位：县生态环境局）
2. 保障措施
（1）强化督查考核。将河湖保护纳入年度综合考核。（责任单位：县委督查室）
"""


def test_same_style_restart_under_a_heading_nests_the_tasks():
    plan = extract_plan(SAME_STYLE_SECTIONS, "qinghe.txt")
    assert _shape(plan) == [
        ("2", "1", "开展河道清淤"), ("2", "2", "整治入河排污口"), ("2", "3", "推进岸线绿化"),
        ("3", "1", "加强组织领导"), ("3", "2", "强化督查考核")]
    assert plan.tasks[-1].body == "将河湖保护纳入年度综合考核。（责任单位：县委督查室）"


def test_same_style_sections_with_titles_on_their_own_lines():
    plan = extract_plan(SAME_STYLE_TITLES_ON_OWN_LINES, "qinghe.txt")
    assert _shape(plan) == [("1", "1", "开展河道清淤"), ("1", "2", "整治入河排污口"), ("2", "1", "强化督查考核")]


def test_arabic_sections_hold_paren_tasks():
    plan = extract_plan(ARABIC_SECTIONS_PAREN_TASKS, "qinghe.txt")
    assert _shape(plan) == [("1", "1", "开展河道清淤"), ("1", "2", "整治入河排污口"), ("2", "1", "强化督查考核")]


# (b) 一、 sections, （一） groups, 1. tasks, （1） sub-measures inside the tasks.
FOUR_LEVELS = """白石市2026年社区治理实施方案

一、主要任务
（一）夯实基层基础
1. 建强社区工作者队伍。按常住人口比例配齐社区工作者。
（1）公开招聘一批社区工作者；
（2）每年开展一次全员轮训。
（责任单位：市民政局、各区人民政府）
2. 完善社区服务设施。新建改造社区综合服务设施20处，2026年10月底前完工。（牵头单位：市民政局；配合单位：市住建局）
（二）提升服务能力
3. 推广社区帮办服务。在全部社区设立帮办代办窗口。
（1）制定帮办事项清单；
（2）2026年6月底前实现全覆盖。
（责任单位：市政务服务中心）
二、保障措施
4. 加强经费保障。统筹安排社区治理经费。（责任单位：市财政局）
"""

FOUR_LEVELS_WITHOUT_NOTES = """白石市2026年社区治理实施方案

一、主要任务
（一）夯实基层基础
1. 建强社区工作者队伍。按常住人口比例配齐社区工作者。
（1）公开招聘一批社区工作者；
（2）每年开展一次全员轮训。
2. 完善社区服务设施。新建改造社区综合服务设施20处。
（二）提升服务能力
3. 推广社区帮办服务。在全部社区设立帮办代办窗口。
（1）制定帮办事项清单；
（2）实现帮办服务全覆盖。
"""


def test_points_under_a_task_are_its_body():
    plan = extract_plan(FOUR_LEVELS, "baishi.txt")
    assert _shape(plan) == [
        ("一", "1", "建强社区工作者队伍"), ("一", "2", "完善社区服务设施"),
        ("一", "3", "推广社区帮办服务"), ("二", "4", "加强经费保障")]
    assert "每年开展一次全员轮训" in plan.tasks[0].body
    assert [d.due for d in plan.tasks[2].deadlines] == [date(2026, 6, 30)]


def test_points_under_a_task_are_its_body_without_notes():
    plan = extract_plan(FOUR_LEVELS_WITHOUT_NOTES, "baishi.txt")
    assert _shape(plan) == [
        ("一", "1", "建强社区工作者队伍"), ("一", "2", "完善社区服务设施"), ("一", "3", "推广社区帮办服务")]
    assert "制定帮办事项清单" in plan.tasks[2].body


# (c) Tasks numbered as articles ("第一条") or as "任务一：".
ARTICLES = """北岭区2026年营商环境提升任务清单

第一条 压缩企业开办时间。企业开办全流程压缩至1个工作日内。（责任单位：区市场监管局）
第二条 推行告知承诺制。梳理可实行告知承诺的事项，2026年6月底前公布清单。（牵头单位：区司法局）
第三条 优化涉企服务热线。建立企业诉求限时办结机制。（责任单位：区政务服务中心）

北岭区人民政府
2026年2月10日
"""

NAMED_TASKS = """东港镇2026年人居环境整治行动方案

一、清洁家园
任务一：开展垃圾集中清运。每个行政村配齐保洁员，做到日产日清。（责任单位：镇环卫所）
任务二：治理房前屋后乱堆乱放。开展集中清理行动。（责任单位：各村委会）
二、改厕改水
任务三：改造农村户厕。完成户厕改造300户。（牵头单位：镇农业服务中心）
"""


def test_article_numbered_tasks():
    plan = extract_plan(ARTICLES, "beiling.txt")
    assert _shape(plan) == [
        (None, "1", "压缩企业开办时间"), (None, "2", "推行告知承诺制"), (None, "3", "优化涉企服务热线")]
    assert plan.tasks[-1].body == "建立企业诉求限时办结机制。（责任单位：区政务服务中心）"


def test_named_task_numbering_under_sections():
    plan = extract_plan(NAMED_TASKS, "donggang.txt")
    assert _shape(plan) == [
        ("一", "1", "开展垃圾集中清运"), ("一", "2", "治理房前屋后乱堆乱放"), ("二", "3", "改造农村户厕")]


# (d) "一是…；二是…" enumerations: the body of one task, in one paragraph or over several.
FIRST_SECOND = """西川县2026年食品安全工作要点

一、强化源头治理
（一）加强农产品质量监管。一是开展农药残留抽检；二是推行食用农产品承诺达标合格证；三是建立产品追溯平台。（责任单位：县农业农村局）
（二）整治校园食品安全
一是落实校长陪餐制度；
二是每学期开展一次食堂专项检查。（责任单位：县教育局、县市场监管局）
二、加强风险防控
（三）开展风险隐患排查。一是摸清小作坊底数；二是建立风险清单。（责任单位：县市场监管局）
"""


def test_first_second_enumerations_are_one_tasks_body():
    plan = extract_plan(FIRST_SECOND, "xichuan.txt")
    assert _shape(plan) == [
        ("一", "1", "加强农产品质量监管"), ("一", "2", "整治校园食品安全"), ("二", "3", "开展风险隐患排查")]
    assert plan.tasks[0].body.startswith("一是开展农药残留抽检；二是")
    assert "每学期开展一次食堂专项检查" in plan.tasks[1].body


# (e) A long preamble with numbered principles and goals, and closing sections.
PREAMBLE_AND_CLOSING = """南湖市数字乡村建设行动计划
（2026—2028年）

为加快推进数字乡村建设，结合我市实际，制定本行动计划。
一、总体要求
（一）指导思想
以数字技术赋能乡村振兴为主线，统筹推进乡村数字化转型。
（二）基本原则
1. 坚持统筹规划。做好顶层设计，分步实施。
2. 坚持因地制宜。结合各地基础条件，分类推进。
（三）工作目标
1. 到2026年底，行政村千兆光网通达率达到90%。
2. 到2028年，建成一批数字乡村示范村。
二、主要任务
（一）建设乡村数字基础设施。推进千兆光网向自然村延伸。（牵头单位：市通信发展办）
（二）发展农村电子商务。培育一批农产品网销品牌，2027年底前建成县级电商服务中心。（责任单位：市商务局）
三、保障措施
（一）加强组织领导。建立数字乡村建设联席会议制度。（责任单位：市农业农村局）
（二）强化资金保障。统筹用好各类涉农资金。（责任单位：市财政局）

南湖市人民政府
2026年1月20日
"""

PREAMBLE_AS_SECTIONS = """南湖市2026年数字乡村建设工作方案

一、指导思想和基本原则
1. 坚持统筹规划。做好顶层设计，分步实施。
2. 坚持因地制宜。结合各地基础条件，分类推进。
二、工作目标
3. 行政村千兆光网通达率达到90%。
4. 建成一批数字乡村示范村。
三、重点任务
5. 建设乡村数字基础设施。推进千兆光网向自然村延伸。
6. 发展农村电子商务。培育一批农产品网销品牌。
四、组织实施
7. 加强组织领导。建立数字乡村建设联席会议制度。
"""


def test_preamble_principles_and_goals_are_not_tasks_but_closing_measures_are():
    plan = extract_plan(PREAMBLE_AND_CLOSING, "nanhu.txt")
    assert _shape(plan) == [
        ("二", "1", "建设乡村数字基础设施"), ("二", "2", "发展农村电子商务"),
        ("三", "1", "加强组织领导"), ("三", "2", "强化资金保障")]


def test_descriptive_top_level_sections_hold_no_tasks():
    plan = extract_plan(PREAMBLE_AS_SECTIONS, "nanhu.txt")
    assert _shape(plan) == [
        ("三", "5", "建设乡村数字基础设施"), ("三", "6", "发展农村电子商务"), ("四", "7", "加强组织领导")]


# (f) Metadata: split titles, document numbers, dates in two scripts, periods of several years.
SPLIT_COVER_AND_TITLE = """东陵县人民政府办公室文件
东政办发〔2026〕12号
东陵县人民政府办公室
关于印发东陵县2026年
农村供水保障工作要点的通知
各乡镇人民政府，县直各部门：
现将《东陵县2026年农村供水保障工作要点》印发给你们，请认真贯彻落实。
东陵县人民政府办公室
二〇二六年三月五日
东陵县2026年农村供水保障
工作要点
一、巩固供水工程
（一）改造老旧管网。完成老旧供水管网改造40公里。（责任单位：县水利局）
"""

SPLIT_TITLE_NO_COVER = """西河市城乡冷链物流发展
三年行动计划（2026-2028年）

一、重点任务
（一）建设产地冷藏保鲜设施。新建冷藏保鲜设施50个。（责任单位：市农业农村局）

西河市人民政府办公室
2026年3月5日
"""

PERIOD_ON_ITS_OWN_LINE = """南湖市数字乡村建设行动计划
（2026—2030年）

一、主要任务
（一）建设乡村数字基础设施。推进千兆光网向自然村延伸。（牵头单位：市通信发展办）
"""

NO_YEAR = """关于加强城乡社区养老服务工作的任务分工方案

一、完善服务网络
（一）建设社区养老服务站。在城市社区全面设立养老服务站。（责任单位：县民政局）

北川县人民政府办公室
2026年4月8日
"""


def test_split_cover_title_and_chinese_numeral_date():
    meta = extract_plan(SPLIT_COVER_AND_TITLE, "dongling.txt").document
    assert meta.title == "东陵县2026年农村供水保障工作要点"
    assert (meta.issuer, meta.doc_number) == ("东陵县人民政府办公室", "东政办发〔2026〕12号")
    assert (meta.issued_on, meta.period_end) == (date(2026, 3, 5), date(2026, 12, 31))


def test_split_cover_title_leaves_the_tasks_whole():
    plan = extract_plan(SPLIT_COVER_AND_TITLE, "dongling.txt")
    assert _shape(plan) == [("一", "1", "改造老旧管网")]


def test_title_split_over_two_lines_without_a_cover():
    plan = extract_plan(SPLIT_TITLE_NO_COVER, "xihe.txt")
    meta = plan.document
    assert meta.title == "西河市城乡冷链物流发展三年行动计划（2026-2028年）"
    assert (meta.issuer, meta.issued_on, meta.period_end) == ("西河市人民政府办公室", date(2026, 3, 5), date(2028, 12, 31))
    assert _shape(plan) == [("一", "1", "建设产地冷藏保鲜设施")]


def test_period_printed_under_the_title_belongs_to_it():
    plan = extract_plan(PERIOD_ON_ITS_OWN_LINE, "nanhu.txt")
    assert plan.document.title == "南湖市数字乡村建设行动计划（2026—2030年）"
    assert plan.document.period_end == date(2030, 12, 31)
    assert _shape(plan) == [("一", "1", "建设乡村数字基础设施")]


def test_multi_year_preamble_plan_ends_with_its_last_year():
    meta = extract_plan(PREAMBLE_AND_CLOSING, "nanhu.txt").document
    assert meta.title == "南湖市数字乡村建设行动计划（2026—2028年）"
    assert (meta.issuer, meta.issued_on, meta.period_end) == ("南湖市人民政府", date(2026, 1, 20), date(2028, 12, 31))


def test_title_without_a_year_has_no_period_end_and_is_flagged():
    plan = extract_plan(NO_YEAR, "beichuan.txt")
    meta = plan.document
    assert meta.title == "关于加强城乡社区养老服务工作的任务分工方案"
    assert (meta.issuer, meta.issued_on, meta.period_end) == ("北川县人民政府办公室", date(2026, 4, 8), None)
    assert "no_period_end" in _flags(plan)
    assert _shape(plan) == [("一", "1", "建设社区养老服务站")]


SAME_STYLE_WITH_INTRO_AND_UNNOTED_MEASURES = """青禾县2026年河湖保护工作要点

1. 总体要求
以改善水环境质量为核心。
2. 重点任务
围绕河湖治理，重点抓好以下工作：
1. 开展河道清淤。完成城区主要河道清淤疏浚。（责任单位：县水利局）
2. 整治入河排污口。建立排污口台账。（责任单位：县生态环境局）
3. 保障措施
1. 加强组织领导。各乡镇明确分管负责人。
2. 强化督查考核。将河湖保护纳入年度综合考核。
"""

CHAPTERS_AND_ARTICLES = """南湖市2026—2028年数字乡村建设行动计划

第一章 基础设施
第一条 建设乡村数字基础设施。推进千兆光网向自然村延伸。
第二条 发展农村电子商务。培育一批农产品网销品牌。
第二章 保障措施
第三条 加强组织领导。建立联席会议制度。
"""


def test_same_style_sections_with_an_intro_line_and_closing_measures_without_notes():
    plan = extract_plan(SAME_STYLE_WITH_INTRO_AND_UNNOTED_MEASURES, "qinghe.txt")
    assert _shape(plan) == [
        ("2", "1", "开展河道清淤"), ("2", "2", "整治入河排污口"), ("3", "1", "加强组织领导"), ("3", "2", "强化督查考核")]


def test_articles_under_chapters():
    plan = extract_plan(CHAPTERS_AND_ARTICLES, "nanhu.txt")
    assert _shape(plan) == [
        ("一", "1", "建设乡村数字基础设施"), ("一", "2", "发展农村电子商务"), ("二", "3", "加强组织领导")]
    assert plan.document.period_end == date(2028, 12, 31)


def test_named_tasks_with_arabic_numbers_under_a_title_without_a_year():
    text = ("北政办发〔2026〕3号\n关于加强城乡社区养老服务工作的任务分工方案\n一、完善服务网络\n"
            "任务1：建设社区养老服务站。在城市社区全面设立养老服务站。（责任单位：县民政局）\n"
            "任务2：培育养老服务组织。扶持一批连锁运营机构。（责任单位：县民政局）")
    plan = extract_plan(text, "beichuan.txt")
    assert _shape(plan) == [("一", "1", "建设社区养老服务站"), ("一", "2", "培育养老服务组织")]
    assert (plan.document.doc_number, plan.document.period_end) == ("北政办发〔2026〕3号", None)
    assert "no_period_end" in _flags(plan)


def test_signature_above_the_title_is_not_part_of_it():
    text = "南湖市人民政府办公室\n南湖市2026年数字乡村建设工作要点\n一、任务\n（一）建设基础设施。推进光网延伸。（责任单位：市通信发展办）"
    assert extract_plan(text, "nanhu.txt").document.title == "南湖市2026年数字乡村建设工作要点"
