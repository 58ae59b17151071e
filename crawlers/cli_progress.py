"""`yuqing crawl`, parent side: a live line per source while the child crawls, then a table.

The child (crawlers/runner.py) prints JSON progress lines; this renders them with rich. On a
terminal that is not interactive (cron, a log file) rich prints only the final table.
"""

from __future__ import annotations

import threading
from typing import Callable

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from yuqing.config.models import Config
from yuqing.crawlers.progress import ProgressEvent
from yuqing.crawlers.runner import CrawlSummary, crawl_in_subprocess, select_sources

STATUS = {"ok": "[green]正常[/green]", "partial": "[yellow]部分失败[/yellow]",
          "failed": "[red]失败[/red]"}


def _line(name: str, pages: int = 0, seen: int = 0, new: int = 0, failed: int = 0,
          status: str = "") -> str:
    text = f"{name}  页面 {pages}  采集 {seen}  新增 {new}"
    if failed:
        text += f"  [red]失败 {failed}[/red]"
    return f"{text}  {STATUS.get(status, status)}" if status else text


class ProgressView:
    """Turns progress events into rich Progress rows; thread-safe (events come from a reader)."""

    def __init__(self, progress: Progress, names: dict[str, str]):
        self.progress = progress
        self.names = names
        self.tasks: dict[str, int] = {}
        self.pages: dict[str, int] = {}
        self.lock = threading.Lock()

    def __call__(self, event: ProgressEvent) -> None:
        with self.lock:
            name = self.names.get(event.source, event.name or event.source)
            task = self.tasks.get(event.source)
            if task is None:
                task = self.tasks[event.source] = self.progress.add_task(_line(name), total=None)
            if event.event == "progress":
                self.pages[event.source] = event.pages
                self.progress.update(task, description=_line(
                    name, event.pages, event.seen, event.new, event.failed))
            elif event.event == "done" and event.summary:
                s = event.summary
                self.progress.update(task, total=1, completed=1, description=_line(
                    name, self.pages.get(event.source, 0), s["items_seen"], s["items_new"],
                    s["items_failed"], s["status"]))


def summary_table(summaries: list[CrawlSummary]) -> Table:
    table = Table(title="采集结果", title_justify="left")
    for col, justify in (("信息源", "left"), ("状态", "left"), ("采集", "right"), ("新增", "right"),
                         ("更新", "right"), ("失败", "right"), ("无正文", "right"), ("说明", "left")):
        table.add_column(col, justify=justify, overflow="fold")
    for s in summaries:
        note = s.errors[0] if s.errors else ""
        if len(s.errors) > 1:
            note += f"（另有 {len(s.errors) - 1} 条）"
        table.add_row(s.name, STATUS.get(s.status, s.status), str(s.items_seen), str(s.items_new),
                      str(s.items_updated), str(s.items_failed), str(s.empty_bodies), note)
    return table


def crawl_with_progress(console: Console, config: Config, database_url: str,
                        source_ids: list[str] | None = None, timeout: float = 1800,
                        crawl=None, run: Callable = crawl_in_subprocess) -> list[CrawlSummary]:
    """Crawl in a child process showing live progress, then print the per-source table."""
    chosen = select_sources(config, source_ids)       # unknown ids fail here, before any work
    names = {s.id: s.name for s in chosen}
    columns = (SpinnerColumn(finished_text="✓"), TextColumn("{task.description}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        view = ProgressView(progress, names)
        summaries = run(config.directory, database_url, [s.id for s in chosen] if source_ids else None,
                        timeout=timeout, crawl=crawl, on_progress=view)
    console.print(summary_table(summaries))
    return summaries
