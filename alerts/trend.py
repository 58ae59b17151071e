"""Slow burns (持续升温): sustained growth over several days that no single hour shows.

On each series' daily samples (units per 24 hours, the last one ending now), for every span
of D = trend_days_min … trend_days_max days: the sum over the span against the Poisson
expectation from the days before it, required to be surprising (z ≥ trend_z) and spread —
at least trend_min_per_day units, and well above the series' usual day, on all but one
day of the span, and no day holding more
than half of it — so that one busy day (a spike, which the spike rule handles) is not a
trend. E.g. 3–6 complaints a day for a week where one comes every few days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from yuqing.alerts.rules import Finding
from yuqing.alerts.series import (ANONYMOUS, CATCHALL, DAY, Series, complaint, daily, evidence_part,
                                  fill_evidence, in_range, poisson_z, windows)
from yuqing.config.models import Config
from yuqing.storage.models import Mention, MentionTopic, Warning


@dataclass(frozen=True)
class Trend:
    days: int
    per_day: tuple[int, ...]      # units per day, oldest first
    expected: float               # units per day before the span
    z: float


def trend_of(config: Config, series: Series) -> Trend | None:
    """The most surprising qualifying span, or None."""
    det = config.settings.detection
    units = [series.now.units] + [h.units for h in series.history]   # newest first
    best = None
    for d in range(det.trend_days_min, det.trend_days_max + 1):
        if len(units) < d + 3:
            break                       # too little history before the span to compare with
        recent, before = units[:d], series.history[d - 1:]
        total = sum(recent)
        expected = max(series.expected(before), det.trend_floor_per_day)
        # a busy day is busy for this series: well above its own usual day, not just non-empty
        bar = max(det.trend_min_per_day, expected + 2 * math.sqrt(expected))
        busy = sum(1 for u in recent if u >= bar)
        if busy < d - 1 or max(recent) * 2 > total:
            continue
        z = poisson_z(total, expected * d)
        if z >= det.trend_z and (best is None or z > best.z):
            best = Trend(d, tuple(reversed(recent)), expected, z)
    return best


def trend_findings(db, config: Config, series: dict[tuple, list[Series]], at: datetime,
                   spikes: list[Finding]) -> list[Finding]:
    day = daily(windows(config))
    det = config.settings.detection
    # a series that spiked within the span has its warning: the spike's days are no trend
    with db.session() as s:
        recent = s.execute(select(Warning.topic_id, Warning.place_id).where(
            Warning.kind == "spike", Warning.opened_at > at - DAY * det.trend_days_max,
            Warning.opened_at <= at)).all()
    spiking = {(f.topic_id or CATCHALL, f.place_id) for f in spikes} | {(t or CATCHALL, p) for t, p in recent}
    spiking_places = {f.place_id for f in spikes} | {p for _, p in recent}
    found: dict[tuple, tuple[Trend, Series]] = {}
    for key, items in series.items():
        if key[0] == CATCHALL and not config.settings.detection.catchall:
            continue
        item = next((i for i in items if i.window == day), None)
        if item is None or key in spiking or (key[0] == CATCHALL and key[1] in spiking_places):
            continue
        if key == (CATCHALL, None):
            continue        # everything, everywhere, a little more: nobody's matter to answer
        trend = trend_of(config, item)
        if trend is not None and span_voices(db, config, key, at, trend.days) >= det.trend_min_authors:
            found[key] = (trend, item)
    # the catch-all's trend at a place is a topic's when that topic holds a fair share of
    # its recent stories (a topic names only part of what people write about one matter)
    share = det.catchall_share
    folded: set[tuple] = set()
    for key in [k for k in found if k[0] == CATCHALL and k[1] is not None]:
        if any(k[1] == key[1] and k[0] != CATCHALL for k in found):
            continue
        trend, item = found[key]
        best = None
        for tkey, titems in series.items():
            if tkey[1] != key[1] or tkey[0] == CATCHALL or tkey in spiking:
                continue
            titem = next((i for i in titems if i.window == day), None)
            if titem is None or not titem.story_keys:
                continue
            covered = len(titem.story_keys & item.story_keys) / max(1, len(item.story_keys))
            if covered >= share and (best is None or (covered, tkey[0]) > best[0]):
                best = ((covered, tkey[0]), tkey)
        if best is not None:
            found[best[1]] = (trend, item)
            folded.add(best[1])
            del found[key]
    # one matter, one warning: a place-level trend names what the district-wide one sees,
    # and a topic trend at a place names what the catch-all there sees
    topic_places = {k[1] for k in found if k[0] != CATCHALL}
    placed_topics = {k[0] for k in found if k[1]}
    out = []
    for key in sorted(found, key=lambda k: (k[0], k[1] or "")):
        topic_id, place_id = key
        if topic_id == CATCHALL and (place_id in topic_places or (place_id is None and found.keys() - {key})):
            continue
        if place_id is None and topic_id in placed_topics:
            continue
        trend, item = found[key]
        topic = "未归类事项" if topic_id == CATCHALL else f"“{config.topic(topic_id).name}”"
        place = config.place(place_id).name if place_id else "全区"
        per_day = "、".join(str(u) for u in trend.per_day)
        summary = (f"近{trend.days}天负面信息逐日为 {per_day} 条，合计{sum(trend.per_day)}条，"
                   f"此前平均每天约{trend.expected:.1f}条；持续{trend.days}天高于平常"
                   f"（单日都不突出），定为{config.settings.detection.trend_severity}")
        span = item.window.__class__(item.window.name, DAY * trend.days, DAY, 1)
        out.append(Finding(
            key=f"trend:{topic_id}:{place_id or '-'}", kind="trend",
            topic_id=None if topic_id == CATCHALL else topic_id, place_id=place_id,
            severity=config.settings.detection.trend_severity,
            title=f"{place}{topic}负面舆情持续升温", summary=summary,
            mention_ids=(), evidence=(evidence_part(CATCHALL if key in folded else topic_id, place_id, span, at),),
            count=float(sum(trend.per_day)), baseline=trend.expected))
    return fill_evidence(db, config, out)


def span_voices(db, config: Config, key: tuple, at: datetime, days: int) -> int:
    """Distinct voices among a series' negative items over the last `days` days, counted as
    the spike series count them (series.load_units): a signed author on a source is one, an
    unsigned article on a site each its own, unsigned posts one per story. Read only for the
    few series whose daily counts already look like a slow burn."""
    topic, place = key
    query = (select(Mention.source_id, Mention.author, Mention.story_id, Mention.id)
             .where(complaint(config), in_range(at - DAY * days, at)))
    if topic != CATCHALL:
        query = query.join(MentionTopic, MentionTopic.mention_id == Mention.id).where(
            MentionTopic.topic_id == topic)
    if place is not None:
        query = query.where(Mention.place_id == place)
    sites = {s.id for s in config.sources if s.kind == "site"}
    voices = set()
    with db.session() as s:
        for source, author, story, mid in s.connection().execute(query):
            author = (author or "").strip()
            if author not in ANONYMOUS:
                voices.add((source, author))
            elif source in sites:
                voices.add(("#", mid))
            else:
                voices.add((source, "#", story if story is not None else -mid))
    return len(voices)
