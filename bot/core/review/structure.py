"""Report structure: the five required contents as ordered level-1 headings, and the title.

The five contents come from 《法治政府建设与责任落实督察工作规定》 (FACTS.md §1.3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.core.review.draft import Draft, Paragraph, Spot, title_year
from bot.core.review.finding import Finding, Located
from bot.core.review.numbering import Marker, find_markers, top_headings

_SOURCE = "《法治政府建设与责任落实督察工作规定》规定的年度报告内容"


@dataclass(frozen=True)
class Content:
    key: str
    name: str
    pattern: re.Pattern[str]
    severity_if_missing: str


# In the required order. A heading may name several contents (「存在的问题及2025年工作计划」).
CONTENTS = (
    Content(
        "measures",
        "推进法治政府建设的主要举措和成效",
        re.compile(r"举措|成效|措施|做法|成绩|工作开展|开展情况|主要工作|建设情况|工作情况|进展"),
        "error",
    ),
    Content(
        "shortcomings",
        "存在的不足和原因",
        re.compile(r"不足|存在的?问题|问题和原因|短板|差距|原因"),
        "error",
    ),
    Content(
        "leader",
        "党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
        re.compile(r"第一责任人|主要负责人履行|述法"),
        "error",
    ),
    Content(
        "plans",
        "下一年度推进法治政府建设的主要安排",
        re.compile(
            r"下一年|下一步|下年度|明年|打算|安排|计划|思路|重点工作|工作重点|展望|努力方向"
        ),
        "error",
    ),
    Content(
        "other",
        "其他需要报告的情况",
        re.compile(r"其他需要报告|其它需要报告|其他事项|其他情况"),
        "warning",
    ),
)
_ORDER = {content.key: i for i, content in enumerate(CONTENTS)}
_EXPLICIT_MEASURES = re.compile(r"举措|成效|成绩")
_BODY = re.compile(
    r"[\u4e00-\u9fff]{1,15}?(?:乡|镇|街道|办事处|社区|村|县|区|市|旗|州|省|局|委员会|党委|政府|办|所|"
    r"中心|管委会)"
)
_YEAR = re.compile(r"(20\d{2})\s*年")
_REPORT_WORDS = re.compile(r"报告|总结|情况")


def check_structure(draft: Draft, year: int | None = None) -> list[Located]:
    """Whole-report checks; a fragment without a report title and headings is left alone.

    `year` is the report's year when the user gave it; otherwise the body's year is read."""
    headings = top_headings(draft)
    if not _looks_like_report(draft, headings):
        return []
    found = _check_title(draft)
    if headings:
        found += _check_contents(draft, headings, year)
    else:
        found.append(
            _at_start(draft, "warning", "未找到一级标题（一、二、三……）", _contents_hint())
        )
    return found


def classify(heading: str) -> list[str]:
    """The required contents a level-1 heading names, in required order."""
    if CONTENTS[4].pattern.search(heading):
        return ["other"]
    keys = [c.key for c in CONTENTS[1:4] if c.pattern.search(heading)]
    # Work done is the default; beside another content only an explicit 举措/成效 counts
    # (「整改措施」「工作打算和措施」 do not make a heading about measures).
    if not keys or _EXPLICIT_MEASURES.search(heading):
        keys.insert(0, "measures")
    return sorted(keys, key=_ORDER.__getitem__)


def plan_paragraphs(draft: Draft) -> list[Paragraph]:
    """The paragraphs under a level-1 heading about next year's plans (heading included)."""
    headings = top_headings(draft)
    if not _looks_like_report(draft, headings):
        return []
    starts = [marker.paragraph.number for marker in headings] + [len(draft.paragraphs) + 1]
    wanted: set[int] = set()
    for index, marker in enumerate(headings):
        if classify(marker.heading) == ["plans"]:
            wanted.update(range(starts[index], starts[index + 1]))
    return [p for p in draft.body if p.number in wanted]


def _looks_like_report(draft: Draft, headings: list[Marker]) -> bool:
    return len(headings) >= 2 or bool(_REPORT_WORDS.search(draft.title))


def _check_contents(draft: Draft, headings: list[Marker], year: int | None) -> list[Located]:
    found: list[Located] = []
    keys_by_heading = [(marker, classify(marker.heading)) for marker in headings]
    present = {key for _, keys in keys_by_heading for key in keys}
    subheadings = [m for m in find_markers(draft) if m.level > 1 and m not in headings]
    for content in CONTENTS:
        if content.key in present:
            continue
        inside = next((m for m in subheadings if content.pattern.search(m.heading)), None)
        if content.key != "measures" and inside is not None:
            found.append(
                _at_marker(
                    draft,
                    inside,
                    "info",
                    f"「{content.name}」只作为下级标题出现；按规定它是报告的一项必备内容，"
                    "建议单列为一级标题",
                )
            )
        else:
            found.append(
                _at_start(
                    draft,
                    content.severity_if_missing,
                    content.name,
                    f"缺少这项必备内容，请增加相应的一级标题（{_SOURCE}；没有可写“无”）",
                )
            )
    last = -1
    for marker, keys in keys_by_heading:
        first = _ORDER[keys[0]]
        if first < last:
            found.append(
                _at_marker(
                    draft,
                    marker,
                    "warning",
                    "一级标题顺序与规定不一致，应依次为：" + _contents_hint(),
                )
            )
            break
        last = max(last, _ORDER[keys[-1]])
    found += _check_heading_years(draft, keys_by_heading, year)
    return found


def _check_heading_years(
    draft: Draft, keyed: list[tuple[Marker, list[str]]], given: int | None
) -> list[Located]:
    # Against the body's year: when the title disagrees, that is one finding on the title.
    year = given or draft.body_year or draft.reported_year
    if year is None:
        return []
    found: list[Located] = []
    for marker, keys in keyed:
        years = [int(y) for y in _YEAR.findall(marker.heading)]
        if not years or len(keys) != 1 or keys[0] == "other":
            continue
        wanted = year + 1 if keys[0] == "plans" else year
        if years[0] != wanted:
            # Plans headed with a past year are last year's plans left in: a stale reference.
            kind = "stale" if keys[0] == "plans" and years[0] < wanted else "structure"
            message = f"标题中的「{years[0]}年」与报告年度不符，此处应为「{wanted}年」"
            found.append(_at_marker(draft, marker, "error", message, kind))
    return found


def _check_title(draft: Draft) -> list[Located]:
    title = draft.title
    if not title:
        hint = "标题应写明报告单位和年度，如「××乡人民政府关于2025年法治政府建设情况的报告」"
        return [_at_start(draft, "warning", "缺少标题", hint)]
    found: list[Located] = []
    if not _BODY.search(title.replace("法治政府", "")):
        found.append(
            _title_finding(draft, "warning", "标题应写明报告单位，如「××乡人民政府关于…的报告」")
        )
    year = title_year(title)
    if year is None:
        found.append(_title_finding(draft, "warning", "标题应写明报告所述年度，如「2025年」"))
    elif draft.body_year is not None and draft.body_year != year:
        found.append(
            _title_finding(
                draft,
                "error",
                f"标题年度为{year}年，正文报告的却是{draft.body_year}年情况，请核对统一",
                needle=f"{year}",
            )
        )
    return found


def _title_finding(draft: Draft, severity: str, suggestion: str, needle: str = "") -> Located:
    titles = [p for p in draft.paragraphs if p.is_title]
    paragraph = next((p for p in titles if needle and needle in p.text), titles[0])
    spot = Spot(paragraph, 0, len(paragraph.text))
    finding = Finding("structure", severity, draft.title[:40], draft.locate(spot), suggestion)
    return (spot.position, finding)


def _at_marker(
    draft: Draft, marker: Marker, severity: str, suggestion: str, kind: str = "structure"
) -> Located:
    spot = Spot(marker.paragraph, 0, len(marker.text))
    excerpt = marker.paragraph.text[:30]
    return (spot.position, Finding(kind, severity, excerpt, draft.locate(spot), suggestion))


def _at_start(draft: Draft, severity: str, excerpt: str, suggestion: str) -> Located:
    """A finding about the whole report; `excerpt` names what it is about."""
    return ((0, 0), Finding("structure", severity, excerpt, "全文", suggestion))


def _contents_hint() -> str:
    return "；".join(f"{i}. {c.name}" for i, c in enumerate(CONTENTS, start=1))
