"""What the proofreader reports: one Finding per problem, with a kind, a severity and a fix."""

from __future__ import annotations

from dataclasses import dataclass

SEVERITIES = ("error", "warning", "info")  # most serious first

# Stable English ids (for code and JSON) and the Chinese labels users see.
KIND_LABELS = {
    "structure": "结构",
    "numbering": "序号",
    "expression": "规范表述",
    "typo": "错别字",
    "figure": "数字",
    "stale": "过时提法",
    "name": "人名",
    "title": "文件名称",
    "punctuation": "标点",
    "org": "单位名称",
    "unfinished": "未完成",
}

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Finding:
    """One problem in a draft. `location` is Chinese (「第3段第2句」); `excerpt` is quoted text."""

    kind: str
    severity: str
    excerpt: str
    location: str
    suggestion: str

    @property
    def label(self) -> str:
        """The Chinese name of the kind, e.g. 规范表述."""
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def severity_label(self) -> str:
        return SEVERITY_LABELS.get(self.severity, self.severity)


# A finding with where it sits (paragraph number, offset), used to sort before returning.
Located = tuple[tuple[int, int], Finding]
