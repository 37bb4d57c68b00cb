"""Checking a model's rewrite of a draft skeleton: nothing of the user's lost, nothing new let in.

The offline composer's skeleton holds every user fact once, in its place; the model only makes it
read well. So the rewrite must still hold every figure of the facts (else the skeleton is used),
and whatever it names that the skeleton does not — a document (《…》), a place (…乡/镇/县/村), a
count in Chinese numerals (五办五中心), a procedure or activity — is marked 【待核实：…】.
Figures and names from the example material are the number guard's job (numberguard.guard_text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.writing.numberguard import PROTECTED_RE, find_figures

HAN = "\u4e00-\u9fff"
TITLE = re.compile(r"《[^《》\n]{1,80}》")
# A place name: (two Han characters and) an administrative suffix: 青石镇, 李庄乡, 宝丰县, 张庄村.
PLACE_SUFFIX = re.compile(r"街道|乡(?![村镇])|镇(?![村域])|县(?![域乡级])|村(?![级民委组务])")
# Common nouns ending in a suffix (全镇, 下乡, 乡镇, 示范村): a name is checked only if the one or
# two characters before its suffix are none of these.
GENERIC_PLACES = frozenset(
    [
        "城乡",
        "乡镇",
        "城镇",
        "集镇",
        "村镇",
        "小镇",
        "本乡",
        "全乡",
        "各乡",
        "下乡",
        "返乡",
        "家乡",
        "该乡",
        "我乡",
        "本镇",
        "全镇",
        "各镇",
        "该镇",
        "我镇",
        "本县",
        "全县",
        "各县",
        "该县",
        "我县",
        "市县",
        "区县",
        "县乡",
        "旗县",
        "农村",
        "乡村",
        "各村",
        "全村",
        "本村",
        "进村",
        "驻村",
        "到村",
        "每村",
        "村村",
        "入村",
        "包村",
        "联村",
        "该村",
        "我村",
        "镇村",
        "行政村",
        "自然村",
        "示范村",
        "贫困村",
        "重点村",
        "新农村",
        "美丽乡村",
        "文明村",
        "先进村",
        "试点村",
        "民主法治示范村",
        "所在村",
        "所在乡",
        "所在镇",
        "相关村",
    ]
)
# Characters that end a word before 乡/镇/县/村 rather than belong to a name (全年镇党委, 和村).
NOT_NAME_END = frozenset(
    "年月日的了和与及或在到至全各本该我个每是为对向从于由把将被等并"
    "出进入驻包联下治动兴强美富优好"  # verbs and adjectives: 不出村, 依法治镇, 推动村
)
CHINESE_NUMERAL = "一二三四五六七八九十两百千"
# A Chinese numeral used as a count before a noun (五办, 三中心, 两支队伍); ordinals, 一是 and
# fixed expressions are skipped by the caller's rules below.
CHINESE_COUNT = re.compile(
    rf"(?<![第{CHINESE_NUMERAL}（(])([一二三四五六七八九十两][{CHINESE_NUMERAL}万]*)"
    rf"((?:(?![{CHINESE_NUMERAL}])[{HAN}])+)"
)
# The noun after a count is marked whole when the word ends soon (五中心”, 两支队伍，); in a
# longer run of characters only its first character is (三个 in 三个方面的工作).
COUNT_NOUN_CHARS = 3
# What follows a numeral in wording, not in a count: 一是, 十分, 一律, 一致, 万一.
NOT_COUNT_NEXT = set("是、）)来则方切样些起同致律般直定再旦度线级流手把批步分委")
# Procedures and activities a model tends to add; the rewrite may use one only if the skeleton
# (facts, leads, placeholders) already does. Longest first so the whole term is marked.
MEASURES = tuple(
    sorted(
        [
            "听证会",
            "听证",
            "专家论证",
            "论证会",
            "风险评估",
            "社会稳定风险评估",
            "第三方评估",
            "公众参与",
            "征求意见",
            "座谈会",
            "推进会",
            "现场会",
            "观摩会",
            "培训班",
            "知识竞赛",
            "有奖竞答",
            "文艺汇演",
            "文艺演出",
            "情景剧",
            "专项行动",
            "专项整治",
            "暗访",
            "明察暗访",
            "问卷调查",
            "满意度调查",
            "法治夜校",
            "法律诊所",
            "宣讲团",
            "志愿服务队",
            "工作站",
            "服务站",
            "调解室",
            "微信公众号",
            "公众号",
            "短视频",
            "直播",
            "融媒体",
            "一村一法律顾问",
            "法律顾问",
            "公职律师",
            "法律援助",
            "网格化",
            "积分制",
            "红黑榜",
            "清单制",
        ],
        key=len,
        reverse=True,
    )
)


@dataclass(frozen=True)
class RewriteCheck:
    """The rewrite with added items marked, the user facts it lost, and one warning per mark."""

    text: str
    missing_facts: tuple[str, ...]
    flagged: tuple[str, ...]
    warnings: tuple[str, ...]


def missing_facts(text: str, facts: str) -> list[str]:
    """Figures of the facts that the text no longer holds (outside placeholders)."""
    visible = PROTECTED_RE.sub("", text)
    have = {(f.value, f.unit) for f in find_figures(visible)}
    have_values = {f.value for f in find_figures(visible)}
    return [
        f.text
        for f in find_figures(facts)
        if (f.value, f.unit) not in have and not (f.unit == "" and f.value in have_values)
    ]


def added_items(
    text: str, reference: str, fixed_expressions: Iterable[str] = ()
) -> list[tuple[int, int, str]]:
    """(start, end, item) of every title, place, Chinese-numeral count or measure in `text` that
    `reference` (skeleton, facts, organisation) does not hold."""
    fixed = [phrase for phrase in fixed_expressions if phrase]
    skipped = [m.span() for m in PROTECTED_RE.finditer(text) if m.group(0).startswith("【")]
    for phrase in fixed:
        skipped += [m.span() for m in re.finditer(re.escape(phrase), text)]
    found: list[tuple[int, int, str]] = []

    def add(start: int, end: int) -> None:
        if not any(a <= start < b or a < end <= b for a, b in skipped):
            found.append((start, end, text[start:end]))
            skipped.append((start, end))

    for match in TITLE.finditer(text):
        if match.group(0) not in reference and match.group(0)[1:-1] not in reference:
            add(*match.span())
    titles = [m.span() for m in TITLE.finditer(text)]
    skipped += titles
    for match in PLACE_SUFFIX.finditer(text):
        start, end = max(match.start() - 2, 0), match.end()
        name = text[start:end]
        if (
            not re.fullmatch(rf"[{HAN}]{{2}}(?:街道|乡|镇|县|村)", name)
            or any(name[i:] in GENERIC_PLACES for i in range(len(name) - 1))
            or name[1] in NOT_NAME_END  # 全年镇党委 is 全年 + 镇党委
            or name[0] in NOT_NAME_END
            or name in reference
        ):
            continue
        add(start, end)
    for match in CHINESE_COUNT.finditer(text):
        numeral, noun = match.groups()
        if numeral == "一" or noun[0] in NOT_COUNT_NEXT or numeral + noun[0] in reference:
            continue
        add(match.start(), match.start(2) + (len(noun) if len(noun) <= COUNT_NOUN_CHARS else 1))
    for term in MEASURES:
        if term in reference:
            continue
        for match in re.finditer(re.escape(term), text):
            add(*match.span())
    merged: list[tuple[int, int, str]] = []
    for start, end, _ in sorted(found):  # 五办 + 五中心 -> one mark
        if merged and merged[-1][1] == start:
            start = merged.pop()[0]
        merged.append((start, end, text[start:end]))
    return merged


def check_rewrite(
    text: str,
    skeleton: str,
    facts: str,
    *,
    org: str | None,
    fixed_expressions: Iterable[str] = (),
) -> RewriteCheck:
    """Compare a model's rewrite with the skeleton it was given (see the module docstring)."""
    lost = tuple(missing_facts(text, facts))
    reference = "\n".join([skeleton, facts, org or ""])
    pieces, cursor, flagged = [], 0, []
    for start, end, item in added_items(text, reference, fixed_expressions):
        pieces += [text[cursor:start], f"【待核实：{item}】"]
        cursor = end
        flagged.append(item)
    pieces.append(text[cursor:])
    warnings = tuple(
        f"“{item}”是大模型添加的内容，原稿中没有依据，已标为【待核实】" for item in flagged
    )
    return RewriteCheck("".join(pieces), lost, tuple(flagged), warnings)
