"""Negative-volume series per topic and per topic × place, with robust baselines.

One SQL query per detection cycle aggregates negative mentions to one row per
(topic, place, story, sample): the database does the scan (through `ix_mentions_detect`,
which covers it), Python only sums stories. A story counts once, by its most authoritative
copy; each further copy in the same sample adds a quarter, never more than doubling it.

Each window is compared with samples of the same length in the past weeks. A window shorter
than a day is compared with the same hours of earlier days (same hour of day), so a street
that is always busy at noon does not warn every noon.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import NormalDist

from sqlalchemy import and_, case, func, literal, or_, select

from yuqing.config.models import Config
from yuqing.storage.db import Database
from yuqing.storage.models import Mention, MentionTopic

DAY = timedelta(days=1)
COPY_BONUS = 0.25
SPIKE_Z = 3.0             # a past sample this surprising was a spike: not part of the baseline
EXPECTED_FLOOR = 0.1      # stories per day expected even on a series that was silent


@dataclass(frozen=True)
class Window:
    """A spike window and how its baseline samples are taken."""

    name: str
    length: timedelta
    step: timedelta           # distance between samples: a day for same-hour-of-day windows
    samples: int              # how many past samples form the baseline

    def bounds(self, at: datetime, k: int) -> tuple[datetime, datetime]:
        """Sample k (0 = now) covers (lo, hi]."""
        hi = at - k * self.step
        return hi - self.length, hi


def windows(config: Config) -> list[Window]:
    det = config.settings.detection
    out = []
    for name, length in (("bucket", det.bucket), ("window", det.window)):
        if any(w.length == length for w in out):
            continue
        step = DAY if length < DAY and DAY % length == timedelta(0) else length
        out.append(Window(name, length, step, max(1, int(det.baseline / step))))
    return out


@dataclass
class Series:
    topic_id: str
    place_id: str | None
    window: Window
    count: float = 0.0                     # weighted negative stories now
    stories: int = 0                       # distinct negative stories now
    history: list[float] = field(default_factory=list)   # weighted count per past sample
    history_stories: list[int] = field(default_factory=list)   # distinct stories per sample

    def baseline(self) -> tuple[float, float]:
        """Median and MAD of past weighted counts: a few earlier spikes do not move them."""
        if not self.history:
            return 0.0, 0.0
        median = statistics.median(self.history)
        mad = statistics.median(abs(x - median) for x in self.history)
        return median, mad

    def expected(self) -> float:
        """Stories expected in the window: the mean of past samples, leaving out samples that
        were spikes themselves (an earlier spike must not raise the bar), and never below
        EXPECTED_FLOOR per day. Trimming the top samples blindly would bias the mean low and
        make ordinary noise look surprising."""
        past = self.history_stories
        if not past:
            return EXPECTED_FLOOR * self.window.length / DAY
        mean = statistics.fmean(past)
        kept = [x for x in past if poisson_z(x, max(mean, 0.5)) < SPIKE_Z] or past
        floor = EXPECTED_FLOOR * self.window.length / DAY
        return max(statistics.fmean(kept), floor)

    def robust_z(self) -> float:
        """How surprising the story count is, as a z-score: the normal quantile of the
        Poisson tail P(X ≥ stories | expected). Counts are small, so (count − median) / MAD
        would call two stories on a quiet street a 4-sigma event; the tail does not."""
        return poisson_z(self.stories, self.expected())

    def ratio(self) -> float:
        median, _ = self.baseline()
        return self.count / max(median, 0.5)


def poisson_z(k: int, lam: float) -> float:
    if k <= lam:
        return 0.0
    # P(X >= k), summed in log space from k upwards: exact enough and never overflows
    terms = [i * math.log(lam) - lam - math.lgamma(i + 1) for i in range(k, k + 400)]
    top = max(terms)
    tail = math.exp(top) * sum(math.exp(t - top) for t in terms)
    tail = min(max(tail, 1e-300), 0.5)
    return -NormalDist().inv_cdf(tail)


def source_weight(config: Config):
    """SQL expression: the authority weight of a mention's source (unknown sources: 1)."""
    det = config.settings.detection
    weights = {s.id: float(det.authority_weight.get(s.authority, 1.0)) for s in config.sources}
    if not weights:
        return literal(1.0)
    return case(weights, value=Mention.source_id, else_=literal(1.0))


def in_range(lo: datetime, hi: datetime):
    """Mentions published in (lo, hi]; undated ones by fetch time. Written as an OR of two
    indexable terms so both SQLite and PostgreSQL use the publication-time index."""
    return or_(and_(Mention.published_at > lo, Mention.published_at <= hi),
               and_(Mention.published_at.is_(None), Mention.fetched_at > lo,
                    Mention.fetched_at <= hi))


def _sample_expr(window: Window, at: datetime):
    when = func.coalesce(Mention.published_at, Mention.fetched_at)
    whens = []
    for k in range(window.samples + 1):
        lo, hi = window.bounds(at, k)
        whens.append((and_(when > lo, when <= hi), k))
    return case(*whens, else_=None)


def build_series(db: Database, config: Config, at: datetime) -> dict[tuple, list[Series]]:
    """(topic, place) -> one Series per window; place None is the district-wide series."""
    wins = windows(config)
    start = min(w.bounds(at, w.samples)[0] for w in wins)
    story = func.coalesce(Mention.story_id, -Mention.id)
    samples = [_sample_expr(w, at).label(f"k{i}") for i, w in enumerate(wins)]
    query = (select(MentionTopic.topic_id, Mention.place_id, story.label("story"), *samples,
                    func.max(source_weight(config)), func.count())
             .join(MentionTopic, MentionTopic.mention_id == Mention.id)
             .where(Mention.negative.is_(True), in_range(start, at))
             .group_by(MentionTopic.topic_id, Mention.place_id, story, *samples))
    with db.session() as s:
        rows = s.execute(query).all()
    # per window: (topic, place) -> sample -> story -> [weight, copies]
    acc = [defaultdict(lambda: defaultdict(dict)) for _ in wins]
    for topic, place, story_key, *rest in rows:
        ks, weight, copies = rest[:len(wins)], float(rest[-2]), int(rest[-1])
        for i, k in enumerate(ks):
            if k is None:
                continue
            for key in ((topic, None), (topic, place)) if place else ((topic, None),):
                entry = acc[i][key][k].setdefault(story_key, [0.0, 0])
                entry[0], entry[1] = max(entry[0], weight), entry[1] + copies
    series: dict[tuple, list[Series]] = {}
    for i, window in enumerate(wins):
        for key, by_sample in acc[i].items():
            totals = {k: sum(w + min(w, COPY_BONUS * (n - 1)) for w, n in stories.values())
                      for k, stories in by_sample.items()}
            past = range(1, window.samples + 1)
            item = Series(key[0], key[1], window, count=totals.get(0, 0.0),
                          stories=len(by_sample.get(0, {})),
                          history=[totals.get(k, 0.0) for k in past],
                          history_stories=[len(by_sample.get(k, {})) for k in past])
            series.setdefault(key, []).append(item)
    return series


def window_mentions(db: Database, topic_id: str, place_id: str | None, window: Window,
                    at: datetime) -> list[int]:
    """Evidence: the negative mentions in a series' current window."""
    lo, hi = window.bounds(at, 0)
    query = (select(Mention.id).join(MentionTopic, MentionTopic.mention_id == Mention.id)
             .where(MentionTopic.topic_id == topic_id, Mention.negative.is_(True), in_range(lo, hi))
             .order_by(Mention.id))
    if place_id:
        query = query.where(Mention.place_id == place_id)
    with db.session() as s:
        return list(s.scalars(query))
