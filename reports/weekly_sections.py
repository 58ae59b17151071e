"""The sections a 舆情周报 conventionally has: volume with 环比, sentiment, channel (渠道) and
street (地域) distribution, 留言办理率, the week's main events with how they spread and how the
responsible departments answered, and the duty office's 研判与建议 (from a notes file).
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from yuqing.channels import imported_channel, label
from yuqing.alerts.event_link import event_warnings
from yuqing.analysis.event_facts import FactReader
from yuqing.analysis.event_view import event_detail
from yuqing.analysis.speakers import Speakers
from yuqing.config.models import Config
from yuqing.paths import home
from yuqing.reports.hot_events import EventLine, hot_events, major_warning_events
from yuqing.reports.stats import NEGATIVE, WHEN
from yuqing.storage.models import Mention, Warning, WarningEvent

POSITIVE_FROM = 0.7          # sentiment at or above this reads as positive (正面)
MAIN_EVENT_WEIGHT = 3.0      # a main event (主要事件): at least this weighted negative volume (3 voices)
MAIN_EVENTS_SHOWN = 8


@dataclass
class Volume:
    this_week: int
    last_week: int

    @property
    def change(self) -> float | None:
        """环比: change against last week, in percent (None when last week had nothing)."""
        if not self.last_week:
            return None
        return 100.0 * (self.this_week - self.last_week) / self.last_week


@dataclass
class Split:
    """A distribution: (label, count) pairs, largest first, and the total."""

    rows: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.rows)

    def share(self, n: int) -> float:
        return 100.0 * n / self.total if self.total else 0.0


@dataclass
class BoardHandling:
    """留言办理: board messages received this week, and how many a department answered."""

    received: int = 0
    answered: int = 0
    answered_in_time: int = 0          # within the general 48-hour response rule
    hours: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return 100.0 * self.answered / self.received if self.received else 0.0

    @property
    def median_hours(self) -> float | None:
        return round(statistics.median(self.hours), 1) if self.hours else None


@dataclass
class Response:
    """One department's duty on the event's warnings, and its own answer (谁主管谁回应、谁处置谁回应)."""

    department: str
    role: str
    acknowledged: datetime | None
    responded: datetime | None = None
    text: str = ""
    url: str = ""


@dataclass
class MainEvent:
    line: EventLine
    spread: list            # SpreadStep
    chains: list[list[str]]
    warnings: list[Warning]
    responses: list[Response]
    answered_at: datetime | None
    answer: str
    answer_url: str


def volume(s: Session, start: datetime, end: datetime) -> Volume:
    count = lambda lo, hi: s.scalar(select(func.count(Mention.id)).where(WHEN >= lo, WHEN < hi)) or 0  # noqa: E731
    return Volume(count(start, end), count(start - (end - start), start))


def sentiment_split(s: Session, start: datetime, end: datetime) -> Split:
    rows = s.execute(select(NEGATIVE, Mention.sentiment, Mention.sentiment_corrected)
                     .where(WHEN >= start, WHEN < end)).all()
    counts = Counter()
    for negative, score, corrected in rows:
        value = corrected if corrected is not None else score
        if negative:
            counts["负面"] += 1
        elif value is not None and value >= POSITIVE_FROM:
            counts["正面"] += 1
        else:
            counts["中性"] += 1
    return Split([(k, counts[k]) for k in ("正面", "中性", "负面")])


def channel_split(s: Session, config: Config, start: datetime, end: datetime) -> Split:
    speakers = Speakers(config)
    rows = s.execute(select(Mention.source_id, func.count(Mention.id))
                     .where(WHEN >= start, WHEN < end).group_by(Mention.source_id)).all()
    counts = Counter()
    for source_id, n in rows:
        counts[speakers.channels.get(source_id) or label(imported_channel(source_id))] += n
    return Split(counts.most_common())


def street_split(s: Session, config: Config, start: datetime, end: datetime) -> Split:
    names = {p.id: p.name for p in config.places}
    rows = s.execute(select(Mention.place_id, func.count(Mention.id))
                     .where(WHEN >= start, WHEN < end).group_by(Mention.place_id)).all()
    counts = Counter({names.get(p, p) if p else "未定位到街道": n for p, n in rows})
    return Split(counts.most_common())


def board_handling(s: Session, config: Config, start: datetime, end: datetime,
                   at: datetime) -> BoardHandling:
    boards = [src.id for src in config.sources if src.kind == "board"]
    out = BoardHandling()
    rows = s.execute(select(Mention.published_at, Mention.fetched_at, Mention.reply, Mention.reply_at)
                     .where(Mention.kind == "message", WHEN >= start, WHEN < end,
                            Mention.source_id.in_(boards or ["-"]))).all()
    for published, fetched, reply, reply_at in rows:
        out.received += 1
        if reply and (reply_at is None or reply_at <= at):
            out.answered += 1
            if reply_at is not None:
                hours = (reply_at - (published or fetched)).total_seconds() / 3600
                out.hours.append(max(hours, 0.0))
                out.answered_in_time += hours <= 48
    return out


def main_events(s: Session, config: Config, start: datetime, end: datetime,
                warnings: list[Warning]) -> tuple[list[MainEvent], int]:
    """The week's main events (with every running 重大 warning's event) and how many there were."""
    names = {d.id: d.name for d in config.departments}
    must = major_warning_events(s, warnings)
    lines = hot_events(s, config, start, end - timedelta(microseconds=1), limit=10_000, must=must)
    main = [x for x in lines if x.weight >= MAIN_EVENT_WEIGHT or x.event.id in must
            or any(True for _ in event_warnings(s, x.event))]
    reader = FactReader(config)
    out = []
    shown = main[:MAIN_EVENTS_SHOWN]
    shown += [x for x in main[MAIN_EVENTS_SHOWN:] if x.event.id in must]
    for line in shown:
        detail = event_detail(s, config, reader, line.event, end)
        held = event_warnings(s, line.event)
        responses, answered, answer, url = [], None, "", ""
        for w in held:
            for a in w.assignments:
                if a.active and a.department_id not in {r.department for r in responses}:
                    responses.append(Response(a.department_id, a.role, a.acknowledged_at,
                                              getattr(a, "responded_at", None),
                                              getattr(a, "response_text", ""),
                                              getattr(a, "response_url", "")))
            first = s.scalar(select(func.min(WarningEvent.at)).where(
                WarningEvent.warning_id == w.id, WarningEvent.action == "回应"))
            if first and (answered is None or first < answered):
                answered, answer, url = first, w.response_text, w.response_url
        # the earliest public answer of any department is the event's first response
        for r in sorted((r for r in responses if r.responded), key=lambda r: r.responded):
            answered, answer, url = r.responded, r.text, r.url
            break
        for r in responses:
            r.department = names.get(r.department, r.department)
        out.append(MainEvent(line, detail.spread, detail.chains, held, responses, answered, answer, url))
    return out, len(main)


def notes_path(week: str) -> Path:
    return home() / "reports" / f"研判与建议-{week}.md"


def read_notes(week: str, path: str | Path | None = None) -> tuple[str, Path]:
    """The duty office's 研判与建议 for the week: plain text paragraphs from a notes file."""
    where = Path(path) if path else notes_path(week)
    try:
        return where.read_text(encoding="utf-8").strip(), where
    except FileNotFoundError:
        return "", where
