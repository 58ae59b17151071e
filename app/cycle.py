"""One full cycle: collect → analyse → detect → escalate → deliver.

Each stage reads what the last one stored, so a failed stage is reported and the next
cycle picks up where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from yuqing.config.models import Config
from yuqing.storage.db import Database


@dataclass
class CycleReport:
    crawl: list = field(default_factory=list)
    analysis: object = None
    detection: object = None
    escalated: int = 0
    board_replies: int = 0
    delivery: object = None
    errors: list[str] = field(default_factory=list)


def run_cycle(config: Config, db: Database, sources: list[str] | None = None,
              crawl: bool = True) -> CycleReport:
    from yuqing.alerts.deliver import send_due
    from yuqing.alerts.detect import detect
    from yuqing.alerts.escalate import escalate_overdue
    from yuqing.alerts.external import record_board_replies
    from yuqing.alerts.response_pages import fetch_response_pages
    from yuqing.analysis.stage import analyse_pending
    from yuqing.crawlers.runner import CrawlError, crawl_in_subprocess

    report = CycleReport()
    if crawl:
        try:
            report.crawl = crawl_in_subprocess(config.directory, db.url, sources)
        except CrawlError as exc:
            report.errors.append(f"采集：{exc}")
    report.analysis = analyse_pending(db, config)
    report.detection = detect(db, config)
    # a reply crawled this cycle answers its warning before anyone is escalated for it
    report.board_replies = record_board_replies(db, config)
    report.escalated = escalate_overdue(db, config)
    fetch_response_pages(db, config)          # responses' pages archived once (evidence)
    report.delivery = send_due(db, config)
    return report


def print_report(console, report: CycleReport) -> None:
    """The per-source table, then one line per stage."""
    from yuqing.crawlers.cli_progress import summary_table

    console.print(summary_table(report.crawl))
    print(summary(report), flush=True)


def failed_sources(report: CycleReport) -> list[str]:
    return [s.name for s in report.crawl if s.status == "failed"]


def summary(report: CycleReport) -> str:
    """One Chinese line per stage, for `yuqing cycle`, `scheduler.py --once` and the demo."""
    a, d, dl = report.analysis, report.detection, report.delivery
    new = sum(s.items_new for s in report.crawl)
    lines = [f"采集：{len(report.crawl)} 个信息源，新增 {new} 条，失败 {len(failed_sources(report))} 个"
             + (f"（{'、'.join(failed_sources(report))}）" if failed_sources(report) else ""),
             f"分析：{a.analysed} 条，其中负面 {a.negative} 条，新事件 {a.new_stories} 个",
             f"预警：新开 {d.opened} 条，更新 {d.updated} 条，回落 {d.subsided} 条；留言板答复记为回应 "
             f"{report.board_replies} 项；逐级上报 {report.escalated} 项",
             f"通知：发送 {dl.sent} 条，待重试 {dl.failed} 条，静默时段暂缓 {dl.held} 条"]
    return "\n".join(lines + [f"错误：{e}" for e in report.errors])
