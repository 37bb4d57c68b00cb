"""Personal names of officials in report text (乡党委书记张三, 由李四同志任组长 …).

Precision comes first: a name is only returned when a strong context (a title before it, or
同志/任/为 after it) and jieba's person-name tag agree, and it is not a common word.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import jieba
import jieba.posseg as pseg

jieba.setLogLevel(logging.WARNING)

# Common single-character surnames, without characters that mostly start ordinary words in
# reports (于, 高, 文, 方, 向, 常, 余, 万, 任, 和 …): those would cost precision.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
    "杜叶程魏苏吕丁沈姚卢姜崔钟谭陆汪范金廖贾夏韦付邱秦顾侯邵孟龙万段雷钱汤尹黎易"
    "武乔贺赖龚庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍申尤毕聂焦向柴柳邢岳齐"
    "梅莫庄辛管祝左涂谷祁时舒耿卜詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍覃"
    "霍翁隋植甘景薄单包司柏宁柯阮桂闵解强丰娄蓝戴宫湛"
)
_SURNAMES -= set("万向成安解强单管时关甘景司包柏宁丰")
_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "司徒",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "令狐",
)

# A title that may directly precede a name: 党委书记, 乡长, 副主任, 武装部长 …
_TITLE = re.compile(r"(?:书记|[乡镇县区市]长|主任|主席|委员|组长|[所站局部科队处院庭馆社]长)")
# What may directly follow a name in these contexts.
_AFTER = re.compile(
    r"(?:同志|担任|任|为|兼|负责|主持|带队|带领|亲自|出席|讲话|指出|强调|要求|表示|率|等|"
    r"[、，。；：,;:（）()\s]|$)"
)
_BY_NAME = re.compile(r"由([\u4e00-\u9fff]{2,4}?)(?:同志)?(?:担任|任|为)")
_COMRADE = re.compile(r"([\u4e00-\u9fff]{2,4}?)同志")
_CJK = re.compile(r"[\u4e00-\u9fff]+")
# jieba knows some names as ordinary words too (文明, 周密); above this frequency it is a word.
_MAX_WORD_FREQ = 200


def extract_official_names(text: str) -> set[str]:
    """Names of officials mentioned with their title or as 「XX同志」; never common words."""
    names: set[str] = set()
    for title in _TITLE.finditer(text):
        name = _name_after(text, title.end())
        if name:
            names.add(name)
    for pattern in (_BY_NAME, _COMRADE):
        for match in pattern.finditer(text):
            name = _trim_to_name(match.group(1))
            if name:
                names.add(name)
    return names


def load_example_names(reports_dir: Path) -> set[str]:
    """Names of officials found in the bundled example reports (knowledge/reports/*.txt)."""
    names: set[str] = set()
    if not reports_dir.is_dir():
        return names
    for path in sorted(reports_dir.glob("*.txt")):
        names |= extract_official_names(path.read_text(encoding="utf-8", errors="replace"))
    return names


def _name_after(text: str, start: int) -> str | None:
    """The name that starts at `start` if one is there: longest valid one followed by _AFTER."""
    for length in (4, 3, 2):
        candidate = text[start : start + length]
        if len(candidate) != length or not _CJK.fullmatch(candidate):
            continue
        if _AFTER.match(text, start + length) and is_person_name(candidate):
            return candidate
    return None


def _trim_to_name(span: str) -> str | None:
    """The longest suffix of `span` (the characters before 同志/任) that is a person name."""
    for length in (4, 3, 2):
        if length <= len(span) and is_person_name(span[-length:]):
            return span[-length:]
    return None


def is_person_name(candidate: str) -> bool:
    """True when `candidate` looks like a Chinese personal name and not an ordinary word."""
    if not 2 <= len(candidate) <= 4 or not _CJK.fullmatch(candidate):
        return False
    compound = candidate[:2] in _COMPOUND_SURNAMES
    if not compound and (candidate[0] not in _SURNAMES or len(candidate) > 3):
        return False
    return _tagged_as_name(candidate)


@lru_cache(maxsize=4096)
def _tagged_as_name(candidate: str) -> bool:
    tokens = list(pseg.cut(candidate))
    if len(tokens) != 1 or not tokens[0].flag.startswith("nr"):
        return False
    frequency = jieba.dt.FREQ.get(candidate) or 0
    return frequency <= _MAX_WORD_FREQ
