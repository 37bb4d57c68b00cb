"""The wording of the report deadline in calendar entries: {deadline} and {deadline_basis}.

The national date carries the same caveat everywhere it appears (FACTS §1.2, §5 item 2): the
national text names county-level departments; whether 3月1日 binds townships is unverified.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def deadline_wording(deadline: tuple[int, int], *, county: bool) -> dict[str, str]:
    """Values for {deadline} and {deadline_basis} in the data file (report entries).

    The wording of the national date is the one used everywhere (FACTS §1.2, §5 item 2).
    """
    month, day = deadline
    text = f"{month}月{day}日"
    if county:
        basis = f"本县规定{text}前报送（全国性规定为每年3月1日前）"
    else:
        basis = (
            "每年3月1日前报送（全国性规定明确的是县级以上政府部门；是否直接适用于乡镇"
            "尚未核实，县里规定的时间往往更早，以县委依法治县办通知为准）"
        )
    return {"{deadline}": text, "{deadline_basis}": basis}


def fill_placeholders(raw: Mapping[str, Any], wording: Mapping[str, str]) -> dict[str, Any]:
    """The entry with {deadline} placeholders in its texts replaced."""

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            for placeholder, text in wording.items():
                value = value.replace(placeholder, text)
            return value
        if isinstance(value, list):
            return [fill(item) for item in value]
        return value

    return {field: fill(value) for field, value in raw.items()}
