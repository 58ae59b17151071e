"""Config problems, phrased in Chinese for the people who edit the YAML."""

from __future__ import annotations

import difflib
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str
    key: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.key}" if self.key else self.file
        return f"{where}: {self.message}"


class ConfigError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    def report(self) -> str:
        lines = [f"配置有 {len(self.problems)} 处问题："]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


def key_path(loc: tuple) -> str:
    """('sources', 2, 'interval') -> 'sources[2].interval'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_MESSAGES = {
    "missing": "缺少必填项",
    "string_type": "应为文本",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "list_type": "应为列表",
    "dict_type": "应为键值映射",
    "model_type": "应为键值映射",
    "greater_than": "数值过小",
    "greater_than_equal": "数值过小",
    "less_than_equal": "数值过大",
    "too_short": "不能为空",
    "string_too_short": "不能为空",
}


def describe(error: dict, allowed: list[str] | None = None) -> str:
    """Turn one pydantic error into a Chinese message; suggest the intended key on typos."""
    kind = error["type"]
    if kind == "extra_forbidden":
        bad = str(error["loc"][-1])
        guess = difflib.get_close_matches(bad, allowed or [], n=1, cutoff=0.6)
        hint = f"，是否应为“{guess[0]}”？" if guess else ""
        known = f"（可用的键：{', '.join(sorted(allowed))}）" if allowed else ""
        return f"未知的键“{bad}”{hint}{known}"
    if kind in ("literal_error", "enum"):
        expected = error.get("ctx", {}).get("expected", "")
        return f"取值“{error.get('input')}”无效，应为 {expected}"
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    base = _MESSAGES.get(kind)
    if base:
        got = error.get("input")
        if kind != "missing" and not isinstance(got, (dict, list)):
            return f"{base}（现为“{got}”）"
        return base
    return f"取值无效：{error['msg']}"
