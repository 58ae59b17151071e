"""Negative-volume series per topic and per topic × place, with robust baselines."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from config.models import Config
from storage.db import Database
from storage.models import Mention, MentionTopic, Story


@dataclass
class Series:
    topic_id: str
    place_id: str | None
    # story id -> (time of its first negative copy in the window, weight, mention ids)
    window: dict[int, list] = field(default_factory=dict)
    history: list[float] = field(default_factory=list)   # weighted count per past window

    @property
    def count(self) -> float:
        return sum(entry[1] for entry in self.window.values())

    @property
    def mention_ids(self) -> list[int]:
        return sorted({m for entry in self.window.values() for m in entry[2]})

    def baseline(self) -> tuple[float, float]:
        """Median and MAD of past windows: a few earlier spikes do not move them."""
        if not self.history:
            return 0.0, 0.0
        median = statistics.median(self.history)
        mad = statistics.median(abs(x - median) for x in self.history)
        return median, mad

    def robust_z(self) -> float:
        """(count - median) / scale; for quiet series MAD is 0, so the scale falls back to
        the Poisson spread sqrt(median), never below 0.5."""
        median, mad = self.baseline()
        scale = max(1.4826 * mad, median ** 0.5, 0.5)
        return (self.count - median) / scale

    def ratio(self) -> float:
        median, _ = self.baseline()
        return self.count / max(median, 0.5)


def build_series(db: Database, config: Config, at: datetime) -> dict[tuple, Series]:
    det = config.settings.detection
    start = at - det.window - det.baseline
    weights = {s.id: det.authority_weight.get(s.authority, 1.0) for s in config.sources}
    with db.session() as s:
        rows = s.execute(
            select(Mention.id, Mention.source_id, Mention.published_at, Mention.fetched_at,
                   Mention.place_id, Mention.story_id, MentionTopic.topic_id)
            .join(MentionTopic, MentionTopic.mention_id == Mention.id)
            .where(Mention.negative.is_(True), Mention.fetched_at >= start - timedelta(days=60),
                   (Mention.published_at >= start) | Mention.published_at.is_(None))
        ).all()
        copies = dict(s.execute(select(Story.id, Story.copies)).all()) if rows else {}
    windows = int(det.baseline / det.window)
    history: dict[tuple, list[dict[int, float]]] = defaultdict(lambda: [dict() for _ in range(windows)])
    series: dict[tuple, Series] = {}
    for mid, source_id, published, fetched, place, story, topic in rows:
        when = published or fetched
        if when > at or when < start:
            continue
        story_key = story if story is not None else -mid
        weight = weights.get(source_id, 1.0)
        for key in ((topic, None), (topic, place)) if place else ((topic, None),):
            item = series.setdefault(key, Series(topic, key[1]))
            if when > at - det.window:
                entry = item.window.setdefault(story_key, [when, 0.0, set()])
                # a story counts once, by its most authoritative copy
                entry[1] = max(entry[1], weight)
                entry[2].add(mid)
            else:
                index = int((at - det.window - when) / det.window)
                if index < windows:
                    past = history[key][index]
                    past[story_key] = max(past.get(story_key, 0.0), weight)
    for key, item in series.items():
        item.history = [sum(w.values()) for w in history[key]] if key in history else [0.0] * windows
        # reprints widen reach: each extra copy adds a little, never more than doubling a story
        for story_key, entry in item.window.items():
            extra = (copies.get(story_key, 1) - 1) if story_key > 0 else 0
            entry[1] += min(entry[1], 0.25 * extra)
    return series
