import re
import tomllib
from pathlib import Path

import pytest

from bot.i18n import Catalogue
from extract import extract_plan

LOCALES = Path(__file__).resolve().parents[2] / "bot" / "locales"


def keys_and_placeholders(language: str) -> dict[str, set[str]]:
    raw = tomllib.loads((LOCALES / f"{language}.toml").read_text(encoding="utf-8"))
    return {f"{section}.{name}": set(re.findall(r"{(\w+)}", text))
            for section, table in raw.items() for name, text in table.items()}


def test_every_text_exists_in_both_languages_with_the_same_placeholders():
    assert keys_and_placeholders("zh-CN") == keys_and_placeholders("en")


def test_chinese_is_the_default_language():
    assert Catalogue().text("status.done") == "已完成"
    assert Catalogue("en").text("status.done") == "done"


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_every_review_flag_the_extractor_raises_can_be_worded(language):
    plan = extract_plan("2031年某县工作要点\n\n一、总体\n\n1. 做一件事。年内完成。\n\n2. 做另一件事。2032年年底前完成。\n",
                        "p.txt")
    assert plan.review_flags
    texts = Catalogue(language)
    for flag in plan.review_flags:
        assert texts.text(f"review.{flag.code}", task=flag.task, **dict(flag.values))
