"""What a plan says about itself: title, issuer, document number, date of issue, the period it covers."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

import dateparser

from extract.model import DocumentMeta
from extract.normalize import starts_numbered_item, without_heading_marks
from extract.numerals import chinese_to_int
from extract.vocabulary import table

_CJK = re.compile(r"[\u3400-\u9fff]")
# Where the covering notice names the plan it sends out.
_COVER = re.compile(r"^(?P<issuer>.*?)\s*关于(?:印发|转发|下发)\s*(?P<title>.+?)\s*的?(?:通知|决定)$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,4}\s*号")
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
_PERIOD_SUFFIX = r"\s*(?:[(（][^()（）]{0,20}[)）])?"
# Cover lines and signatures are short; body text is not.
_SHORT_LINE = 40
# How far into the document the head (cover, title, signature) may reach, in paragraphs.
_HEAD_PARAGRAPHS = 40


@dataclass(frozen=True)
class DocumentHead:
    meta: DocumentMeta
    body_start: int  # index of the first paragraph after the plan's own title
    plan_year: int | None  # the year that "年内", "上半年" and "within the year" refer to


def detect_language(text: str) -> str:
    """"zh" when Chinese characters make up a fair share of the letters, else "en"."""
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk >= max(20, latin // 4) or (cjk and cjk >= latin) else "en"


@cache
def _words() -> dict:
    return table("metadata")


def _labels(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@cache
def _doc_number_label() -> re.Pattern:
    return re.compile(rf"(?:{_labels(_words()['doc_number']['zh_labels'])})\s*[:：]\s*(?P<number>{_DOC_NUMBER.pattern})")


@cache
def _en_doc_number_label() -> re.Pattern:
    labels = _labels(_words()["doc_number"]["en_labels"])
    return re.compile(rf"\b(?:{labels})\.?\s*[:：]\s*(?P<number>[A-Z0-9][A-Za-z0-9/()\-.]*[A-Za-z0-9)])", re.I)


@cache
def _issue_date_label() -> re.Pattern:
    return re.compile(rf"(?:{_labels(_words()['issue_date']['zh_labels'])})\s*[:：]\s*{_ZH_DATE}")


@cache
def _en_issue_date_label() -> re.Pattern:
    labels = _labels(_words()["issue_date"]["en_labels"])
    # "Date: 3 March 2026", "Dated 3 March 2026" — but "Issued by …" is a sentence, not a label.
    return re.compile(rf"^(?:{labels})\s*(?:[:：]\s*|\s+(?=\d|[A-Z][a-z]{{2,8}}\.?\s+\d))(?P<date>.+)$", re.I)


@cache
def _issuer_label() -> tuple[re.Pattern, re.Pattern]:
    words = _words()["issuer"]
    zh = re.compile(rf"(?:{_labels(words['zh_labels'])})\s*[:：]\s*(?P<name>[^\s:：]+?)(?=\s|$|[\u4e00-\u9fff]{{2,4}}\s*[:：])")
    en = re.compile(rf"^(?:{_labels(words['en_labels'])})\s*[:：]\s*(?P<name>.+)$", re.I)
    return zh, en


@cache
def _issue_sentence() -> re.Pattern:
    """"Issued by the Sample County Executive Office on 16 February 2026": issuer and date in prose."""
    words = _words()["issuer"]
    joiners = _labels(words["en_name_joiners"])
    name = rf"[A-Z][\w'’&.-]*(?:\s+(?:(?:{joiners})\s+)*[A-Z][\w'’&.-]*)*"
    # Only the verb is case-blind: the name is the run of capitalised words after it.
    return re.compile(rf"\b(?i:{_labels(words['en_verbs'])})\s+by\s+(?:(?i:the)\s+)?(?P<name>{name})"
                      rf"(?:[\s,]+(?:on\s+)?(?P<date>{_EN_DATE}))?")


def _zh_date(match: re.Match) -> date | None:
    parts = [int(match[k]) if match[k].isdigit() else chinese_to_int(match[k]) for k in ("y", "m", "d")]
    return _safe_date(*parts) if all(parts) else None


def date_line(paragraph: str) -> date | None:
    """The date, when the paragraph is nothing but a date ("2026年2月16日", "二〇二六年二月十六日")."""
    match = _DATE_LINE.match(paragraph.strip())
    return _zh_date(match) if match and ("年" in paragraph or match["y"].isdigit()) else None


@cache
def _title_pattern(language: str) -> re.Pattern:
    words = table("structure")["plan_title"]
    if language == "zh":
        suffixes = "|".join(sorted(map(re.escape, words["zh_suffixes"]), key=len, reverse=True))
        return re.compile(rf"(?:{suffixes}){_PERIOD_SUFFIX}$")
    names = "|".join(sorted(map(re.escape, words["en_words"]), key=len, reverse=True))
    return re.compile(rf"\b(?:{names})\b", re.I)


def _is_title_line(paragraph: str, language: str) -> bool:
    if language == "zh":
        return (len(paragraph) <= 60 and not re.search(r"[。；，,：:]", paragraph)
                and "关于" not in paragraph and not paragraph.endswith(("通知", "文件"))
                and not paragraph.startswith(("《", "（", "("))
                and bool(_title_pattern("zh").search(paragraph)))
    return (len(paragraph) <= 120 and not re.search(r"[.;:]\s|[.;]$", paragraph)
            and bool(_title_pattern("en").search(paragraph)))


def _cover_notice(paragraphs: list[str]) -> tuple[str | None, str | None, int | None]:
    """(issuer, plan title, index) from "X关于印发《Y》的通知", which a page may spread over lines."""
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
        issuer = match["issuer"].strip() or None
        if issuer is None and i > 0 and len(paragraphs[i - 1]) <= _SHORT_LINE and not re.search(r"[。，,：:]", paragraphs[i - 1]):
            issuer = paragraphs[i - 1]
        title = re.sub(r"^《(.+)》$", r"\1", match["title"].strip())
        return issuer, title, end
    return None, None, None


def _squeeze(text: str) -> str:
    return re.sub(r"[\s《》〈〉]", "", text)


@cache
def _title_break_words() -> tuple[re.Pattern, re.Pattern]:
    words = _words()["title"]
    not_part = re.compile(rf"^(?:{_labels(words['not_title_lines'])})\s*\d*$")
    issuer_end = re.compile(rf"(?:{_labels(words['issuer_endings'])})$")
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


def _find_title(paragraphs: list[str], language: str, cover_title: str | None) -> tuple[str | None, int | None]:
    candidates = [(i, p) for i, p in enumerate(paragraphs[:_HEAD_PARAGRAPHS]) if _is_title_line(p, language)]
    if language == "zh":
        candidates = [(last, title) for i, _p in candidates for title, last in [_whole_title(paragraphs, i, cover_title)]]
    if cover_title:
        for i, p in candidates:
            if _squeeze(p) == _squeeze(cover_title):
                return p, i
    if candidates and (language == "zh" or not cover_title):
        i, p = candidates[0]
        return p, i
    if cover_title:
        return cover_title, None
    # A plan without cover or recognisable title word: its first short line is its title.
    for i, p in enumerate(paragraphs[:3]):
        if len(p) <= 60 and not re.search(r"[。；;:：]|[.]$", p) and not _DOC_NUMBER.search(p):
            if not starts_numbered_item(p):
                return p, i
    return None, None


def _issue_date(paragraphs: list[str], language: str) -> tuple[date | None, int | None]:
    """The 成文日期, else the first date printed on a line of its own (the one under the signature)."""
    for para in paragraphs[:_HEAD_PARAGRAPHS]:
        if (match := _issue_date_label().search(para)) and (found := _zh_date(match)):
            return found, None
    for i, para in enumerate(paragraphs):
        if found := date_line(para):
            return found, i
    for para in paragraphs:
        if (match := _PRINTED_ON.search(para)) and (found := _zh_date(match)):
            return found, None
    if language == "en":
        for i, para in enumerate(paragraphs[:_HEAD_PARAGRAPHS]):
            label = _en_issue_date_label().match(para)
            text = label["date"] if label else para
            if (label or len(para) <= 30) and _YEAR.search(text) and (found := _english_date(text)):
                return found, i
        for para in _above_first_item(paragraphs):
            if (match := _issue_sentence().search(para)) and match["date"] and (found := _english_date(match["date"])):
                return found, None
    return None, None


def _english_date(text: str) -> date | None:
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


def _signature(paragraphs: list[str], date_index: int | None) -> str | None:
    if date_index is None or date_index == 0:
        return None
    above = paragraphs[date_index - 1]
    if len(above) <= _SHORT_LINE and not re.search(r"[。，,；;:：]", above):
        return re.sub(r"[(（]代[)）]$", "", above).strip()
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


def read_head(paragraphs: list[str], language: str) -> DocumentHead:
    """The document's metadata and where its body starts."""
    paragraphs = [without_heading_marks(p) for p in paragraphs]
    issuer, cover_title, cover_index = _cover_notice(paragraphs) if language == "zh" else (None, None, None)
    title, title_index = _find_title(paragraphs, language, cover_title)
    issued_on, date_index = _issue_date(paragraphs, language)
    if issuer is None:
        issuer = _signature(paragraphs, date_index) or _labelled_issuer(paragraphs)
    end = period_end(title)
    if title_index is not None:
        body_start = title_index + 1
    elif cover_index is not None:
        body_start = cover_index + 1
    else:
        body_start = 0
    doc_number = _doc_number(paragraphs[:body_start] or paragraphs)
    if doc_number is None and language == "en":
        doc_number = _english_doc_number(paragraphs)
    meta = DocumentMeta(title=title, issuer=issuer, doc_number=doc_number,
                        issued_on=issued_on, period_end=end)
    return DocumentHead(meta=meta, body_start=body_start, plan_year=_plan_year(title, issued_on, end))


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
    for para in _above_first_item(paragraphs):
        if match := _issue_sentence().search(para):
            return match["name"].strip().rstrip(".")
    return None


def _above_first_item(paragraphs: list[str]) -> list[str]:
    """The head's paragraphs before the first numbered item: prose there is about the plan, not a task."""
    head = paragraphs[:_HEAD_PARAGRAPHS]
    first_item = next((i for i, p in enumerate(head) if starts_numbered_item(p)), len(head))
    return head[:first_item]


def _english_doc_number(paragraphs: list[str]) -> str | None:
    """"Reference: SCEO-2026-04" in the lines above the first item."""
    for para in _above_first_item(paragraphs):
        if match := _en_doc_number_label().search(para):
            return match["number"].rstrip(".")
    return None
