"""What a plan says about itself: title, issuer, document number, date of issue, the period it covers.

The title is the plan's own, not its covering notice's: "X关于印发《Y》的通知" and "Notice on
Issuing the Y" both name Y, and the line printed as Y below the notice is where the body starts.
The issuer is the notice's (named in it or on the line above it), else the signature above the
date of issue, else a label, else the office before "……印发" in the print line.

The period end comes from the title ("2025年…", "(2021-2025年)"). Only when the title names no
year is the preamble read for a deadline set for the whole plan ("各项任务……原则上于2025年12月底前
完成"): one sentence naming the plan or all its tasks, a completion word beside one date with its
own year, and no other sentence naming a different date. That is the plan's own word on when it
ends, but it is read from prose rather than a title, so the head says so and the import carries a
review flag for an administrator to confirm it. Targets ("到2025年，水质明显改善") do not count.

A title naming a fiscal year ("Delivery Plan 2025/26", "Plan FY2026") ends when that year ends,
which differs by country, so it is read only from an explicit statement above the first item:
a dated range ending in that year ("1 April 2025 to 31 March 2026") or the months the fiscal year
runs ("from July 1 to June 30"). That too is read from prose and carries the review flag. So does
a title year ended early by a stated range ending in it ("Plan 2024–2028" covering "1 July 2024 to
30 June 2028"). The financial year a preamble states ("which ends on 30 June") is handed on to the
time grammar, which dates "2024–25", "FY2026" and fiscal quarters by it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import takewhile

import dateparser

from extract.model import DocumentMeta
from extract.normalize import is_heading, starts_numbered_item, without_heading_marks, without_item_number
from extract.numerals import chinese_to_int
from extract.patterns import compiled
from extract.timex import FiscalYear, find_deadlines, last_day, numeric_date_en, numeric_order, plan_span
from extract.vocabulary import alternation, table

_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN_RUN = re.compile(r"[A-Za-z]+")
# Where the covering notice names the plan it sends out.
_COVER = re.compile(r"^(?P<issuer>.*?)\s*关于(?:印发|转发|下发)\s*(?P<title>.+?)\s*的?(?:通知|决定)$")
# "关于X的实施意见（2026—2028年）": a plan titled by what it is about, not a notice sending one out;
# "国务院关于X的若干意见" is the same with its issuer in front, and the issuer is part of the title.
_ABOUT_TITLE = re.compile(r"^(?:[^，,。；;：:、]{2,20}?)?关于(?!印发|转发|下发)")
# A notice that is itself the document ("X关于做好Y工作的通知"), not a cover sending a plan out.
_NOTICE_TITLE = re.compile(r"^[^，,。；;：:]{0,30}?关于(?!印发|转发|下发)[^。；;]+的(?:通知|决定)$")
# "X政发〔2026〕5号", or a serial number "府社长字第1140031234号" as Taiwanese bodies number letters.
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,4}\s*号"
                         r"|(?<!\d)[\u4e00-\u9fff]{1,10}字第\s*\d{1,12}\s*号")
# A date as Chinese documents print it: "2026年2月16日", "2026-02-16", "二〇二六年二月十六日".
_CN_NUMERAL = "〇○零一二三四五六七八九十"
_ZH_DATE = (rf"(?P<y>\d{{4}}|[{_CN_NUMERAL}]{{4}})\s*[-年./]\s*(?P<m>\d{{1,2}}|[{_CN_NUMERAL}]{{1,3}})\s*[-月./]\s*"
            rf"(?P<d>\d{{1,2}}|[{_CN_NUMERAL}]{{1,3}})\s*日?")
_DATE_LINE = re.compile(rf"^{_ZH_DATE}$")
_PRINTED_ON = re.compile(rf"{_ZH_DATE}\s*印发$")
_EN_DATE = (r"\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}")
_YEAR_RANGE = re.compile(r"(?P<start>\d{4})\s*[-—–~～至到]\s*(?P<end>\d{4})\s*年?")
# A plan's period printed on a line of its own under the title.
_PERIOD_LINE = re.compile(r"^[(（]\s*\d{4}\s*年?\s*(?:[-—–~～至到]+\s*\d{4}\s*年?)?\s*[)）]$")
_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})(?!\d)")
_EN_TRAILING_SMALL_WORD = re.compile(r"\b(?:the|a|an|of|and|or|to|by|for|with|in|on|at|from|as)$", re.I)
# "##09 Principles and actions": heading marks (a space after them or not) and the section's number.
_HEADING_NUMBER = re.compile(r"^#{1,6}\s*(?:\d{1,3}(?:\.\d{1,3})*[.)]?\s+)?")
_EMPHASIS = re.compile(r"^([*_])(?!\1)(.+?)\1$")
_EN_PERIOD_LINE = re.compile(r"^[(]?\s*(?:19|20)\d{2}\s*(?:[-—–]|to)\s*(?:19|20)\d{2}\s*[)]?$")
# "Goal 2", "Priority A", "Part IV": a section's label before its name.
_SHORT_LABEL_END = re.compile(r"\s(?:\d{1,2}(?:\.\d{1,2})*|[A-Z]|[IVX]{1,4})$")
_SECTION_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*[.)]?\s+")
_PERIOD_SUFFIX = r"\s*(?:[(（][^()（）]{0,20}[)）])?"
# Cover lines and signatures are short; body text is not. English words take more letters than
# Chinese characters: "General Office of the Westmere Provincial Government" is a short line.
_SHORT_LINE = 40
_SHORT_LINE_LATIN = 90
# How close a completion word stands to the date it governs, in characters.
_BESIDE = 6
# How many lines under a title may still belong to its head (a period line, a document number).
_BELOW_TITLE_LINES = 3
# How many lines at the top of a page may be its letterhead.
_LETTERHEAD_LINES = 3
# What separates a byline's parts: "Department of X · Published 3 May 2026".
# How far into the document the head (cover, title, signature) may reach, in paragraphs.
_HEAD_PARAGRAPHS = 40
# Paragraphs at the end of a plan looked at for its signature's date.
_FOOT_PARAGRAPHS = 12


@dataclass(frozen=True)
class DocumentHead:
    meta: DocumentMeta
    body_start: int  # index of the first paragraph after the plan's own title
    plan_year: int | None  # the year that "年内", "上半年" and "within the year" refer to
    # The period end was read from a sentence about the whole plan, not from its title.
    period_end_from_text: bool = False
    # The financial year the plan's timeframes follow, where its preamble states one.
    fiscal_year: FiscalYear | None = None
    # The first year of a span the plan states ("2012年起5年内"), from which a bare "5年内" counts.
    span_start: int | None = None
    # The plan says its seasons are the southern hemisphere's ("Seasons are Australian seasons").
    southern_seasons: bool = False
    # The order an English plan's dates in figures show ("month_first" for "12/31/2023"), see
    # timex.numeric_order(): its date of issue and its deadlines are read in it.
    numeric_order: str | None = None


def detect_language(text: str) -> str:
    """"zh" when Chinese characters make up a fair share of the letters, else "en"."""
    # Counted by runs, not character by character: a plan is read once, but whole.
    cjk = sum(map(len, _CJK_RUN.findall(text)))
    latin = sum(map(len, _LATIN_RUN.findall(text)))
    return "zh" if cjk >= max(20, latin // 4) or (cjk and cjk >= latin) else "en"


@cache
def _words() -> dict:
    return table("metadata")




def _short(paragraph: str, language: str) -> bool:
    return len(paragraph) <= (_SHORT_LINE if language == "zh" else _SHORT_LINE_LATIN)


@cache
def _doc_number_label() -> re.Pattern:
    return compiled(rf"(?:{alternation(_words()['doc_number']['zh_labels'])})\s*[:：]\s*(?P<number>{_DOC_NUMBER.pattern})")


@cache
def _en_doc_number_label() -> re.Pattern:
    labels = alternation(_words()["doc_number"]["en_labels"])
    return compiled(rf"\b(?:{labels})\.?\s*[:：]\s*(?P<number>[A-Z0-9][A-Za-z0-9/()\-.]*[A-Za-z0-9)])", re.I)


@cache
def _en_doc_code() -> re.Pattern:
    """"Document WOFIA/WP/2019-01" opening a byline: a label without its colon, before a code of capitals
    and figures in parts ("/" or "-" between them), which no sentence is."""
    labels = alternation([*_words()["doc_number"]["en_labels"], "Document"])
    return compiled(rf"^(?i:{labels})\.?\s+(?P<number>[A-Z][A-Z0-9]*(?:[/-][A-Z0-9]+)*/[A-Z0-9]+(?:[/-][A-Z0-9]+)*)$")


@cache
def _en_doc_number_line() -> re.Pattern:
    """"No. 12 [2025]", "WPG [2025] No. 12": a line holding nothing but a number and its bracketed year."""
    words = rf"(?i:{alternation(_words()['doc_number']['en_number_words'])})"
    year = r"[\[(〔［]\s*\d{4}\s*[\])〕］]"
    prefix = r"(?:[A-Z][\w.&'’-]*\s+){0,6}"
    return compiled(rf"{prefix}(?:{words}\s*\d{{1,4}}\s*{year}|{year}\s*(?:{words})?\s*\d{{1,4}})")


@cache
def _en_cover() -> re.Pattern:
    """"[Issuer('s)] Notice on Issuing the X", the English covering notice; X is the plan's title."""
    words = _words()["cover"]
    # The issuer stands before the notice word ("X's Notice on …") or after it ("Notice of X on …").
    return compiled(rf"^(?:(?:the\s+)?(?P<issuer>.+?)(?:['’]s)?\s+)?(?:{alternation(words['en_notices'])})\s+"
                    rf"(?:of\s+(?:the\s+)?(?P<named>.+?)\s+)?"
                    rf"(?:{alternation(words['en_links'])})\s+(?:{alternation(words['en_verbs'])})\s+"
                    rf"(?:the\s+)?(?P<title>.+?)\.?$", re.I)


@cache
def _issue_date_label(key: str = "zh_labels") -> re.Pattern:
    return compiled(rf"(?:{alternation(_words()['issue_date'][key])})\s*[:：]\s*{_ZH_DATE}")


@cache
def _adopted_on() -> re.Pattern:
    """"中华民国2025年2月20日府社长字第…号函核定": a head line dating the act that adopted the plan."""
    words = _words()["issue_date"]
    return compiled(rf"(?:{alternation(words['zh_era_names'])})?\s*{_ZH_DATE}[^。；;，,]{{0,30}}?"
                    rf"(?:{alternation(words['zh_acts'])})$")


@cache
def _en_issue_date_label() -> re.Pattern:
    labels = alternation(_words()["issue_date"]["en_labels"])
    # "Date: 3 March 2026", "Dated 3 March 2026" — but "Issued by …" is a sentence, not a label.
    return compiled(rf"^(?:{labels})\s*(?:[:：]\s*|\s+(?=\d|[A-Z][a-z]{{2,8}}\.?\s+\d))(?P<date>.+)$", re.I)


@cache
def _issuer_label() -> tuple[re.Pattern, re.Pattern]:
    words = _words()["issuer"]
    zh = compiled(rf"(?:{alternation(words['zh_labels'])})\s*[:：]\s*(?P<name>[^\s:：]+?)(?=\s|$|[\u4e00-\u9fff]{{2,4}}\s*[:：])")
    en = compiled(rf"^(?:{alternation(words['en_labels'])})\s*[:：]\s*(?P<name>.+)$", re.I)
    return zh, en


@cache
def _issue_sentence() -> re.Pattern:
    """"Issued by the Sample County Executive Office on 16 February 2026": issuer and date in prose."""
    words = _words()["issuer"]
    joiners = alternation(words["en_name_joiners"])
    # A name's words are capitalised, but a date after "on" is not one of them ("… Commissioners on June 17, 2025").
    name = rf"[A-Z][\w'’&.-]*(?:\s+(?:(?:{joiners})\s+)*(?!{_EN_DATE})[A-Z][\w'’&.-]*)*"
    # Only the verb is case-blind: the name is the run of capitalised words after it.
    # "Published August 2024 by the …": a month and year between verb and "by" date no day of issue.
    # "Published 26 June 2026 by the …": the day of issue may stand there too.
    month_year = rf"(?:(?:on\s+)?(?P<date_before>{_EN_DATE})\s+|(?:in\s+)?[A-Z][a-z]{{2,8}}\s+\d{{4}}\s+)?"
    # "Adopted by City Council: April 8, 2031": a colon may stand between the name and its date.
    return compiled(rf"\b(?i:{alternation(words['en_verbs'])})\s+{month_year}by\s+(?:(?i:the)\s+)?(?P<name>{name})"
                    rf"(?:[\s,:]+(?:on\s+)?(?P<date>{_EN_DATE}))?")


@cache
def _opens_with_issue_verb() -> re.Pattern:
    return compiled(rf"^(?i:{alternation(_words()['issuer']['en_verbs'])})\s+(?:by|on|at|in)\b")


def _zh_date(match: re.Match) -> date | None:
    parts = [int(match[k]) if match[k].isdigit() else chinese_to_int(match[k]) for k in ("y", "m", "d")]
    return _safe_date(*parts) if all(parts) else None


@cache
def _signed_date_line() -> re.Pattern:
    endings = alternation(_words()["title"]["issuer_endings"])
    return compiled(rf"^[\u4e00-\u9fff（）()]{{2,30}}?(?:{endings})\s*{_ZH_DATE}$")


def date_line(paragraph: str) -> date | None:
    """The date, when the paragraph is nothing but a date ("2026年2月16日", "二〇二六年二月十六日")."""
    match = _DATE_LINE.match(paragraph.strip())
    return _zh_date(match) if match and ("年" in paragraph or match["y"].isdigit()) else None


@cache
def _title_pattern(language: str) -> re.Pattern:
    words = table("structure")["plan_title"]
    if language == "zh":
        suffixes = "|".join(sorted(map(re.escape, words["zh_suffixes"]), key=len, reverse=True))
        return compiled(rf"(?:{suffixes}){_PERIOD_SUFFIX}$")
    names = "|".join(sorted(map(re.escape, words["en_words"]), key=len, reverse=True))
    return compiled(rf"\b(?:{names})\b", re.I)


def _is_title_line(paragraph: str, language: str) -> bool:
    # A numbered line ("第三部分　保障措施", "（二）工作措施") is a section heading, however much
    # its words read like a plan's name; a page's navigation names the site, not the plan.
    if starts_numbered_item(paragraph) or _is_navigation(paragraph):
        return False
    if language == "zh":
        # "关于…" is how a covering notice opens, but "关于X的实施意见" is also a plan's own title.
        return (len(paragraph) <= 60 and not re.search(r"[。；，,：:]", paragraph)
                and ("关于" not in paragraph or _ABOUT_TITLE.match(paragraph) is not None)
                and not paragraph.endswith(("通知", "文件"))
                and not paragraph.startswith(("《", "（", "("))
                and bool(_title_pattern("zh").search(paragraph)))
    # "Harbour Access Plan 2031–2033: Making our harbours safer": a subtitle after a colon belongs to
    # the title, but "Goal 2: A strategy for growth" is a section's label and its name.
    head, colon, subtitle = paragraph.partition(": ")
    if colon and (_SHORT_LABEL_END.search(head) or len(subtitle) > 80 or re.search(r"[.;:]\s|[.;]$", subtitle)):
        return False
    # A title never ends on "the" or "of", nor holds a link: such a line is wrapped prose or a link.
    # A bulleted line is an item of a list, whatever plan it names.
    return (len(paragraph) <= 120 and not re.search(r"[.;:]\s|[.;]$|^[-*+•]\s", head)
            and not _EN_TRAILING_SMALL_WORD.search(paragraph) and "](" not in paragraph
            and bool(_title_pattern("en").search(head)))


@cache
def _navigation() -> tuple[re.Pattern, re.Pattern]:
    words = _words()["title"]
    separators = alternation(words["breadcrumb_separators"])
    breadcrumb = compiled(rf"^(?i:{alternation(words['en_navigation_starts'])})\s*(?:{separators})\s*\S")
    skip_link = compiled(rf"^(?i:{alternation(words['en_navigation_lines'])})$")
    return breadcrumb, skip_link


def _is_navigation(paragraph: str) -> bool:
    """"Home > About > Plans and Reports", "Skip to main content": a web page's navigation, copied with its text."""
    breadcrumb, skip_link = _navigation()
    return bool(breadcrumb.match(paragraph.strip()) or skip_link.match(paragraph.strip()))


@cache
def _byline_separator() -> re.Pattern:
    return compiled(rf"\s+(?:{alternation(_words()['title']['byline_separators'])})\s+")


def _byline_parts(paragraph: str) -> list[str]:
    """"Kestrel Department of Health · Issued June 12, 2023" -> its name and its date, apart."""
    return [part.strip() for part in _byline_separator().split(paragraph) if part.strip()]


def _issuer_above(paragraphs: list[str], index: int, language: str) -> str | None:
    """The line above a cover notice, when it reads as a body's name: the notice's issuer."""
    above = paragraphs[index - 1] if index > 0 else ""
    if above and _short(above, language) and not re.search(r"[。，,：:]|[.]$", above):
        return above
    return None


def _cover_notice(paragraphs: list[str], language: str) -> tuple[str | None, str | None, int | None]:
    """(issuer, plan title, index) from the covering notice that sends the plan out."""
    return _zh_cover_notice(paragraphs) if language == "zh" else _en_cover_notice(paragraphs)


def _en_cover_notice(paragraphs: list[str]) -> tuple[str | None, str | None, int | None]:
    """(issuer, plan title, index) from "[X's] Notice on Issuing the Y"."""
    for i, para in enumerate(paragraphs[:_HEAD_PARAGRAPHS]):
        # A sentence that mentions a notice is not the notice's heading.
        if (match := _en_cover().match(para)) and not re.search(r"[.;]\s", para):
            issuer = (match["issuer"] or match["named"] or "").strip() or _issuer_above(paragraphs, i, "en")
            return issuer, match["title"].strip(), i
    return None, None, None


@cache
def _title_label() -> re.Pattern:
    """"标　　题： X": a page's metadata block names the document; the label's characters may be spaced."""
    labels = sorted(_words()["title"]["zh_labels"], key=len, reverse=True)
    spaced = "|".join(r"\s*".join(map(re.escape, label)) for label in labels)
    return compiled(rf"^(?:{spaced})\s*[:：]\s*(?P<title>.+?)(?:\s+[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){{1,4}}\s*[:：].*)?$")


def _without_title_label(paragraph: str) -> str:
    match = _title_label().match(paragraph.strip())
    return match["title"].strip() if match else paragraph


def _labelled_title(paragraphs: list[str]) -> str | None:
    for para in paragraphs[:_HEAD_PARAGRAPHS]:
        if match := _title_label().match(para.strip()):
            return match["title"].strip()
    return None


def _printed_copy(paragraphs: list[str], title: str) -> int | None:
    """The index of the last line of `title` where the page prints it again, perhaps over lines."""
    target = _squeeze(title)
    for i, para in enumerate(paragraphs[:_HEAD_PARAGRAPHS]):
        joined = ""
        for end in range(i, min(i + _BELOW_TITLE_LINES, len(paragraphs))):
            joined += paragraphs[end]
            if _squeeze(joined) == target and not _title_label().match(paragraphs[i].strip()):
                return end
            if not target.startswith(_squeeze(joined)):
                break
    return None


def _notice_title(paragraphs: list[str]) -> tuple[str | None, int | None]:
    """(title, index of its last line) of a notice that is the document itself, spread over up to three lines."""
    for i, para in enumerate(paragraphs[:_HEAD_PARAGRAPHS]):
        if "关于" not in para or len(para) > 60 or re.search(r"[。，,；;：:]", para):
            continue
        joined = para
        for end in range(i, min(i + _BELOW_TITLE_LINES, len(paragraphs))):
            if end > i:
                if len(paragraphs[end]) > _SHORT_LINE:
                    break
                joined += paragraphs[end]
            if _NOTICE_TITLE.match(joined):
                return joined, end
    return None, None


def _zh_cover_notice(paragraphs: list[str]) -> tuple[str | None, str | None, int | None]:
    """(issuer, plan title, index) from "X关于印发《Y》的通知", which a page may spread over lines."""
    paragraphs = [_without_title_label(p) for p in paragraphs[:_HEAD_PARAGRAPHS]] + paragraphs[_HEAD_PARAGRAPHS:]
    for i, para in enumerate(paragraphs[:_HEAD_PARAGRAPHS]):
        if "关于" not in para or len(para) > 120 or "。" in para:
            continue
        joined, end = para, i
        while not re.search(r"(?:通知|决定)$", joined) and end + 1 < len(paragraphs) and end < i + 3:
            end += 1
            if len(paragraphs[end]) > _SHORT_LINE:
                break
            joined += paragraphs[end]
        match = _COVER.match(joined)
        if not match:
            continue
        issuer = match["issuer"].strip() or _issuer_above(paragraphs, i, "zh")
        title = re.sub(r"^《(.+)》$", r"\1", match["title"].strip())
        return issuer, title, end
    return None, None, None


def _squeeze(text: str) -> str:
    return re.sub(r"[\s《》〈〉]", "", text).casefold()


@cache
def _title_break_words() -> tuple[re.Pattern, re.Pattern]:
    words = _words()["title"]
    not_part = compiled(rf"^(?:{alternation(words['not_title_lines'])})\s*\d*$")
    issuer_end = compiled(rf"(?:{alternation(words['issuer_endings'])})$")
    return not_part, issuer_end


def _starts_title(paragraph: str, cover_title: str | None, tail: str) -> bool:
    """Whether `paragraph` is the first line of a title whose last line is `tail`."""
    not_part, issuer_end = _title_break_words()
    if (len(paragraph) > _SHORT_LINE or re.search(r"[。；;，,：:]", paragraph) or not_part.match(paragraph)
            or paragraph.startswith(("《", "（", "(")) or _DOC_NUMBER.search(paragraph) or date_line(paragraph)
            or starts_numbered_item(paragraph) or paragraph.endswith(("通知", "文件"))):
        return False
    if cover_title:
        return _squeeze(paragraph + tail) == _squeeze(cover_title)
    # Without a cover to compare with, the signature line above a title is the one to keep apart.
    return not issuer_end.search(paragraph) and _is_title_line(paragraph + tail, "zh")


def _whole_title(paragraphs: list[str], index: int, cover_title: str | None) -> tuple[str, int]:
    """(title, index of its last line) for the title line at `index`: a centred title broken over
    two lines is joined, and a period printed on the line below ("（2026—2028年）") belongs to it."""
    title, last = paragraphs[index], index
    if index > 0 and _starts_title(paragraphs[index - 1], cover_title, title):
        title = paragraphs[index - 1] + title
    if last + 1 < len(paragraphs) and _PERIOD_LINE.match(paragraphs[last + 1]):
        last += 1
        title += paragraphs[last]
    return title, last


@cache
def _opens_with_plan_word() -> re.Pattern:
    words = "|".join(sorted(map(re.escape, table("structure")["plan_title"]["en_words"]), key=len, reverse=True))
    return compiled(rf"^(?:{words})\b", re.I)


def _whole_english_title(paragraphs: list[str], index: int) -> tuple[str, int]:
    """(title, index of its last line) for the English title line at `index`. A title broken over
    two lines ("Climate Adaptation" / "Action Plan 2031–2033") opens with its plan word on the
    second; the first is then a short fragment that names no body. A period printed alone under
    it ("2031–2033") is part of it, as "（2026—2028年）" is of a Chinese one."""
    title, last = paragraphs[index], index
    above = paragraphs[index - 1] if index > 0 else ""
    if (above and _opens_with_plan_word().match(title) and len(above) <= 60 and _reads_as_name(above)
            and not re.search(r"[.,;:|·]|\d", above) and not _body_word().search(above)
            and not _is_navigation(above) and not _is_title_line(above, "en")):
        title = f"{above} {title}"
    below = paragraphs[last + 1] if last + 1 < len(paragraphs) else ""
    # "National Coastal Data Strategy" over "Implementation Plan, FY2026–FY2028": a second line that
    # opens with a plan word of its own continues the name, its period and all.
    if (below and not _YEAR.search(title) and _opens_with_plan_word().match(below) and len(title) + len(below) <= 120
            and _is_title_line(below, "en") and not re.search(r"[.;:]", below)):
        last += 1
        title = f"{title} {below.strip()}"
    if last + 1 < len(paragraphs) and not _YEAR.search(title) and _EN_PERIOD_LINE.match(paragraphs[last + 1]):
        last += 1
        title = f"{title} {paragraphs[last].strip()}"
    return title, last


def _find_title(paragraphs: list[str], language: str, cover_title: str | None,
                headings: frozenset[int] | set[int] = frozenset()) -> tuple[str | None, int | None]:
    if language == "zh" and not cover_title and (labelled := _labelled_title(paragraphs)):
        # A labelled title that is no cover notice is the document's own, issuer and all.
        return labelled, _printed_copy(paragraphs, labelled)
    candidates = [(i, p) for i, p in enumerate(paragraphs[:_HEAD_PARAGRAPHS]) if _is_title_line(p, language)]
    if language == "zh":
        candidates = [(last, title) for i, _p in candidates for title, last in [_whole_title(paragraphs, i, cover_title)]]
    if cover_title:
        for i, p in candidates:
            if _squeeze(p) == _squeeze(cover_title):
                return p, i
    if candidates and (language == "zh" or not cover_title):
        i, p = candidates[0]
        return _whole_english_title(paragraphs, i) if language == "en" else (p, i)
    if cover_title:
        return cover_title, None
    if language == "zh":
        notice, end = _notice_title(paragraphs)
        if notice:
            return notice, end
    # A plan without cover or recognisable title word: its first short line is its title.
    for i, p in enumerate(paragraphs[:3]):
        if _is_navigation(p):
            continue
        # A heading's section number ("## 09 Principles and actions") is no part of the title.
        p = _HEADING_NUMBER.sub("", p) if p.startswith("#") else _SECTION_NUMBER.sub("", p) if i in headings else p
        if p and len(p) <= 60 and not re.search(r"[。；;:：]|[.]$", p) and not _DOC_NUMBER.search(p):
            if not starts_numbered_item(p):
                return p, i
    return None, None


def _issue_date(paragraphs: list[str], language: str, order: str | None) -> tuple[date | None, int | None]:
    """The 成文日期, else the first date printed on a line of its own (the one under the signature),
    else, with nothing else to go by, the date a ledger was last updated."""
    for para in paragraphs[:_HEAD_PARAGRAPHS]:
        if (match := _issue_date_label().search(para)) and (found := _zh_date(match)):
            return found, None
    for i, para in enumerate(paragraphs):
        if found := date_line(para):
            return found, i
    for para in paragraphs:
        if (match := _PRINTED_ON.search(para)) and (found := _zh_date(match)):
            return found, None
    # A signature and its date on one line ("XX局办公室2026年4月20日"), as a PDF's text or a
    # web copy can join them: the date is the issue date; the name is no part of it.
    for para in paragraphs:
        if (match := _signed_date_line().match(para.strip())) and (found := _zh_date(match)):
            return found, None
    for para in paragraphs[:_HEAD_PARAGRAPHS]:
        if (match := _adopted_on().match(para.strip())) and (found := _zh_date(match)):
            return found, None
    if language == "en":
        for i, para in enumerate(paragraphs[:_HEAD_PARAGRAPHS]):
            # A byline joins the issuer and the date on one line: each part is read alone.
            for part in _byline_parts(para):
                label = _en_issue_date_label().match(part)
                text = label["date"] if label else part
                if (label or len(part) <= 30) and _YEAR.search(text) and (found := _english_date(text, order)):
                    return found, i if part == para else None
                # "Adopted by the Council of Members at its Fifteenth Regular Session, Port Matiu,
                # 6 December 2018": the day the act a byline opens with was done, however far on.
                if _opens_with_issue_verb().match(part) and len(days := re.findall(_EN_DATE, part)) == 1:
                    if found := _english_date(days[0], order):
                        return found, None
        # "Signed on 12 August 2024" under the last task, over the signatory's name: a labelled
        # line at the foot dates the plan as one in its head does.
        for para in paragraphs[max(len(paragraphs) - _FOOT_PARAGRAPHS, _HEAD_PARAGRAPHS):]:
            if (label := _en_issue_date_label().match(para)) and (found := _english_date(label["date"], order)):
                return found, None
        for para in _head_until(paragraphs, starts_numbered_item):
            if ((match := _issue_sentence().search(para)) and (match["date"] or match["date_before"])
                    and (found := _english_date(match["date"] or match["date_before"]))):
                return found, None
    for para in paragraphs[:_HEAD_PARAGRAPHS]:
        if (match := _issue_date_label("zh_fallback_labels").search(para)) and (found := _zh_date(match)):
            return found, None
    return None, None


_NUMERIC_DATE = re.compile(r"^\s*(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<c>\d{4})\s*$")


def _english_date(text: str, order: str | None = None) -> date | None:
    # "12/04/2030" is read as the time grammar reads it (in the order the plan's other dates show,
    # else day first), not month first as dateparser would.
    if numeric := _NUMERIC_DATE.match(text):
        return numeric_date_en(numeric["a"], numeric["b"], numeric["c"], order)[0]
    parsed = dateparser.parse(text, languages=["en"], settings={"REQUIRE_PARTS": ["day", "month", "year"]})
    return parsed.date() if parsed else None


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _doc_number(paragraphs: list[str]) -> str | None:
    head = paragraphs[:_HEAD_PARAGRAPHS]
    for para in head:
        if (match := _DOC_NUMBER.fullmatch(para.strip())) is not None:
            return re.sub(r"\s+", "", match.group())
    for para in head:
        if match := _doc_number_label().search(para):
            return re.sub(r"\s+", "", match["number"])
    for para in head:
        if len(para) <= _SHORT_LINE and (match := _DOC_NUMBER.search(para)):
            return re.sub(r"\s+", "", match.group())
    return None


def _doc_number_below_title(paragraphs: list[str], body_start: int) -> str | None:
    """"X政办发〔2026〕5号" on a line of its own just under the title, where some plans print it.

    Only a line that is nothing but a number counts: a number quoted in the body cites another document.
    """
    for para in paragraphs[body_start:body_start + _BELOW_TITLE_LINES]:
        if (match := _DOC_NUMBER.fullmatch(para.strip())) is not None:
            return re.sub(r"\s+", "", match.group())
        # A labelled number on a line of fields under the title ("编制单位：X\t编制日期：…\t文号：…").
        if len(para) <= _SHORT_LINE * 2 and (match := _doc_number_label().search(para)):
            return re.sub(r"\s+", "", match["number"])
        # The line dating the act that adopted the plan: "…2月20日府社长字第1140031234号函核定".
        if _adopted_on().match(para.strip()) and (match := _DOC_NUMBER.search(para)):
            return re.sub(r"\s+", "", match.group())
        # A byline opening with the number: "X府办〔2027〕4号　X县人民政府办公室　2027年2月20日".
        first = re.split(r"\s{1,}", para.strip(), maxsplit=1)[0]
        if (len(para) <= _SHORT_LINE and not re.search(r"[。，,；;]", para)
                and (match := _DOC_NUMBER.fullmatch(first)) is not None):
            return match.group()
    return None


def _footer_doc_number(paragraphs: list[str]) -> str | None:
    """"发文字号：X〔2025〕3号" on a line of its own anywhere, as some pages print it below the signature."""
    for para in reversed(paragraphs):
        if match := _doc_number_label().match(para.strip()):
            return re.sub(r"\s+", "", match["number"])
    return None


def _signature(paragraphs: list[str], date_index: int | None, language: str) -> str | None:
    if date_index is None or date_index == 0:
        return None
    above = paragraphs[date_index - 1]
    # An English date may stand under a subtitle ("Putting the Plan into practice" over
    # "Published: 3 June 2025") as well as under a signature: only a name signs.
    # A version line ("Version 2.0") over the date is no signature either.
    if language == "en" and (not _reads_as_name(above) or _is_title_line(above, "en") or re.search(r"\d", above)):
        return None
    if _short(above, language) and not re.search(r"[。，,；;:：]|[.]$", above):
        return re.sub(r"[(（]代[)）]$", "", above).strip()
    return None


def _printed_by(paragraphs: list[str]) -> str | None:
    """"某某县人民政府办公室  2024年5月20日印发": the office that printed the plan, before the date.

    The printing office is often the issuer's own office rather than the issuer, so this is
    used only where no signature or label names one.
    """
    for para in paragraphs:
        if match := _PRINTED_ON.search(para):
            before = para[:match.start()].strip()
            if before and len(before) <= _SHORT_LINE and not re.search(r"[。，,；;:：]", before):
                return before
    return None


def period_end(title: str | None) -> date | None:
    """The last day the plan covers: the end year of "(2021-2025年)", else the year in the title."""
    if not title:
        return None
    if match := _YEAR_RANGE.search(title):
        return date(int(match["end"]), 12, 31)
    years = [int(y) for y in _YEAR.findall(title)]
    return date(max(years), 12, 31) if years else None


def _plan_year(title: str | None, issued_on: date | None, end: date | None) -> int | None:
    if title and (match := _YEAR_RANGE.search(title)):
        start, stop = int(match["start"]), int(match["end"])
        if issued_on and start <= issued_on.year <= stop:
            return issued_on.year
        return start
    if end:
        return end.year
    return issued_on.year if issued_on else None


def read_head(paragraphs: list[str], language: str, site_name: str | None = None) -> DocumentHead:
    """The document's metadata and where its body starts; `site_name` is the site a web page's
    <title> names."""
    headings = {i for i, p in enumerate(paragraphs[:_HEAD_PARAGRAPHS]) if is_heading(p)}
    # A Markdown head may set a line in emphasis ("*Published: 14 July 2025*"): its words are the same.
    paragraphs = [_EMPHASIS.sub(r"\2", without_heading_marks(p)) for p in paragraphs]
    issuer, cover_title, cover_index = _cover_notice(paragraphs, language)
    title, title_index = _find_title(paragraphs, language, cover_title, headings)
    order = numeric_order("\n".join(paragraphs)) if language == "en" else None
    issued_on, date_index = _issue_date(paragraphs, language, order)
    beside = _name_beside_title(paragraphs, title_index) if language == "en" else None
    if issuer is None:
        # A labelled 成文日期 gives the date, but the body that signs still stands above the date
        # line under the text; a page's 发布机构 label names only the office that posted it.
        if date_index is None and language == "zh":
            date_index = next((i for i, para in enumerate(paragraphs) if date_line(para)), None)
        # The line above a date may be the title itself ("PLAN 2026-2028" over "Issued: …"): no signature.
        signed = _signature(paragraphs, date_index, language) if date_index != (title_index or 0) + 1 else None
        issuer = (signed or _labelled_issuer(paragraphs)
                  or (_printed_by(paragraphs) or _issuer_in_title(title) if language == "zh"
                      else _letterhead(paragraphs, title_index) or beside or _byline_issuer(paragraphs, title_index)))
    if issuer and beside:
        # "Approved by Council on …" under "Westbrook County Council": the name printed in full.
        if beside.lower().endswith(issuer.lower()) and len(beside) > len(issuer):
            issuer = beside
        # "Adopted by the Council of Members" under "# Western Ocean Fisheries Information Agency": the
        # body that approved the plan is the issuer's organ; the plan is the body's printed above it.
        # So is one printed alone on the line under the title ("*Kestrel Valley Partnership*" over
        # "Endorsed by the Partnership Board on …").
        elif ((any(beside in para for para in paragraphs[:title_index or 0])
               or (title_index is not None and paragraphs[title_index + 1:title_index + 2] == [beside]))
              and _only_adopted_by(paragraphs, issuer)):
            issuer = beside
    # "Approved by Cabinet" on a council's page titled "… | Farrowby City Council": where the page
    # names no issuer but the organ that approved the plan, the site's body is the issuer.
    if (language == "en" and site_name and _names_a_body_alone(site_name)
            and (issuer is None or _only_adopted_by(paragraphs, issuer))):
        issuer = site_name
    if title_index is not None:
        body_start = title_index + 1
    elif cover_index is not None:
        body_start = cover_index + 1
    else:
        body_start = 0
    end = period_end(title)
    if end is None and language == "en" and title_index is not None and title_index + 1 < len(paragraphs):
        # "Library Services Plan" over a line "2030–2032": the period printed under the title.
        below = paragraphs[title_index + 1]
        if _EN_PERIOD_LINE.match(below):
            end = period_end(below)
    body = paragraphs[body_start:]
    fiscal_end = _stated_fiscal_end(title, body) if language == "en" else None
    if language == "en" and end and not fiscal_end:
        # A title's year says only which year; a stated range may end it before 31 December.
        fiscal_end = _stated_period_end(end, body)
    fiscal_year = _stated_fiscal_year(body, fiscal_end) if language == "en" else None
    if language == "en" and fiscal_year and not fiscal_end:
        fiscal_end = _fiscal_period_end(title, body, fiscal_year)
    # The paragraphs where a plan speaks of itself (preamble, goals), above its first note: the
    # same words inside a task are that task's own time.
    span = plan_span(_head_until(body, _has_note)) if language == "zh" else None
    plan_year = _plan_year(title, issued_on, fiscal_end or end) or (span.start if span else None)
    preamble = _head_until(body, starts_numbered_item, limit=None)
    end_from_text = fiscal_end or (None if end else _whole_plan_deadline(preamble, language)
                                   or (span.end if span else None)
                                   or (_stated_term_end(preamble) if language == "zh" else None))
    if fiscal_end:
        end = None
    doc_number = _doc_number(paragraphs[:body_start] or paragraphs) or _doc_number_below_title(paragraphs, body_start)
    if doc_number is None and language == "en":
        doc_number = _english_doc_number(paragraphs)
    if doc_number is None and language == "zh":
        doc_number = _footer_doc_number(paragraphs)
    meta = DocumentMeta(title=title, issuer=issuer, doc_number=doc_number,
                        issued_on=issued_on, period_end=end or end_from_text)
    # The plan's year stays the one its title or date of issue gives: a plan issued in May 2024
    # and due by the end of 2025 still means 2024 by "年内".
    southern = language == "en" and _states_southern_seasons(paragraphs[:body_start] + _head_until(body, _opens_task))
    return DocumentHead(meta=meta, body_start=body_start, plan_year=plan_year,
                        period_end_from_text=end_from_text is not None, fiscal_year=fiscal_year,
                        span_start=span.start if span else None, southern_seasons=southern, numeric_order=order)


@cache
def _southern_words() -> re.Pattern:
    return compiled(rf"\b(?:{alternation(_words()['seasons']['southern'])})\b", re.I)


def _states_southern_seasons(head: list[str]) -> bool:
    """Whether the text above the first task says its seasons are the southern hemisphere's."""
    return any(_southern_words().search(para) for para in head)


def _labelled_issuer(paragraphs: list[str]) -> str | None:
    zh_label, en_label = _issuer_label()
    for para in paragraphs[:_HEAD_PARAGRAPHS]:
        if match := zh_label.search(para):
            return match["name"]
        if match := en_label.match(para):
            return match["name"].strip().rstrip(".")
        if match := re.match(r"^(?P<name>.+?)文件$", para):
            if len(para) <= _SHORT_LINE:
                return match["name"]
    for para in _head_until(paragraphs, starts_numbered_item):
        if match := _issue_sentence().search(para):
            return match["name"].strip().rstrip(".")
    return None


@cache
def _title_issuer() -> re.Pattern:
    """"嘉湾县政府2025年度…推动计划", "岭北市人民政府关于…的实施意见": a title opening with its issuer."""
    endings = alternation(_words()["title"]["issuer_endings"])
    return compiled(rf"^(?P<name>[\u4e00-\u9fff]{{2,20}}?(?:{endings}))(?=\d{{4}}\s*年|关于)")


def _issuer_in_title(title: str | None) -> str | None:
    return match["name"] if title and (match := _title_issuer().match(title)) else None


def _only_adopted_by(paragraphs: list[str], issuer: str) -> bool:
    """Whether the head names `issuer` only as the body that adopted or approved the plan."""
    verbs = {v.lower() for v in _words()["issuer"]["en_adoption_verbs"]}
    found = [m for para in _head_until(paragraphs, starts_numbered_item) for m in _issue_sentence().finditer(para)
             if m["name"].strip().rstrip(".") == issuer]
    return bool(found) and all(m.group().split()[0].lower() in verbs for m in found)


def _reads_as_name(line: str) -> bool:
    """Every word capitalised but the small joining words: "Department of Housing and Community Services"."""
    small = {w.lower() for w in _words()["issuer"]["en_name_joiners"]}
    return all(not w[:1].islower() or w.lower() in small for w in line.split())


@cache
def _body_word() -> re.Pattern:
    return compiled(rf"\b(?:{alternation(_words()['issuer']['en_body_words'])})\b", re.I)


def _letterhead(paragraphs: list[str], title_index: int | None) -> str | None:
    """"BRACKENMOOR DISTRICT COUNCIL" printed in capitals above the title: the body whose plan it is.

    Read only where nothing else names the issuer, and only a line naming a kind of body
    (data/metadata.toml), so a title or a slogan in capitals is not taken for one.
    """
    words = _words()["issuer"]
    bodies = _body_word()
    small = {w.lower() for w in words["en_name_joiners"]}
    for para in paragraphs[:title_index if title_index is not None else _LETTERHEAD_LINES][:_LETTERHEAD_LINES]:
        if (para.isupper() and _short(para, "en") and not re.search(r"\d|[.,;:]", para)
                and bodies.search(para)):
            names = para.split()
            return " ".join(w.lower() if i and w.lower() in small else w.capitalize() for i, w in enumerate(names))
    return None


def _name_beside_title(paragraphs: list[str], title_index: int | None) -> str | None:
    """The body printed on the line above the title ("# Fenwick City Council" over the plan's name)
    or below it ("Ministry of Transport" under it, alone or in a byline), or on the document's first
    line, as a letter's letterhead is: the plan's issuer.

    Only a short line of capitalised words naming a kind of body (data/metadata.toml) counts, so a
    subtitle or a slogan is not taken for one; above is looked at first, as a letterhead stands there.
    """
    if title_index is None:
        return None
    above = title_index - 1
    # A page's navigation may stand between the body's name and the title it heads.
    while above > 0 and _is_navigation(paragraphs[above]):
        above -= 1
    # A letter or a page opens with the body's name ("Westbrook Borough Council" over its address).
    for index in (above, title_index + 1, 0):
        if not 0 <= index < len(paragraphs) or (index == 0 and title_index == 0):
            continue
        for part in _byline_parts(paragraphs[index]):
            if _names_a_body_alone(part):
                if index == 0:
                    # A letterhead may name the government, then the office under it that issues the
                    # plan ("Government of …" over "Digital Policy and Data Bureau"): the last of them.
                    run = list(takewhile(_names_a_body_alone, paragraphs[:title_index]))
                    return run[-1] if run else part
                return part
    return None


def _names_a_body_alone(part: str) -> bool:
    """A short line of capitalised words naming a kind of body, and nothing else."""
    return (_short(part, "en") and _reads_as_name(part) and bool(_body_word().search(part))
            and not _YEAR.search(part) and not re.search(r"[.,;:]", part)
            and not _is_title_line(part, "en") and not _is_navigation(part))


def _byline_issuer(paragraphs: list[str], title_index: int | None) -> str | None:
    """The body named on a line of its own just under the title, alone ("Harbour Department of
    Transport") or before a date of issue ("Harbour Department of Transport · Published 3 May
    2026"): a short run of capitalised words holding a kind of body (data/metadata.toml)."""
    if title_index is None:
        return None
    for para in paragraphs[title_index + 1:title_index + 1 + _BELOW_TITLE_LINES]:
        parts = _byline_parts(para)
        name = parts[0].strip("*_ ") if parts else ""
        # "Department of Water and Catchments, Government of Northmere": a body, then the government it
        # belongs to; the body is the issuer.
        if "," in name and all(_reads_as_name(p) and _body_word().search(p) for p in name.split(", ")):
            name = name.split(", ")[0]
        rest_is_date = all(_en_issue_date_label().match(part) for part in parts[1:])
        if (name and rest_is_date and _short(name, "en") and not re.search(r"\d|[.,;:]", name)
                and _reads_as_name(name) and _body_word().search(name)):
            return name
    return None


def _english_doc_number(paragraphs: list[str]) -> str | None:
    """"Reference: SCEO-2026-04", or "No. 12 [2025]" on a line of its own, above the first item."""
    above = _head_until(paragraphs, starts_numbered_item)
    for para in above:
        if match := _en_doc_number_label().search(para):
            return match["number"].rstrip(".")
    for para in above:
        for part in _byline_parts(para):
            if match := _en_doc_code().match(part):
                return match["number"]
    for para in above:
        if _en_doc_number_line().fullmatch(para.strip()):
            return para.strip()
    for para in above:
        if match := _en_instrument_number().search(para):
            return match.group().rstrip(".")
    return None


@cache
def _en_instrument_number() -> re.Pattern:
    """"Resolution No. 2025-47": the number of the act that adopted the plan, named in its head."""
    words = _words()["doc_number"]
    return compiled(rf"\b(?:{alternation(words['en_instruments'])})\s+(?:{alternation(words['en_number_words'])})\s*"
                    r"[A-Z0-9][A-Za-z0-9/\-]*[A-Za-z0-9]")


@cache
def _fiscal_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    # "Financial-year timeframes run from …": the words may be hyphened as a modifier.
    words = alternation(_words()["fiscal_year"]["en_words"]).replace(r"\ ", r"[\s-]")
    month_day = r"\d{1,2}\s+[A-Z][a-z]{2,8}|[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?!\d)"
    # "FY2026", "Fiscal Year 2024", "2025/26", "2026–27" (a two-digit end is a fiscal year, a four-digit one a span).
    title = compiled(rf"(?:\bFY\s?|\b(?i:{words})\s+)(?P<fy>(?:19|20)\d{{2}})\b"
                     r"|\b(?P<start>(?:19|20)\d{2})\s*[/–—-]\s*(?P<end>\d{2})(?![\d/–—-])")
    stated_range = compiled(rf"(?P<start>{_EN_DATE})\s*(?:to|until|through|[-–—])\s*(?P<end>{_EN_DATE})")
    # "the fiscal year runs from July 1 to June 30", "the financial year, which ends on 30 June"
    runs = compiled(rf"\b(?i:{words})s?\b[^.;]*?\b(?:from\s+(?P<start>{month_day})\s+(?:to|until|through)\s+"
                    rf"|(?:ends|ending)\s+(?:on\s+)?)(?P<end>{month_day})")
    return title, stated_range, runs


def _stated_fiscal_year(body: list[str], fiscal_end: date | None) -> FiscalYear | None:
    """The financial year the plan's timeframes follow, from its preamble: the months it runs
    ("from July 1 to June 30", "which ends on 30 June"), a range of financial years ("the four
    financial years from 1 July 2024 to 30 June 2028"), or the title's fiscal year's stated end.
    Statements naming two different ends give none."""
    _, stated_range, runs = _fiscal_patterns()
    fiscal_words = re.compile(rf"\b(?:{alternation(_words()['fiscal_year']['en_words'])})s?\b", re.I)
    ends: set[tuple[int, int]] = {(fiscal_end.month, fiscal_end.day)} if fiscal_end else set()
    for para in _head_until(body, _opens_task):
        for m in runs.finditer(para):
            if stated := _english_date(f"{m['end']} 2001"):
                ends.add((stated.month, stated.day))
        for sentence in re.split(r"(?<=[.;])\s", para):
            if fiscal_words.search(sentence):
                for m in stated_range.finditer(sentence):
                    if stated := _english_date(m["end"]):
                        ends.add((stated.month, stated.day))
    if len(ends) != 1:
        return None
    return FiscalYear(*ends.pop(), named_by_start=_fy_named_by_start(body))


def _fy_named_by_start(body: list[str]) -> bool:
    """Whether the preamble dates an "FY<year>" as starting in that year: "(FY2026 is 1 April 2026
    to 31 March 2027)". Most plans name a fiscal year by the year it ends in, so only such a
    statement turns the reading round."""
    _, stated_range, _ = _fiscal_patterns()
    for para in _head_until(body, _opens_task):
        for sentence in re.split(r"(?<=[.;])\s", para):
            for m in re.finditer(r"\bFY\s?(?P<fy>(?:19|20)\d{2})\b", sentence):
                if (stated := stated_range.search(sentence, m.end())) and (end := _english_date(stated["end"])):
                    return end.year == int(m["fy"]) + 1
    return False


def _stated_period_end(end: date, body: list[str]) -> date | None:
    """The plan's last day when the preamble states a dated range ending in the title's last year
    ("from 1 July 2024 to 30 June 2028" under "… 2024–2028"); one such end only."""
    _, stated_range, _ = _fiscal_patterns()
    found = {stated for para in _head_until(body, _opens_task)
             for m in [*stated_range.finditer(para), *_plan_ends().finditer(para), *_plan_months().finditer(para)]
             if (stated := _english_date(m["end"]) or _month_end(m["end"])) and stated.year == end.year}
    return found.pop() if len(found) == 1 else None


_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
_EN_MONTH_YEAR = rf"(?:{'|'.join(_EN_MONTHS)})\s+\d{{4}}"


def _month_end(text: str) -> date | None:
    """"June 2032" -> 2032-06-30."""
    if not re.fullmatch(_EN_MONTH_YEAR, text.strip()):
        return None
    month, year = text.split()
    return last_day(int(year), _EN_MONTHS.index(month) + 1)


@cache
def _plan_ends() -> re.Pattern:
    """"… so the plan ends on March 31, 2021", "the strategy runs to March 2032": a sentence saying
    on which day, or in which month, the plan ends."""
    words = _words()["period_end"]
    return compiled(rf"\b(?i:{alternation(words['en_subjects'])})\b[^.;]{{0,40}}?\b(?i:{alternation(words['en_end_words'])})"
                    rf"\b[^.;]{{0,20}}?(?P<end>{_EN_DATE}|{_EN_MONTH_YEAR})")


@cache
def _plan_months() -> re.Pattern:
    """"The plan runs from July 2030 to June 2032": months a sentence naming the plan says it spans."""
    words = _words()["period_end"]
    return compiled(rf"\b(?i:{alternation(words['en_subjects'])})\b[^.;]{{0,40}}?(?:from\s+)?{_EN_MONTH_YEAR}\s*"
                    rf"(?:to|until|through|[-–—])\s*(?P<end>{_EN_MONTH_YEAR})")


def _stated_fiscal_end(title: str | None, body: list[str]) -> date | None:
    """The last day of a fiscal year the title names ("2025/26", "FY2026"), as the preamble states it.

    A fiscal year's end cannot be guessed (31 March in one country, 30 June or 30 September in
    another), so only an explicit statement counts: a dated range ending in the title's end year
    ("1 April 2025 to 31 March 2026"), or the fiscal year's months ("the fiscal year runs from
    July 1 to June 30"). Statements naming two different ends give none.
    """
    fiscal_title, stated_range, runs = _fiscal_patterns()
    # "FY2025–FY2026" covers both years: the plan ends with the last one the title names.
    years = [int(m["fy"]) if m["fy"] else int(m["start"][:2] + m["end"]) for m in fiscal_title.finditer(title or "")
             if m["fy"] or int(m["start"][:2] + m["end"]) == int(m["start"]) + 1]
    if not years:
        return None
    end_year = max(years)
    found: set[date] = set()
    for para in _head_until(body, _opens_task):
        for m in stated_range.finditer(para):
            if (stated := _english_date(m["end"])) and stated.year == end_year:
                found.add(stated)
        for m in runs.finditer(para):
            if stated := _english_date(f"{m['end']} {end_year}"):
                found.add(stated)
    return found.pop() if len(found) == 1 else None


_EN_YEAR_SPAN = re.compile(r"(?<!\d)(?:19|20)\d{2}\s*(?:to|[-—–])\s*(?P<end>(?:19|20)\d{2})(?!\d)")


@cache
def _covers() -> re.Pattern:
    """"The plan covers FFY2023 and FFY2024": a preamble sentence naming the fiscal years the plan spans."""
    words = _words()["period_end"]
    fiscal = alternation(table("timewords")["en"]["fiscal_abbreviations"])
    return compiled(rf"\b(?i:{alternation(words['en_subjects'])})\s+(?i:{alternation(words['en_cover_words'])})\b"
                    rf"[^.;]*?(?:\b(?:{fiscal})\s?(?:19|20)\d{{2}}\b[^.;]*)+")


def _fiscal_period_end(title: str | None, body: list[str], fiscal_year: FiscalYear) -> date | None:
    """Where the plan keeps its time in financial years, the day its period ends: the end of the
    financial year closing in the last year of the title's span ("Delivery Plan 2025 to 2026" under
    April–March years ends on 31 March 2026), or of the last fiscal year the preamble says the plan
    covers ("The plan covers FFY2023 and FFY2024")."""
    if title and (span := _EN_YEAR_SPAN.search(title)):
        end = fiscal_year.year_end(int(span["end"]))
        # "It runs from July 2025 to 31 December 2027": a day the preamble prints after it says the
        # plan runs on past its last financial year.
        printed = [day for para in _head_until(body, _opens_task) for m in re.finditer(_EN_DATE, para)
                   if (day := _english_date(m.group()))]
        return None if end is None or any(day > end and day.year == end.year for day in printed) else end
    if title and _YEAR.search(title):
        return None  # one year named: a calendar year, or a fiscal one the title would have marked
    years = [int(y) for para in _head_until(body, _opens_task) for m in _covers().finditer(para)
             for y in re.findall(r"(?<=[A-Za-z\s])((?:19|20)\d{2})\b", m.group())]
    return fiscal_year.year_end(fiscal_year.ending_in(max(years))) if years else None


def _head_until(paragraphs: list[str], ends: Callable[[str], bool],
                limit: int | None = _HEAD_PARAGRAPHS) -> list[str]:
    """The paragraphs before the first one that `ends` the head (all where none does), at most
    `limit` of them. What stands above the first numbered item (starts_numbered_item), the first
    task (_opens_task) or the first responsibility note (_has_note) is about the plan, not a task."""
    head = paragraphs if limit is None else paragraphs[:limit]
    return list(takewhile(lambda paragraph: not ends(paragraph), head))


def _opens_task(paragraph: str) -> bool:
    """A numbered item that is no heading: the first task, read past numbered headings, and past a
    numbered part that only describes the plan ("1. Introduction", which a web page or a Word file
    prints as a plain numbered line)."""
    return starts_numbered_item(paragraph) and not is_heading(paragraph) and not _names_a_preamble_part(paragraph)


@cache
def _preamble_parts() -> frozenset[str]:
    words = table("structure")["not_tasks"]
    return frozenset(re.sub(r"[\s\W_]+", "", w).lower() for w in [*words["titles"], *words["sections"]])


def _names_a_preamble_part(paragraph: str) -> bool:
    """"1. Introduction", "2. Background": a numbered heading naming a part that describes the plan."""
    return re.sub(r"[\s\W_]+", "", without_item_number(paragraph)).lower() in _preamble_parts()


def _has_note(paragraph: str) -> bool:
    from extract.responsibility import has_responsibility_note

    return has_responsibility_note(paragraph)


@cache
def _whole_plan_words(language: str) -> tuple[re.Pattern, re.Pattern]:
    words = _words()["whole_plan_deadline"]
    return (compiled(alternation(words[f"{language}_subjects"]), re.I),
            compiled(alternation(words[f"{language}_completion"]), re.I))


def _whole_plan_deadline(preamble: list[str], language: str) -> date | None:
    """The date by which a sentence of the preamble says the whole plan is to be completed.

    Only a sentence naming the plan or all its tasks and saying they are completed, with one
    deadline carrying its own year, counts ("各项任务……原则上于2025年12月底前完成"); anything
    vaguer ("到2025年，人居环境明显改善") is a goal, not the plan's end.
    """
    subject, completion = _whole_plan_words(language)
    stop = r"(?<=[。；;！？!?])" if language == "zh" else r"(?<=[.;!?])\s+"
    found: set[date] = set()
    for para in preamble:
        for sentence in re.split(stop, para):
            if not (subject.search(sentence) and completion.search(sentence)):
                continue
            dated = [d for d in find_deadlines(sentence, None, language) if d.due and _YEAR.search(d.phrase)]
            if len(dated) == 1 and _next_to(completion, sentence, dated[0].phrase):
                found.add(dated[0].due)
    # Two sentences naming different ends are for an administrator to settle, not for a guess.
    return found.pop() if len(found) == 1 else None


def _stated_term_end(preamble: list[str]) -> date | None:
    """The last day of the term a preamble states the plan runs for ("本实施意见实施期限为2021—2025年",
    "规划期为2026年至2030年"): 31 December of the range's end year; two different ends give none."""
    words = alternation(_words()["stated_term"]["zh_words"])
    term = re.compile(rf"(?:{words})\s*(?:为|是|：|:)?\s*(?:自|从)?\s*(?P<start>\d{{4}})\s*年?(?:\s*\d{{1,2}}\s*月)?\s*[-—–~～至到]\s*"
                      rf"(?P<end>\d{{4}})\s*年(?:\s*(?P<month>\d{{1,2}})\s*月)?")
    found = {last_day(int(m["end"]), int(m["month"] or 12)) for para in preamble for m in term.finditer(para)
             if int(m["end"]) >= int(m["start"]) and 1 <= int(m["month"] or 12) <= 12}
    return found.pop() if len(found) == 1 else None


def _next_to(words: re.Pattern, sentence: str, phrase: str) -> bool:
    """Whether one of `words` stands right beside `phrase`: "于2025年底前完成", "completed by 30 June"."""
    start = sentence.find(phrase)
    end = start + len(phrase)
    return any(m.end() >= start - _BESIDE and m.start() <= end + _BESIDE for m in words.finditer(sentence))
