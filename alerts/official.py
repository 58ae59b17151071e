"""The government's own voice on a warned matter: a 通报 or 回应 is a response, not news.

An official item (see series.official) never opens a warning. When it is about the matter
of a warning still open — the same street and the same topic, or, for an incident warning,
the same street and an incident word — it is recorded on that warning's timeline as
官方通报, once, with its link, for the duty office and the departments to see.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from yuqing.alerts.outbox import record
from yuqing.alerts.series import in_range, official
from yuqing.config.models import Config
from yuqing.storage.db import Database
from yuqing.storage.models import Mention, MentionTopic, Warning, WarningEvent

ACTION = "官方通报"
RECENT = timedelta(days=7)          # warnings opened this long ago can still get their 通报


def official_responses(db: Database, config: Config, at: datetime) -> int:
    det = config.settings.detection
    lo = at - det.window
    with db.session() as s:
        warnings = s.scalars(select(Warning).where(Warning.status != "closed",
                                                   Warning.opened_at > at - RECENT,
                                                   Warning.opened_at <= at)).all()
        if not warnings:
            return 0
        items = s.execute(select(Mention.id, Mention.title, Mention.content, Mention.url,
                                 Mention.place_id, Mention.published_at)
                          .where(official(config), Mention.analysed_at.is_not(None),
                                 in_range(lo, at))).all()
        if not items:
            return 0
        topics: dict[int, set[str]] = {}
        for mid, topic in s.execute(select(MentionTopic.mention_id, MentionTopic.topic_id)
                                    .where(MentionTopic.mention_id.in_([i[0] for i in items]))):
            topics.setdefault(mid, set()).add(topic)
        done = {(e.warning_id, e.detail.split("#m", 1)[-1].split(" ", 1)[0]) for e in s.scalars(
            select(WarningEvent).where(WarningEvent.action == ACTION,
                                       WarningEvent.warning_id.in_([w.id for w in warnings])))}
        count = 0
        for mid, title, content, url, place, published in items:
            text = f"{title}\n{(content or '')[:2000]}"
            incident = any(w in text for w in det.critical_words)
            for w in warnings:
                if published is not None and published < w.opened_at - det.window:
                    continue        # older than the matter: background, not a response
                same_place = w.place_id is not None and w.place_id == place
                same_topic = w.topic_id is not None and w.topic_id in topics.get(mid, set())
                if not ((same_place and (same_topic or (w.kind == "critical" and incident)))
                        or (w.place_id is None and same_topic)):
                    continue
                if (w.id, str(mid)) in done:
                    continue
                record(s, w, "系统", ACTION, f"#m{mid} {title[:80]} {url}", at)
                done.add((w.id, str(mid)))
                count += 1
    return count
