"""Text normalisation applied to every document and to every string compared against them.

Full-width ASCII letters and digits become half-width, Chinese punctuation stays full-width,
conversion artefacts and stray spaces between Chinese characters are removed.
"""

from __future__ import annotations

import re
import unicodedata

# Word/WPS conversion leftovers such as "[bookmark: _GoBack]" and zero-width characters.
_ARTEFACTS = re.compile(r"\[bookmark:[^\]]*\]|[\u200b-\u200f\u2060\ufeff\u00ad]")
# Full-width digits and Latin letters (FF10–FF19, FF21–FF3A, FF41–FF5A) and ％ → ASCII.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({code: code - 0xFEE0 for code in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)})
_FULLWIDTH[0xFF05] = ord("%")
_FULLWIDTH[0x3000] = ord(" ")  # ideographic space
_FULLWIDTH[0x00A0] = ord(" ")
_FULLWIDTH[0x2002] = ord(" ")
_FULLWIDTH[0x2003] = ord(" ")
_FULLWIDTH[ord("\t")] = ord(" ")

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_CJK_PUNCT = r"，。、；：？！“”‘’（）《》〈〉【】〔〕—…·"
# Spaces that sit between two Chinese characters or Chinese punctuation marks are noise.
_STRAY_SPACE = re.compile(rf"(?<=[{_CJK}{_CJK_PUNCT}]) +(?=[{_CJK}{_CJK_PUNCT}0-9])")
_STRAY_SPACE_BEFORE = re.compile(rf"(?<=[0-9]) +(?=[{_CJK}{_CJK_PUNCT}])")
_MULTI_SPACE = re.compile(r" {2,}")
# The space after an outline mark is meaningful: 「第一条 为了……」, 「第一章 总则」.
_OUTLINE_SPACE = re.compile(
    r"^(#*\s*第[一二三四五六七八九十百零〇\d]+[编章节条](?:之[一二三四五六七八九十]+)?) +"
)
_BLANK_LINES = re.compile(r"\n{3,}")


def normalize_line(line: str) -> str:
    """Normalise one line (no newlines inside)."""
    line = unicodedata.normalize("NFC", line)
    line = _ARTEFACTS.sub("", line).translate(_FULLWIDTH)
    line = _OUTLINE_SPACE.sub("\\1\x00", line)  # protect it from the stray-space rule
    line = _STRAY_SPACE.sub("", line)
    line = _STRAY_SPACE_BEFORE.sub("", line).replace("\x00", " ")
    return _MULTI_SPACE.sub(" ", line).strip()


def normalize_text(text: str) -> str:
    """Normalise a whole document: each line, line endings, and runs of blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [normalize_line(line) for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


# Dates as staff type them in a question: 4.15, 12·4, 6月26号. Documents write 4月15日.
# A dotted figure followed by a unit is an amount (2.5万元), not a date.
_DOTTED_DATE = re.compile(
    r"(?<![\d.])(1[0-2]|[1-9])\s*[.·．・]\s*(3[01]|[12]\d|[1-9])(?![\d.%‰万亿元倍个件人次名场分米克吨年])"
)
_HAO_DATE = re.compile(r"(?<!\d)(1[0-2]|[1-9])月(3[01]|[12]\d|[1-9])[号號]")
# A year said with two digits (26年年报, 27年春节) where documents write 2026年. Only 20–39,
# and not when it is a span of time (近20年来, 30年以上, 25年前).
_SHORT_YEAR = re.compile(r"(?<![\d.第近满])([23]\d)(?=年)(?!年(?:来|内|以|间|左右|前|后|多|半|期))")


# "One page … how many lines" asks a rate, which GB/T 9704 writes 每页/每行: 一页排几行 →
# 每页排几行. Only layout units: 一年、一月、一季度 also name a year, January, the first quarter.
_ONE_PER = re.compile(
    r"(?<![第统同单逐唯\d〇零一二两三四五六七八九十百千万])一(页|行|面)"
    r"(?=[^，。？！；,.?!;\s]{0,5}?(?:几|多少))"
)


# 「年报要写哪几块」: the parts of a text, which documents call 部分 (not 几块钱).
_PARTS = re.compile(r"(?<=[哪几])块(?!钱)")


def spoken_forms(question: str) -> str:
    """A question's dates, rates and parts in the documents' form (「4.15是啥日子」 → 「4月15日
    是啥日子」, 「26年年报」 → 「2026年年报」, 「一页排几行」 → 「每页排几行」, 「哪几块」 → 「哪几部分」)."""
    question = _PARTS.sub("部分", _ONE_PER.sub(r"每\1", _SHORT_YEAR.sub(r"20\1", question)))
    return _DOTTED_DATE.sub(r"\1月\2日", _HAO_DATE.sub(r"\1月\2日", question))


def chinese_numeral(value: int) -> str:
    """A number from 0 to 99 as documents write it in words: 7 → 七, 12 → 十二, 23 → 二十三."""
    digits = "零一二三四五六七八九"
    if value < 10:
        return digits[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
