"""The weekly trend report (舆情周报) for leaders: HTML and PDF, with charts.

Built only from stored evidence: every story, warning and keyword links to the mentions it
came from, and every count links to the dashboard search that lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, or_, select

from yuqing.alerts.messages import evidence, evidence_count
from yuqing.config.models import Config
from yuqing.reports import charts
from yuqing.reports.fonts import cjk_font
from yuqing.reports.digest import WarningView, warning_view
from yuqing.reports.render import render
from yuqing.reports.keywords import Keyword, rising_keywords
from yuqing.reports.stats import (NEGATIVE, WHEN, Closure, DepartmentResponse, TopicDays,
                                  closures, department_responses, search_link, topic_days)
from yuqing.reports.weekly_sections import (BoardHandling, MainEvent, Split, Volume, board_handling,
                                            channel_split, main_events, read_notes, sentiment_split,
                                            street_split, volume)
from yuqing.storage.db import Database
from yuqing.storage.models import Mention, Warning
from yuqing.timeutil import SHANGHAI, local, now

_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$")


class ReportError(ValueError):
    """A report that cannot be built, with a Chinese reason."""


def week_bounds(week: str) -> tuple[datetime, datetime]:
    """'2024-W27' -> Monday 00:00 to the next Monday 00:00, Asia/Shanghai (ISO weeks)."""
    match = _WEEK.match(week.strip())
    if not match:
        raise ReportError(f"无法识别的周次“{week}”，应写作 2024-W27 这样的 ISO 周")
    try:
        monday = date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise ReportError(f"周次“{week}”不存在") from None
    start = datetime(monday.year, monday.month, monday.day, tzinfo=SHANGHAI)
    return start, start + timedelta(days=7)


def last_week(at: datetime) -> str:
    """The last complete ISO week before `at`."""
    year, week, _ = (local(at).date() - timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class WeeklyReport:
    district: str
    week: str
    start: datetime
    end: datetime
    generated_at: datetime
    dashboard: str
    mentions: int = 0
    negative: int = 0
    topics: list[TopicDays] = field(default_factory=list)
    volume: Volume | None = None
    sentiment: Split | None = None
    channels: Split | None = None
    streets: Split | None = None
    boards: BoardHandling | None = None
    events: list[MainEvent] = field(default_factory=list)     # 主要事件
    main_events: int = 0                                      # how many the week had
    notes: str = ""                                           # 研判与建议
    notes_file: str = ""
    warnings: list[WarningView] = field(default_factory=list)
    departments: list[DepartmentResponse] = field(default_factory=list)
    closures: list[Closure] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    topic_chart: str = ""
    response_chart: str = ""

    @property
    def last_day(self) -> datetime:
        return self.end - timedelta(days=1)

    def search(self, **filters) -> str:
        """Dashboard search for this week's mentions (dates inclusive, Asia/Shanghai)."""
        return search_link(self.dashboard, start=f"{local(self.start):%Y-%m-%d}",
                           end=f"{local(self.last_day):%Y-%m-%d}", **filters)

    def html(self, for_pdf: bool = False) -> str:
        font = cjk_font() if for_pdf else None      # the PDF embeds the bundled font
        return render("weekly.html.j2", r=self, for_pdf=for_pdf, font=font,
                      topic_chart=charts.data_uri(self.topic_chart),
                      response_chart=charts.data_uri(self.response_chart) if self.departments else "")

    def pdf(self) -> bytes:
        try:
            from weasyprint import HTML
        except OSError as exc:      # pango missing
            raise ReportError(f"无法生成 PDF：WeasyPrint 需要的 Pango 库未安装（{exc}）") from None
        return HTML(string=self.html(for_pdf=True)).write_pdf()

    def write(self, out_dir: str | Path, pdf: bool = True) -> list[Path]:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        stem = f"舆情周报-{self.week}"
        written = [out / f"{stem}.html"]
        written[0].write_text(self.html(), encoding="utf-8")
        if pdf:
            written.append(out / f"{stem}.pdf")
            written[1].write_bytes(self.pdf())
        return written


def build_weekly(db: Database, config: Config, week: str | None = None,
                 at: datetime | None = None, notes: str | Path | None = None) -> WeeklyReport:
    """`notes`: the duty office's 研判与建议 file (default: $YUQING_HOME/reports/研判与建议-<week>.md)."""
    at = at or now()
    week = week or last_week(at)
    start, end = week_bounds(week)
    report = WeeklyReport(config.settings.district, week, start, end, at,
                          config.settings.delivery.dashboard_url)
    with db.session() as s:
        report.mentions = s.scalar(select(func.count(Mention.id))
                                   .where(WHEN >= start, WHEN < end)) or 0
        report.negative = s.scalar(select(func.count(Mention.id))
                                   .where(WHEN >= start, WHEN < end, NEGATIVE)) or 0
        report.topics = topic_days(s, config, start, 7)
        opened = s.scalars(select(Warning).where(Warning.opened_at >= start, Warning.opened_at < end)
                           .order_by(Warning.opened_at)).all()
        report.warnings = [_warning_view(s, config, w, at) for w in opened]
        running = s.scalars(select(Warning).where(
            Warning.opened_at < end,
            or_(Warning.closed_at.is_(None), Warning.closed_at >= start))).all()
        report.events, report.main_events = main_events(s, config, start, end, running)
        report.volume = volume(s, start, end)
        report.sentiment = sentiment_split(s, start, end)
        report.channels = channel_split(s, config, start, end)
        report.streets = street_split(s, config, start, end)
        report.boards = board_handling(s, config, start, end, min(at, end))
        report.departments = department_responses(s, config, start, end, at)
        report.closures = closures(s, start, end)
        report.keywords = rising_keywords(s, config, start, end)
    report.notes, where = read_notes(week, notes)
    report.notes_file = str(where)
    today = local(min(at, end - timedelta(seconds=1))).date()
    report.topic_chart = charts.topic_volume_chart(report.topics, today)
    if report.departments:
        report.response_chart = charts.response_chart(report.departments)
    return report


def _warning_view(s, config: Config, w: Warning, at: datetime) -> WarningView:
    return warning_view(s, config, w, evidence(s, w, 3), evidence_count(s, w), at)
