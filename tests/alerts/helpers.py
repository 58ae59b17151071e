"""Shared helpers for alert tests: fixed times, noise and spikes, config variants."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.factories import add_mention

# A fixed Wednesday; 03:00 UTC is 11:00 in Shanghai, outside quiet hours.
NOW = datetime(2025, 1, 15, 3, 0, tzinfo=timezone.utc)
DAYTIME = NOW
NIGHT = NOW.replace(hour=15)          # 23:00 in Shanghai


def baseline(db, days: int = 14, per_day: float = 0.1, topic="heating", place="zhichu", at=NOW,
             source="board"):
    """Ordinary noise: one negative item every 1/per_day days, never clustered (default: a
    quiet street, one complaint every ten days)."""
    step = timedelta(days=1 / per_day)
    t = at - timedelta(days=1, hours=3)
    while t > at - timedelta(days=days):
        add_mention(db, when=t, topic=topic, place=place, source=source)
        t -= step


def spike(db, n: int, topic="heating", place="zhichu", source="board", at=NOW, every=30):
    ids = []
    for i in range(n):
        ids.append(add_mention(db, when=at - timedelta(minutes=20 + every * i), topic=topic,
                               place=place, source=source))
    return ids


def with_channels(config, channels: dict[str, list[str]], departments: dict | None = None,
                  **delivery):
    """A config whose departments use the given channels (others: dryrun://)."""
    extra = departments or {}
    depts = [d.model_copy(update={"channels": channels.get(d.id, ["dryrun://"]), **extra.get(d.id, {})})
             for d in config.departments]
    settings = config.settings.model_copy(update={
        "delivery": config.settings.delivery.model_copy(update=delivery)})
    return config.model_copy(update={"departments": depts, "settings": settings})


def with_detection(config, **detection):
    settings = config.settings.model_copy(update={
        "detection": config.settings.detection.model_copy(update=detection)})
    return config.model_copy(update={"settings": settings})


def wave(db, n: int, topic="heating", place="zhichu", at=NOW, every=3):
    """A spike with reach: the board, news sites and social media, many voices (重大 needs
    volume, sources and channels; a board alone never gets there)."""
    ids = []
    for i in range(n):
        source = ("people-liuyan-yantai", "shm-yantai", "weibo-x")[i % 3]
        ids.append(add_mention(db, when=at - timedelta(minutes=1 + every * i), topic=topic, place=place,
                               source=source, author="" if source == "shm-yantai" else f"网民{i}",
                               origin=f"媒体{i % 7}"))
    return ids
