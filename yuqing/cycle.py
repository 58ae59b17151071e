"""One full cycle: collect → analyse → detect → escalate → deliver.

Each stage reads what the last one stored, so a failed stage is reported and the next
cycle picks up where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from config.models import Config
from storage.db import Database


@dataclass
class CycleReport:
    crawl: list = field(default_factory=list)
    analysis: object = None
    detection: object = None
    escalated: int = 0
    delivery: object = None
    errors: list[str] = field(default_factory=list)


def run_cycle(config: Config, db: Database, sources: list[str] | None = None,
              crawl: bool = True) -> CycleReport:
    from alerts.deliver import send_due
    from alerts.detect import detect
    from alerts.escalate import escalate_overdue
    from analysis.stage import analyse_pending
    from crawlers.runner import CrawlError, crawl_in_subprocess

    report = CycleReport()
    if crawl:
        try:
            report.crawl = crawl_in_subprocess(config.directory, db.url, sources)
        except CrawlError as exc:
            report.errors.append(f"采集：{exc}")
    report.analysis = analyse_pending(db, config)
    report.detection = detect(db, config)
    report.escalated = escalate_overdue(db, config)
    report.delivery = send_due(db, config)
    return report
