"""Reading the State Council's yearly holiday notice (invented notices, same shapes)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from extract.holiday_notice import NoticeError, read_holiday_notice

NOTICE_2031 = """国务院办公厅关于2031年部分节假日安排的通知
国办发明电〔2099〕9号

经国务院批准，现将2031年元旦、春节、劳动节和国庆节放假调休日期的具体安排通知如下。
一、元旦：2030年12月30日（周一）至2031年1月1日（周三）放假调休，共3天。2030年12月28日（星期六）上班。
二、春节：1月22日（农历除夕、周三）至28日（周二）放假调休，共7天。1月19日（周日）、2月8日（周六）上班。
三、劳动节：5月1日放假，与周末连休。
四、国庆节：九月三十日（周二）至十月六日（周一）放假调休，共7天。9月28日（周日）上班。

节假日期间，各地区、各部门要妥善安排好值班工作。
国务院办公厅
2030年11月4日
"""


def test_a_notice_gives_its_year_days_off_and_make_up_working_days():
    notice = read_holiday_notice(NOTICE_2031, "notice.txt")
    assert notice.year == 2031
    assert notice.title == "国务院办公厅关于2031年部分节假日安排的通知"
    assert notice.workdays == (date(2030, 12, 28), date(2031, 1, 19), date(2031, 2, 8), date(2031, 9, 28))
    holidays = set(notice.holidays)
    assert {date(2030, 12, 30), date(2030, 12, 31), date(2031, 1, 1)} <= holidays
    assert {date(2031, 1, 22) + timedelta(days=n) for n in range(7)} <= holidays
    assert date(2031, 5, 1) in holidays
    assert {date(2031, 9, 30), date(2031, 10, 1), date(2031, 10, 6)} <= holidays  # Chinese numerals, across months
    assert len(holidays) == 3 + 7 + 1 + 7


def test_every_day_carries_its_festival():
    by_day = {d.day: d.festival for d in read_holiday_notice(NOTICE_2031).days}
    assert by_day[date(2031, 1, 19)] == "春节"
    assert by_day[date(2030, 12, 30)] == "元旦"
    assert by_day[date(2031, 10, 3)] == "国庆节"


def test_a_december_day_without_a_year_is_placed_by_its_weekday():
    text = ("国务院办公厅关于2031年部分节假日安排的通知\n"
            "一、元旦：12月30日（周一）至1月1日（周三）放假调休。12月28日（星期六）上班。\n")
    notice = read_holiday_notice(text)
    assert notice.holidays == (date(2030, 12, 30), date(2030, 12, 31), date(2031, 1, 1))
    assert notice.workdays == (date(2030, 12, 28),)


@pytest.mark.parametrize("text, says", [
    ("一、元旦：1月1日放假。", "no title with the year"),
    ("国务院办公厅关于2031年部分节假日安排的通知\n一、元旦：1月1日（周五）放假。", "is not that weekday"),
    ("国务院办公厅关于2031年部分节假日安排的通知\n各地区要妥善安排值班。", "no days off"),
    ("国务院办公厅关于2031年部分节假日安排的通知\n一、春节：1月22日至1月2日放假。", "span"),
    ("国务院办公厅关于2031年部分节假日安排的通知\n一、春节：1月22日放假，1月22日上班。", "both"),
])
def test_a_notice_that_cannot_be_trusted_is_refused_in_one_line(text, says):
    with pytest.raises(NoticeError) as caught:
        read_holiday_notice(text, "bad.txt")
    message = str(caught.value)
    assert message.startswith("bad.txt: ") and says in message and "\n" not in message


def test_advice_to_give_new_years_eve_off_is_no_arrangement():
    text = ("国务院办公厅关于2031年部分节假日安排的通知\n"
            "一、春节：1月23日（周四）至29日（周三）放假调休，共7天。1月19日（周日）上班。\n"
            "鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（1月22日）休息。\n")
    notice = read_holiday_notice(text)
    assert date(2031, 1, 22) not in notice.holidays and date(2031, 1, 23) in notice.holidays


def test_a_festival_is_named_by_the_item_it_stands_in():
    text = ("国务院办公厅关于2031年部分节假日安排的通知\n"
            "经国务院批准，现将放假安排通知如下。\n"
            "一、元旦：1月1日放假。\n二、劳动节：5月1日至5日放假调休，共5天。4月27日（周日）上班。\n")
    by_day = {d.day: d.festival for d in read_holiday_notice(text).days}
    assert by_day[date(2031, 1, 1)] == "元旦" and by_day[date(2031, 4, 27)] == "劳动节"
