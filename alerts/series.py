"""Negative-volume series per topic, per topic × place, and a catch-all per place and
district-wide whatever the topic; each weighs reach, against its own robust baseline.

Series come from two readers, the one place that reads mentions for series (a rollup table
can replace them without touching the rules that judge the series): `load_units`, the
present window in detail — one row per (place, story, source, origin, author) — and
`load_history`, the baseline as cells of (topic, place, sample) counted by the database.
Both scan `ix_mentions_detect`, which covers them (ids included, migration 0004_detect_id).

Volume weighs reach, not rows:
- a *voice* is who published an item: a known author on a source (an account, a named
  poster); an unsigned article on a site stands for itself (each reprint is an editorial
  act); unsigned copies of one post on a board or feed are one voice;
- a *unit* is one story carried by one voice; one voice adds at most `voice_cap` units
  however much it posts, so one account posting twelve times is two units, while twelve
  sites or accounts carrying one story are twelve;
- the weighted count gives each story its most authoritative copy in full and every further
  voice carrying it `reprint_weight` of its authority weight.

Each window is compared with samples of the same length in the past weeks. A window shorter
than a day is compared with the same hours of earlier days (same hour of day), so a street
that is always busy at noon does not warn every noon.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from datetime import datetime, timedelta, timezone
from statistics import NormalDist

from sqlalchemy import and_, case, false, func, literal, or_, select, text

from yuqing.channels import imported_channel, label
from yuqing.config.models import Config
from yuqing.storage.db import Database
from yuqing.storage.models import Mention, MentionTopic

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
CATCHALL = "*"            # topic id of the catch-all series (未归类: any topic or none)
SPIKE_Z = 3.0             # a past sample this surprising was a spike: not part of the baseline
# units per day expected even on a series that was silent: a quiet street is not silent,
# only unobserved (tuned on the simulation's tuning seeds: at 0.1, three items in a quiet
# six-hour slot warned about once a month on noise alone)
EXPECTED_FLOOR = 0.25
# Author names that say nothing about who wrote: each such item is its own voice.
ANONYMOUS = frozenset({"", "网友", "匿名", "匿名网友", "匿名用户", "游客", "市民", "群众",
                       "居民", "佚名", "未知", "admin", "编辑"})
EVIDENCE_MAX = 500        # newest items kept as a spike's evidence per cycle
CHANNEL_NAMES = {("board", None): "留言板", ("liuyan", None): label("liuyan"),
                 ("feed", "official"): "政务新媒体",
                 ("feed", None): "社交媒体", ("site", "official"): "政府网站",
                 ("site", None): "新闻网站"}


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
    # slow burns read a daily series: the 24-hour window's samples when it has one
    if daily(out) is None:
        out.append(Window("daily", DAY, DAY, max(2, int(det.baseline / DAY))))
    return out


def daily(wins: list[Window]) -> Window | None:
    return next((w for w in wins if w.length == DAY and w.step == DAY), None)


def channel_of(config: Config, source_id: str) -> str:
    """The channel a source publishes in (留言板, 新闻网站, 政府网站, 社交媒体 …)."""
    src = next((s for s in config.sources if s.id == source_id), None)
    if src is None:                  # imported: 12345, MediaCrawler's platforms
        return label(imported_channel(source_id)) if imported_channel(source_id) else "其他"
    authority = "official" if src.authority == "official" else None
    return CHANNEL_NAMES.get((src.kind, authority)) or CHANNEL_NAMES.get((src.kind, None), "其他")


@dataclass
class Sample:
    """One window's negative volume, by reach."""

    count: float = 0.0        # weighted (authority, reprints discounted)
    units: int = 0            # stories × voices, each voice capped
    items: int = 0            # negative items, copies included
    stories: int = 0          # distinct stories
    sources: int = 0          # distinct outlets (source, or the 来源 an article names)
    authors: int = 0          # distinct voices
    channels: tuple[str, ...] = ()


@dataclass
class Series:
    topic_id: str             # CATCHALL for the catch-all series
    place_id: str | None
    window: Window
    now: Sample = field(default_factory=Sample)
    history: list[Sample] = field(default_factory=list)   # sample k at index k-1
    story_keys: frozenset = frozenset()                    # stories in the window now

    # the attributes the severity table reads
    @property
    def count(self) -> float:
        return self.now.count

    @property
    def stories(self) -> int:
        return self.now.stories

    def baseline(self) -> tuple[float, float]:
        """Median and MAD of past weighted counts: a few earlier spikes do not move them."""
        past = [h.count for h in self.history]
        if not past:
            return 0.0, 0.0
        median = statistics.median(past)
        mad = statistics.median(abs(x - median) for x in past)
        return median, mad

    def usual_items(self) -> float:
        """Negative items in a usual window (mean of past samples that were not spikes)."""
        return _trimmed_mean([h.items for h in self.history])

    def expected(self, history: list[Sample] | None = None) -> float:
        """Units expected in the window: the mean of past samples, leaving out samples that
        were spikes themselves (an earlier spike must not raise the bar), and never below
        EXPECTED_FLOOR per day. Trimming the top samples blindly would bias the mean low and
        make ordinary noise look surprising."""
        past = [h.units for h in (self.history if history is None else history)]
        floor = EXPECTED_FLOOR * self.window.length / DAY
        return max(_trimmed_mean(past), floor) if past else floor

    def robust_z(self) -> float:
        """How surprising the unit count is, as a z-score: the normal quantile of the
        Poisson tail P(X ≥ units | expected). Counts are small, so (count − median) / MAD
        would call two items on a quiet street a 4-sigma event; the tail does not."""
        return poisson_z(self.now.units, self.expected())

    def ratio(self) -> float:
        median, _ = self.baseline()
        return self.count / max(median, 0.5)


def _trimmed_mean(past: list[float]) -> float:
    if not past:
        return 0.0
    mean = statistics.fmean(past)
    lam = round(max(mean, 0.5), 6)
    kept = [x for x in past if poisson_z(int(x), lam) < SPIKE_Z] or past
    return statistics.fmean(kept)


@lru_cache(maxsize=65536)
def poisson_z(k: int, lam: float) -> float:
    if k <= lam:
        return 0.0
    # P(X >= k), summed in log space from k upwards (terms only fall beyond lam) until they
    # no longer matter: exact enough and never overflows
    log_lam = math.log(lam)
    term = k * log_lam - lam - math.lgamma(k + 1)
    top, total, i = term, 1.0, k
    while True:
        i += 1
        term += log_lam - math.log(i)
        if term < top - 40:
            break
        total += math.exp(term - top)
    tail = min(max(math.exp(top) * total, 1e-300), 0.5)
    return -NormalDist().inv_cdf(tail)


def in_range(lo: datetime, hi: datetime):
    """Mentions published in (lo, hi]; undated ones by fetch time. Written as an OR of two
    indexable terms so both SQLite and PostgreSQL use the publication-time index."""
    return or_(and_(Mention.published_at > lo, Mention.published_at <= hi),
               and_(Mention.published_at.is_(None), Mention.fetched_at > lo,
                    Mention.fetched_at <= hi))


def in_range_parts(lo: datetime, hi: datetime) -> tuple:
    """`in_range`'s two terms, to be queried apart where an OR of them defeats an index (a
    partial index on publication time: PostgreSQL then filters the whole index)."""
    return (and_(Mention.published_at > lo, Mention.published_at <= hi),
            and_(Mention.published_at.is_(None), Mention.fetched_at > lo, Mention.fetched_at <= hi))


def official_sources(config: Config) -> set[str]:
    """Sources that speak for the government: their items are its voice, not complaints."""
    return {s.id for s in config.sources if s.authority == "official"}


OFFICIAL_VOICES = ("notice", "response")      # analysis.voice: the government speaking


def official(config: Config):
    """SQL: the item is the government's own voice — a notice, a campaign, a 通报 or a reply:
    published by an official source, or classified so by the analysis stage (mentions.voice,
    where the store has it: a government account on Weibo, a notice relayed by a news site).
    Never a complaint, whatever its sentiment or its words."""
    terms = []
    ids = official_sources(config)
    if ids:
        terms.append(Mention.source_id.in_(ids))
    voice = getattr(Mention, "voice", None)
    if voice is not None:
        terms.append(func.coalesce(voice, "").in_(OFFICIAL_VOICES))
    return or_(*terms) if terms else false()


def response_voice():
    """SQL: the item answers for a matter (a 通报 or 回应), where the store tells; None when
    the store has no voice column (official sources then stand for it)."""
    voice = getattr(Mention, "voice", None)
    return None if voice is None else func.coalesce(voice, "") == "response"


def complaint(config: Config):
    """SQL condition for items that count as negative public opinion."""
    ids = official_sources(config)
    cond = Mention.negative.is_(True)
    return and_(cond, Mention.source_id.not_in(ids)) if ids else cond


def _sample_expr(window: Window, at: datetime, upto: int | None = None):
    when = func.coalesce(Mention.published_at, Mention.fetched_at)
    whens = []
    for k in range(window.samples + 1 if upto is None else upto + 1):
        lo, hi = window.bounds(at, k)
        whens.append((and_(when > lo, when <= hi), k))
    return case(*whens, else_=None)


@dataclass(frozen=True)
class Row:
    """Negative items of one story from one voice in one sample of each window."""

    place: str | None
    story: int
    source: str
    voice: tuple | None       # None: an unsigned article on a site, each its own voice
    outlet: tuple
    samples: tuple            # sample index per window, None outside it
    items: int


def load_units(db: Database, config: Config, wins: list[Window], at: datetime
               ) -> tuple[list[Row], dict[int, set[str]]]:
    """The rows the current windows are judged on, and the topics of each row (by row
    index): negative items of the last `window` (the longest), grouped by story and voice.
    Two small grouped scans over the covering index: all items (catch-all), and the topic
    links."""
    start = at - max(w.length for w in wins)
    story = func.coalesce(Mention.story_id, -Mention.id)
    samples = [_sample_expr(w, at, upto=0).label(f"k{i}") for i, w in enumerate(wins)]
    cols = (Mention.place_id, story.label("story"), Mention.source_id, Mention.origin,
            Mention.author, *samples)
    # the window's dated and undated halves apart: as one OR, PostgreSQL ORs two bitmaps and
    # must then read every row from the table; the dated half alone is read from the
    # covering index. The groups of the two halves are merged here.
    counts: dict[tuple, int] = {}
    links: dict[tuple, None] = {}
    with db.session() as s:
        for part in in_range_parts(start, at):
            where = (complaint(config), part)
            for *key, n in _rows(s, select(*cols, func.count()).where(*where).group_by(*cols)):
                counts[tuple(key)] = counts.get(tuple(key), 0) + n
            links.update(dict.fromkeys(tuple(r) for r in _rows(s, (
                select(MentionTopic.topic_id, *cols).join(MentionTopic, MentionTopic.mention_id == Mention.id)
                .where(*where).group_by(MentionTopic.topic_id, *cols)))))
    raw = [(*key, n) for key, n in counts.items()]
    rows, index = [], {}
    sites = {s.id for s in config.sources if s.kind == "site"}
    for place, story_key, source, origin, author, *rest in raw:
        ks, n = tuple(rest[:-1]), int(rest[-1])
        author = (author or "").strip()
        if author not in ANONYMOUS:
            voice = (source, author)
        elif source in sites:
            voice = None            # each article a site publishes is its own republication
        else:
            voice = (source, "#", story_key)   # the same post again, by nobody we can tell apart
        rows.append(Row(place, story_key, source, voice, (source, (origin or "").strip()), ks, n))
        index[(place, story_key, source, origin, author, ks)] = len(rows) - 1
    topics: dict[int, set[str]] = defaultdict(set)
    for topic, place, story_key, source, origin, author, *ks in links:
        i = index.get((place, story_key, source, origin, (author or "").strip(), tuple(ks)))
        if i is not None:
            topics[i].add(topic)
    return rows, topics


def load_history(db: Database, config: Config, wins: list[Window], at: datetime) -> list[dict]:
    """Per window: series key -> sample k (≥ 1) -> [items, stories, weighted items].

    One scan per window over the baseline, aggregated by the database to one row per (topic
    or none, place, sample) — cells, not stories. The reference for `load_history_rollups`,
    and what detection reads when the windows are not whole hours. The past
    is summarised coarser than the present: distinct stories stand for units and every item
    counts at its authority weight (ordinary days have one voice per story; the windows that
    were spikes are trimmed from the baseline anyway). A mention with two topics counts in
    both; the catch-all sums over its topic cells, a few per cent high at most."""
    story = func.coalesce(Mention.story_id, -Mention.id)
    hist: list[dict] = [defaultdict(lambda: defaultdict(lambda: [0, 0, 0.0])) for _ in wins]
    # one grouping per window: distinct stories are counted per sample of that window (a
    # grouping by the samples of all windows at once would count a story whose copies lie
    # on both sides of another window's sample boundary twice)
    for w, window in enumerate(wins):
        start = window.bounds(at, window.samples)[0]
        sample = _sample_expr(window, at).label("k")
        query = (select(MentionTopic.topic_id, Mention.place_id, sample, func.count(),
                        func.count(story.distinct()), func.sum(source_weight(config)))
                 .outerjoin(MentionTopic, MentionTopic.mention_id == Mention.id)
                 .where(complaint(config), in_range(start, at))
                 .group_by(MentionTopic.topic_id, Mention.place_id, sample))
        with db.session() as s:
            cells = _rows(s, query)
        for topic, place, k, n, stories, weighted in cells:
            if not k:               # None: outside the window's samples; 0: the present
                continue
            keys = [(CATCHALL, None)] + ([(CATCHALL, place)] if place else [])
            if topic is not None:
                keys += [(topic, None)] + ([(topic, place)] if place else [])
            for key in keys:
                cell = hist[w][key][k]
                cell[0] += int(n)
                cell[1] += int(stories)
                cell[2] += float(weighted or 0)
    return hist


def _rows(s, query) -> list:
    """All rows of a column query, through the session's connection: the ORM's per-row
    loading costs more than the database for the thousands of rows detection reads."""
    return s.connection().execute(query).all()


def rollups_fit(wins: list[Window]) -> bool:
    """Hourly rollups can stand for the past when every window and step is whole hours and
    no window is longer than the story-hour gaps they record."""
    from yuqing.storage.rollups import GAP_CAP

    return all(w.length % HOUR == timedelta(0) and w.step % HOUR == timedelta(0)
               and w.length <= GAP_CAP * HOUR for w in wins)


def load_history_rollups(db: Database, config: Config, wins: list[Window], at: datetime) -> list[dict]:
    """`load_history` read from the hourly rollups (storage/rollups.py) instead of the
    mentions: the same cells — items, weighted items and distinct stories per (topic,
    place, sample) — from a table whose size does not grow with the store.

    Distinct stories are exact: a story-hour counts in a sample when it is the story's
    first there (its gap reaches back before the sample's start). The one approximation:
    samples end on the hour — sample k covers the whole hours up to the start of the
    current hour, k steps back, at most 59 minutes earlier than `load_history`'s sample
    (the same hours of the same days). The rollups are caught up with the mentions first
    (the hours analysis or corrections changed since the last run)."""
    from yuqing.storage import detect_cache
    from yuqing.storage.rollups import GAP_CAP, catch_up

    catch_up(db.engine)
    end = at.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
    start = min(end - w.samples * w.step - w.length for w in wins)
    upto = end - min(w.step for w in wins)
    det = config.settings.detection
    weights = {s.id: float(det.authority_weight.get(s.authority, 1.0)) for s in config.sources}
    excluded = sorted(official_sources(config))
    # every cycle of an hour reads the same hours: the baseline of the first is kept and
    # reused until one of its hours is recomputed with another result (storage/detect_cache.py)
    stamp = hashlib.sha256(json.dumps(
        [BASELINE_LAYOUT, end.isoformat(), [(w.length / HOUR, w.step / HOUR, w.samples) for w in wins],
         sorted(weights.items()), excluded, GAP_CAP]).encode()).hexdigest()
    with db.engine.connect() as conn:
        body = detect_cache.get(conn, "baseline", stamp)
        seen = detect_cache.last_change(conn) if body is None else 0
    if body is not None:
        return _hist_of(body, len(wins))
    hist = _read_history_rollups(db, wins, end, start, upto, weights, excluded)
    detect_cache.put(db.engine, "baseline", stamp, seen, start, upto,
                     [[w, *key, k, *cell] for w, cells in enumerate(hist) for key, ks in cells.items()
                      for k, cell in ks.items()])
    return hist


BASELINE_LAYOUT = 1       # bump when what load_history_rollups derives changes meaning


def _hist_of(body: list, n: int) -> list[dict]:
    hist: list[dict] = [defaultdict(lambda: defaultdict(lambda: [0, 0, 0.0])) for _ in range(n)]
    for w, topic, place, k, items, stories, weighted in body:
        hist[w][(topic, place)][k] = [items, stories, weighted]
    return hist


def _read_history_rollups(db: Database, wins: list[Window], end: datetime, start: datetime, upto: datetime,
                          weights: dict[str, float], excluded: list[str]) -> list[dict]:
    from yuqing.storage.rollups import GAP_CAP, MentionRollup

    hour, gap = MentionRollup.hour, MentionRollup.gap
    samples = []
    for i, w in enumerate(wins):
        whens = []
        for k in range(1, w.samples + 1):
            hi = end - k * w.step
            whens.append((and_(hour > hi - w.length, hour <= hi), k))
        samples.append(case(*whens, else_=None).label(f"k{i}"))
    new_story = or_(gap == 0, gap >= GAP_CAP)
    weight = case(weights, value=MentionRollup.source_id, else_=literal(1.0)) if weights else literal(1.0)
    mine = [hour > start, hour <= upto] + ([MentionRollup.source_id.not_in(excluded)] if excluded else [])
    query = (select(MentionRollup.topic_id, MentionRollup.place_id, *samples,
                    func.sum(MentionRollup.items), func.sum(MentionRollup.items * weight),
                    func.sum(case((new_story, MentionRollup.stories), else_=0)))
             .where(*mine)
             .group_by(MentionRollup.topic_id, MentionRollup.place_id, *samples))
    # story-hours continuing a story from a few hours before: counted in a sample only
    # when the story's previous hour lies before the sample's start
    continuing = (select(hour, MentionRollup.topic_id, MentionRollup.place_id, gap, func.sum(MentionRollup.stories))
                  .where(*mine, gap > 0, gap < GAP_CAP, MentionRollup.stories > 0)
                  .group_by(hour, MentionRollup.topic_id, MentionRollup.place_id, gap))
    with db.session() as s:
        cells = _rows(s, query)
        links = _rows(s, continuing)
    hist: list[dict] = [defaultdict(lambda: defaultdict(lambda: [0, 0, 0.0])) for _ in wins]
    keys_of = _keys_cache()
    for topic, place, *rest in cells:
        ks, (n, weighted, stories) = rest[:len(wins)], rest[len(wins):]
        keys = keys_of(topic, place)
        for w, k in enumerate(ks):
            if not k:
                continue
            for key in keys:
                cell = hist[w][key][k]
                cell[0] += int(n)
                cell[1] += int(stories)
                cell[2] += float(weighted or 0)
    for when, topic, place, hours, stories in links:
        when = when.astimezone(timezone.utc)
        keys = keys_of(topic, place)
        for w, window in enumerate(wins):
            back = end - when                     # the sample holding this hour, if any
            k = int(back // window.step)
            if k < 1 or k > window.samples or back - k * window.step >= window.length:
                continue
            into = window.length - (back - k * window.step)    # hours since the sample's start
            if hours * HOUR >= into:
                for key in keys:
                    hist[w][key][k][1] += int(stories)
    return hist


def _keys_cache():
    """(topic or '', place or '') of a rollup row -> the series it counts in."""
    cache: dict[tuple, list[tuple]] = {}

    def keys_of(topic, place):
        found = cache.get((topic, place))
        if found is None:
            t, p = topic or None, place or None
            found = [(CATCHALL, None)] + ([(CATCHALL, p)] if p else [])
            if t is not None:
                found += [(t, None)] + ([(t, p)] if p else [])
            cache[(topic, place)] = found
        return found
    return keys_of


def source_weight(config: Config):
    """SQL expression: the authority weight of a mention's source (unknown sources: 1)."""
    det = config.settings.detection
    weights = {s.id: float(det.authority_weight.get(s.authority, 1.0)) for s in config.sources}
    if not weights:
        return literal(1.0)
    return case(weights, value=Mention.source_id, else_=literal(1.0))


class _Acc:
    """Accumulates one sample of one series."""

    __slots__ = ("stories", "voices", "anon", "outlets", "channels", "items")

    def __init__(self):
        self.stories: dict[int, list[float]] = {}     # story -> authority weights of its voices
        self.voices: dict[tuple, int] = {}            # voice -> units
        self.anon = 0
        self.outlets: set[tuple] = set()
        self.channels: set[str] = set()
        self.items = 0

    def add(self, row: Row, weight: float, channel: str, cap: int) -> None:
        self.items += row.items
        self.outlets.add(row.outlet)
        self.channels.add(channel)
        weights = self.stories.setdefault(row.story, [])
        if row.voice is None:
            self.anon += row.items
            weights.extend([weight] * row.items)
        else:
            have = self.voices.get(row.voice, 0)
            if have < cap:
                self.voices[row.voice] = have + 1
                weights.append(weight)

    def sample(self, reprint: float) -> Sample:
        count = 0.0
        for weights in self.stories.values():
            if weights:
                weights.sort(reverse=True)
                count += weights[0] + reprint * sum(weights[1:])
        return Sample(count=count, units=self.anon + sum(self.voices.values()), items=self.items,
                      stories=len(self.stories), sources=len(self.outlets),
                      authors=self.anon + len(self.voices), channels=tuple(sorted(self.channels)))


def build_series(db: Database, config: Config, at: datetime, rollups: bool = True
                 ) -> dict[tuple, list[Series]]:
    """(topic, place) -> one Series per window; place None is the district-wide series and
    topic CATCHALL the catch-all one. The past comes from the hourly rollups when the
    windows are whole hours (`rollups=False`: from the mentions, the reference)."""
    det = config.settings.detection
    wins = windows(config)
    rows, topics = load_units(db, config, wins, at)
    if rollups and rollups_fit(wins):
        hist = load_history_rollups(db, config, wins, at)
    else:
        hist = load_history(db, config, wins, at)
    weights = {s.id: float(det.authority_weight.get(s.authority, 1.0)) for s in config.sources}
    channels: dict[str, str] = {}
    acc: list[dict] = [defaultdict(_Acc) for _ in wins]
    for i, row in enumerate(rows):
        weight = weights.get(row.source, 1.0)
        channel = channels.get(row.source) or channels.setdefault(row.source, channel_of(config, row.source))
        keys = [(CATCHALL, None)] + ([(CATCHALL, row.place)] if row.place else [])
        for topic in topics.get(i, ()):
            keys += [(topic, None)] + ([(topic, row.place)] if row.place else [])
        for w, k in enumerate(row.samples):
            if k == 0:
                for key in keys:
                    acc[w][key].add(row, weight, channel, det.voice_cap)
    series: dict[tuple, list[Series]] = {}
    for w, window in enumerate(wins):
        for key in acc[w].keys() | hist[w].keys():
            now = acc[w].get(key)
            past = hist[w].get(key, {})
            history = [Sample(count=past[k][2], units=past[k][1], items=past[k][0], stories=past[k][1])
                       if k in past else Sample() for k in range(1, window.samples + 1)]
            item = Series(key[0], key[1], window,
                          now=now.sample(det.reprint_weight) if now else Sample(),
                          history=history,
                          story_keys=frozenset(now.stories) if now else frozenset())
            series.setdefault(key, []).append(item)
    return series


def window_mentions(db: Database, config: Config, topic_id: str, place_id: str | None,
                    window: Window, at: datetime) -> list[int]:
    """Evidence: the negative mentions in a series' current window."""
    lo, hi = window.bounds(at, 0)
    query = select(Mention.id).where(complaint(config), in_range(lo, hi)).order_by(Mention.id)
    if topic_id != CATCHALL:
        query = query.join(MentionTopic, MentionTopic.mention_id == Mention.id).where(
            MentionTopic.topic_id == topic_id)
    if place_id:
        query = query.where(Mention.place_id == place_id)
    with db.session() as s:
        return sorted(s.scalars(query.order_by(None).order_by(Mention.id.desc()).limit(EVIDENCE_MAX)))


def evidence_part(topic_id: str, place_id: str | None, window: Window, at: datetime) -> tuple:
    """A series' current window as a part of a finding's evidence (see fill_evidence)."""
    return (topic_id, place_id, *window.bounds(at, 0))


def fill_evidence(db: Database, config: Config, findings: list) -> list:
    """Each finding's evidence — the newest EVIDENCE_MAX negative mentions of its parts, as
    `window_mentions` gives per part — read with one query per distinct window for all the
    findings of a cycle, instead of one query per finding and part every cycle. The rows come
    newest first and stop once every part has its EVIDENCE_MAX."""
    parts = {p for f in findings for p in f.evidence}
    if not parts:
        return findings
    spans: dict[tuple, set[tuple]] = defaultdict(set)
    for part in parts:
        spans[part[2:]].add(part)
    got: dict[tuple, list[int]] = {}
    with db.session() as s:
        if s.get_bind().dialect.name == "postgresql":
            # a trend's few days of rows cross PostgreSQL's JIT threshold: compiling took 0.1 s
            # of a 0.35 s read (EXPLAIN ANALYZE, 10M-mention bench store) and saved nothing
            s.execute(text("SET LOCAL jit = off"))
        for (lo, hi), wanted in spans.items():
            topics = sorted({p[0] for p in wanted if p[0] != CATCHALL})
            where = [complaint(config)]
            link = and_(MentionTopic.mention_id == Mention.id, MentionTopic.topic_id.in_(topics or [""]))
            if (CATCHALL, None) not in {p[:2] for p in wanted}:
                # only rows some part can take: a place's, or a district-wide topic's (a trend
                # of the catch-all at a few streets no longer reads every street's days)
                places = sorted({p[1] for p in wanted if p[1] is not None})
                district = sorted({p[0] for p in wanted if p[1] is None})
                where.append(or_(Mention.place_id.in_(places or [""]), MentionTopic.topic_id.in_(district or [""])))
            # sorted after the indexed time range is read: ordered by the key itself, PostgreSQL
            # may walk the primary key backwards through every later id instead. The dated and
            # undated halves apart (see load_units), merged newest first: their ids are disjoint
            halves = [s.connection().execute(
                select(Mention.id, Mention.place_id, MentionTopic.topic_id).outerjoin(MentionTopic, link)
                .where(*where, part).order_by((Mention.id + 0).desc())).all()
                for part in in_range_parts(lo, hi)]
            # (topic, place) -> parts: a row counts for its place's parts and the district's
            by_key: dict[tuple, list[tuple]] = defaultdict(list)
            for part in wanted:
                by_key[part[:2]].append(part)
                got[part] = []
            open_parts = len(wanted)
            last = None
            for mid, place, topic in heapq.merge(*halves, key=lambda row: -row[0]):
                keys = [(topic, place), (topic, None)] if topic is not None else []
                if mid != last:
                    keys += [(CATCHALL, place), (CATCHALL, None)]
                    last = mid
                for key in keys:
                    for part in by_key.get(key, ()):
                        ids = got[part]
                        if len(ids) < EVIDENCE_MAX and (not ids or ids[-1] != mid):
                            ids.append(mid)
                            open_parts -= len(ids) == EVIDENCE_MAX
                if not open_parts:
                    break
    out = []
    for f in findings:
        if f.evidence:
            ids = set().union(*(got[p] for p in f.evidence))
            f = replace(f, mention_ids=tuple(sorted(ids)[-EVIDENCE_MAX:]), evidence=())
        out.append(f)
    return out
