"""Jinja environment and the small formatting helpers every page and report shares."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from yuqing.alerts.states import STATUS_NAMES
from yuqing.analysis.privacy import mask
from yuqing.safetext import markdown_text, markdown_url, one_line
from yuqing.timeutil import fmt

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATUS = STATUS_NAMES            # the templates' name for it
SEVERITY_COLOURS = {"特别重大": "#a50f15", "重大": "#d7301f", "较大": "#e6850e", "一般": "#5b6770"}


def span(delta: timedelta) -> str:
    """A duration the way officers say it: 2 天 3 小时, 5 小时 20 分, 12 分钟."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days} 天 {hours} 小时" if hours else f"{days} 天"
    if hours:
        return f"{hours} 小时 {mins} 分" if mins else f"{hours} 小时"
    return f"{mins} 分钟"


def clock(deadline: datetime | None, at: datetime) -> str:
    """The response clock: 剩余 … or 已超时 …."""
    if deadline is None:
        return "无时限"
    return f"剩余 {span(deadline - at)}" if deadline >= at else f"已超时 {span(at - deadline)}"


def md(text: str) -> str:
    """Masked text safe inside a Markdown link label or list item: one line, no markup."""
    return markdown_text(one_line(mask(text or "")))


def make_env(*folders: Path) -> Environment:
    env = Environment(loader=FileSystemLoader([*folders, TEMPLATES]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True,
                      autoescape=select_autoescape(["html", "html.j2"]))
    env.filters.update(fmt=fmt, mask=mask, span=span, md=md, mdurl=markdown_url)
    env.globals.update(clock=clock, STATUS=STATUS, SEVERITY_COLOURS=SEVERITY_COLOURS)
    return env


_env = make_env()


def render(template: str, **context) -> str:
    return _env.get_template(template).render(**context)
