"""Prompt templates (prompts/*.md, Chinese, with $placeholders), loaded and checked at start-up."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import Template

from bot.core.errors import ConfigError

# Each prompt file and the placeholders it must contain.
REQUIRED_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "system": frozenset(),
    "ask": frozenset({"question", "material"}),
    "draft": frozenset({"section", "skeleton", "facts", "org", "year", "material"}),
    "revise": frozenset({"draft", "instruction", "facts"}),
    "restate": frozenset({"question"}),
}


@dataclass(frozen=True)
class PromptSet:
    """The checked templates, one per use."""

    system: Template
    ask: Template
    draft: Template
    revise: Template
    restate: Template

    def render(self, name: str, **values: str) -> str:
        """Fill one template; every placeholder was checked at load, so none is left over."""
        template: Template = getattr(self, name)
        return template.substitute(values)


def _placeholders(template: Template) -> set[str]:
    found: set[str] = set()
    for match in template.pattern.finditer(template.template):
        name = match.group("named") or match.group("braced")
        if name:
            found.add(name)
        elif match.group("invalid") is not None:
            raise ValueError(match.group(0))
    return found


def load_prompts(prompts_dir: Path) -> PromptSet:
    """Load prompts/<name>.md for every required prompt; ConfigError names a bad file."""
    templates: dict[str, Template] = {}
    for name, required in REQUIRED_PLACEHOLDERS.items():
        path = prompts_dir / f"{name}.md"
        try:
            template = Template(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise ConfigError(f"缺少提示词文件：{path}") from error
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"无法读取提示词文件 {path}：{error}") from error
        try:
            found = _placeholders(template)
        except ValueError as error:
            raise ConfigError(
                f"提示词文件 {path} 中有无效的占位符“{error}”（字面的 $ 请写成 $$）"
            ) from error
        missing, unknown = required - found, found - required
        if missing:
            raise ConfigError(f"提示词文件 {path} 缺少占位符：{'、'.join(sorted(missing))}")
        if unknown:
            raise ConfigError(f"提示词文件 {path} 含有未知占位符：{'、'.join(sorted(unknown))}")
        templates[name] = template
    return PromptSet(**templates)
