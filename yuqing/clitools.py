"""Small helpers shared by CLI commands."""

from __future__ import annotations

import sys
from datetime import datetime

from rich.console import Console
from rich.table import Table

from config import ConfigError
from config.types import parse_duration
from yuqing.timeutil import as_aware, now


def print_config_problems(console: Console, exc: ConfigError) -> None:
    # plain print: rich would wrap the long key paths and hints mid-word
    print(exc.report(), file=sys.stderr)


def parse_since(text: str) -> datetime:
    try:
        return now() - parse_duration(text)
    except ValueError:
        pass
    try:
        return as_aware(datetime.fromisoformat(text))
    except ValueError:
        raise SystemExit(f"无法识别的时间“{text}”：请写 ISO 时间（2024-07-01T08:00）或时长（12h、2d）") from None


def crawl_table(summaries) -> Table:
    table = Table(title="采集结果")
    for col in ("信息源", "状态", "发现", "新增", "更新", "失败", "说明"):
        table.add_column(col)
    names = {"ok": "正常", "partial": "部分失败", "failed": "失败"}
    for s in summaries:
        table.add_row(s.name, names.get(s.status, s.status), str(s.items_seen), str(s.items_new),
                      str(s.items_updated), str(s.items_failed), (s.errors or [""])[0][:80])
    return table
