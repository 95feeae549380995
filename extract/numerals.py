"""Numbers as plans print them: Chinese numerals ("二十三", "二〇二三"), circled digits, Roman numerals."""
from __future__ import annotations

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9,
           # The formal numerals of amounts, which also number a plan's parts ("壹、", "贰、"), in
           # both scripts: a traditional plan is read converted, where 參 becomes 参, not 叁.
           "壹": 1, "贰": 2, "貳": 2, "叁": 3, "参": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6,
           "柒": 7, "捌": 8, "玖": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000, "拾": 10, "佰": 100, "仟": 1000}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def chinese_to_int(text: str) -> int | None:
    """"二十三" -> 23, "十" -> 10, "一百零五" -> 105, "拾贰" -> 12; digit-by-digit years "二〇二三" -> 2023."""
    if not text or any(c not in _DIGITS and c not in _UNITS for c in text):
        return None
    if not any(c in _UNITS for c in text):
        value = 0
        for c in text:
            value = value * 10 + _DIGITS[c]
        return value
    total, digit = 0, None
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS[c]
        else:
            total += (1 if digit is None else digit) * _UNITS[c]
            digit = None
    return total + (digit or 0)


def roman_to_int(text: str) -> int | None:
    """"IV" -> 4; None for anything that is not a Roman numeral."""
    if not text or any(c not in _ROMAN for c in text.upper()):
        return None
    values = [_ROMAN[c] for c in text.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def circled_to_int(text: str) -> int | None:
    """"③" -> 3."""
    return _CIRCLED.index(text) + 1 if len(text) == 1 and text in _CIRCLED else None
